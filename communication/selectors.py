"""Reads for communication/: each selector decides its own joins and prefetches, so every page that uses it runs a
constant number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from communication.models import (
    Absence,
    AgendaItem,
    AgendaItemStatus,
    Handover,
    Meeting,
    MeetingKind,
    Opinion,
    OpinionStance,
    Talk,
)
from governance.models import Organization, Person, Position
from governance.models.people import MAIN_LEADER_KINDS

# --- Teams --------------------------------------------------------------------------------------------------------


def team_positions(organization: Organization | int, on: dt.date) -> list[Position]:
    """Positions held in `organization`'s leadership team on `on`, main leaders first (one query)."""
    org_id = organization if isinstance(organization, int) else organization.pk
    positions = list(
        Position.objects.active_on(on)
        .filter(team__organization_id=org_id)
        .select_related("person")
        .order_by("order")
    )
    positions.sort(key=_main_leaders_first)
    return positions


def _main_leaders_first(position: Position) -> tuple:
    return (position.kind not in MAIN_LEADER_KINDS, position.order, position.person.name, position.pk)


def team_members(organization: Organization | int, on: dt.date) -> list[Person]:
    """The people on `organization`'s team on `on`, once each, main leaders first."""
    seen: dict[int, Person] = {}
    for position in team_positions(organization, on):
        seen.setdefault(position.person_id, position.person)
    return list(seen.values())


def organizations_of(person: Person, on: dt.date) -> list[int]:
    """Ids of the organizations whose team `person` sits on, on `on`."""
    return list(
        Position.objects.active_on(on)
        .filter(person=person)
        .values_list("team__organization_id", flat=True)
        .distinct()
        .order_by()
    )


def talk_counterpart_choices(person: Person, on: dt.date) -> QuerySet[Person]:
    """Whom a leader may pick as the other side of a talk: current members of the teams they sit on."""
    org_ids = Position.objects.active_on(on).filter(person=person).values("team__organization_id")
    return (
        Person.objects.filter(
            Q(positions__start__lte=on),
            Q(positions__end__isnull=True) | Q(positions__end__gte=on),
            positions__team__organization_id__in=org_ids,
        )
        .exclude(pk=person.pk)
        .distinct()
        .order_by("name")
    )


def current_team_people(on: dt.date) -> QuerySet[Person]:
    """Everyone on any leadership team on `on` (what the office picks from)."""
    return (
        Person.objects.filter(
            Q(positions__start__lte=on),
            Q(positions__end__isnull=True) | Q(positions__end__gte=on),
        )
        .distinct()
        .order_by("name")
    )


# --- Agenda items -----------------------------------------------------------------------------------------------


# An agenda item's badge: its words (the status labels, plus one for an item not yet sent for opinions) and colour.
BADGES = {
    "decided": (AgendaItemStatus.DECIDED.label, "text-bg-secondary"),
    "held_back": (AgendaItemStatus.HELD_BACK.label, "text-bg-danger"),
    "scheduled": (AgendaItemStatus.SCHEDULED.label, "text-bg-primary"),
    "not_opened": (_("未发起征求意见"), "text-bg-light border"),
    "consulting": (AgendaItemStatus.CONSULTING.label, "text-bg-warning"),
    "ready": (AgendaItemStatus.READY.label, "text-bg-success"),
}


