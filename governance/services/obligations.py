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


# The audit history keeps a withdrawal's reason in django-simple-history's change-reason column (100 characters).
WITHDRAW_REASON_MAX = 100


@transaction.atomic
def obligation_excuse_withdraw(
    *,
    rule: ObligationRule,
    period_start: dt.date,
    team: LeadershipTeam,
    person: Person | None,
    counterpart: Person | None,
    reason: str,
    by,
) -> ObligationExcuse:
    """Withdraw the excuse that covers one period of `rule` for `person` (and `counterpart`, for a pair), or for the
    whole team: the period counts again as it really stands (overdue, if nothing was done).

    The excuse the engine applies is the one for that person or pair, else the team's; that one is withdrawn. Its
    row goes, its history stays: a last historical version (type "-") with who withdrew it, when, and `reason`.
    The pages that showed it are marked out of date by the deletion (governance.services.freshness)."""
    reason = (reason or "").strip()
    if not reason:
        raise ExcuseError("请填写撤销免于考核的原因，例如“登记有误，该周期实际已召开会议”。")
    if len(reason) > WITHDRAW_REASON_MAX:
        raise ExcuseError(
            f"撤销原因最多 {WITHDRAW_REASON_MAX} 个字（现有 {len(reason)} 个），请精简后再提交。"
        )
    if person is not None and counterpart is not None and counterpart.pk < person.pk:
        person, counterpart = counterpart, person
    found = ObligationExcuse.objects.select_for_update().filter(
        rule=rule, period_start=period_start, team=team
    )
    excuse = found.filter(person=person, counterpart=counterpart).first()
    if excuse is None and (person is not None or counterpart is not None):
        excuse = found.filter(person=None, counterpart=None).first()
    if excuse is None:
        raise ExcuseError("这个周期没有登记免于考核，或已被撤销。")
    excuse._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    excuse._history_user = by  # type: ignore[attr-defined]
    excuse.delete()
    return excuse
