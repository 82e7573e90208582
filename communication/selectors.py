"""Reads for communication/: each selector decides its own joins and prefetches, so every page that uses it runs a
constant number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When, Window
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

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
from communication.permissions import filter_agenda_items_visible
from governance.engine.obligations import BEFORE_EVENT
from governance.engine.status import NOT_STARTED, STYLES, URGENCY, Status, StatusStyle
from governance.families import DigestLine, DigestSection
from governance.links import pk_link_maker
from governance.models import ObligationExcuse, ObligationRule, Organization, Person, Position
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


def team_rosters() -> dict[int, list[tuple[int, str, str | None, str]]]:
    """Every leadership team over time, for the meeting form's "按班子成员填入" (issue 8): organization id → its
    positions as (person id, start, end or None, kind), ISO dates, main leaders first (one query)."""
    rows = Position.objects.values_list(
        "team__organization_id", "person_id", "start", "end", "kind", "order", "person__name", "pk"
    ).order_by()
    ordered = sorted(rows, key=lambda r: (r[0], r[4] not in MAIN_LEADER_KINDS, r[5], r[6], r[7]))
    rosters: dict[int, list[tuple[int, str, str | None, str]]] = defaultdict(list)
    for organization_id, person_id, start, end, kind, *_rest in ordered:
        rosters[organization_id].append(
            (person_id, start.isoformat(), end.isoformat() if end else None, kind)
        )
    return dict(rosters)


def organizations_of(person: Person, on: dt.date) -> list[int]:
    """Ids of the organizations whose team `person` sits on, on `on`."""
    return list(
        Position.objects.active_on(on)
        .filter(person=person)
        .values_list("team__organization_id", flat=True)
        .distinct()
        .order_by()
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


def teammate_ids(person: Person, on: dt.date) -> set[int]:
    """Who sat on a leadership team with `person` on `on`, `person` among them if they sat on one (one query): the
    people a leader may name in a record of that day (issue 7, hole 1)."""
    org_ids = Position.objects.active_on(on).filter(person=person).values("team__organization_id")
    return set(
        Position.objects.active_on(on)
        .filter(team__organization_id__in=org_ids)
        .values_list("person_id", flat=True)
    )


def teammates_between(person: Person, start: dt.date, end: dt.date) -> QuerySet[Person]:
    """Whom a leader's form offers for a record dated in [start, end]: everyone who sat, on one of those days, on a
    team `person` sat on in that span; the service then checks the record's own date (`teammate_ids`)."""
    org_ids = Position.objects.overlapping(start, end).filter(person=person).values("team__organization_id")
    return (
        Person.objects.filter(
            Q(positions__start__lte=end),
            Q(positions__end__isnull=True) | Q(positions__end__gte=start),
            positions__team__organization_id__in=org_ids,
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


def agenda_items_not_ready(*, organization: Organization | None = None, user: Any = None) -> list[Readiness]:
    """Items still to go to a meeting that may not go yet, each with why (who is still to be heard, who disagrees):
    all of them for the office (no `user`), those a user is part of otherwise (communication.permissions). Two
    queries, whatever the number of items."""
    qs = AgendaItem.objects.filter(status__in=NOT_READY_STATUSES)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if user is not None:
        qs = filter_agenda_items_visible(qs, user)
    return [r for r in map(readiness, _items_with_opinions(qs.order_by("created_at", "pk"))) if not r.ready]


def agenda_items_queryset(user: Any = None) -> QuerySet[AgendaItem]:
    """Agenda items newest first — all for the office (no `user`), else those the user proposed or was asked about;
    wrap each row in `readiness()` for its badge. A page of it runs two queries (items, then their opinions with
    people). Narrowed by communication.filters.AgendaItemFilter."""
    qs = AgendaItem.objects.order_by("-created_at", "-pk")
    if user is not None:
        qs = filter_agenda_items_visible(qs, user)
    return _items_with_opinions(qs)


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


# 000 四（一）、001 三（三）: 意见不一致的议题暂缓上会，待进一步交换意见、取得共识后再提交会议讨论 — the leader whose
# disagreement holds an item back may revise it (可修改意见) after that exchange of views.
_REVISABLE = Q(
    stance=OpinionStance.DISAGREE, resolved_at__isnull=True, item__status=AgendaItemStatus.HELD_BACK
)


def opinions_revisable(person: Person) -> QuerySet[Opinion]:
    """Held-back items (暂缓上会) on which `person`'s opinion is a standing disagreement: theirs to revise. The other
    opinions are prefetched, so the page says who else disagrees; three queries whatever the number of rows."""
    return (
        Opinion.objects.filter(_REVISABLE, person=person)
        .select_related("item__organization", "item__proposer")
        .prefetch_related(
            Prefetch(
                "item__opinions",
                queryset=Opinion.objects.select_related("person").order_by("-required", "pk"),
            )
        )
        .order_by("item__created_at", "pk")
    )


@dataclass(frozen=True)
class OpinionVersion:
    """One opinion as it was recorded before being revised (from the opinion's audit history)."""

    stance: str
    stance_label: str
    comment: str
    recorded_at: dt.datetime | None
    by_office: bool
    resolution_note: str
    resolved_at: dt.datetime | None


# The change reasons communication.services.agenda gives an opinion's history rows when a leader (or the office for
# them) records or revises it: each such row starts a new version.
OPINION_RECORDED = "登记意见"
OPINION_REVISED = "修改意见"


def opinion_versions(item: AgendaItem) -> dict[int, list[OpinionVersion]]:
    """For each opinion on `item` (its `opinions` prefetched with their person), the opinions it superseded, newest
    first: one query over the audit history.

    A version is what was recorded at one time; later saves of it — the office marking it settled, the consultation
    reopened — fold into it."""
    opinions = {o.pk: o for o in item.opinions.all()}
    rows = (
        Opinion.history.filter(item_id=item.pk)
        .exclude(stance=OpinionStance.PENDING)
        .order_by("id", "history_date", "history_id")
        .values_list(
            "id",
            "stance",
            "comment",
            "recorded_at",
            "recorded_by_id",
            "resolution_note",
            "resolved_at",
            "history_change_reason",
        )
    )
    recorded: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        seen = recorded[row[0]]
        new = row[7] in (OPINION_RECORDED, OPINION_REVISED) or not seen or seen[-1][1:4] != row[1:4]
        if new:
            seen.append(row)
        else:
            seen[-1] = row
    labels = dict(OpinionStance.choices)
    versions: dict[int, list[OpinionVersion]] = {}
    for opinion_id, rows_of_one in recorded.items():
        current = opinions.get(opinion_id)
        if current is None or len(rows_of_one) < 2:
            continue
        user_id = current.person.user_id
        versions[opinion_id] = [
            OpinionVersion(
                stance=stance,
                stance_label=str(labels.get(stance, stance)),
                comment=comment,
                recorded_at=recorded_at,
                by_office=recorded_by_id is not None and recorded_by_id != user_id,
                resolution_note=resolution_note,
                resolved_at=resolved_at,
            )
            for _id, stance, comment, recorded_at, recorded_by_id, resolution_note, resolved_at, _why in reversed(
                rows_of_one[:-1]
            )
        ]
    return versions


def schedulable_meetings(item: AgendaItem, *, today: dt.date | None = None) -> QuerySet[Meeting]:
    """Upcoming meetings of the kind and organization the item is meant for."""
    today = today or timezone.localdate()
    return Meeting.objects.filter(
        organization_id=item.organization_id, kind=item.meeting_kind, date__gte=today
    ).order_by("date", "start_time")


def consultee_choices(item: AgendaItem, *, on: dt.date | None = None) -> QuerySet[Person]:
    """Whom the office may add as a consultee (补充征求): the organization's leadership team on `on` (default today),
    main leaders first, less the proposer and those already asked (000 四（一）: 班子成员之间个别酝酿、充分沟通;
    001 三（三）: 与分管相关业务的班子成员充分沟通). Two queries, and one to list them."""
    on = on or timezone.localdate()
    asked = set(Opinion.objects.filter(item_id=item.pk).values_list("person_id", flat=True))
    asked.add(item.proposer_id)
    ids = [p.pk for p in team_members(item.organization_id, on) if p.pk not in asked]
    if not ids:
        return Person.objects.none()
    return Person.objects.filter(pk__in=ids).order_by(
        Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)))
    )


