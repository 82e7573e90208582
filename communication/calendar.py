"""The person's meetings in their iCalendar feed (governance.services.icalendar_feed), with their end times.

A meeting records when it starts and, optionally, when it ends (`Meeting.end_time`). A calendar event without an end
is an instant (RFC 5545 §3.6.1: a DATE-TIME DTSTART alone ends where it starts), so a meeting whose end was not
recorded would block no time in the leader's calendar. Such a meeting gets the usual length of its kind instead
(DEFAULT_DURATIONS), and its description says the end is an estimate. The README (日历订阅) lists these lengths.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from communication.models import Meeting, MeetingKind
from governance.families import CalendarItem
from governance.links import pk_link_maker

# The usual length of a meeting of each kind, used when its end time was not recorded. A 工作碰头会 (000 四（四）:
# 沟通近期工作情况、交流重要信息; 001 一（二）: 班子成员通报近期开展工作的情况) and a 书记专题会 (001 一（一）) are an hour;
# the decision-making meetings (党委会/党委常委会、党政联席会、校长办公会/院务会, 000 四（一）, 001 三（三）) a session of about
# two hours; a 务虚会 (000 四（三）: 交流思想、交换意见、统一认识、达成共识) and a 民主生活会 (000 四（二）) half a day.
DEFAULT_DURATIONS: dict[str, dt.timedelta] = {
    MeetingKind.COORDINATION: dt.timedelta(hours=1),
    MeetingKind.RETREAT: dt.timedelta(hours=3),
    MeetingKind.PARTY_COMMITTEE: dt.timedelta(hours=2),
    MeetingKind.JOINT: dt.timedelta(hours=2),
    MeetingKind.ADMINISTRATIVE: dt.timedelta(hours=2),
    MeetingKind.SECRETARY_SPECIAL: dt.timedelta(hours=1),
    MeetingKind.DEMOCRATIC_LIFE: dt.timedelta(hours=3),
}
FALLBACK_DURATION = dt.timedelta(hours=2)  # a kind added later without a length here


def default_duration(kind: str) -> dt.timedelta:
    return DEFAULT_DURATIONS.get(kind, FALLBACK_DURATION)


def _hours(duration: dt.timedelta) -> str:
    hours = duration.total_seconds() / 3600
    return f"{hours:g}"


def meeting_span(meeting: Meeting, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime, bool]:
    """When the meeting starts and ends, and whether the end was recorded (False: the kind's usual length).

    An end time not after the start (a slip when it was recorded) counts as not recorded."""
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz)
    if meeting.end_time is not None:
        end = dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=tz)
        if end > start:
            return start, end, True
    return start, start + default_duration(meeting.kind), False


def calendar_items(person, start: dt.date, end: dt.date) -> list[CalendarItem]:
    """The person's meetings (chair, attendee or observer) dated in [start, end], in one query, without minutes or
    agenda. A confidential meeting (001 三（八）: 沟通交流会议实行保密制度) shows only its kind, time and place."""
    attendees = Meeting.attendees.through.objects.filter(meeting_id=OuterRef("pk"), person_id=person.pk)
    observers = Meeting.observers.through.objects.filter(meeting_id=OuterRef("pk"), person_id=person.pk)
    meetings = (
        Meeting.objects.filter(date__gte=start, date__lte=end)
        .annotate(is_attendee=Exists(attendees), is_observer=Exists(observers))
        .filter(Q(chair_id=person.pk) | Q(is_attendee=True) | Q(is_observer=True))
        .only("id", "kind", "title", "date", "start_time", "end_time", "place", "confidential", "chair_id")
        .order_by("date", "start_time", "pk")
    )
    tz = timezone.get_default_timezone()
    url = pk_link_maker("communication:meeting_detail")
    items = []
    for meeting in meetings:
        kind = meeting.get_kind_display()
        if meeting.chair_id == person.pk:
            role = "主持"
        elif meeting.is_attendee:
            role = "参会"
        else:
            role = "列席"
        begins, ends, recorded = meeting_span(meeting, tz)
        lines = [f"会议类型：{kind}", f"您的身份：{role}"]
        if not recorded:
            lines.append(f"结束时间未登记，按{kind}通常时长 {_hours(ends - begins)} 小时显示。")
        if meeting.confidential:
            lines.append("保密会议：详情请登录系统查看。")
        items.append(
            CalendarItem(
                uid=f"meeting-{meeting.pk}",
                start=begins,
                end=ends,
                summary=str(kind) if meeting.confidential else meeting.title,
                location=meeting.place or "",
                description="\n".join(str(line) for line in lines),
                url=url(meeting.pk),
                categories=("会议",),
                confidential=meeting.confidential,
            )
        )
    return items
