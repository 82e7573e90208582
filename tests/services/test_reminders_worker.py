"""A real Celery worker sends a reminder digest through Redis, from the PostgreSQL test database, exactly once.

The test process records the digest (reminders_collect) and queues its sending after commit, as the beat job does;
the worker is a separate `celery -A governance worker --pool solo` process on the same test database, sending to the
test's SMTP sink. A second collect, and a duplicate delivery of the same task, send nothing more.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections

from governance.engine import evidence as evidence_registry
from governance.models import Person, ReminderDigest, ReminderSent
from governance.services.reminders import reminder_digest_send, reminders_collect
from governance.tasks import send_digest
from governance.tests.factories import SemesterFactory, UniversityFactory
from governance.tests.test_reminders import FRIDAY, SOURCE, FakeSource, make_college, make_rules

pytestmark = pytest.mark.services

TASK_NAME = "governance.tasks.send_digest"
WAIT_SECONDS = 60


def _test_database_url() -> str:
    """pytest-django's test database (test_<name>) as a URL for the worker process."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


@dataclass
class Worker:
    proc: subprocess.Popen
    log: Path
    queue: str

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def results(self) -> list[str]:
        """The return value of every send_digest this worker finished ("True": sent; "False": nothing to do)."""
        return re.findall(
            rf"Task {re.escape(TASK_NAME)}\[[0-9a-f-]+\] succeeded in [0-9.]+s: (\w+)", self.output()
        )

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if condition():
                return
            if self.proc.poll() is not None:
                pytest.fail(f"the worker exited ({self.proc.returncode}):\n{self.output()}")
            time.sleep(0.3)
        pytest.fail(f"gave up after {WAIT_SECONDS} s waiting for {what}:\n{self.output()}")


@pytest.fixture
def worker(transactional_db, smtp_sink, tmp_path, monkeypatch) -> Iterator[Worker]:
    # A queue of its own, so no other worker on this Redis (a developer's `make run`) takes the task.
    queue = f"portal-test-reminders-{uuid.uuid4().hex[:12]}"
    monkeypatch.setattr(
        send_digest, "delay", lambda digest_id: send_digest.apply_async((digest_id,), queue=queue)
    )
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="governance.settings.test",
        DATABASE_URL=_test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        TEST_SMTP_PORT=str(smtp_sink.port),
        VAR_DIR=str(tmp_path / "var"),
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8",
    )
    log = tmp_path / "worker.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and celery
            [sys.executable, "-m", "celery", "-A", "governance", "worker", "--pool", "solo", "-c", "1"]
            + ["--loglevel", "INFO", "--queues", queue, "--hostname", f"{queue}@%h"]
            + ["--without-mingle", "--without-gossip"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield Worker(proc, log, queue)
        finally:
            # Stopped before pytest-django flushes the test database it is connected to.
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
            import redis

            client = redis.Redis.from_url(settings.REDIS_URL)
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
            client.close()


@pytest.fixture
def dean(monkeypatch) -> Person:
    """The college of test_reminders on Friday 2027-01-08, where only the dean has an email address: the weekly
    talk with the secretary is overdue, two more items are due soon."""
    source = FakeSource()
    monkeypatch.setitem(evidence_registry._SOURCES, SOURCE, source)
    SemesterFactory()
    make_rules(UniversityFactory())
    college = make_college("wenxue", "文学院", source=source)
    Person.objects.filter(pk=college.secretary.pk).update(email="")
    type(college.secretary.user).objects.filter(pk=college.secretary.user_id).update(email="")
    return college.dean


def test_a_real_worker_sends_the_digest_queued_after_commit_once(worker, dean, smtp_sink):
    created = reminders_collect(today=FRIDAY)  # autocommit: queued through Redis as soon as it commits
    assert len(created) == 1

    worker.wait_for(
        lambda: (
            ReminderDigest.objects.filter(pk=created[0], sent_at__isnull=False).exists()
            and len(smtp_sink.messages) == 1
        ),
        "the worker to send the digest",
    )
    assert "redis://" in worker.output()
    assert smtp_sink.messages[0]["to"] == [dean.email]
    assert str(smtp_sink.messages[0]["message"]["subject"]).strip() == (
        "[党委办公室] 您有 2 项即将到期、1 项已逾期的工作"
    )

    # The beat job again the same day: nothing new is recorded or queued.
    assert reminders_collect(today=FRIDAY) == []
    # A duplicate delivery of the same task (a redelivered message, a sweep racing a retry) finds it sent.
    send_digest.delay(created[0])
    worker.wait_for(lambda: worker.results() == ["True", "False"], "the duplicate task to finish")

    time.sleep(1)
    assert len(smtp_sink.messages) == 1
    digest = ReminderDigest.objects.get(pk=created[0])
    assert digest.sent_at is not None
    assert digest.attempts == 1


def _at_once(fn, n: int = 2) -> list:
    """Run `fn` in `n` threads released together, each on its own database connection; return their results."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_beats_collecting_at_the_same_moment_record_each_item_once(dean):
    results = _at_once(lambda: reminders_collect(today=FRIDAY, queue=False))

    assert sorted(len(r) for r in results) == [0, 1]
    assert ReminderDigest.objects.count() == 1
    assert ReminderSent.objects.filter(person=dean).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_digest_at_the_same_moment_send_one_email(dean, smtp_sink):
    (digest_id,) = reminders_collect(today=FRIDAY, queue=False)

    results = _at_once(lambda: reminder_digest_send(digest_id))

    assert sorted(results) == [False, True]
    assert len(smtp_sink.messages) == 1
