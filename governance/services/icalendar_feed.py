"""A person's iCalendar feed: what each family puts in it (meetings …) and the obligation deadlines, at a secret
address without login.

The address is /calendar/<token>.ics (governance.feeds). Whoever holds it sees the person's schedule, so the feed
carries as little as it can: a family marks an item confidential and gives only what may be seen outside the portal
(a confidential meeting, 001 三（八）, shows only its kind, time and place). Regenerating the token kills the old address.

RFC 5545: timed items (meetings) are DATE-TIME values in Asia/Shanghai with a VTIMEZONE; deadlines are all-day DATE values.
UIDs are stable ("<family uid>@<host>", one per obligation key), so calendar apps update events in place.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from governance.engine.obligations import STATUS_LABELS, Obligation, Status
from governance.families import CalendarItem, families
from governance.models import CalendarFeedToken, Person
from governance.models.reminders import new_feed_token
from governance.selectors.obligations import Evaluation, obligations_for_person
from governance.services.reminders import chinese_date, counterpart_of, record_link, site_host, site_link

CALENDAR_NAME = "党委办公室 · 我的日程"
PRODID = "-//党委办公室//领导班子工作平台//ZH"
TZID = "Asia/Shanghai"
# What the feed covers: deadlines over the coming ~four months, meetings a little into the past as well.
FUTURE_DAYS = 120
PAST_DAYS = 60
REFRESH = dt.timedelta(hours=1)


# --- the token: writes ------------------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_regenerate(*, person: Person) -> CalendarFeedToken:
    """Give `person` a new feed address; the old one (if any) stops working at once."""
    feed, _created = CalendarFeedToken.objects.select_for_update().get_or_create(person=person)
    if not _created:
        feed.token = new_feed_token()
        feed.created = timezone.now()
        feed.revoked_at = None
        feed.save(update_fields=["token", "created", "revoked_at"])
    return feed


def calendar_feed_revoke(*, person: Person) -> bool:
    """Stop `person`'s feed address. True if there was an active one."""
    return bool(
        CalendarFeedToken.objects.filter(person=person, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


# --- reads ------------------------------------------------------------------------------------------------------


def feed_for_person(person: Person) -> CalendarFeedToken | None:
    """The person's active feed, or None."""
    return CalendarFeedToken.objects.filter(person=person, revoked_at__isnull=True).first()


def feed_person(token: str) -> Person | None:
    """Whose feed `token` opens: None for an unknown or revoked token, or a person whose account is disabled."""
    feed = (
        CalendarFeedToken.objects.select_related("person__user")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    user = feed.person.user
    if user is not None and not user.is_active:
        return None
    return feed.person


def feed_url(feed: CalendarFeedToken) -> str:
    return site_link(reverse("calendar:feed", args=[feed.token]))


def _family_event(item: CalendarItem, *, stamp: dt.datetime, host: str) -> icalendar.Event:
    """A family's calendar item as an iCalendar event; its uid gets this site's host."""
    event = icalendar.Event.new(
        uid=f"{item.uid}@{host}",
        stamp=stamp,
        start=item.start,
        end=item.end,
        summary=item.summary,
        location=item.location or None,
        description=item.description or None,
        url=site_link(item.url) if item.url else None,
        categories=item.categories,  # an empty tuple adds no CATEGORIES property
    )
    if item.confidential:
        event.add("CLASS", "CONFIDENTIAL")
    return event


def _obligation_uid(ob: Obligation, host: str) -> str:
    return (
        f"obligation-{ob.rule.code}-t{ob.team.id}-{ob.period.start:%Y%m%d}"
        f"-{ob.subject_person_id or 0}-{ob.counterpart_person_id or 0}"
        # An event's obligation (003 第五条: one task's report cycle): two tasks' cycles on the same dates are two.
        + (f"-{ob.event_key}" if ob.event is not None else "")
        + f"@{host}"
    )


def _obligation_event(
    ob: Obligation, person: Person, names: Evaluation, *, stamp: dt.datetime, host: str
) -> icalendar.Event:
    counterpart_id = counterpart_of(ob, person.pk)
    summary = f"截止：{ob.rule.title}" + (
        f"（与 {names.person_name(counterpart_id)}）" if counterpart_id else ""
    )
    if ob.event is not None:
        summary += f"：{ob.period.label}"  # which task's cycle
    url = record_link(ob, person_id=person.pk)
    done = f"{ob.done.normalize():f}"
    required = f"{ob.required.normalize():f}"
    description = "\n".join(
        [
            f"依据{ob.rule.clause_citation}",
            f"状态：{STATUS_LABELS[ob.status]}（已完成 {done}/{required} {ob.rule.unit}）",
            f"周期：{ob.period.label}（{chinese_date(ob.period.start)}至{chinese_date(ob.period.end)}）",
            f"单位：{ob.team.name}" if ob.event is not None else f"班子：{ob.team.name}",
            f"办理：{url}",
        ]
    )
    return icalendar.Event.new(
        uid=_obligation_uid(ob, host),
        stamp=stamp,
        start=ob.due,
        end=ob.due + dt.timedelta(days=1),
        summary=summary,
        description=description,
        url=url,
        transparency=icalendar.TRANSP.TRANSPARENT,
        categories=["工作截止"],
    )


def _person_obligations(person: Person, today: dt.date) -> tuple[list[Obligation], Evaluation]:
    """Deadlines from today to FUTURE_DAYS ahead, plus what the dashboard shows today (an overdue period that
    ended before today stays on it). Excused periods are left out."""
    ahead = obligations_for_person(
        person, today=today, start=today, end=today + dt.timedelta(days=FUTURE_DAYS)
    )
    now = obligations_for_person(person, today=today)
    found: dict[str, Obligation] = {}
    for ob in [*now.obligations, *ahead.obligations]:
        if ob.status != Status.EXCUSED:
            found.setdefault(ob.key, ob)
    names = Evaluation([], {**ahead.people, **now.people}, {**ahead.teams, **now.teams})
    return sorted(found.values(), key=lambda o: (o.due, o.rule.code, o.key)), names


def calendar_feed_ical(person: Person, *, today: dt.date | None = None) -> bytes:
    """The person's feed as iCalendar bytes. A constant number of queries, whatever the number of events."""
    today = today or timezone.localdate()
    host = site_host()
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    with translation.override(settings.LANGUAGE_CODE):
        cal = icalendar.Calendar.new(
            prodid=PRODID,
            name=CALENDAR_NAME,
            uid=f"calendar-person-{person.pk}@{host}",
            method="PUBLISH",
            calscale="GREGORIAN",
            refresh_interval=REFRESH,
        )
        cal.add("X-WR-TIMEZONE", TZID)
        cal.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))
        # Each family's events (meetings …), then the obligations' deadlines.
        first, last = today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=FUTURE_DAYS)
        for family in families():
            if family.calendar_items is not None:
                for item in family.calendar_items(person, first, last):
                    cal.add_component(_family_event(item, stamp=stamp, host=host))
        obligations, names = _person_obligations(person, today)
        for ob in obligations:
            cal.add_component(_obligation_event(ob, person, names, stamp=stamp, host=host))
        # VTIMEZONE for the DATE-TIME values (meetings); Shanghai has kept +08:00 without DST since 1992.
        cal.add_missing_timezones(first_date=dt.date(2000, 1, 1), last_date=dt.date(2100, 1, 1))
    return cal.to_ical()
