"""Evaluating obligation rules on plain values: which obligations exist in a period, what counted, and the status.

The database part (governance.selectors.obligations) gathers rules, positions, evidence and excuses in a constant
number of queries and hands them here; nothing in this module touches the database, so it is tested directly.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from governance.engine.evidence import Event, EvidenceRecord
from governance.engine.periods import Period, PeriodKind, periods_between
from governance.engine.status import STYLES, URGENCY, Status

# Lazy: shown in the reader's language on pages; commands and emails render them in Chinese (LANGUAGE_CODE). The words,
# badges, icons and colours of every state are in governance.engine.status (one vocabulary for pages and emails).
STATUS_LABELS = {status: STYLES[status].label for status in Status}
# The nearest Bootstrap colour of each status.
STATUS_COLOURS = {status: STYLES[status].bootstrap for status in Status}
SUBJECT_TEAM, SUBJECT_EACH, SUBJECT_POSITION = "team", "each_member", "position"
# Owed by each event's own people (Event.owners), one obligation per event: a unit's head and liaisons for each cycle
# of a long task's progress reports (003 第五条). Only with the period BEFORE_EVENT; evaluated by
# `evaluate_event_owners`, never by a leadership team (`evaluate` leaves such rules out).
SUBJECT_EVENT_OWNERS = "event_owners"
# The team of an event_owners obligation: no leadership team owes it; its organization is the event's (the unit),
# its name the organization's.
OWNERS_TEAM_ID = 0
COUNTERPART_NONE, COUNTERPART_POSITION, COUNTERPART_EACH_OTHER = "none", "position", "each_other_member"
BEFORE_EVENT = "before_event"
# A period that ended unmet stays on the dashboard (as overdue) for this long, then only the office overview's
# history and the --from/--to listing show it.
STALE_AFTER_DAYS = 92
# Ended periods that stay in view after their end (within STALE_AFTER_DAYS): the unmet ones and the excused ones.
KEPT_AFTER_END = frozenset({Status.OVERDUE, Status.EXCUSED})


@dataclass(frozen=True)
class RuleSpec:
    id: int
    code: str
    title: str
    clause_ref: str  # "000 四（四）"
    clause_citation: str  # "《…》四（四）"
    subject: str
    subject_positions: tuple[str, ...]
    counterpart: str
    counterpart_positions: tuple[str, ...]
    evidence_source: str
    evidence_params: Mapping[str, Any]
    measure: str
    target: Decimal
    unit: str
    period: str
    season: str = "always"
    weekday: int | None = None
    anchor: dt.date | None = None
    holiday_shift: str = "none"
    event_source: str = ""
    event_params: Mapping[str, Any] = field(default_factory=dict)
    remind_days_before: int = 7
    team_ids: tuple[int, ...] = ()  # the leadership teams that owe it
    clause_source: str = ""  # 参照: the clause the organization's own regulation was modelled on


@dataclass(frozen=True)
class Tenure:
    """A person's membership of a team over a span (one or more positions merged by the caller or not)."""

    person_id: int
    team_id: int
    kind: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class TeamInfo:
    id: int
    organization_id: int
    name: str


