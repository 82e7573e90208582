"""Gathering what the obligation engine needs from the database, in a constant number of queries.

rules (1) + teams (1) + organizations (1) + tenures (1) + calendar (2) + each evidence source used (≤3 queries a
read, at most three reads: the span every team owes, and the days either side of it for rules only some teams owe)
+ events (≤2) + excuses (1) + holiday data (≤2 a year) + people (1): the count does not grow with the data.

The rules, teams, organizations, calendar and holiday data change only with the global stamp
(governance.services.freshness): outside a transaction, a process reads them once per stamp (`_setup`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext

from governance.engine import evidence as evidence_registry
from governance.engine.evidence import EvidenceRecord
from governance.engine.obligations import (
    BEFORE_EVENT,
    STALE_AFTER_DAYS,
    STATUS_COLOURS,
    STATUS_LABELS,
    SUBJECT_EVENT_OWNERS,
    SUBJECT_TEAM,
    Obligation,
    RuleSpec,
    Status,
    TeamInfo,
    Tenure,
    current_view,
    evaluate,
    evaluate_event_owners,
    excuse_key,
    rule_periods,
)
from governance.engine.status import URGENCY
from governance.forms import parse_day
from governance.models import LeadershipTeam, ObligationExcuse, ObligationRule, Organization, Person, Position
from governance.selectors.calendar import AcademicCalendar, academic_calendar
from governance.services import freshness
from governance.services.workdays import WorkdayCalendar

logger = logging.getLogger(__name__)


@dataclass
class Evaluation:
    obligations: list[Obligation]
    people: dict[int, Person]
    teams: dict[int, TeamInfo]

    def person_name(self, person_id: int | None) -> str:
        if person_id is None:
            return ""
        person = self.people.get(person_id)
        return person.name if person else str(person_id)

    def username(self, person_id: int | None) -> str | None:
        if person_id is None:
            return None
        person = self.people.get(person_id)
        return person.user.username if person and person.user_id and person.user else None

    def subject_label(self, ob: Obligation) -> str:
        return self.person_name(ob.subject_person_id) if ob.subject_person_id else ob.team.name

    def as_dict(self, ob: Obligation) -> dict[str, Any]:
        """The stable JSON shape of `manage.py obligations --format json` (documented in the README)."""
        return {
            "rule": ob.rule.code,
            "title": ob.rule.title,
            "clause": ob.rule.clause_ref,
            "citation": ob.rule.clause_citation,
            "team": ob.team.name,
            "subject": self.subject_label(ob),
            "subject_username": self.username(ob.subject_person_id),
            "counterpart": self.username(ob.counterpart_person_id),
            "counterpart_name": self.person_name(ob.counterpart_person_id) or None,
            "period_label": ob.period.label,
            "period_start": ob.period.start.isoformat(),
            "period_end": ob.period.end.isoformat(),
            "due": ob.due.isoformat(),
            "required": _number(ob.required),
            "done": _number(ob.done),
            "unit": ob.rule.unit,
            "status": ob.status.value,
            "excuse_reason": ob.excuse_reason or None,
            "evidence": [_record(r) for r in ob.evidence],
            "planned": [_record(r) for r in ob.planned],
        }


def _record(record: EvidenceRecord) -> dict[str, str]:
    return {"key": record.key, "date": record.date.isoformat(), "title": record.title, "url": record.url}


def _number(value) -> int | float:
    return int(value) if value == int(value) else float(value)


def status_label(status: Status) -> str | Promise:
    return STATUS_LABELS[status]


def status_colour(status: Status) -> str:
    return STATUS_COLOURS[status]


def _descendant_map(orgs: Iterable[Organization]) -> dict[int, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for org in orgs:
        children[org.parent_id].append(org.pk)
    out: dict[int, list[int]] = {}

    def walk(root: int) -> list[int]:
        found: list[int] = []
        for child in children.get(root, []):
            found.append(child)
            found.extend(walk(child))
        return found

    for org in orgs:
        out[org.pk] = walk(org.pk)
    return out


def rule_specs(
    rules: Iterable[ObligationRule], team_by_org: dict[int, int], descendants: dict[int, list[int]]
) -> list[RuleSpec]:
    specs = []
    for rule in rules:
        orgs = [rule.organization_id]
        if rule.include_sub_units:
            orgs += descendants.get(rule.organization_id, [])
        team_ids = tuple(team_by_org[o] for o in orgs if o in team_by_org)
        if rule.subject == SUBJECT_EVENT_OWNERS:
            # Owed by each event's people, never by a team: the teams' evaluations (and their caches) leave it out;
            # evaluate_event_owner_obligations evaluates it.
            team_ids = ()
        specs.append(
            RuleSpec(
                id=rule.pk,
                code=rule.code,
                title=rule.title,
                clause_ref=rule.clause.reference,
                clause_citation=rule.clause.citation,
                clause_source=rule.clause.source_citation,
                subject=rule.subject,
                subject_positions=tuple(rule.subject_positions or ()),
                counterpart=rule.counterpart,
                counterpart_positions=tuple(rule.counterpart_positions or ()),
                evidence_source=rule.evidence_source,
                evidence_params=rule.evidence_params or {},
                measure=rule.measure,
                target=rule.target,
                unit=rule.unit,
                period=rule.period,
                season=rule.season,
                weekday=rule.weekday,
                anchor=rule.anchor,
                holiday_shift=rule.holiday_shift,
                event_source=rule.event_source,
                event_params=rule.event_params or {},
                remind_days_before=rule.remind_days_before,
                team_ids=team_ids,
            )
        )
    return specs


@dataclass(frozen=True)
class _Setup:
    """What every evaluation reads first and only a change of rules, organizations, teams, the calendar or holidays
    alters (each of them moves the global stamp): the teams, every active rule for every team owing it, the
    academic calendar and the working-day calendar."""

    teams: dict[int, TeamInfo]
    specs: tuple[RuleSpec, ...]
    calendar: AcademicCalendar
    workdays: WorkdayCalendar


def _read_setup() -> _Setup:
    orgs = list(Organization.objects.only("id", "parent_id"))
    descendants = _descendant_map(orgs)
    team_rows = list(
        LeadershipTeam.objects.select_related("organization").only(
            "id", "name", "organization_id", "organization__name"
        )
    )
    team_by_org = {t.organization_id: t.pk for t in team_rows}
    teams = {t.pk: TeamInfo(t.pk, t.organization_id, t.name) for t in team_rows}
    rules = (
        ObligationRule.objects.filter(is_active=True)
        .select_related("clause__regulation__reference")
        .order_by("order", "code")
    )
    specs = tuple(rule_specs(rules, team_by_org, descendants))
    return _Setup(teams, specs, academic_calendar(), WorkdayCalendar())


# This process's setup, by the global stamp it was read under and the language (one entry per language in use).
_SETUPS: dict[str, _Setup] = {}


def _setup() -> _Setup:
    """The setup, read once per global stamp in this process. Read afresh inside a transaction: one that changed a
    rule and is then rolled back must not leave its rule behind under a stamp that stays."""
    if connection.in_atomic_block:
        return _read_setup()
    try:
        stamp = freshness.data_version()
    except Exception:
        logger.exception("cache unavailable; reading the rules afresh")
        stamp = ""
    # By language too: the semesters' and academic years' names in it are in the reader's language.
    key = f"{stamp}:{get_language()}"
    found = _SETUPS.get(key) if stamp else None
    if found is None:
        found = _read_setup()
        if stamp:
            for old in [k for k in _SETUPS if not k.startswith(f"{stamp}:")]:
                del _SETUPS[old]
            _SETUPS[key] = found
    return found


_gc_lock = threading.Lock()
_gc_pausing = 0  # evaluations running in this process's threads
_gc_was_enabled = True


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector waits while an evaluation builds its thousands of small, acyclic objects (it
    would scan them again and again: a fifth of a whole-site evaluation); whatever it would have collected, it
    collects afterwards. Re-enabled by the last of several threads to leave, and only if it was enabled."""
    global _gc_pausing, _gc_was_enabled
    with _gc_lock:
        if _gc_pausing == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausing += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausing -= 1
            if _gc_pausing == 0 and _gc_was_enabled:
                gc.enable()


