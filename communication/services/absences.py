"""Absence and handover (001 三（七））: a leader's trip, study or secondment; who was told, who approved, who covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from communication.models import MAX_HANDOVERS, Absence, Handover
from communication.permissions import person_of
from governance.models import Person
from governance.roles import is_office

from .common import DomainError, clean_or_refuse, refuse_unnamable


@transaction.atomic
def absence_record(
    *,
    created_by_user,
    person: Person,
    kind: str,
    start: dt.date,
    end: dt.date,
    destination: str = "",
    reason: str = "",
    notified: Iterable[Person] = (),
    leave_approved_by: Person | None = None,
    handovers: Iterable[tuple[Person, str]] = (),
) -> Absence:
    if not is_office(created_by_user):
        me = person_of(created_by_user)
        if me is None or me.pk != person.pk:
            raise DomainError({"person": _("只能登记本人的外出报备。")})
    absence = Absence(
        person=person,
        kind=kind,
        start=start,
        end=end,
        destination=destination,
        reason=reason,
        leave_approved_by=leave_approved_by,
        recorded_by=created_by_user if created_by_user.is_authenticated else None,
    )
    clean_or_refuse(absence)
    rows = [(covering, (duties or "").strip()) for covering, duties in handovers if covering is not None]
    if len(rows) > MAX_HANDOVERS:
        raise DomainError({"handovers": _("工作交接最多登记 %(count)d 项。") % {"count": MAX_HANDOVERS}})
    for covering, duties in rows:
        if covering.pk == person.pk:
            raise DomainError({"handovers": _("代管人不能是外出人员本人。")})
        if not duties:
            raise DomainError({"handovers": _("请填写%(name)s代管的工作。") % {"name": covering.name}})
        clean_or_refuse(Handover(absence=absence, covering=covering, duties=duties), exclude=["absence"])
    notified = list(notified)
    # Whom a leader may name (issue 7, hole 1): people on a team with them when the absence starts.
    refuse_unnamable(created_by_user, notified, on=start, field="notified")
    refuse_unnamable(created_by_user, [leave_approved_by], on=start, field="leave_approved_by")
    refuse_unnamable(created_by_user, [covering for covering, _duties in rows], on=start, field="handovers")
    absence.save()
    absence.notified.set([p for p in notified if p.pk != person.pk])
    for covering, duties in rows:
        handover = Handover(absence=absence, covering=covering, duties=duties)
        clean_or_refuse(handover)
        handover.save()
    return absence
