"""Reads behind an excuse (免于考核): whether the period it names is one the rule really has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from governance.engine import evidence as evidence_registry
from governance.engine.obligations import BEFORE_EVENT, rule_periods
from governance.engine.periods import Period
from governance.models import LeadershipTeam, ObligationExcuse, ObligationRule
from governance.selectors.calendar import academic_calendar
from governance.selectors.obligations import rule_specs


def rule_period_starting(rule: ObligationRule, team: LeadershipTeam | None, day: dt.date) -> Period | None:
    """The period of `rule` that starts on `day` (for `team`'s organization when the periods are its events, e.g.
    the weeks before a democratic life meeting), or None: the engine's own periods, so an excuse is only ever for a
    period the dashboard and the overview can show (issue 7, hole 5). A few queries: the calendar, the events."""
    (spec,) = rule_specs([rule], {}, {})
    events: list = []
    if spec.period == BEFORE_EVENT:
        events = evidence_registry.get_event_source(spec.event_source).events(
            start=day,
            end=day,
            organizations=[team.organization_id] if team is not None else None,
            params=spec.event_params,
        )
    for period in rule_periods(spec, day, day, calendar=academic_calendar(), events=events):
        if period.start == day:
            return period
    return None


@dataclass(frozen=True)
class WithdrawnExcuse:
    """An excuse the office withdrew (its row is gone, its history kept): what it covered, why it was given, who
    withdrew it, when and why."""

    period_start: dt.date
    person_id: int | None
    counterpart_id: int | None
    reason: str
    withdrawn_at: dt.datetime
    withdrawn_by: str
    withdraw_reason: str


def excuses_withdrawn(
    *,
    rule: ObligationRule,
    team: LeadershipTeam,
    period_starts: Iterable[dt.date],
    person_id: int | None = None,
) -> list[WithdrawnExcuse]:
    """The withdrawn excuses of `rule` for `team` in the given periods, newest first (one query): those of the whole
    team, and with `person_id` those of that person (or a pair they are in); without it, the whole team's only."""
    history = ObligationExcuse.history.filter(
        history_type="-", rule_id=rule.pk, team_id=team.pk, period_start__in=list(period_starts)
    )
    whom = Q(person_id=None, counterpart_id=None)
    if person_id is not None:
        whom |= Q(person_id=person_id) | Q(counterpart_id=person_id)
    return [
        WithdrawnExcuse(
            period_start=h.period_start,
            person_id=h.person_id,
            counterpart_id=h.counterpart_id,
            reason=h.reason,
            withdrawn_at=h.history_date,
            withdrawn_by=_user_name(h.history_user),
            withdraw_reason=h.history_change_reason or "",
        )
        for h in history.filter(whom).select_related("history_user__person").order_by("-history_date", "-pk")
    ]


def _user_name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()
