"""Celery tasks of the core. Tasks take ids or nothing, call a service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from governance.services.alerts import calendar_coverage_alert


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=5)
def calendar_coverage_check(self) -> list[int]:
    """Weekly: if a year in use has no holiday data, email the office once per year (see services.alerts)."""
    return calendar_coverage_alert()
