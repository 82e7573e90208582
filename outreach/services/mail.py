"""Outreach's emails, sent after the commit (never for a rolled-back step), as supervision's and disclosure's are: one
plain-text message to the addresses found, with the site's subject prefix and an absolute link."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from governance.services.alerts import office_recipients
from governance.services.reminders import site_link

__all__ = ["mail_after_commit", "office_recipients", "site_link"]


def mail_after_commit(addresses: Iterable[str], subject: str, body: str) -> None:
    """One email to the addresses that are not empty, queued for after the commit."""
    found = sorted({a for a in addresses if a})
    if not found:
        return
    transaction.on_commit(
        partial(
            send_mail, f"{settings.EMAIL_SUBJECT_PREFIX}{subject}", body, None, found, fail_silently=True
        ),
        robust=True,
    )