# For other long reads and builds (the reminder job): the same pause.
gc_paused = _gc_paused


def evaluate_obligations(
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    team_ids: Iterable[int] | None = None,
    person_ids: Iterable[int] | None = None,
    workdays: WorkdayCalendar | None = None,
    calendar=None,
) -> Evaluation:
    """Evaluate every active rule for the given teams (None: all) over [start, end] as of `today`.
    With `person_ids`, only obligations those people see are kept."""
    with _gc_paused():
        return _evaluate_obligations(
            start=start,
            end=end,
            today=today,
            team_ids=team_ids,
            person_ids=person_ids,
            workdays=workdays,
            calendar=calendar,
        )


def _evaluate_obligations(
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    team_ids: Iterable[int] | None,
    person_ids: Iterable[int] | None,
    workdays: WorkdayCalendar | None,
    calendar: Any,
) -> Evaluation:
    setup = _setup()
    teams = dict(setup.teams)
    wanted_teams = set(team_ids) if team_ids is not None else set(teams)
    person_ids = None if person_ids is None else set(person_ids)
    specs = [s for s in setup.specs if set(s.team_ids) & wanted_teams]
    specs = [
        RuleSpec(**{**s.__dict__, "team_ids": tuple(t for t in s.team_ids if t in wanted_teams)})
        for s in specs
    ]
    if not specs:
        return Evaluation([], {}, teams)

    # The current view shows each current period and the one before it while that one ended less than
    # STALE_AFTER_DAYS ago: periods overlapping [start - STALE_AFTER_DAYS, end] are all it can show.
    eval_start = start - dt.timedelta(days=STALE_AFTER_DAYS) if start == end else start
    positions = Position.objects.filter(team_id__in=wanted_teams).filter(
        Q(end__isnull=True) | Q(end__gte=eval_start - dt.timedelta(days=400)),
        start__lte=end + dt.timedelta(days=400),
    )
    tenures = [
        Tenure(p.person_id, p.team_id, p.kind, p.start, p.end)
        for p in positions.only("person_id", "team_id", "kind", "start", "end")
    ]
    org_ids = {teams[t].organization_id for t in wanted_teams if t in teams}
    calendar = calendar or setup.calendar
    events: dict[str, list] = {}
    for s in specs:
        if s.period == BEFORE_EVENT and s.event_source not in events:
            events[s.event_source] = evidence_registry.get_event_source(s.event_source).events(
                start=eval_start - dt.timedelta(days=400),
                end=end + dt.timedelta(days=400),
                organizations=org_ids,
                params=s.event_params,
            )
    evidence, first_day = _gather_evidence(
        specs,
        eval_start=eval_start,
        end=end,
        calendar=calendar,
        events=events,
        tenures=tenures,
        teams=teams,
        person_ids=person_ids,
        everyone=team_ids is None and person_ids is None,
    )
    excuses = {
        excuse_key(code, ps, team, person, counterpart): reason
        for code, ps, team, person, counterpart, reason in ObligationExcuse.objects.filter(
            rule__code__in=[s.code for s in specs],
            period_start__gte=first_day or eval_start,
        ).values_list("rule__code", "period_start", "team_id", "person_id", "counterpart_id", "reason")
    }
    workdays = workdays or setup.workdays
    obligations = evaluate(
        specs,
        teams=teams,
        tenures=tenures,
        evidence=evidence,
        events=events,
        excuses=excuses,
        start=eval_start,
        end=end,
        today=today,
        calendar=calendar,
        is_workday=workdays.is_workday,
        people=person_ids,
    )
    return _shown(obligations, start=start, end=end, today=today, wanted=person_ids, teams=teams)


