"""Celery tasks of the core. Tasks take ids or nothing, call a service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from governance.services.alerts import calendar_coverage_alert
from governance.services.reminders import reminder_digest_send, reminders_collect, reminders_sweep


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=5)
def calendar_coverage_check(self) -> list[int]:
    """Weekly: if a year in use has no holiday data, email the office once per year (see services.alerts)."""
    return calendar_coverage_alert()


@shared_task
def send_reminders() -> dict[str, list[int]]:
    """Daily (beat): record today's reminder digests and queue them; queue again any an earlier run left unsent.
    Running it twice the same day sends nothing new (see services.reminders)."""
    created = reminders_collect(today=timezone.localdate())
    return {"created": created, "requeued": reminders_sweep()}


# SMTP errors are OSErrors. The backoff stays under the Redis visibility timeout (an hour), past which a delayed
# retry would be delivered twice; after the last retry the digest waits, unsent, for the next sweep.
@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
)
def send_digest(self, digest_id: int) -> bool:
    """Send one reminder digest; True if this run sent it (False: already sent, or another worker is sending)."""
    return reminder_digest_send(digest_id)