# --- Talks --------------------------------------------------------------------------------------------------------


def talks_for_list(user: Any) -> QuerySet[Talk]:
    """Talks the user may see, newest first, participants prefetched; the notes are never loaded for a list.
    Narrowed by communication.filters.TalkFilter."""
    qs = Talk.objects.visible_to(user).defer("notes")
    return qs.prefetch_related(Prefetch("participants", queryset=Person.objects.only("id", "name"))).order_by(
        "-date", "-pk"
    )


# --- Meetings -----------------------------------------------------------------------------------------------------


def meetings_for_list(user: Any) -> QuerySet[Meeting]:
    """Meetings the user may see, newest first, without their minutes. Narrowed by communication.filters.MeetingFilter."""
    qs = Meeting.objects.visible_to(user).select_related("organization", "chair")
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
    # Where the pair stands, in the words and colours of every other page (governance.engine.status).
    status: str = Status.MET
    excuse_reason: str = ""
    planned: list[TalkRef] = field(default_factory=list)  # recorded for a day still to come: not counted yet

    @property
    def is_self(self) -> bool:
        return self.row.pk == self.column.pk

    @property
    def done(self) -> bool:
        return bool(self.talks)

    @property
    def first_date(self) -> dt.date | None:
        return min((t.date for t in self.talks), default=None)

    @property
    def style(self) -> StatusStyle:
        return STYLES[self.status]


