"""Reads for outreach's pages and panels, each with a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from governance.models import AcademicYear, Organization, Person, Position
from outreach.models import Activity, ActivityKind, LinkedContact
from outreach.permissions import activities_visible_to
from outreach.services.festivals import upcoming_festivals

PANEL_RECENT = 5


def for_list(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """What a list row shows: leaders' and units' names (two prefetch queries whatever the length)."""
    return queryset.prefetch_related(
        Prefetch("leaders", queryset=Person.objects.order_by("name")),
        Prefetch("units", queryset=Organization.objects.order_by("order", "code")),
    ).select_related("contact")


def activities_for_list(user: Any) -> QuerySet[Activity]:
    return for_list(activities_visible_to(user)).order_by("-date", "-pk")


def contacts_of(person: Person, day: dt.date) -> list[LinkedContact]:
    """The person's 联系点 on `day` (units first)."""
    return list(
        LinkedContact.objects.active_on(day)
        .filter(leader=person)
        .select_related("organization")
        .order_by("kind", "organization__order", "name", "pk")
    )


def contacts_for_office(day: dt.date) -> list[LinkedContact]:
    """Every 联系点 current on `day` or later (ended ones are in the admin's history), by leader."""
    return list(
        LinkedContact.objects.exclude(end__lt=day)
        .select_related("leader", "organization")
        .order_by("leader__name", "kind", "start", "pk")
    )


def leaders_on(day: dt.date) -> QuerySet[Person]:
    """People on any leadership team on `day`: whom the office assigns units to and records for."""
    return Person.objects.filter(pk__in=Position.objects.active_on(day).values("person_id")).order_by("name")


@dataclass
class LeaderPanel:
    """A leader's outreach card: their 联系点, this academic year's activities by kind, the latest few, the next
    festival (003 二3)."""

    contacts: list[LinkedContact] = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)
    hours: Any = None
    recent: list[Activity] = field(default_factory=list)
    festivals: list[tuple[str, dt.date]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.recent)


def academic_year_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The academic year containing `day` (004 第六条1: 按学年汇总和考核): the calendar's, else 1 September to 31 August."""
    year = AcademicYear.objects.filter(start__lte=day, end__gte=day).only("start", "end").first()
    if year is not None:
        return year.start, year.end
    first = day.year if day.month >= 9 else day.year - 1
    return dt.date(first, 9, 1), dt.date(first + 1, 8, 31)


def leader_panel(person: Person, *, today: dt.date) -> LeaderPanel:
    """Five queries: the academic year, contacts, this year's activities (kind, hours), the recent ones and their
    units."""
    start, _end = academic_year_bounds(today)
    through = Activity.leaders.through
    mine = Activity.objects.filter(pk__in=through.objects.filter(person_id=person.pk).values("activity_id"))
    rows = list(mine.filter(date__gte=start, date__lte=today).values_list("kind", "class_hours"))
    counted = Counter(kind for kind, _hours in rows)
    labels = dict(ActivityKind.choices)
    hours = sum((h for kind, h in rows if kind == ActivityKind.CLASS_OBSERVATION and h), start=0)
    recent = list(
        mine.prefetch_related(
            Prefetch("units", queryset=Organization.objects.order_by("order", "code"))
        ).order_by("-date", "-pk")[:PANEL_RECENT]
    )
    return LeaderPanel(
        contacts=contacts_of(person, today),
        counts=[(str(labels[k]), counted[k]) for k in ActivityKind.values if counted[k]],
        hours=hours,
        recent=recent,
        festivals=upcoming_festivals(today, 1),
    )


def leader_panel_for_user(user: Any, today: dt.date) -> LeaderPanel | None:
    from outreach.permissions import person_of

    person = person_of(user)
    return leader_panel(person, today=today) if person else None


def organizations_touched_by_activity(activity: Activity) -> list[int]:
    return [activity.organization_id]


def organizations_touched_by_contact(contact: LinkedContact) -> None:
    return None  # a leader's 联系点 shows on their home, whichever team they sit on


HISTORY_FIELDS = (
    "date",
    "kind",
    "title",
    "organization",
    "contact",
    "festival",
    "participants",
    "course",
    "teacher",
    "class_hours",
    "notes",
)


def _user_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def history_rows(activity: Activity) -> list[dict[str, Any]]:
    """The activity's 修改记录, newest first: when, who, what (登记/修改), why, and the names of the changed fields
    (notes are said to have changed, never quoted). Two queries: the rows, the users."""
    records = list(activity.history.select_related("history_user").order_by("history_date", "history_id"))
    rows: list[dict[str, Any]] = []
    previous = None
    for record in records:
        changed: list[str] = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=list(HISTORY_FIELDS))
            changed = [str(Activity._meta.get_field(c.field).verbose_name) for c in delta.changes]
        rows.append(
            {
                "when": record.history_date,
                "who": _user_name(record.history_user),
                "kind": record.history_type,
                "reason": record.history_change_reason or "",
                "changed": changed,
            }
        )
        previous = record
    return list(reversed(rows))
