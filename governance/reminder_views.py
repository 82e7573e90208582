"""The office's preview of the reminder emails the next run will send (governance.services.reminder_preview)."""

from __future__ import annotations

import datetime as dt

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView, View

from governance.access import OfficeRequiredMixin
from governance.forms import parse_day
from governance.services.reminder_preview import next_reminder_run, reminders_preview

# How far ahead the office may look: the data will have changed by then anyway.
PREVIEW_DAYS_AHEAD = 31


def _preview_day(request, next_run: dt.datetime | None) -> dt.date:
    """The day of the run to preview: `?on=` from today to PREVIEW_DAYS_AHEAD days on, else the next run's day
    (tomorrow when the task is not scheduled). A day out of range is said so, and the default shown."""
    today = timezone.localdate()
    default = timezone.localtime(next_run).date() if next_run else today + dt.timedelta(days=1)
    value = request.GET.get("on")
    if not value:
        return default
    day = parse_day(value)
    last = today + dt.timedelta(days=PREVIEW_DAYS_AHEAD)
    if day is not None and today <= day <= last:
        return day
    messages.warning(
        request,
        _("只能预览今天至%(last)s的提醒（所填“%(value)s”不在此范围内），已显示%(day)s的预览。")
        % {
            "last": date_format(last, "DATE_FORMAT"),
            "value": value[:40],
            "day": date_format(default, "DATE_FORMAT"),
        },
    )
    return default


class ReminderPreviewView(OfficeRequiredMixin, TemplateView):
    """Who gets which email in the next reminder run: subject, items, text and HTML bodies. Nothing is written or
    sent; the figures are those of the moment the page is opened."""

    template_name = "governance/reminder_preview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        next_run = next_reminder_run()
        day = _preview_day(self.request, next_run)
        today = timezone.localdate()
        ctx.update(
            preview=reminders_preview(day=day),
            day=day,
            next_run=next_run,
            # The time of the run previewed, when it is the scheduled one.
            run_at=next_run if next_run and timezone.localtime(next_run).date() == day else None,
            computed_at=timezone.now(),
            today=today,
            last_day=today + dt.timedelta(days=PREVIEW_DAYS_AHEAD),
        )
        return ctx


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(
    # The email's HTML as the mail client gets it: inline styles (no other way in email), nothing else. It is shown
    # in a sandboxed frame of the preview page, so it may be framed by this site only.
    csp_replace(
        {
            "default-src": ["'none'"],
            "style-src": ["'unsafe-inline'"],
            "img-src": ["'self'", "data:"],
            "script-src": ["'none'"],
            "form-action": ["'none'"],
            "frame-ancestors": ["'self'"],
        }
    ),
    name="dispatch",
)
class ReminderPreviewHtmlView(OfficeRequiredMixin, View):
    """The HTML body of one person's email in the preview of the run on `?on=`; 404 if none would be sent."""

    def get(self, request, person_id: int, *args, **kwargs):
        # The preview page always names its day; any other is no email of the preview.
        day = parse_day(request.GET.get("on", ""))
        today = timezone.localdate()
        if day is None or not today <= day <= today + dt.timedelta(days=PREVIEW_DAYS_AHEAD):
            raise Http404(_("只能预览今天至一个月后的提醒。"))
        digest = reminders_preview(day=day).digest_for(person_id)
        if digest is None:
            raise Http404(_("这一天的提醒中没有给这位人员的邮件。"))
        return HttpResponse(digest.body_html)
