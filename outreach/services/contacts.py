"""Assigning a leader's linked units and non-party contacts (联系点, 003 二2; 004 第五条5) and ending them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from governance.errors import DomainError, clean_or_refuse
from governance.roles import is_office
from outreach.models import ContactKind, LinkedContact


def _office_only(by: Any) -> None:
    if not is_office(by):
        raise DomainError(_("联系点由党委办公室安排。"))


@transaction.atomic
def assign_contact(*, by: Any, **data: Any) -> LinkedContact:
    """A new 联系点 for a leader from `start` (until `end`, or open). The same unit twice at overlapping dates is
    refused."""
    _office_only(by)
    contact = LinkedContact(recorded_by=by, **data)
    clean_or_refuse(contact)
    if contact.kind == ContactKind.UNIT:
        clash = LinkedContact.objects.filter(
            leader=contact.leader, kind=ContactKind.UNIT, organization=contact.organization
        ).filter(start__lte=contact.end or dt.date.max)
        clash = clash.exclude(end__lt=contact.start)
        if clash.exists():
            raise DomainError(
                {"organization": [_("%(name)s 在这段时间已联系该单位。") % {"name": contact.leader.name}]}
            )
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    return contact


@transaction.atomic
def end_contact(contact: LinkedContact, *, by: Any, end: dt.date) -> LinkedContact:
    _office_only(by)
    contact = LinkedContact.objects.select_for_update().get(pk=contact.pk)
    if contact.end is not None and contact.end <= end:
        raise DomainError({"end": [_("该联系点已于 %(day)s 结束。") % {"day": contact.end.isoformat()}]})
    contact.end = end
    clean_or_refuse(contact)
    contact._change_reason = _("结束联系")  # type: ignore[attr-defined]
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    return contact
