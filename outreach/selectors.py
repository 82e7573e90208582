"""Reads for outreach's pages and panels, each with a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, Prefetch, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from governance.families import DigestLine, DigestSection
from governance.history import Entry, record_changes
from governance.links import pk_link_maker
from governance.models import AcademicYear, Organization, Person, Position
from outreach.models import (
    Activity,
    ActivityKind,
    IssueEvent,
    IssueEventKind,
    IssueState,
    LinkedContact,
    RaisedIssue,
)
from outreach.permissions import activities_visible_to, issues_visible_to
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
    # The issues raised with them still awaiting their answer (004 第五条7), oldest first, and how many in all.
    open_issues: Sequence[RaisedIssue] = field(default_factory=list)
    open_total: int = 0

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.recent)


def leader_panel(person: Person, *, today: dt.date) -> LeaderPanel:
    """Three queries, four with activities: the issues awaiting the leader's answer, the contacts, this academic
    year's activities (the year's start from the calendar in a subquery, else 1 September), their units."""
    fallback = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    year_start = Coalesce(
        Subquery(
            AcademicYear.objects.filter(start__lte=today, end__gte=today)
            .order_by("start")
            .values("start")[:1]
        ),
        Value(fallback),
        output_field=DateField(),
    )
    through = Activity.leaders.through
    activities = list(
        Activity.objects.filter(pk__in=through.objects.filter(person_id=person.pk).values("activity_id"))
        .filter(date__lte=today, date__gte=year_start)
        .prefetch_related(Prefetch("units", queryset=Organization.objects.order_by("order", "code")))
        .order_by("-date", "-pk")
    )
    counted = Counter(a.kind for a in activities)
    labels = dict(ActivityKind.choices)
    hours = sum(
        (a.class_hours for a in activities if a.kind == ActivityKind.CLASS_OBSERVATION and a.class_hours),
        start=Decimal(0),
    )
    open_issues = list(
        RaisedIssue.objects.filter(owner_id=person.pk, state=IssueState.OPEN)
        .annotate(total=Window(Count("pk")))
        .only("id", "title", "created_at")
        .order_by("created_at", "pk")[:PANEL_RECENT]
    )
    return LeaderPanel(
        open_issues=open_issues,
        open_total=open_issues[0].total if open_issues else 0,
        contacts=contacts_of(person, today),
        counts=[(str(labels[k]), counted[k]) for k in ActivityKind.values if counted[k]],
        hours=hours,
        recent=activities[:PANEL_RECENT],
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


# What an activity's 修改记录 shows, in its page's order; all of it is on the page for whoever may open it.
HISTORY_FIELDS = (
    "date",
    "kind",
    "title",
    "organization",
    "leaders",
    "units",
    "contact",
    "festival",
    "participants",
    "course",
    "teacher",
    "class_hours",
    "notes",
)


def history_rows(activity: Activity) -> list[Entry]:
    """The activity's 修改记录, newest first: when, who, what (登记/修改), why, and each changed field old → new
    (活动情况/听课记录 is said to have changed, never quoted). Constant queries: the rows with their users, one per
    many-to-many field (班子成员, 基层单位), one per related model (people, organizations, contacts)."""
    return record_changes(activity, fields=HISTORY_FIELDS)


# --- 师生诉求 ---------------------------------------------------------------------------------------------------------


def university_leaders(day: dt.date) -> tuple[QuerySet[Person], dict[int, str]]:
    """校领导 on `day` and, by person id, the names of the areas they are in charge of (分管): whom the mailbox writes
    to. Two queries."""
    positions = Position.objects.active_on(day).filter(team__organization__kind=Organization.Kind.UNIVERSITY)
    areas: dict[int, list[str]] = {}
    for person_id, area in positions.values_list("person_id", "areas__name").order_by("order", "areas__name"):
        names = areas.setdefault(person_id, [])
        if area and area not in names:
            names.append(area)
    people = Person.objects.filter(pk__in=positions.values("person_id")).order_by("name")
    return people, {pk: "、".join(names) for pk, names in areas.items()}


@dataclass
class OfficeIssuePanel:
    """The office home's card: issues not answered yet (the oldest first), how many, and how many wait to be sent to
    a leader (意见箱 without an owner)."""

    issues: list[RaisedIssue]
    unanswered: int
    unassigned: int
    # Leaders' requests to escalate (004 第六条4) the office has not acted on yet, the oldest first, and how many.
    asks: Sequence[IssueEvent] = field(default_factory=list)
    asked: int = 0


OFFICE_PANEL_ITEMS = 5


def pending_asks_for_office(limit: int = OFFICE_PANEL_ITEMS) -> tuple[Sequence[IssueEvent], int]:
    """The leaders' requests to list an issue as an agenda item or to have it supervised that wait for the office:
    the issue is not closed, has no agenda item (or task) yet, and the office has not declined the request. One query
    (a window count) whatever their number."""
    asks = list(
        IssueEvent.objects.filter(
            Q(kind=IssueEventKind.ASKED_AGENDA, issue__agenda_item__isnull=True)
            | Q(kind=IssueEventKind.ASKED_TASK, issue__supervised_task__isnull=True),
            replies__isnull=True,
        )
        .exclude(issue__state=IssueState.CLOSED)
        .select_related("issue", "to_person")
        .annotate(total=Window(Count("pk")))
        .order_by("at", "pk")[:limit]
    )
    return asks, (asks[0].total if asks else 0)


def office_panel(*, today: dt.date) -> OfficeIssuePanel:
    """Three queries whatever the number of issues and requests."""
    open_issues = RaisedIssue.objects.filter(state=IssueState.OPEN)
    issues = list(open_issues.select_related("owner").order_by("created_at", "pk")[:OFFICE_PANEL_ITEMS])
    counts = open_issues.aggregate(
        unanswered=Count("pk"), unassigned=Count("pk", filter=Q(owner__isnull=True))
    )
    asks, asked = pending_asks_for_office()
    return OfficeIssuePanel(
        issues=issues,
        unanswered=counts["unanswered"],
        unassigned=counts["unassigned"],
        asks=asks,
        asked=asked,
    )


MEMBER_PANEL_ITEMS = 5


@dataclass
class MemberIssuePanel:
    """A member of staff's or a Party member's card on their home: the mailbox (意见箱), and the issues they raised
    with where each stands (004 第五条7: 件件有回音)."""

    issues: Sequence[RaisedIssue]
    total: int


def member_panel(user: Any, *, today: dt.date) -> MemberIssuePanel:
    """The latest issues `user` raised through the mailbox, with how many in all: one query (a window count)."""
    issues = list(
        RaisedIssue.objects.filter(raised_by_id=user.pk)
        .annotate(total=Window(Count("pk")))
        .only("id", "title", "state", "created_at", "answered_at")
        .order_by("-created_at", "-pk")[:MEMBER_PANEL_ITEMS]
    )
    return MemberIssuePanel(issues=issues, total=issues[0].total if issues else 0)


def issues_for_list(user: Any) -> QuerySet[RaisedIssue]:
    return (
        issues_visible_to(user)
        .select_related("owner", "handling_unit", "unit")
        .order_by("-created_at", "-pk")
    )


def _waiting(raised: dt.date, today: dt.date) -> str:
    """Since when an issue waits and by when it should be answered. 004 第六条3 asks for an answer 尽快 (as soon as
    possible) and 第五条7 for 及时处理, and neither sets a number of days, so no date is invented: the line says how many
    days it has waited, and that the answer is due as soon as possible."""
    days = (today - raised).days
    day = date_format(raised, "DATE_FORMAT")
    if days <= 0:
        return gettext("%(day)s（今天）提出，尚未答复；应尽快答复（004 第六条3，制度未规定具体天数）。") % {
            "day": day
        }
    return gettext(
        "%(day)s 提出，已等待 %(n)d 天，尚未答复；应尽快答复（004 第六条3，制度未规定具体天数）。"
    ) % {
        "day": day,
        "n": days,
    }


def digest_sections(people: Sequence[Person], today: dt.date) -> dict[int, list[DigestSection]]:
    """Each leader's issues still unanswered (004 第五条7: 学校领导根据分工及时处理), one section; the key names the issues,
    so the same list is not sent again the next day, and a new or answered issue changes it. One query."""
    ids = [p.pk for p in people]
    rows = list(
        RaisedIssue.objects.filter(state=IssueState.OPEN, owner_id__in=ids)
        .values_list("pk", "title", "owner_id", "created_at")
        .order_by("owner_id", "created_at", "pk")
    )
    url = pk_link_maker("outreach:issue_detail")
    by_owner: dict[int, list[tuple[int, str, Any]]] = {}
    for pk, title, owner_id, created_at in rows:
        by_owner.setdefault(owner_id, []).append((pk, title, created_at))
    sections: dict[int, list[DigestSection]] = {}
    for owner_id, issues in by_owner.items():
        lines = tuple(
            DigestLine(text=title, url=url(pk), detail=_waiting(timezone.localtime(created).date(), today))
            for pk, title, created in issues
        )
        sections[owner_id] = [
            DigestSection(
                family="outreach",
                title=gettext("待您答复的师生诉求（004 第五条7）"),
                lines=lines,
                key="outreach-issues:" + ",".join(str(pk) for pk, _t, _c in issues),
            )
        ]
    return sections