@dataclass
class SibitanPending:
    """Someone a member still has to talk with before the meeting, and how that pair stands."""

    person: Person
    status: str
    excuse_reason: str = ""

    @property
    def style(self) -> StatusStyle:
        return STYLES[self.status]


@dataclass
class SibitanPersonLine:
    """One member's part of the matrix, for the list a phone shows instead of the grid."""

    person: Person
    done: int
    required: int
    pending: list[SibitanPending]


# The democratic life meeting's 四必谈 rule (000 四（二）) in a policy pack: a "before the event" rule on meetings.
SIBITAN_EVENT_SOURCE = "communication.meeting"
SIBITAN_REMIND_DAYS = 14  # the pack's 提前提醒天数, when the organization adopted no such rule


@dataclass
class SibitanMatrix:
    meeting: Meeting
    members: list[Person]
    main_leader_ids: frozenset[int]
    pairs: dict[tuple[int, int], list[TalkRef]]
    start: dt.date
    end: dt.date
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def required(self) -> int:
        return len(self.pairs)

    @property
    def done(self) -> int:
        return sum(1 for talks in self.pairs.values() if any(t.date <= self.today for t in talks))

    @property
    def missing_pairs(self) -> list[tuple[Person, Person]]:
        by_id = {p.pk: p for p in self.members}
        order = {p.pk: i for i, p in enumerate(self.members)}
        missing = [key for key, talks in self.pairs.items() if not any(t.date <= self.today for t in talks)]
        missing.sort(key=lambda k: (min(order[k[0]], order[k[1]]), max(order[k[0]], order[k[1]])))
        return [(by_id[a], by_id[b]) if order[a] < order[b] else (by_id[b], by_id[a]) for a, b in missing]

    @property
    def pending_pairs(self) -> list[tuple[Person, Person, SibitanPending]]:
        """`missing_pairs`, each with how it stands (in progress, due soon, overdue, excused …)."""
        found = []
        for a, b in self.missing_pairs:
            status, reason = self.pair_status(a, b)
            found.append((a, b, SibitanPending(b, status, reason)))
        return found

    def talks_between(self, a: Person | int, b: Person | int) -> list[TalkRef]:
        """The pair's talks in the preparation that have taken place (dated today or before): a talk recorded for a
        later day is planned, not done (issue 6 §2: a record dated in the future does not count yet)."""
        return [t for t in self._all_between(a, b) if t.date <= self.today]

    def planned_between(self, a: Person | int, b: Person | int) -> list[TalkRef]:
        """The pair's talks recorded for a day still to come: shown as 已安排, not counted."""
        return [t for t in self._all_between(a, b) if t.date > self.today]

    def _all_between(self, a: Person | int, b: Person | int) -> list[TalkRef]:
        a_id = a if isinstance(a, int) else a.pk
        b_id = b if isinstance(b, int) else b.pk
        return self.pairs.get((min(a_id, b_id), max(a_id, b_id)), [])

    @cached_property
    def _rule(self) -> tuple[int, dict[tuple[int, int] | None, str]]:
        """The 四必谈 rule's reminder days and the office's excuses for this meeting's pairs (None: the whole team),
        as the dashboards see them: two queries, asked only by the pages that show each pair's state."""
        org = self.meeting.organization
        # The organization's own rule, else its parent's adopted for its secondary units (参照执行).
        owners = [org.pk] if org.parent_id is None else [org.pk, org.parent_id]
        rules = {
            r.organization_id: r
            for r in ObligationRule.objects.filter(
                is_active=True,
                period=BEFORE_EVENT,
                event_source=SIBITAN_EVENT_SOURCE,
                organization_id__in=owners,
            )
            if r.event_params.get("kind", MeetingKind.DEMOCRATIC_LIFE) == self.meeting.kind
            and (r.organization_id == org.pk or r.include_sub_units)
        }
        rule = next((rules[o] for o in owners if o in rules), None)
        if rule is None:
            return SIBITAN_REMIND_DAYS, {}
        excuses: dict[tuple[int, int] | None, str] = {}
        for person_id, counterpart_id, reason in (
            ObligationExcuse.objects.filter(rule=rule, period_start=self.start)
            .filter(Q(team__organization_id=org.pk) | Q(team__isnull=True))
            .values_list("person_id", "counterpart_id", "reason")
        ):
            key: tuple[int, int] | None = None
            if person_id is not None and counterpart_id is not None:
                key = (min(person_id, counterpart_id), max(person_id, counterpart_id))
            excuses[key] = reason
        return rule.remind_days_before, excuses

    def pair_status(self, a: Person | int, b: Person | int) -> tuple[str, str]:
        """How the pair stands on `today` and, when excused, why: done once they have talked in the preparation;
        not started before it begins; overdue once the meeting has passed without; due soon within the rule's
        reminder days of the meeting; else in progress. A pair not yet due is never shown as late."""
        a_id = a if isinstance(a, int) else a.pk
        b_id = b if isinstance(b, int) else b.pk
        if self.talks_between(a_id, b_id):
            return Status.MET, ""
        remind_days, excuses = self._rule
        reason = excuses.get((min(a_id, b_id), max(a_id, b_id))) or excuses.get(None)
        if reason:
            return Status.EXCUSED, reason
        if self.today < self.start:
            return NOT_STARTED, ""
        if self.today > self.end:
            return Status.OVERDUE, ""
        if (self.end - self.today).days <= remind_days:
            return Status.DUE_SOON, ""
        return Status.ON_TRACK, ""

    def rows(self) -> list[tuple[Person, list[SibitanCell]]]:
        """The grid: members × members; the diagonal is the member themselves."""
        states = {pair: self.pair_status(*pair) for pair in self.pairs}
        rows = []
        for row in self.members:
            cells = []
            for col in self.members:
                if row.pk == col.pk:
                    cells.append(SibitanCell(row, col))
                    continue
                status, reason = states[(min(row.pk, col.pk), max(row.pk, col.pk))]
                cells.append(
                    SibitanCell(
                        row, col, self.talks_between(row, col), status, reason, self.planned_between(row, col)
                    )
                )
            rows.append((row, cells))
        return rows

    def by_person(self) -> list[SibitanPersonLine]:
        """Each member, how many of their pairs have talked, and whom they still have to talk with (most urgent
        first): the matrix as a list, for a phone."""
        lines = []
        for person in self.members:
            pending = []
            others = [m for m in self.members if m.pk != person.pk]
            for other in others:
                status, reason = self.pair_status(person, other)
                if status != Status.MET:
                    pending.append(SibitanPending(other, status, reason))
            pending.sort(key=lambda p: URGENCY[p.status])
            lines.append(SibitanPersonLine(person, len(others) - len(pending), len(others), pending))
        return lines