@dataclass(frozen=True)
class Readiness:
    """Whether an agenda item may go to its meeting, and if not, why (000 四（一）; 001 三（三））."""

    item: AgendaItem
    opened: bool
    pending: tuple[Person, ...] = ()
    disagreements: tuple[Opinion, ...] = ()

    @property
    def ready(self) -> bool:
        return self.opened and not self.pending and not self.disagreements

    @property
    def badge_key(self) -> str:
        """Which badge the list shows: decided, held_back, scheduled, not_opened, consulting or ready."""
        status = self.item.status
        if status == AgendaItemStatus.DECIDED:
            return "decided"
        if self.disagreements:
            return "held_back"
        if status == AgendaItemStatus.SCHEDULED:
            return "scheduled"
        if not self.opened:
            return "not_opened"
        if self.pending:
            return "consulting"
        return "ready"

    @property
    def badge(self) -> str:
        """The list's badge: 可以上会 / 待征求意见 / 暂缓上会（意见不一致） (and 已安排上会 / 已决定 / 未发起征求意见)."""
        return str(BADGES[self.badge_key][0])

    @property
    def badge_class(self) -> str:
        return BADGES[self.badge_key][1]

    @property
    def pending_names(self) -> str:
        return "、".join(p.name for p in self.pending)

    @property
    def disagreement_text(self) -> str:
        return pgettext("between opinions", "；").join(
            pgettext("an opinion", "%(name)s：%(stance)s")
            % {"name": o.person.name, "stance": o.get_stance_display()}
            for o in self.disagreements
        )


def readiness(item: AgendaItem) -> Readiness:
    """Readiness from the item's opinions (uses a prefetch of opinions with their person when there is one)."""
    opinions = list(item.opinions.all())
    return Readiness(
        item=item,
        opened=item.status != AgendaItemStatus.DRAFT,
        pending=tuple(o.person for o in opinions if o.required and o.is_pending),
        disagreements=tuple(o for o in opinions if o.is_unresolved_disagreement),
    )


def _items_with_opinions(qs: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    return qs.select_related("organization", "proposer", "meeting").prefetch_related(
        Prefetch("opinions", queryset=Opinion.objects.select_related("person").order_by("-required", "pk"))
    )


NOT_READY_STATUSES = (AgendaItemStatus.DRAFT, AgendaItemStatus.CONSULTING, AgendaItemStatus.HELD_BACK)


def agenda_items_not_ready(*, organization: Organization | None = None) -> list[Readiness]:
    """For the office: items still to go to a meeting that may not go yet, each with why (who is still to be heard,
    who disagrees). Two queries, whatever the number of items."""
    qs = AgendaItem.objects.filter(status__in=NOT_READY_STATUSES)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return [r for r in map(readiness, _items_with_opinions(qs.order_by("created_at", "pk"))) if not r.ready]


def agenda_items_queryset(
    *, status: str | None = None, organization: int | None = None, meeting_kind: str | None = None
) -> QuerySet[AgendaItem]:
    """The office's list of agenda items, newest first; wrap each row in `readiness()` for its badge. A page of it
    runs two queries (items, then their opinions with people)."""
    qs = AgendaItem.objects.all()
    if status:
        qs = qs.filter(status=status)
    if organization:
        qs = qs.filter(organization_id=organization)
    if meeting_kind:
        qs = qs.filter(meeting_kind=meeting_kind)
    return _items_with_opinions(qs.order_by("-created_at", "-pk"))


def agenda_item_with_opinions(pk: int) -> AgendaItem:
    return _items_with_opinions(AgendaItem.objects.prefetch_related("areas")).get(pk=pk)


def opinions_awaiting(person: Person) -> QuerySet[Opinion]:
    """Agenda items waiting for `person`'s opinion (the leader's to-do list)."""
    return (
        Opinion.objects.filter(person=person, stance=OpinionStance.PENDING)
        .exclude(item__status__in=[AgendaItemStatus.DRAFT, AgendaItemStatus.DECIDED])
        .select_related("item__organization", "item__proposer")
        .order_by("item__created_at", "pk")
    )


def schedulable_meetings(item: AgendaItem, *, today: dt.date | None = None) -> QuerySet[Meeting]:
    """Upcoming meetings of the kind and organization the item is meant for."""
    today = today or timezone.localdate()
    return Meeting.objects.filter(
        organization_id=item.organization_id, kind=item.meeting_kind, date__gte=today
    ).order_by("date", "start_time")


# --- Talks --------------------------------------------------------------------------------------------------------


def talks_for_list(user: Any, *, formal: bool | None = None) -> QuerySet[Talk]:
    """Talks the user may see, newest first, participants prefetched; the notes are never loaded for a list."""
    qs = Talk.objects.visible_to(user).defer("notes")
    if formal is not None:
        qs = qs.filter(formal=formal)
    return qs.prefetch_related(Prefetch("participants", queryset=Person.objects.only("id", "name"))).order_by(
        "-date", "-pk"
    )


# --- Meetings -----------------------------------------------------------------------------------------------------


def meetings_for_list(
    user: Any, *, kind: str | None = None, organization: int | None = None
) -> QuerySet[Meeting]:
    qs = Meeting.objects.visible_to(user).select_related("organization", "chair")
    if kind:
        qs = qs.filter(kind=kind)
    if organization:
        qs = qs.filter(organization_id=organization)
    return qs.defer("minutes").order_by("-date", "-start_time", "-pk")


def meeting_for_detail(pk: int) -> Meeting:
    return (
        Meeting.objects.select_related("organization", "chair")
        .prefetch_related(
            Prefetch("attendees", queryset=Person.objects.order_by("name")),
            Prefetch("observers", queryset=Person.objects.order_by("name")),
            "attachments",
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("proposer")),
        )
        .get(pk=pk)
    )