def _shown(
    obligations: list[Obligation],
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    wanted: Iterable[int] | None,
    teams: dict[int, TeamInfo],
) -> Evaluation:
    """The evaluated obligations as asked for: the current view on `today` (start == end) or those overlapping
    [start, end]; with `wanted`, only those these people see; with the people they name (one query)."""
    if start == end:
        obligations = current_view(obligations, today)
    else:
        obligations = [o for o in obligations if o.period.overlaps(start, end)]
    if wanted is not None:
        ids = set(wanted)
        obligations = [o for o in obligations if ids & set(o.people)]
    people_ids = {i for o in obligations for i in o.people}
    people = Person.objects.select_related("user").in_bulk(people_ids) if people_ids else {}
    return Evaluation(obligations, people, teams)


def _gather_evidence(
    specs: list[RuleSpec],
    *,
    eval_start: dt.date,
    end: dt.date,
    calendar: Any,
    events: dict[str, list],
    tenures: list[Tenure],
    teams: dict[int, TeamInfo],
    person_ids: Iterable[int] | None,
    everyone: bool,
) -> tuple[dict[str, list[EvidenceRecord]], dt.date | None]:
    """Each evidence source's records for exactly the days its rules' periods cover, and only for whom they matter.

    Team rules count an organization's records; person and pair rules count the records people took part in. So a
    read asks for organizations only if a team rule needs them and for people only if a person rule does. A
    person's view reads only their own records; a team's view its members'. The whole site's view reads without
    filters (a filter that lets nearly every row through costs more than it saves) the span of the rules every team
    owes, and a rule only some teams owe (a college's yearly talk rule) adds just the days outside that span, for
    those teams. At most two reads per source. Returns the records by source and the first day read."""
    all_teams = frozenset(t for spec in specs for t in spec.team_ids)
    members: dict[int, set[int]] = defaultdict(set)
    for tenure in tenures:
        members[tenure.team_id].add(tenure.person_id)
    reads: dict[str, dict[bool, _Read]] = defaultdict(dict)  # source -> unfiltered? -> read
    for spec in specs:
        periods = rule_periods(
            spec, eval_start, end, calendar=calendar, events=events.get(spec.event_source, ())
        )
        if not periods:
            continue
        unfiltered = everyone and frozenset(spec.team_ids) == all_teams
        read = reads[spec.evidence_source].setdefault(unfiltered, _Read())
        read.add(spec, min(p.start for p in periods), max(p.end for p in periods))
    evidence: dict[str, list[EvidenceRecord]] = {}
    first_day: dt.date | None = None
    for code, by_kind in reads.items():
        source = evidence_registry.get_source(code)
        core = by_kind.get(True)
        records: dict[str, EvidenceRecord] = {}
        for unfiltered, read in by_kind.items():
            first_day = read.first if first_day is None else min(first_day, read.first)
            people: set[int] | None = None
            organizations: set[int] | None = None
            pieces = [(read.first, read.last)]
            if not unfiltered:
                people = set()
                if read.per_person:
                    people = set().union(*(members[t] for t in read.teams))
                    if person_ids is not None:
                        people &= set(person_ids)
                organizations = (
                    {teams[t].organization_id for t in read.teams if t in teams} if read.per_team else set()
                )
                if core is not None:
                    pieces = _outside(read.first, read.last, (core.first, core.last))
            for piece_first, piece_last in pieces:
                for record in source.gather(
                    start=piece_first, end=piece_last, people=people, organizations=organizations
                ):
                    records.setdefault(record.key, record)
        evidence[code] = list(records.values())
    return evidence, first_day