@dataclass
class Obligation:
    rule: RuleSpec
    team: TeamInfo
    period: Period
    window_start: dt.date
    window_end: dt.date
    due: dt.date
    subject_person_id: int | None
    counterpart_person_id: int | None
    responsible_ids: tuple[int, ...]
    required: Decimal
    done: Decimal = Decimal(0)
    evidence: list[EvidenceRecord] = field(default_factory=list)
    # Records dated after today (a meeting the office entered ahead of time): planned, not done; they count once
    # their date has come.
    planned: list[EvidenceRecord] = field(default_factory=list)
    status: Status = Status.ON_TRACK
    excuse_reason: str = ""
    expected_date: dt.date | None = None
    # The event of an event_owners obligation (one cycle of one task): its key tells two tasks' cycles on the same
    # dates apart, its match which records count and which series it belongs to.
    event: Event | None = None

    @property
    def event_key(self) -> str:
        return self.event.key if self.event is not None else ""

    @property
    def series(self) -> str:
        """The event series (an event_owners obligation's Event.match, e.g. one task's cycles); "" otherwise."""
        if self.event is None:
            return ""
        return json.dumps(self.event.match, sort_keys=True, default=str)

    @property
    def people(self) -> tuple[int, ...]:
        """Everyone who sees this obligation on their dashboard."""
        ids = [i for i in (self.subject_person_id, self.counterpart_person_id) if i is not None]
        return tuple(dict.fromkeys([*ids, *self.responsible_ids]))

    @property
    def key(self) -> str:
        key = f"{self.rule.code}:{self.team.id}:{self.period.start}:{self.subject_person_id}:{self.counterpart_person_id}"
        return f"{key}:{self.event_key}" if self.event is not None else key

    @property
    def days_left(self) -> int:
        return self.period.days_left(self.due)


ExcuseKey = tuple[
    str, dt.date, int | None, int | None, int | None, str
]  # rule code, period start, team, person, counterpart, event key ("" but for event_owners rules)


def excuse_key(
    rule_code: str,
    period_start: dt.date,
    team_id: int | None,
    person_id: int | None,
    counterpart_id: int | None,
    event_key: str = "",
) -> ExcuseKey:
    if person_id is not None and counterpart_id is not None and counterpart_id < person_id:
        person_id, counterpart_id = counterpart_id, person_id
    return (rule_code, period_start, team_id, person_id, counterpart_id, event_key)


def _overlap(
    a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date
) -> tuple[dt.date, dt.date] | None:
    start = max(a_start, b_start)
    end = b_end if a_end is None else min(a_end, b_end)
    return (start, end) if start <= end else None


def _held_on(tenure: Tenure, day: dt.date) -> bool:
    return tenure.start <= day and (tenure.end is None or day <= tenure.end)


