"""A real Celery worker runs the holiday-data check through Redis against the PostgreSQL test database.

The worker (`redis_worker`, in conftest.py) is a separate process: it reaches the test database that pytest-django created (its name is read
from the connection) and sends mail to the test's SMTP sink. time_machine cannot reach it, so the test asserts
what is true today: on 2026-11-22 the year 2027 is 40 days away and chinesecalendar 1.11 has no data for it.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from governance.models import OfficeAlert
from governance.services.workdays import missing_years, years_in_use
from governance.tasks import calendar_coverage_check
from governance.tests.factories import OfficeUserFactory, UserFactory

TASK_NAME = "governance.tasks.calendar_coverage_check"


def _succeeded(worker, task_id: str) -> bool:
    """Whether the worker's log says it finished this check."""
    return (
        re.search(rf"Task {re.escape(TASK_NAME)}\[{re.escape(task_id)}\] succeeded", worker.output())
        is not None
    )


def _queue_check_after_commit(worker) -> list[str]:
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

    redis_worker.wait_for(lambda: _succeeded(redis_worker, task_ids[0]), f"task {task_ids[0]}")

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
        redis_worker.wait_for(lambda ids=task_ids: _succeeded(redis_worker, ids[0]), f"task {task_ids[0]}")

    assert OfficeAlert.objects.filter(sent_at__isnull=False).count() == len(expected)
    assert len(smtp_sink.messages) == len(expected)