@dataclass
class _Read:
    """One read of an evidence source: the span and teams of the rules it serves, and what those rules count."""

    first: dt.date = dt.date.max
    last: dt.date = dt.date.min
    teams: set[int] = field(default_factory=set)
    per_person: bool = False
    per_team: bool = False

    def add(self, spec: RuleSpec, first: dt.date, last: dt.date) -> None:
        self.first, self.last = min(self.first, first), max(self.last, last)
        self.teams.update(spec.team_ids)
        if spec.subject == SUBJECT_TEAM:
            self.per_team = True
        else:
            self.per_person = True


def _outside(first: dt.date, last: dt.date, core: tuple[dt.date, dt.date]) -> list[tuple[dt.date, dt.date]]:
    """The parts of [first, last] outside [core]: none, one or two spans."""
    one_day = dt.timedelta(days=1)
    pieces = []
    if first < core[0]:
        pieces.append((first, min(last, core[0] - one_day)))
    if last > core[1]:
        pieces.append((max(first, core[1] + one_day), last))
    return pieces


# A person's dashboard shows the teams they sat on up to this long before its first day (a period that ended unmet
# while they were on the team stays theirs).
TEAM_WINDOW_DAYS = 400


def positions_in_window(start: dt.date, end: dt.date) -> QuerySet[Position]:
    """The positions a dashboard for [start, end] reads: held at some time from TEAM_WINDOW_DAYS before `start` to
    `end`."""
    return Position.objects.filter(
        Q(end__isnull=True) | Q(end__gte=start - dt.timedelta(days=TEAM_WINDOW_DAYS)), start__lte=end
    )


