"""A real Celery worker runs the holiday-data check through Redis against the PostgreSQL test database.

The worker is a separate process: it reaches the test database that pytest-django created (its name is read
from the connection) and sends mail to the test's SMTP sink. time_machine cannot reach it, so the test asserts
what is true today: on 2026-11-22 the year 2027 is 40 days away and chinesecalendar 1.11 has no data for it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from governance.models import OfficeAlert
from governance.services.workdays import missing_years, years_in_use
from governance.tasks import calendar_coverage_check
from governance.tests.factories import OfficeUserFactory, UserFactory

TASK_NAME = "governance.tasks.calendar_coverage_check"
WAIT_SECONDS = 60


def _test_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_<name>), for the worker process."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{quote(db['NAME'], safe='')}"


@dataclass
class Worker:
    proc: subprocess.Popen
    log: Path
    queue: str

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def succeeded(self, task_id: str) -> bool:
        return (
            re.search(rf"Task {re.escape(TASK_NAME)}\[{re.escape(task_id)}\] succeeded", self.output())
            is not None
        )

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if condition():
                return
            if self.proc.poll() is not None:
                pytest.fail(f"the worker exited ({self.proc.returncode}):\n{self.output()}")
            time.sleep(0.5)
        pytest.fail(f"gave up after {WAIT_SECONDS} s waiting for {what}:\n{self.output()}")


@pytest.fixture
def redis_worker(transactional_db, smtp_sink, tmp_path) -> Iterator[Worker]:
    # A queue of its own, so no other worker on the same Redis (a developer's `make run`) takes the task.
    queue = f"portal-test-{uuid.uuid4().hex[:12]}"
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
            # Stopped before pytest-django flushes (and later drops) the test database it is connected to.
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
            _forget_queue(queue)


def _forget_queue(queue: str) -> None:
    """Remove the test queue's list and kombu's bindings for it, so repeated runs leave nothing behind."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()


def _queue_check_after_commit(worker: Worker) -> list[str]:
    """Queue the check the way the site does: only once the transaction that made it necessary commits."""
    task_ids: list[str] = []
    transaction.on_commit(lambda: task_ids.append(calendar_coverage_check.apply_async(queue=worker.queue).id))
    return task_ids


def _expected_alert_keys() -> set[str]:
    years = missing_years(years_in_use(timezone.localdate()))
    assert years, "no year in use lacks holiday data today, so the check has nothing observable to do"
    return {f"holidays-missing-{year}" for year in years}


def test_a_real_worker_runs_the_check_through_redis_and_emails_the_office(redis_worker, smtp_sink):
    expected = _expected_alert_keys()  # {"holidays-missing-2027"} on 2026-11-22

    with transaction.atomic():
        OfficeUserFactory(username="office")
        UserFactory(username="teacher")
        task_ids = _queue_check_after_commit(redis_worker)
        assert task_ids == []  # nothing leaves before the commit
    assert len(task_ids) == 1

    redis_worker.wait_for(lambda: redis_worker.succeeded(task_ids[0]), f"task {task_ids[0]}")

    alerts = OfficeAlert.objects.filter(sent_at__isnull=False)
    assert set(alerts.values_list("key", flat=True)) == expected
    assert "redis://" in redis_worker.output()
    assert len(smtp_sink.messages) == len(expected)
    assert smtp_sink.messages[0]["to"] == ["office@example.edu.cn"]
    assert "请录入" in smtp_sink.subjects()[0]


def test_a_second_run_through_redis_does_not_send_the_alert_again(redis_worker, smtp_sink):
    expected = _expected_alert_keys()
    OfficeUserFactory(username="office")

    for _run in range(2):
        with transaction.atomic():
            task_ids = _queue_check_after_commit(redis_worker)
        redis_worker.wait_for(lambda ids=task_ids: redis_worker.succeeded(ids[0]), f"task {task_ids[0]}")

    assert OfficeAlert.objects.filter(sent_at__isnull=False).count() == len(expected)
    assert len(smtp_sink.messages) == len(expected)