def sibitan_matrix(meeting: Meeting) -> SibitanMatrix:
    """000 四（二）“四必谈” before a democratic life meeting: 党委主要负责同志与班子成员及党委委员必谈，班子成员及党委
    委员相互之间必谈 — every unordered pair of the team on the meeting date must have talked between the start of
    the preparation and the meeting. Two queries whatever the team's size or the number of talks."""
    return sibitan_matrices([meeting])[0]


def sibitan_matrices(meetings: list[Meeting], *, of_person: Person | None = None) -> list[SibitanMatrix]:
    """The 四必谈 matrix of each meeting, in the same order: two queries whatever the number of meetings, members
    or talks (positions of every team concerned, then the talk participants in the union of the windows).

    With `of_person`, only that member's pairs are filled (the talks they took part in): what a leader's own panel
    shows, read from their talks alone rather than every member's; the other pairs are left empty, so such a matrix
    answers `talks_between(of_person, …)` only."""
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
    rows = through.objects.filter(
        talk__date__gte=min(w[0] for w in windows),
        talk__date__lte=max(w[1] for w in windows),
        person_id__in=all_ids,
    )
    if of_person is not None:
        # The person's own talks (their few hundred over the years, from the (person, talk) index), not every
        # member's whole history.
        rows = rows.filter(talk_id__in=through.objects.filter(person_id=of_person.pk).values("talk_id"))
    for talk_id, date, person_id in rows.values_list("talk_id", "talk__date", "person_id").order_by(
        "talk__date", "talk_id"
    ):
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