def with_owned(result: Evaluation, owned: Evaluation, *, current: bool) -> Evaluation:
    """A person's team obligations and those they owe as an event's owner (003 第五条), as one evaluation; a current
    view (`current`) most urgent first."""
    if not owned.obligations:
        return result
    obligations = result.obligations + owned.obligations
    if current:
        obligations.sort(key=lambda o: (URGENCY[o.status], o.due, o.rule.code))
    return Evaluation(obligations, {**result.people, **owned.people}, result.teams)


def obligations_for_person(
    person: Person, *, today: dt.date, start: dt.date | None = None, end: dt.date | None = None
) -> Evaluation:
    """What `person` owes: on `today` (the dashboard's current view), or every period overlapping [start, end] — as a
    member of a leadership team and as an owner of events (a unit's head or liaison: each cycle of its long tasks'
    progress reports, 003 第五条)."""
    start = start or today
    end = end or today
    team_ids = set(positions_in_window(start, end).filter(person=person).values_list("team_id", flat=True))
    result = evaluate_obligations(
        start=start, end=end, today=today, team_ids=team_ids, person_ids=[person.pk]
    )
    owned = evaluate_event_owner_obligations(today=today, start=start, end=end, person_ids=[person.pk])
    return with_owned(result, owned, current=start == end)


def _event_owner_specs() -> list[RuleSpec]:
    """The active event_owners rules: from the setup read once per global stamp; inside a transaction (where the
    setup is read afresh), only the rules, in one query."""
    if connection.in_atomic_block:
        rules = ObligationRule.objects.filter(
            is_active=True, subject=SUBJECT_EVENT_OWNERS, period=BEFORE_EVENT
        ).select_related("clause__regulation__reference")
        return rule_specs(rules.order_by("order", "code"), {}, {})
    return [s for s in _setup().specs if s.subject == SUBJECT_EVENT_OWNERS and s.period == BEFORE_EVENT]