# --- 四必谈 (000 四（二）) ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TalkRef:
    id: int
    date: dt.date


@dataclass
class SibitanCell:
    row: Person
    column: Person
    talks: list[TalkRef] = field(default_factory=list)

    @property
    def is_self(self) -> bool:
        return self.row.pk == self.column.pk

    @property
    def done(self) -> bool:
        return bool(self.talks)

    @property
    def first_date(self) -> dt.date | None:
        return min((t.date for t in self.talks), default=None)


@dataclass
class SibitanMatrix:
    meeting: Meeting
    members: list[Person]
    main_leader_ids: frozenset[int]
    pairs: dict[tuple[int, int], list[TalkRef]]
    start: dt.date
    end: dt.date

    @property
    def required(self) -> int:
        return len(self.pairs)

    @property
    def done(self) -> int:
        return sum(1 for talks in self.pairs.values() if talks)

    @property
    def missing_pairs(self) -> list[tuple[Person, Person]]:
        by_id = {p.pk: p for p in self.members}
        order = {p.pk: i for i, p in enumerate(self.members)}
        missing = [key for key, talks in self.pairs.items() if not talks]
        missing.sort(key=lambda k: (min(order[k[0]], order[k[1]]), max(order[k[0]], order[k[1]])))
        return [(by_id[a], by_id[b]) if order[a] < order[b] else (by_id[b], by_id[a]) for a, b in missing]

    def talks_between(self, a: Person | int, b: Person | int) -> list[TalkRef]:
        a_id = a if isinstance(a, int) else a.pk
        b_id = b if isinstance(b, int) else b.pk
        return self.pairs.get((min(a_id, b_id), max(a_id, b_id)), [])

    def rows(self) -> list[tuple[Person, list[SibitanCell]]]:
        """The grid: members × members; the diagonal is the member themselves."""
        return [
            (
                row,
                [
                    SibitanCell(row, col, [] if row.pk == col.pk else self.talks_between(row, col))
                    for col in self.members
                ],
            )
            for row in self.members
        ]


def sibitan_matrix(meeting: Meeting) -> SibitanMatrix:
    """000 四（二）“四必谈” before a democratic life meeting: 党委主要负责同志与班子成员及党委委员必谈，班子成员及党委
    委员相互之间必谈 — every unordered pair of the team on the meeting date must have talked between the start of
    the preparation and the meeting. Two queries whatever the team's size or the number of talks."""
    return sibitan_matrices([meeting])[0]