def _window(tenures: Sequence[Tenure], start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The part of [start, end] during which any of the tenures held (first day to last day)."""
    spans = [s for t in tenures if (s := _overlap(t.start, t.end, start, end))]
    if not spans:
        return None
    return (min(s[0] for s in spans), max(s[1] for s in spans))


def expected_date(
    rule: RuleSpec, period: Period, is_workday: Callable[[dt.date], bool] | None
) -> dt.date | None:
    """For rules with an agreed weekday: the last such weekday in the period (e.g. the cycle's second Friday),
    moved off a holiday as the rule says (000 四（四）: usually Friday; 001 一（二）: alternate Mondays)."""
    if rule.weekday is None:
        return None
    day = period.end - dt.timedelta(days=(period.end.weekday() - rule.weekday) % 7)
    if day < period.start or is_workday is None or is_workday(day):
        return day
    step = -1 if rule.holiday_shift == "previous" else 1 if rule.holiday_shift == "next" else 0
    if step == 0:
        return day
    moved = day
    for _i in range(30):
        moved += dt.timedelta(days=step)
        if is_workday(moved):
            return moved
    return day


def rule_periods(
    rule: RuleSpec,
    start: dt.date,
    end: dt.date,
    *,
    calendar: Any,
    events: Sequence[Event] = (),
) -> list[Period]:
    """Periods of `rule` overlapping [start, end]. `calendar` is a governance.selectors.calendar.AcademicCalendar."""
    if rule.period == BEFORE_EVENT:
        return [
            Period(e.preparation_start, e.date, BEFORE_EVENT, e.title)
            for e in events
            if e.preparation_start <= end and start <= e.date
        ]
    found = periods_between(
        rule.period,
        start,
        end,
        anchor=rule.anchor or calendar.anchor,
        semesters=calendar.semesters,
        academic_years=calendar.academic_years,
    )
    if rule.season == "semester" and rule.period not in (PeriodKind.SEMESTER, PeriodKind.ACADEMIC_YEAR):
        # Term-time rules: a cycle counts when its agreed day (or, without one, any of its days) is in a semester,
        # so a cycle straddling the first or last week of term is owed only if its meeting day falls in term.
        def in_term(p: Period) -> bool:
            if rule.weekday is not None:
                day = expected_date(rule, p, None)
                return day is not None and any(s.start <= day <= s.end for s in calendar.semesters)
            return any(p.overlaps(s.start, s.end) for s in calendar.semesters)

        found = [p for p in found if in_term(p)]
    return found


def status_on(ob: Obligation, today: dt.date) -> Status:
    """An obligation's status on `today`, from its figures (what counted, what is required, its window and due day):
    the same obligation read on another day may be due soon, then overdue."""
    if ob.excuse_reason:
        return Status.EXCUSED
    if ob.done >= ob.required:
        return Status.MET
    if today > max(ob.window_end, ob.due):
        return Status.OVERDUE
    if (ob.due - today).days <= ob.rule.remind_days_before:
        return Status.DUE_SOON
    return Status.ON_TRACK


def evaluate(
    rules: Sequence[RuleSpec],
    *,
    teams: Mapping[int, TeamInfo],
    tenures: Sequence[Tenure],
    evidence: Mapping[str, Sequence[EvidenceRecord]],
    events: Mapping[str, Sequence[Event]],
    excuses: Mapping[ExcuseKey, str],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    calendar: Any,
    is_workday: Callable[[dt.date], bool] | None = None,
    people: Collection[int] | None = None,
) -> list[Obligation]:
    """Every obligation of `rules` for their teams whose period overlaps [start, end], with status as of `today`.
    With `people`, the personal and pair obligations of others are left out (a dashboard needs its reader's only);
    team obligations are all kept."""
    by_team: dict[int, list[Tenure]] = defaultdict(list)
    for t in tenures:
        by_team[t.team_id].append(t)
    results: list[Obligation] = []
    # Rules adopted by many teams share their evidence filter: index each (source, parameters) once.
    indexes: dict[tuple[str, str], RecordIndex] = {}
    for rule in rules:
        if rule.subject == SUBJECT_EVENT_OWNERS:
            continue  # owed by each event's people, not by a team: evaluate_event_owners
        index_key = (rule.evidence_source, json.dumps(rule.evidence_params, sort_keys=True, default=str))
        records = indexes.get(index_key)
        if records is None:
            records = indexes[index_key] = RecordIndex(
                _matching(evidence.get(rule.evidence_source, ()), rule.evidence_params)
            )
        rule_events = events.get(rule.event_source, ()) if rule.period == BEFORE_EVENT else ()
        periods = rule_periods(rule, start, end, calendar=calendar, events=rule_events)
        # Before an event, each period is that event's and is owed by its organization's team alone: matched by the
        # event itself, not by its dates (several colleges' democratic life meetings often fall on the same days).
        owners = (
            [e.organization_id for e in rule_events if e.preparation_start <= end and start <= e.date]
            if rule.period == BEFORE_EVENT
            else [None] * len(periods)
        )
        for team_id in rule.team_ids:
            team = teams.get(team_id)
            if team is None:
                continue
            members = by_team.get(team_id, [])
            for period, owner in zip(periods, owners, strict=True):
                if rule.period == BEFORE_EVENT and owner != team.organization_id:
                    continue
                results.extend(
                    _obligations_in_period(
                        rule, team, members, period, records, excuses, today, is_workday, people
                    )
                )
    results.sort(
        key=lambda o: (o.period.end, o.rule.code, o.subject_person_id or 0, o.counterpart_person_id or 0)
    )
    return results


def evaluate_event_owners(
    rules: Sequence[RuleSpec],
    *,
    events: Mapping[str, Sequence[Event]],
    evidence: Mapping[str, Sequence[EvidenceRecord]],
    excuses: Mapping[ExcuseKey, str],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    organizations: Mapping[int, str] | None = None,
    people: Collection[int] | None = None,
) -> list[Obligation]:
    """The obligations of event_owners rules (003 第五条: each cycle of a long task's progress reports) whose event
    overlaps [start, end], with status as of `today`: one per rule and event, owed by the event's owners
    (`responsible_ids`, no subject or counterpart), counting the records that match the rule's parameters AND the
    event's `match`, dated within the event's period. `organizations` names the events' organizations (the
    obligation's team is TeamInfo(OWNERS_TEAM_ID, organization, name)). With `people`, only their events."""
    names = organizations or {}
    results: list[Obligation] = []
    for rule in rules:
        if rule.subject != SUBJECT_EVENT_OWNERS or rule.period != BEFORE_EVENT:
            continue
        index = _MatchIndex(_matching(evidence.get(rule.evidence_source, ()), rule.evidence_params))
        for event in events.get(rule.event_source, ()):
            if not (event.preparation_start <= end and start <= event.date):
                continue
            if people is not None and not (event.owners & set(people)):
                continue
            org = event.organization_id or 0
            period = Period(event.preparation_start, event.date, BEFORE_EVENT, event.title)
            records = index.of(event.match, period.start, period.end)
            split = bisect_right(records, today, key=attrgetter("date"))
            counted, planned = records[:split], records[split:]
            total = (
                sum((r.amount for r in counted), Decimal(0))
                if rule.measure == "sum"
                else Decimal(len(counted))
            )
            ob = Obligation(
                rule=rule,
                team=TeamInfo(OWNERS_TEAM_ID, org, names.get(org, "")),
                period=period,
                window_start=period.start,
                window_end=period.end,
                due=period.end,
                subject_person_id=None,
                counterpart_person_id=None,
                responsible_ids=tuple(sorted(event.owners)),
                required=rule.target,
                done=total,
                evidence=counted,
                planned=planned,
                excuse_reason=excuses.get(
                    excuse_key(rule.code, period.start, None, None, None, event.key), ""
                ),
                event=event,
            )
            ob.status = status_on(ob, today)
            results.append(ob)
    results.sort(key=lambda o: (o.period.end, o.rule.code, o.event_key))
    return results


class _MatchIndex:
    """Records by the values of the attributes events match on ({"task": 17}), each list sorted by date: an event's
    records are found by bisection, not by a scan of every record for every event."""

    def __init__(self, records: Sequence[EvidenceRecord]) -> None:
        self._records = sorted(records, key=attrgetter("date"))
        self._by: dict[tuple[str, ...], dict[str, tuple[list[dt.date], list[EvidenceRecord]]]] = {}

    def of(self, match: Mapping[str, Any], start: dt.date, end: dt.date) -> list[EvidenceRecord]:
        names = tuple(sorted(match))
        grouped = self._by.get(names)
        if grouped is None:
            lists: dict[str, list[EvidenceRecord]] = defaultdict(list)
            for record in self._records:
                lists[_match_value(record.attrs, names)].append(record)
            grouped = self._by[names] = {k: ([r.date for r in v], v) for k, v in lists.items()}
        found = grouped.get(_match_value(match, names))
        if found is None:
            return []
        dates, records = found
        return records[bisect_left(dates, start) : bisect_right(dates, end)]


def _match_value(attrs: Mapping[str, Any], names: tuple[str, ...]) -> str:
    return json.dumps([attrs.get(name) for name in names], default=str)


def _matching(records: Iterable[EvidenceRecord], params: Mapping[str, Any]) -> list[EvidenceRecord]:
    """The records whose attributes match a rule's parameters. A source may give records with the same facts one
    shared `attrs` mapping (a year of talks has a handful of distinct ones): each distinct mapping is tested once."""
    if not params:
        return list(records)
    verdicts: dict[int, bool] = {}
    kept = []
    for record in records:
        verdict = verdicts.get(id(record.attrs))
        if verdict is None:
            verdict = verdicts[id(record.attrs)] = record.matches(params)
        if verdict:
            kept.append(record)
    return kept


class RecordIndex:
    """A rule's matching records, by person and by organization, each sorted by date, so a period's records are
    found by bisection instead of a scan of every record for every person, pair and period."""

    def __init__(self, records: Iterable[EvidenceRecord]) -> None:
        by_person: dict[int, list[EvidenceRecord]] = defaultdict(list)
        by_org: dict[int, list[EvidenceRecord]] = defaultdict(list)
        for record in sorted(records, key=attrgetter("date")):  # stable: sources list them by date, then id
            for pid in record.people:
                by_person[pid].append(record)
            if record.organization_id is not None:
                by_org[record.organization_id].append(record)
        self._person = {k: ([r.date for r in v], v) for k, v in by_person.items()}
        self._org = {k: ([r.date for r in v], v) for k, v in by_org.items()}

    @staticmethod
    def _slice(entry: tuple[list[dt.date], list[EvidenceRecord]] | None, start: dt.date, end: dt.date):
        if entry is None:
            return []
        dates, records = entry
        return records[bisect_left(dates, start) : bisect_right(dates, end)]

    def of_organization(self, organization_id: int, start: dt.date, end: dt.date) -> list[EvidenceRecord]:
        return self._slice(self._org.get(organization_id), start, end)

    def of_person(self, person_id: int, start: dt.date, end: dt.date) -> list[EvidenceRecord]:
        return self._slice(self._person.get(person_id), start, end)

    def of_pair(self, a: int, b: int, start: dt.date, end: dt.date) -> list[EvidenceRecord]:
        """Records both took part in: the shorter of the two people's lists, filtered by the other."""
        mine, theirs = self._person.get(a), self._person.get(b)
        if mine is None or theirs is None:
            return []
        if len(theirs[1]) < len(mine[1]):
            a, b, mine = b, a, theirs
        return [r for r in self._slice(mine, start, end) if b in r.people]


def _tenures_by_person(members: Iterable[Tenure], kinds: Sequence[str] | None) -> dict[int, list[Tenure]]:
    grouped: dict[int, list[Tenure]] = defaultdict(list)
    for t in members:
        if kinds is None or t.kind in kinds:
            grouped[t.person_id].append(t)
    return grouped


def _obligations_in_period(
    rule: RuleSpec,
    team: TeamInfo,
    members: Sequence[Tenure],
    period: Period,
    records: RecordIndex,
    excuses: Mapping[ExcuseKey, str],
    today: dt.date,
    is_workday: Callable[[dt.date], bool] | None,
    people: Collection[int] | None = None,
) -> list[Obligation]:
    expected = expected_date(rule, period, is_workday)
    due = expected or period.end
    out: list[Obligation] = []

    def make(
        window: tuple[dt.date, dt.date],
        subject: int | None,
        counterpart: int | None,
        responsible: tuple[int, ...],
        records_in_window: list[EvidenceRecord],
    ) -> None:
        # RecordIndex keeps them in date order: those dated up to today are done, the rest planned.
        split = bisect_right(records_in_window, today, key=attrgetter("date"))
        counted, planned = records_in_window[:split], records_in_window[split:]
        total = (
            sum((r.amount for r in counted), Decimal(0)) if rule.measure == "sum" else Decimal(len(counted))
        )
        ob = Obligation(
            rule=rule,
            team=team,
            period=period,
            window_start=window[0],
            window_end=window[1],
            due=min(due, window[1]) if expected is None else due,
            subject_person_id=subject,
            counterpart_person_id=counterpart,
            responsible_ids=responsible,
            required=rule.target,
            done=total,
            evidence=counted,
            planned=planned,
            excuse_reason=excuses.get(excuse_key(rule.code, period.start, team.id, subject, counterpart), "")
            or excuses.get(excuse_key(rule.code, period.start, team.id, None, None), ""),
            expected_date=expected,
        )
        ob.status = status_on(ob, today)
        out.append(ob)

    if rule.subject == SUBJECT_TEAM:
        # A team obligation is owed by those holding a matching position on its due date (which a holiday may move
        # past the period's end): someone who left before it is not reminded of it, and someone who arrived after
        # it does not inherit it. The team still owes it when the post was vacant on that day (the office sees it).
        responsible = tuple(
            pid
            for pid, ts in _tenures_by_person(members, rule.subject_positions or None).items()
            if any(_held_on(t, due) for t in ts)
        )
        counted = records.of_organization(team.organization_id, period.start, period.end)
        make((period.start, period.end), None, None, responsible, counted)
        return out

    subjects = _tenures_by_person(
        members, rule.subject_positions if rule.subject == SUBJECT_POSITION else None
    )
    if rule.counterpart == COUNTERPART_NONE:
        for pid, ts in subjects.items():
            if people is not None and pid not in people:
                continue
            window = _window(ts, period.start, period.end)
            if window is None:
                continue
            counted = records.of_person(pid, window[0], window[1])
            make(window, pid, None, (), counted)
        return out

    if rule.counterpart == COUNTERPART_POSITION:
        counterparts = _tenures_by_person(members, rule.counterpart_positions)
    else:
        # Each other member; counterpart_positions, when given, narrows who counts (e.g. members but not the
        # main leaders, whose pairs another rule already covers).
        counterparts = _tenures_by_person(members, rule.counterpart_positions or None)
    seen: set[tuple[int, int]] = set()
    for pid, ts in sorted(subjects.items()):
        for cid, cts in sorted(counterparts.items()):
            pair = (min(pid, cid), max(pid, cid))
            if pid == cid or pair in seen:
                continue
            # The first way round a pair is met names its subject: so it is seen before anyone is left out.
            seen.add(pair)
            if people is not None and pid not in people and cid not in people:
                continue
            w1 = _window(ts, period.start, period.end)
            w2 = _window(cts, period.start, period.end) if w1 else None
            if not (w1 and w2):
                continue
            window = (max(w1[0], w2[0]), min(w1[1], w2[1]))
            if window[0] > window[1]:
                continue
            counted = records.of_pair(pid, cid, window[0], window[1])
            make(window, pid, cid, (), counted)
    return out


def current_view(obligations: Sequence[Obligation], today: dt.date) -> list[Obligation]:
    """What a dashboard shows on `today`: each obligation's current period, plus the one before it when that
    ended unmet (so an overdue semester talk still shows in the winter break) or was excused (so the office and the
    leader still see that it was, and why)."""
    groups: dict[tuple, list[Obligation]] = defaultdict(list)
    for ob in obligations:
        # An event_owners obligation's series (one task's cycles) is a group of its own: each task's current cycle shows.
        groups[(ob.rule.code, ob.team.id, ob.subject_person_id, ob.counterpart_person_id, ob.series)].append(
            ob
        )
    shown: list[Obligation] = []
    for items in groups.values():
        items.sort(key=lambda o: o.period.start)
        started = [o for o in items if o.period.start <= today]
        if not started:
            continue
        last = started[-1]
        if today in last.period:
            shown.append(last)
            previous = started[-2] if len(started) > 1 else None
            if (
                previous
                and previous.status in KEPT_AFTER_END
                and previous.period.end >= today - dt.timedelta(days=STALE_AFTER_DAYS)
            ):
                shown.append(previous)
        elif last.period.end >= today - dt.timedelta(days=STALE_AFTER_DAYS) and (
            last.status in KEPT_AFTER_END or last.period.end >= today - dt.timedelta(days=1)
        ):
            shown.append(last)
    shown.sort(key=lambda o: (URGENCY[o.status], o.due, o.rule.code))
    return shown