def evaluate_event_owner_obligations(
    *,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    person_ids: Iterable[int] | None = None,
) -> Evaluation:
    """The obligations of the active event_owners rules (003 第五条: each cycle of a long supervised task's progress
    reports, owed by its lead unit's head and liaisons): on `today` (the current view: each task's current cycle and
    an unmet previous one), or every event overlapping [start, end]. With `person_ids`, only the events they own
    (the event source filters by people). Apart from the teams' evaluations and their caches: a family's events are
    few and read afresh.

    Queries: none without such a rule (the rules come with the setup); else each event source's (≤2), each evidence
    source's one read for the events' organizations and dates, the excuses (1), the organizations' names (1) and the
    people (1) — whatever the number of events."""
    start = start or today
    end = end or today
    specs = _event_owner_specs()
    if not specs:
        return Evaluation([], {}, {})
    eval_start = start - dt.timedelta(days=STALE_AFTER_DAYS) if start == end else start
    wanted = None if person_ids is None else set(person_ids)
    events: dict[str, list] = {}
    for spec in specs:
        if spec.event_source in events:
            continue
        source = evidence_registry.get_event_source(spec.event_source)
        # Only the events that matter: those of these people (a unit's liaison's home reads their units' tasks only).
        extra: dict[str, Any] = {"people": wanted} if wanted is not None else {}
        events[spec.event_source] = source.events(
            start=eval_start, end=end, organizations=None, params=spec.event_params, **extra
        )
    found = [e for spec in specs for e in events[spec.event_source]]
    if not found:
        return Evaluation([], {}, {})
    first = min(e.preparation_start for e in found)
    last = max(e.date for e in found)
    organization_ids = {e.organization_id for e in found if e.organization_id is not None}
    evidence: dict[str, list[EvidenceRecord]] = {}
    for code in dict.fromkeys(spec.evidence_source for spec in specs):
        evidence[code] = evidence_registry.get_source(code).gather(
            start=first, end=last, organizations=organization_ids
        )
    excuses = {
        excuse_key(code, period_start, None, None, None, key): reason
        for code, period_start, key, reason in ObligationExcuse.objects.filter(
            rule__code__in=[s.code for s in specs], period_start__gte=first
        )
        .exclude(event_key="")
        .values_list("rule__code", "period_start", "event_key", "reason")
    }
    names = dict(Organization.objects.filter(pk__in=organization_ids).values_list("pk", "name"))
    obligations = evaluate_event_owners(
        specs,
        events=events,
        evidence=evidence,
        excuses=excuses,
        start=eval_start,
        end=end,
        today=today,
        organizations=names,
        people=wanted,
    )
    return _shown(obligations, start=start, end=end, today=today, wanted=wanted, teams={})


def obligations_for_organization(
    organization: Organization,
    *,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    subtree: bool = False,
) -> Evaluation:
    """What an organization's team owes (with `subtree`, also its secondary units' teams)."""
    start = start or today
    end = end or today
    orgs = [organization.pk]
    if subtree:
        orgs += _descendant_map(list(Organization.objects.only("id", "parent_id")))[organization.pk]
    team_ids = LeadershipTeam.objects.filter(organization_id__in=orgs).values_list("id", flat=True)
    return evaluate_obligations(start=start, end=end, today=today, team_ids=list(team_ids))


# Recording for a period ("去登记" from a dashboard line or a reminder) ------------------------------------------------


@dataclass(frozen=True)
class RecordPeriod:
    """The period a record link is for (?period_start=&period_end=): the form opens with a date inside it, refuses a
    date outside it, and says which period the record is for."""

    start: dt.date
    end: dt.date
    label: str = ""  # "2026年第47周" when the rule's periods name it; "" otherwise (a period before an event)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def default_date(self, today: dt.date) -> dt.date:
        """Today if it is inside the period, else the period's nearest end (its last day, for an overdue period)."""
        return min(max(today, self.start), self.end)

    @property
    def dates(self) -> str:
        return gettext("%(start)s—%(end)s") % {
            "start": date_format(self.start, "MONTH_DAY_FORMAT"),
            "end": date_format(self.end, "MONTH_DAY_FORMAT"),
        }

    @property
    def described(self) -> str:
        """The period as the dashboard shows it, "2026年第47周（11月16日—11月22日）"; without a label, the dates."""
        if not self.label:
            return self.dates
        return gettext("%(label)s（%(start)s—%(end)s）") % {
            "label": self.label,
            "start": date_format(self.start, "MONTH_DAY_FORMAT"),
            "end": date_format(self.end, "MONTH_DAY_FORMAT"),
        }

    def refusal(self) -> str:
        """Why a date outside the period is refused."""
        between = {
            "start": date_format(self.start, "MONTH_DAY_FORMAT"),
            "end": date_format(self.end, "MONTH_DAY_FORMAT"),
        }
        if self.label:
            return gettext("日期须在%(start)s至%(end)s之间：登记的是 %(period)s的记录。") % {
                **between,
                "period": self.label,
            }
        return gettext("日期须在%(start)s至%(end)s之间。") % between

    def notice(self, rule: ObligationRule | None) -> str:
        """What the form says on top: "登记的是 2026年第47周（11月16日—11月22日）的记录，计入“党委书记与校长沟通”。"."""
        if rule is None:
            return gettext("登记的是 %(period)s的记录。") % {"period": self.described}
        return gettext("登记的是 %(period)s的记录，计入“%(rule)s”。") % {
            "period": self.described,
            "rule": rule.title,
        }


