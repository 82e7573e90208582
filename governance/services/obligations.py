"""Writes around obligations: the office excuses a period with a reason."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from governance.errors import DomainError, clean_or_refuse
from governance.models import LeadershipTeam, ObligationExcuse, ObligationRule, Person


class ExcuseError(DomainError):
    """The office's excuse was refused."""


@transaction.atomic
def obligation_excuse(
    *,
    rule: ObligationRule,
    period_start: dt.date,
    team: LeadershipTeam | None,
    person: Person | None,
    counterpart: Person | None,
    reason: str,
    by,
) -> ObligationExcuse:
    """Excuse one period of `rule` (for one person or pair, or the whole team when both are None)."""
    reason = (reason or "").strip()
    if not reason:
        raise ExcuseError("请填写免于考核的理由，例如“本周期会议日均为法定节假日”。")
    if person is not None and counterpart is not None and counterpart.pk < person.pk:
        person, counterpart = counterpart, person
    existing = ObligationExcuse.objects.filter(
        rule=rule, period_start=period_start, team=team, person=person, counterpart=counterpart
    ).first()
    if existing:
        existing.reason = reason
        clean_or_refuse(existing)
        existing.save(update_fields=["reason"])
        return existing
    excuse = ObligationExcuse(
        rule=rule,
        period_start=period_start,
        team=team,
        person=person,
        counterpart=counterpart,
        reason=reason,
        created_by=by,
    )
    # The model checks the period (one the rule has, dated 2000 on: issue 7, hole 5) and the reason's length.
    clean_or_refuse(excuse)
    excuse.save()
    return excuse
