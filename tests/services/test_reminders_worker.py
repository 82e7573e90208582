"""A real Celery worker sends a reminder digest through Redis, from the PostgreSQL test database, exactly once.

The test process records the digest (reminders_collect) and queues its sending after commit, as the beat job does;
the worker is a separate `celery -A governance worker --pool solo` process on the same test database, sending to the
test's SMTP sink. A second collect, and a duplicate delivery of the same task, send nothing more.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.db import connections

from governance.engine import evidence as evidence_registry
from governance.models import Person, ReminderDigest, ReminderSent
from governance.services.reminders import reminder_digest_send, reminders_collect
from governance.tasks import send_digest
from governance.tests.factories import SemesterFactory, UniversityFactory
from governance.tests.test_reminders import FRIDAY, SOURCE, FakeSource, make_college, make_rules

pytestmark = pytest.mark.services

TASK_NAME = "governance.tasks.send_digest"


def _results(worker) -> list[str]:
    """The return value of every send_digest the worker finished ("True": sent; "False": nothing to do)."""
    return re.findall(
        rf"Task {re.escape(TASK_NAME)}\[[0-9a-f-]+\] succeeded in [0-9.]+s: (\w+)", worker.output()
    )


@pytest.fixture
def worker(redis_worker, monkeypatch):
    """The worker of conftest.py, and `send_digest.delay` sending to its queue of its own."""
    monkeypatch.setattr(
        send_digest,
        "delay",
        lambda digest_id: send_digest.apply_async((digest_id,), queue=redis_worker.queue),
    )
    return redis_worker


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
    worker.wait_for(lambda: _results(worker) == ["True", "False"], "the duplicate task to finish")

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
