"""The iCalendar feed (secret address, no login) and the page where a person manages their subscription."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from governance.selectors.people import person_for_user
from governance.services.icalendar_feed import (
    FUTURE_DAYS,
    calendar_feed_ical,
    calendar_feed_regenerate,
    calendar_feed_revoke,
    feed_for_person,
    feed_person,
    feed_url,
)


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's schedule as text/calendar. An unknown or stopped token is a plain 404."""
    person = feed_person(token)
    if person is None:
        raise Http404(_("订阅地址无效或已停用。"))
    response = HttpResponse(calendar_feed_ical(person, today=timezone.localdate()))
    response["Content-Type"] = "text/calendar; charset=utf-8"
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    # Calendar apps poll; the token is a credential, so no shared cache may keep the answer.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class CalendarFeedPageView(LoginRequiredMixin, TemplateView):
    """Shows the signed-in person's feed address; POST regenerates it (the old one stops) or stops it."""

    template_name = "governance/calendar_feed.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        person = person_for_user(self.request.user)
        feed = feed_for_person(person) if person else None
        context.update(person=person, feed=feed, future_days=FUTURE_DAYS)
        if feed:
            url = feed_url(feed)
            context["feed_url"] = url
            context["webcal_url"] = "webcal://" + url.split("://", 1)[1]
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        person = person_for_user(request.user)
        if person is None:
            messages.error(request, _("您的账号尚未关联人员信息，请联系党委办公室。"))
        elif request.POST.get("action") == "revoke":
            if calendar_feed_revoke(person=person):
                messages.success(request, _("订阅地址已停用，日历应用将不再更新。"))
        else:
            had_feed = feed_for_person(person) is not None
            calendar_feed_regenerate(person=person)
            messages.success(
                request,
                _("已生成新的订阅地址，原地址已失效。请在日历应用中改用新地址。")
                if had_feed
                else _("已生成订阅地址。"),
            )
        return HttpResponseRedirect(reverse("calendar:page"))