def record_period(params: Any, rule: ObligationRule | None) -> RecordPeriod | None:
    """The period named by a record link's query (`period_start`, `period_end`, ISO dates), or None when there is
    none or it is malformed. Labelled when `rule`'s periods include exactly this one (two queries for the calendar).
    A query string only narrows the dates a form accepts; it never widens what a user may do."""
    # Days outside the portal's range are malformed too: 0001-01-01 overflowed the period arithmetic (issue 7).
    start = parse_day(params.get("period_start") or "")
    end = parse_day(params.get("period_end") or "")
    if start is None or end is None or end < start:
        return None
    label = ""
    if rule is not None and rule.period != BEFORE_EVENT:
        found = academic_calendar().period(rule.period, start, anchor=rule.anchor)
        if found is not None and (found.start, found.end) == (start, end):
            label = found.label
    return RecordPeriod(start, end, label)


def record_counted_message(
    record: EvidenceRecord | None,
    *,
    rule: ObligationRule,
    period: RecordPeriod | None,
    people: Iterable[int],
    today: dt.date,
) -> str:
    """What a user is told after recording from a rule's link: what the record counted toward, or that it does not
    count (another kind, or without the people the rule is about). `people` are those the link named (the pair)."""
    if (
        record is None
        or not record.matches(rule.evidence_params or {})
        or (period is not None and record.date not in period)
        or not _owed_by_record(record, rule, set(people))
    ):
        return gettext("已登记，但这条记录不计入“%(rule)s”：该要求计入的记录类别或参与人与之不同。") % {
            "rule": rule.title
        }
    which = ""
    if period is not None:
        which = gettext("（%(period)s）") % {
            "period": gettext("%(label)s，%(dates)s") % {"label": period.label, "dates": period.dates}
            if period.label
            else period.dates
        }
    if record.date > today:
        # A meeting entered ahead of time: planned until its day (the dashboard shows it as 已安排).
        return gettext("已登记，将于%(date)s计入“%(rule)s”%(period)s。") % {
            "date": date_format(record.date, "MONTH_DAY_FORMAT"),
            "rule": rule.title,
            "period": which,
        }
    return gettext("已登记，计入“%(rule)s”%(period)s。") % {"rule": rule.title, "period": which}


def _owed_by_record(record: EvidenceRecord, rule: ObligationRule, people: set[int]) -> bool:
    """A team rule counts its organization's records (or a sub-unit's, when it applies to them); a personal or pair
    rule the records its people took part in."""
    if rule.subject == SUBJECT_TEAM:
        if record.organization_id is None:
            return False
        if record.organization_id == rule.organization_id:
            return True
        if not rule.include_sub_units:
            return False
        organization = Organization.objects.filter(pk=record.organization_id).select_related("parent").first()
        return organization is not None and any(
            a.pk == rule.organization_id for a in organization.ancestors()
        )
    return people <= record.people
