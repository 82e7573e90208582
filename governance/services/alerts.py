"""Office alerts: one unique row per alert key, written before sending, sent after commit.

The row is the claim: a second beat or a retried task finds it and sends nothing. A worker killed between the
insert and the send leaves a row with sent_at empty, which the next run picks up and sends.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import OfficeAlert
from governance.roles import OFFICE
from governance.services.workdays import missing_years, years_in_use


def office_recipients() -> list[str]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(groups__name=OFFICE, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def alert_queue(*, key: str, subject: str, body: str) -> OfficeAlert | None:
    """Record an alert under a unique key. Returns None if that key was already recorded."""
    try:
        with transaction.atomic():
            return OfficeAlert.objects.create(
                key=key, subject=subject, body=body, recipients=",".join(office_recipients())
            )
    except IntegrityError:
        return None


def alerts_send_pending() -> int:
    """Send every recorded, unsent alert. Claims each with a conditional UPDATE so two workers never both send."""
    sent = 0
    for alert in OfficeAlert.objects.filter(sent_at__isnull=True).order_by("created"):
        claimed = OfficeAlert.objects.filter(pk=alert.pk, sent_at__isnull=True).update(sent_at=timezone.now())
        if not claimed:
            continue
        recipients = [r for r in alert.recipients.split(",") if r]
        if recipients:
            try:
                send_mail(alert.subject, alert.body, settings.DEFAULT_FROM_EMAIL, recipients)
            except OSError:
                OfficeAlert.objects.filter(pk=alert.pk).update(sent_at=None)
                raise
        sent += 1
    return sent


def calendar_coverage_alert(*, today=None) -> list[int]:
    """Alert the office (once per year) about years in use that lack holiday data. Returns the missing years."""
    today = today or timezone.localdate()
    missing = missing_years(years_in_use(today))
    for year in missing:
        alert_queue(
            key=f"holidays-missing-{year}",
            subject=_("请录入%(year)s年法定节假日安排") % {"year": year},
            body=_(
                "系统尚无%(year)s年的法定节假日和调休数据，目前按周一至周五计算工作日，"
                "“每两周周五召开碰头会”等按工作日安排的提醒可能不准。\n\n"
                "请在国务院办公厅发布通知后，于管理后台“节假日年度”中录入：\n%(url)s/admin/governance/holidayyear/add/\n"
            )
            % {"year": year, "url": settings.SITE_URL},
        )
    alerts_send_pending()
    return missing