# --- Home panels, calendar items and digest sections (registered in communication/family.py) --------------------
# The leader's home: upcoming meetings, agenda items waiting for their opinion, their 四必谈 pairs before the next
# democratic life meeting, absences they cover. The office's 今日关注: agenda items that may not go to their meeting
# yet, and the coming week's meetings. Reads only; a bounded number of queries whatever the data size.

UPCOMING_DAYS = 30
MAX_ITEMS = 8


@dataclass
class SibitanSummary:
    meeting: Meeting
    done: int
    required: int
    missing: list[Person] = field(default_factory=list)


@dataclass
class CommunicationPanel:
    meetings: list[Meeting]
    opinions: Sequence[Opinion]  # annotated with the window count `total`
    opinions_total: int
    covering: list
    # Held-back items (暂缓上会) on which the leader's disagreement stands: 可修改意见 (000 四（一）、001 三（三）).
    revisable: Sequence[Opinion] = ()
    revisable_total: int = 0


def leader_panel(person: Person, *, today: dt.date) -> CommunicationPanel:
    # The person's meetings as chair, attendee or observer: two uncorrelated subqueries on the (person) indexes,
    # not a DISTINCT over joins of every meeting of the coming days.
    attending = Meeting.attendees.through.objects.filter(person_id=person.pk).values("meeting_id")
    observing = Meeting.observers.through.objects.filter(person_id=person.pk).values("meeting_id")
    # Only what the panel shows of each (its link, title, day, time and place): not the minutes and agenda texts.
    meetings = list(
        Meeting.objects.filter(date__gte=today, date__lte=today + dt.timedelta(days=UPCOMING_DAYS))
        .filter(Q(chair=person) | Q(pk__in=attending) | Q(pk__in=observing))
        .only("pk", "title", "date", "start_time", "place")
        .order_by("date", "start_time")[:MAX_ITEMS]
    )
    # Disagreements the leader may revise (few: they hold an item back), then opinions awaited, in one query; each
    # kind's total comes with its first row (a window count per stance), so the panel runs the same queries for one row as for a hundred.
    attention = list(
        Opinion.objects.filter(
            (
                Q(stance=OpinionStance.PENDING)
                & ~Q(item__status__in=[AgendaItemStatus.DRAFT, AgendaItemStatus.DECIDED])
            )
            | _REVISABLE,
            person=person,
        )
        .select_related("item__organization", "item__proposer")
        .annotate(total=Window(Count("pk"), partition_by=[F("stance")]))
        .order_by(
            Case(When(stance=OpinionStance.PENDING, then=Value(1)), default=Value(0)),
            "item__created_at",
            "pk",
        )[:MAX_ITEMS]
    )
    opinions = [o for o in attention if o.stance == OpinionStance.PENDING]
    revisable = [o for o in attention if o.stance != OpinionStance.PENDING]
    covering = list(absences_covered_by(person, today=today)[:MAX_ITEMS])
    return CommunicationPanel(
        meetings=meetings,
        opinions=opinions,
        opinions_total=opinions[0].total if opinions else 0,
        covering=covering,
        revisable=revisable,
        revisable_total=revisable[0].total if revisable else 0,
    )


