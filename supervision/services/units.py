"""Units' people: who answers for a unit's supervised tasks (单位负责人/联络员)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.errors import DomainError, clean_or_refuse
from governance.models import Organization, Person
from governance.roles import is_office
from supervision.models import UnitContact
from supervision.roles import ensure_group

UNIT_KINDS = (Organization.Kind.COLLEGE, Organization.Kind.DEPARTMENT)


@transaction.atomic
def unit_contact_add(
    *, recorded_by: Any, organization: Organization, person: Person, role: str, start: dt.date | None = None
) -> UnitContact:
    """Link a person to a unit as its head or liaison; their login joins the units' people group, so the menu
    shows them 督查督办 and they see their unit's tasks."""
    if not is_office(recorded_by):
        raise DomainError(_("单位负责人、联络员由党委办公室登记。"))
    if organization.kind not in UNIT_KINDS:
        raise DomainError({"organization": _("只有学院和职能部门承办督办事项。")})
    contact = UnitContact(
        recorded_by=recorded_by,
        organization=organization,
        person=person,
        role=role,
        start=start or timezone.localdate(),
    )
    clean_or_refuse(contact)
    contact.save()
    if person.user_id:
        person.user.groups.add(ensure_group())  # type: ignore[union-attr]
    return contact
