"""校领导接待日 (004 第五条8): 每两周一次，时间为双周一下午3:00—5:00，接待地点在当班领导办公室.

The rota for a semester: every other Monday from the semester's first Monday (OUTREACH_RECEPTION: weekday, every how
many weeks, start and end time, all configurable per institution), within the semester's dates (vacations have no
reception days). A Monday that is a statutory holiday moves to the next workday of the same week (the office's holiday
data, else chinesecalendar); a week without a workday after it has no reception day. A make-up workday (调休, a
Saturday or Sunday worked) is not a reception day: the rota follows the reception weekday only. Duty leaders take turns
in the rota's order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.errors import DomainError, clean_or_refuse
from governance.models import Semester
from governance.roles import is_office
from governance.services.workdays import WorkdayCalendar
from outreach.models import ReceptionDuty, ReceptionSession
from outreach.permissions import person_of

DEFAULTS = {"weekday": 0, "every_weeks": 2, "start": "15:00", "end": "17:00"}


def reception_settings() -> dict[str, Any]:
    return {**DEFAULTS, **getattr(settings, "OUTREACH_RECEPTION", {})}


@dataclass(frozen=True)
class PlannedDay:
    date: dt.date
    moved_from: dt.date | None = None  # the regular day, a holiday


def planned_days(start: dt.date, end: dt.date) -> tuple[list[PlannedDay], list[dt.date]]:
    """The reception days in [start, end] and the regular days dropped (a holiday with no workday after it that week)."""
    conf = reception_settings()
    calendar = WorkdayCalendar()
    day = start + dt.timedelta(days=(int(conf["weekday"]) - start.weekday()) % 7)
    step = dt.timedelta(weeks=int(conf["every_weeks"]))
    days: list[PlannedDay] = []
    dropped: list[dt.date] = []
    while day <= end:
        if calendar.is_workday(day):
            days.append(PlannedDay(day))
        else:
            week_end = day + dt.timedelta(days=4 - day.weekday()) if day.weekday() <= 4 else day
            later = day + dt.timedelta(days=1)
            while later <= min(week_end, end) and not calendar.is_workday(later):
                later += dt.timedelta(days=1)
            if later <= min(week_end, end):
                days.append(PlannedDay(later, moved_from=day))
            else:
                dropped.append(day)
        day += step
    return days, dropped


def _office_only(by: Any) -> None:
    if not is_office(by):
        raise DomainError(_("接待日轮值由党委办公室安排。"))


@transaction.atomic
def rota_generate(*, by: Any, semester: Semester) -> tuple[list[ReceptionSession], list[dt.date]]:
    """The semester's reception days, the duty leaders taking turns. Refused when the semester has a rota already."""
    _office_only(by)
    if ReceptionSession.objects.filter(date__gte=semester.start, date__lte=semester.end).exists():
        raise DomainError(_("%(semester)s已有接待日安排；如需调整请交换当班领导。") % {"semester": semester})
    duties = list(
        ReceptionDuty.objects.filter(is_active=True).select_related("leader").order_by("order", "pk")
    )
    if not duties:
        raise DomainError(_("轮值名单是空的：请先在管理后台“接待日轮值名单”中登记校领导和接待地点。"))
    conf = reception_settings()
    start, end = dt.time.fromisoformat(conf["start"]), dt.time.fromisoformat(conf["end"])
    days, dropped = planned_days(semester.start, semester.end)
    sessions = []
    for n, planned in enumerate(days):
        duty = duties[n % len(duties)]
        session = ReceptionSession(
            date=planned.date,
            moved_from=planned.moved_from,
            start_time=start,
            end_time=end,
            leader=duty.leader,
            place=duty.place,
            recorded_by=by,
        )
        clean_or_refuse(session)
        session._history_user = by  # type: ignore[attr-defined]
        session.save()
        sessions.append(session)
    return sessions, dropped


@transaction.atomic
def sessions_swap(*, by: Any, first: ReceptionSession, second: ReceptionSession) -> None:
    """Two duty leaders swap their days (and so their places); only days still to come."""
    _office_only(by)
    today = timezone.localdate()
    a, b = (ReceptionSession.objects.select_for_update().get(pk=s.pk) for s in (first, second))
    if a.pk == b.pk:
        raise DomainError({"second": [_("请选择两个不同的接待日。")]})
    if a.date < today or b.date < today:
        raise DomainError(_("已过去的接待日不能交换。"))
    if a.leader_id == b.leader_id:
        raise DomainError({"second": [_("两个接待日是同一位校领导当班。")]})
    a.leader_id, b.leader_id = b.leader_id, a.leader_id
    a.place, b.place = b.place, a.place
    for session in (a, b):
        session._history_user = by  # type: ignore[attr-defined]
        session._change_reason = _("交换当班领导")  # type: ignore[attr-defined]
        session.save(update_fields=["leader", "place", "updated_at"])


def can_record_session(user: Any, session: ReceptionSession) -> bool:
    person = person_of(user)
    return is_office(user) or (person is not None and session.leader_id == person.pk)


@transaction.atomic
def session_record(
    *, by: Any, session: ReceptionSession, visitors: int | None, summary: str
) -> ReceptionSession:
    """After a reception day: how many came and what they raised (the duty leader or the office)."""
    if not can_record_session(by, session):
        raise DomainError(_("只有当班校领导和党委办公室可以登记接待情况。"))
    if session.date > timezone.localdate():
        raise DomainError(_("接待日还没到，不能登记接待情况。"))
    session = ReceptionSession.objects.select_for_update().get(pk=session.pk)
    session.visitors = visitors
    session.summary = summary.strip()
    clean_or_refuse(session)
    session._history_user = by  # type: ignore[attr-defined]
    session.save(update_fields=["visitors", "summary", "updated_at"])
    return session
