"""Gathering what the obligation engine needs from the database, in a constant number of queries.

rules (1) + teams (1) + organizations (1) + tenures (1) + calendar (2) + each evidence source used (≤2 each)
+ events (≤2) + excuses (1) + holiday data (≤2 a year) + people (1): the count does not grow with the data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from governance.engine import evidence as evidence_registry
from governance.engine.obligations import (
    BEFORE_EVENT,
    STALE_AFTER_DAYS,
    STATUS_COLOURS,
    STATUS_LABELS,
    Obligation,
    RuleSpec,
    TeamInfo,
    Tenure,
    current_view,
    evaluate,
    excuse_key,
    rule_periods,
)
from governance.models import LeadershipTeam, ObligationExcuse, ObligationRule, Organization, Person, Position
from governance.selectors.calendar import academic_calendar
from governance.services.workdays import WorkdayCalendar


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
            "evidence": [
                {"key": r.key, "date": r.date.isoformat(), "title": r.title, "url": r.url}
                for r in ob.evidence
            ],
        }


def _number(value) -> int | float:
    return int(value) if value == int(value) else float(value)


def status_label(status: str) -> str:
    return STATUS_LABELS[status]


def status_colour(status: str) -> str:
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
        specs.append(
            RuleSpec(
                id=rule.pk,
                code=rule.code,
                title=rule.title,
                clause_ref=rule.clause.reference,
                clause_citation=rule.clause.citation,
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
    orgs = list(Organization.objects.only("id", "parent_id"))
    descendants = _descendant_map(orgs)
    team_rows = list(
        LeadershipTeam.objects.select_related("organization").only(
            "id", "name", "organization_id", "organization__name"
        )
    )
    team_by_org = {t.organization_id: t.pk for t in team_rows}
    teams = {t.pk: TeamInfo(t.pk, t.organization_id, t.name) for t in team_rows}
    wanted_teams = set(team_ids) if team_ids is not None else set(teams)

    rules = (
        ObligationRule.objects.filter(is_active=True)
        .select_related("clause__regulation")
        .order_by("order", "code")
    )
    specs = [s for s in rule_specs(rules, team_by_org, descendants) if set(s.team_ids) & wanted_teams]
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
    # A person's view needs only records they took part in (pairs and individual rules) or their teams' records
    # (team rules, by organization); a team's or the whole site's view needs every member's.
    gather_people = set(person_ids) if person_ids is not None else {t.person_id for t in tenures}

    calendar = calendar or academic_calendar()
    events: dict[str, list] = {}
    for s in specs:
        if s.period == BEFORE_EVENT and s.event_source not in events:
            events[s.event_source] = evidence_registry.get_event_source(s.event_source).events(
                start=eval_start - dt.timedelta(days=400),
                end=end + dt.timedelta(days=400),
                organizations=org_ids,
                params=s.event_params,
            )
    # Each evidence source is read once, for exactly the days its rules' periods cover.
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    for s in specs:
        periods = rule_periods(s, eval_start, end, calendar=calendar, events=events.get(s.event_source, ()))
        if not periods:
            continue
        first, last = min(p.start for p in periods), max(p.end for p in periods)
        if s.evidence_source in spans:
            first, last = min(first, spans[s.evidence_source][0]), max(last, spans[s.evidence_source][1])
        spans[s.evidence_source] = (first, last)
    evidence: dict[str, list] = {
        code: evidence_registry.get_source(code).gather(
            start=first, end=last, people=gather_people, organizations=org_ids
        )
        for code, (first, last) in spans.items()
    }
    excuses = {
        excuse_key(code, ps, team, person, counterpart): reason
        for code, ps, team, person, counterpart, reason in ObligationExcuse.objects.filter(
            rule__code__in=[s.code for s in specs],
            period_start__gte=min((span[0] for span in spans.values()), default=eval_start),
        ).values_list("rule__code", "period_start", "team_id", "person_id", "counterpart_id", "reason")
    }
    workdays = workdays or WorkdayCalendar()
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
    )
    if start == end:
        obligations = current_view(obligations, today)
    else:
        obligations = [o for o in obligations if o.period.overlaps(start, end)]
    if person_ids is not None:
        wanted = set(person_ids)
        obligations = [o for o in obligations if wanted & set(o.people)]
    people_ids = {i for o in obligations for i in o.people}
    people = Person.objects.select_related("user").in_bulk(people_ids) if people_ids else {}
    return Evaluation(obligations, people, teams)


def obligations_for_person(
    person: Person, *, today: dt.date, start: dt.date | None = None, end: dt.date | None = None
) -> Evaluation:
    """What `person` owes: on `today` (the dashboard's current view), or every period overlapping [start, end]."""
    start = start or today
    end = end or today
    team_ids = set(
        Position.objects.filter(person=person)
        .filter(Q(end__isnull=True) | Q(end__gte=start - dt.timedelta(days=400)), start__lte=end)
        .values_list("team_id", flat=True)
    )
    return evaluate_obligations(start=start, end=end, today=today, team_ids=team_ids, person_ids=[person.pk])


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