def sibitan_panel(person: Person, *, today: dt.date) -> list[SibitanSummary]:
    """The leader's 四必谈 before the democratic life meetings being prepared (000 四（二）): whom they have talked
    with and whom not yet. A panel of its own (communication/family.py): it reads talks, which change far more often
    than the meetings, opinions and absences of the other panel, and is recomputed alone after a talk. Three queries."""
    # The democratic life meetings being prepared by the teams the person sits on today (one query).
    orgs = Position.objects.active_on(today).filter(person=person).values("team__organization_id")
    upcoming_dl = list(
        Meeting.objects.filter(
            kind=MeetingKind.DEMOCRATIC_LIFE,
            organization_id__in=orgs,
            date__gte=today,
            preparation_start__lte=today,
        )
        .select_related("organization")
        .order_by("date")[:2]
    )
    sibitan = []
    for matrix in sibitan_matrices(upcoming_dl, of_person=person):
        if person.pk not in {m.pk for m in matrix.members}:
            continue
        mine = [m for m in matrix.members if m.pk != person.pk]
        missing = [m for m in mine if not matrix.talks_between(person, m)]
        sibitan.append(SibitanSummary(matrix.meeting, len(mine) - len(missing), len(mine), missing))
    return sibitan


OFFICE_UPCOMING_DAYS = 7


@dataclass
class OfficePanel:
    """The communication part of the office's home page: agenda items that may not go to their meeting yet, and the
    meetings of the coming week."""

    not_ready: list[Readiness]
    meetings: Sequence[Meeting]  # annotated with the window count `total`
    meetings_total: int


def office_panel(*, today: dt.date) -> OfficePanel:
    not_ready = agenda_items_not_ready()
    meetings = list(
        Meeting.objects.filter(date__gte=today, date__lte=today + dt.timedelta(days=OFFICE_UPCOMING_DAYS))
        .select_related("organization")
        .annotate(total=Window(Count("pk")))
        .order_by("date", "start_time", "pk")[:MAX_ITEMS]
    )
    return OfficePanel(
        not_ready=not_ready, meetings=meetings, meetings_total=meetings[0].total if meetings else 0
    )


# Reminder digest: agenda items waiting for a person's opinion (000 四（一）、001 三（三）: 会前沟通). The section's key
# lists the opinions, so the same list is not sent again the next day; a new item awaited sends it once more.
DIGEST_OPINIONS_SHOWN = 10


def digest_sections(people: Sequence[Person], today: dt.date) -> dict[int, list[DigestSection]]:
    """Each person's section of the daily reminder email: the agenda items awaiting their opinion. One query."""
    opinions = (
        Opinion.objects.filter(person_id__in=[p.pk for p in people], stance=OpinionStance.PENDING)
        .exclude(item__status__in=[AgendaItemStatus.DRAFT, AgendaItemStatus.DECIDED])
        .select_related("item__organization")
        .only(
            "pk",
            "person_id",
            "reason",
            "item__title",
            "item__meeting_kind",
            "item__organization__name",
        )
        .order_by("person_id", "item__created_at", "pk")
    )
    by_person: dict[int, list[Opinion]] = defaultdict(list)
    for opinion in opinions:
        by_person[opinion.person_id].append(opinion)
    respond = pk_link_maker("communication:opinion_respond")
    title = gettext("待您发表意见的议题（会前沟通）")
    sections: dict[int, list[DigestSection]] = {}
    for person_id, awaited in by_person.items():
        lines = tuple(
            DigestLine(
                text=o.item.title,
                url=respond(o.pk),
                detail=" · ".join(
                    str(part)
                    for part in (o.item.organization.name, o.item.get_meeting_kind_display(), o.reason)
                    if part
                ),
            )
            for o in awaited[:DIGEST_OPINIONS_SHOWN]
        )
        sections[person_id] = [
            DigestSection(
                family="communication",
                title=title,
                lines=lines,
                key="opinions:" + ",".join(str(o.pk) for o in awaited),
            )
        ]
    return sections


