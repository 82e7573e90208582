"""Absence and handover (001 三（七））: a leader's trip, study or secondment; who was told, who approved, who covers.
A leader reports, corrects and deletes their own; the office anyone's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from communication.models import MAX_HANDOVERS, Absence, Handover
from communication.permissions import can_change_absence, person_of
from governance.models import Person
from governance.roles import is_office

from .changes import change_reason_or_refuse, same_people, stamp, stamped
from .common import DomainError, clean_or_refuse, refuse_unnamable

Handovers = list[tuple[Person, str]]


def _handovers_or_refuse(absence: Absence, handovers: Iterable[tuple[Person | None, str]]) -> Handovers:
    rows = [(covering, (duties or "").strip()) for covering, duties in handovers if covering is not None]
    if len(rows) > MAX_HANDOVERS:
        raise DomainError({"handovers": _("工作交接最多登记 %(count)d 项。") % {"count": MAX_HANDOVERS}})
    for covering, duties in rows:
        if covering.pk == absence.person_id:
            raise DomainError({"handovers": _("代管人不能是外出人员本人。")})
        if not duties:
            raise DomainError({"handovers": _("请填写%(name)s代管的工作。") % {"name": covering.name}})
        clean_or_refuse(Handover(absence=absence, covering=covering, duties=duties), exclude=["absence"])
    return rows


def _valid_absence_or_refuse(
    user: Any, absence: Absence, notified: Iterable[Person], handovers: Iterable[tuple[Person | None, str]]
) -> tuple[list[Person], Handovers]:
    """What a reported absence must satisfy, whether first entered or corrected (001 三（七）; issue 7, hole 1): the
    notified (without the person away) and the handovers, checked."""
    if not is_office(user):
        me = person_of(user)
        if me is None or me.pk != absence.person_id:
            raise DomainError({"person": _("只能登记本人的外出报备。")})
    clean_or_refuse(absence)
    rows = _handovers_or_refuse(absence, handovers)
    notified = [p for p in notified if p.pk != absence.person_id]
    # Whom a leader may name (issue 7, hole 1): people on a team with them when the absence starts.
    refuse_unnamable(user, notified, on=absence.start, field="notified")
    refuse_unnamable(user, [absence.leave_approved_by], on=absence.start, field="leave_approved_by")
    refuse_unnamable(user, [covering for covering, _duties in rows], on=absence.start, field="handovers")
    return notified, rows


def _handovers_save(absence: Absence, handovers: Handovers, history: dict[str, Any]) -> None:
    for covering, duties in handovers:
        handover = Handover(absence=absence, covering=covering, duties=duties)
        clean_or_refuse(handover)
        stamp([handover], **history)
        handover.save()


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
    notified, rows = _valid_absence_or_refuse(created_by_user, absence, notified, handovers)
    history: dict[str, Any] = {"by": created_by_user, "reason": None}
    with stamped([absence], **history) as history["at"]:
        absence.save()
        absence.notified.set(notified)
        _handovers_save(absence, rows, history)
    return absence


EDITABLE_FIELDS = ("person_id", "kind", "start", "end", "destination", "reason", "leave_approved_by_id")


@transaction.atomic
def absence_update(
    *,
    absence: Absence,
    changed_by,
    change_reason: str,
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
    """Correct an absence and its handovers, with the checks of reporting it; by whoever reported it or the office.
    `reason` is the absence's 事由; `change_reason` why it is corrected, kept in the audit history."""
    if not can_change_absence(changed_by, absence):
        raise DomainError(_("只有登记这次外出报备的人和党委办公室可以修改它。"))
    change_reason = change_reason_or_refuse(change_reason)
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    before = {name: getattr(absence, name) for name in EDITABLE_FIELDS}
    absence.person = person
    absence.kind = kind
    absence.start = start
    absence.end = end
    absence.destination = destination
    absence.reason = reason
    absence.leave_approved_by = leave_approved_by
    notified, rows = _valid_absence_or_refuse(changed_by, absence, notified, handovers)
    old_handovers = list(absence.handovers.order_by("pk"))
    fields_changed = any(getattr(absence, name) != value for name, value in before.items())
    handovers_changed = [(h.covering_id, h.duties) for h in old_handovers] != [(c.pk, d) for c, d in rows]
    if not (fields_changed or handovers_changed or not same_people(absence.notified.all(), notified)):
        raise DomainError(_("没有需要保存的修改。"))
    history: dict[str, Any] = {"by": changed_by, "reason": change_reason}
    with stamped([absence], **history) as history["at"]:
        if fields_changed:
            absence.save()
        absence.notified.set(notified)
        if handovers_changed:
            for handover in old_handovers:
                stamp([handover], **history)
                handover.delete()
            _handovers_save(absence, rows, history)
    return absence


@transaction.atomic
def absence_delete(*, absence: Absence, deleted_by, change_reason: str) -> None:
    """Delete an absence reported in error, with its handovers; by whoever reported it or the office. The audit history
    stays, the last entries saying who deleted it and why."""
    if not can_change_absence(deleted_by, absence):
        raise DomainError(_("只有登记这次外出报备的人和党委办公室可以删除它。"))
    change_reason = change_reason_or_refuse(change_reason, deleting=True)
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    history: dict[str, Any] = {"by": deleted_by, "reason": change_reason}
    history["at"] = stamp([absence], **history)
    for handover in absence.handovers.all():
        stamp([handover], **history)
        handover.delete()
    absence.delete()
