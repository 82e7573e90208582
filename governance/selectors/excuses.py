"""Reads behind an excuse (免于考核): whether the period it names is one the rule really has."""

from __future__ import annotations

import datetime as dt

from governance.engine import evidence as evidence_registry
from governance.engine.obligations import BEFORE_EVENT, rule_periods
from governance.engine.periods import Period
from governance.models import LeadershipTeam, ObligationRule
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