# --- What a change touches (Family.watched, communication/family.py) --------------------------------------------
# governance.services.freshness marks cached pages out of date only for the organizations a change touches: the
# organization a record belongs to, and those of every team the people concerned sat on (at any time: a past
# position still shows its overdue periods). Each runs at most two queries, whatever the record.


def _organizations_of_people(people: Q) -> set[int]:
    """Organizations of the teams of every position matching `people` (a Q on Position.person_id), one query."""
    return set(
        Position.objects.filter(people).values_list("team__organization_id", flat=True).distinct().order_by()
    )


def organizations_touched_by_meeting(meeting: Meeting) -> set[int]:
    """The meeting's organization (its team's meetings, the office's lists), and the teams of its chair, attendees
    and observers (their home pages list it): one query."""
    found = _organizations_of_people(
        Q(person_id=meeting.chair_id)
        | Q(person_id__in=Meeting.attendees.through.objects.filter(meeting_id=meeting.pk).values("person_id"))
        | Q(person_id__in=Meeting.observers.through.objects.filter(meeting_id=meeting.pk).values("person_id"))
    )
    found.add(meeting.organization_id)
    return found


def organizations_touched_by_talk(talk: Talk) -> set[int]:
    """The teams its participants sat on (one query), and the organization of the democratic life meeting it
    prepares (its 四必谈, 000 四（二）: one more query when there is one)."""
    found = _organizations_of_people(
        Q(person_id__in=Talk.participants.through.objects.filter(talk_id=talk.pk).values("person_id"))
    )
    if talk.democratic_life_meeting_id:
        found |= set(
            Meeting.objects.filter(pk=talk.democratic_life_meeting_id).values_list(
                "organization_id", flat=True
            )
        )
    return found


def organizations_touched_by_agenda_item(item: AgendaItem) -> set[int]:
    """The item's organization, and the teams of its proposer and of everyone asked for an opinion (000 四（一）,
    001 三（三）): one query."""
    found = _organizations_of_people(
        Q(person_id=item.proposer_id)
        | Q(person_id__in=Opinion.objects.filter(item_id=item.pk).values("person_id"))
    )
    found.add(item.organization_id)
    return found


def organizations_touched_by_opinion(opinion: Opinion) -> set[int]:
    """The teams of the person asked, and the item's organization: two queries."""
    found = _organizations_of_people(Q(person_id=opinion.person_id))
    found |= set(AgendaItem.objects.filter(pk=opinion.item_id).values_list("organization_id", flat=True))
    return found


def organizations_touched_by_absence(absence: Absence) -> set[int]:
    """The teams of the person away, of who approved the leave, of those notified and of those covering
    (001 三（七）): one query."""
    people = (
        Q(person_id=absence.person_id)
        | Q(person_id__in=Handover.objects.filter(absence_id=absence.pk).values("covering_id"))
        | Q(person_id__in=Absence.notified.through.objects.filter(absence_id=absence.pk).values("person_id"))
    )
    if absence.leave_approved_by_id:
        people |= Q(person_id=absence.leave_approved_by_id)
    return _organizations_of_people(people)


def organizations_touched_by_handover(handover: Handover) -> set[int]:
    """The teams of the person covering (their home page lists it) and of the person away: one query."""
    return _organizations_of_people(
        Q(person_id=handover.covering_id)
        | Q(person_id__in=Absence.objects.filter(pk=handover.absence_id).values("person_id"))
    )