def sibitan_matrices(meetings: list[Meeting]) -> list[SibitanMatrix]:
    """The 四必谈 matrix of each meeting, in the same order: two queries whatever the number of meetings, members
    or talks (positions of every team concerned, then the talk participants in the union of the windows)."""
    if not meetings:
        return []
    first_day = min(m.date for m in meetings)
    last_day = max(m.date for m in meetings)
    positions = list(
        Position.objects.overlapping(first_day, last_day)
        .filter(team__organization_id__in={m.organization_id for m in meetings})
        .select_related("person", "team")
        .order_by("order")
    )
    positions.sort(key=_main_leaders_first)
    teams: list[tuple[list[Person], set[int]]] = []
    for meeting in meetings:
        members: list[Person] = []
        main_ids: set[int] = set()
        seen: set[int] = set()
        for position in positions:
            if position.team.organization_id != meeting.organization_id or not position.is_active_on(
                meeting.date
            ):
                continue
            if position.kind in MAIN_LEADER_KINDS:
                main_ids.add(position.person_id)
            if position.person_id not in seen:
                seen.add(position.person_id)
                members.append(position.person)
        teams.append((members, main_ids))
    windows = [(m.preparation_start or m.date, m.date) for m in meetings]
    all_ids = {p.pk for members, _main in teams for p in members}
    through = Talk.participants.through
    by_talk: dict[int, tuple[dt.date, set[int]]] = {}
    rows = (
        through.objects.filter(
            talk__date__gte=min(w[0] for w in windows),
            talk__date__lte=max(w[1] for w in windows),
            person_id__in=all_ids,
        )
        .values_list("talk_id", "talk__date", "person_id")
        .order_by("talk__date", "talk_id")
    )
    for talk_id, date, person_id in rows:
        by_talk.setdefault(talk_id, (date, set()))[1].add(person_id)
    matrices = []
    for meeting, (members, main_ids), (start, end) in zip(meetings, teams, windows, strict=True):
        member_ids = [p.pk for p in members]
        pairs: dict[tuple[int, int], list[TalkRef]] = {
            (min(a, b), max(a, b)): [] for a, b in itertools.combinations(member_ids, 2)
        }
        for talk_id, (date, people) in by_talk.items():
            if not start <= date <= end:
                continue
            for a, b in itertools.combinations(sorted(people & set(member_ids)), 2):
                pairs[(a, b)].append(TalkRef(talk_id, date))
        matrices.append(
            SibitanMatrix(
                meeting=meeting,
                members=members,
                main_leader_ids=frozenset(main_ids),
                pairs=pairs,
                start=start,
                end=end,
            )
        )
    return matrices


def democratic_life_meetings_visible(user: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(user)
        .filter(kind=MeetingKind.DEMOCRATIC_LIFE)
        .select_related("organization")
        .order_by("-date")
    )


# --- Absences -----------------------------------------------------------------------------------------------------


def _absences_with_details(qs: QuerySet[Absence]) -> QuerySet[Absence]:
    return qs.select_related("person", "leave_approved_by").prefetch_related(
        Prefetch("handovers", queryset=Handover.objects.select_related("covering").order_by("pk")),
        Prefetch("notified", queryset=Person.objects.only("id", "name").order_by("name")),
    )


def absences_for_list(user: Any) -> QuerySet[Absence]:
    return _absences_with_details(Absence.objects.visible_to(user)).order_by("-start", "-pk")


def absences_covered_by(person: Person, *, today: dt.date | None = None) -> QuerySet[Absence]:
    """Absences, now or to come, in which `person` covers someone's duties (001 三（七）: 其他班子成员要主动配合)."""
    today = today or timezone.localdate()
    covering = Handover.objects.filter(covering=person).values("absence_id")
    return _absences_with_details(Absence.objects.filter(pk__in=covering, end__gte=today)).order_by(
        "start", "pk"
    )


def duties_by_absence(absences: list[Absence], person: Person) -> dict[int, list[str]]:
    """For a covering leader: which duties they hold for each absence (from the prefetched handovers)."""
    duties: dict[int, list[str]] = defaultdict(list)
    for absence in absences:
        for handover in absence.handovers.all():
            if handover.covering_id == person.pk:
                duties[absence.pk].append(handover.duties)
    return dict(duties)
