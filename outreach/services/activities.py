"""Recording an outreach activity and correcting it (with the reason in its history)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from governance.errors import DomainError, clean_or_refuse
from governance.models import Organization, Person, Position
from governance.roles import is_office
from outreach.models import Activity, ActivityAttachment, LinkedContact
from outreach.permissions import can_edit, person_of

MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

# The fields a form hands over, besides leaders, units and files.
FIELDS = (
    "date",
    "kind",
    "title",
    "contact",
    "festival",
    "participants",
    "course",
    "teacher",
    "class_hours",
    "notes",
)


def team_organization_of(person: Person, day: dt.date) -> Organization | None:
    """The organization of the leadership team `person` sits on on `day` (the university before a college when
    both), or None."""
    position = (
        Position.objects.active_on(day)
        .filter(person=person)
        .select_related("team__organization")
        .order_by("team__organization__parent_id", "order")
        .first()
    )
    return position.team.organization if position else None


def _check_files(files: Sequence[Any]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError({"files": [_("一次最多上传 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS}]})
    for upload in files:
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise DomainError({"files": [_("附件“%(name)s”超过 20 MB。") % {"name": upload.name}]})


def _check_people(by: Any, leaders: Sequence[Person], data: dict[str, Any]) -> None:
    if not leaders:
        raise DomainError({"leaders": [_("请至少选择一位参加的班子成员。")]})
    if not is_office(by):
        me = person_of(by)
        if me is None or me.pk not in {p.pk for p in leaders}:
            raise DomainError(
                {"leaders": [_("您只能登记自己参加的活动；为其他班子成员登记请联系党委办公室。")]}
            )
    contact: LinkedContact | None = data.get("contact")
    if contact is not None and contact.leader_id not in {p.pk for p in leaders}:
        raise DomainError({"contact": [_("所选党外人士或民主党派组织不是参加的班子成员的联系对象。")]})


def _attach(activity: Activity, files: Iterable[Any], by: Any) -> None:
    for upload in files:
        ActivityAttachment.objects.create(
            activity=activity,
            file=upload,
            name=upload.name[:200],
            uploaded_by=by if by.is_authenticated else None,
        )


@transaction.atomic
def record_activity(
    *,
    by: Any,
    leaders: Sequence[Person],
    units: Sequence[Organization] = (),
    files: Sequence[Any] = (),
    organization: Organization | None = None,
    **data: Any,
) -> Activity:
    """Record an activity for `leaders` (a leader records their own; the office anyone's). The team organization,
    which team rules count by (e.g. 003 二3 festival visits), is the first leader's team on the day unless given."""
    _check_people(by, leaders, data)
    _check_files(files)
    if organization is None:
        organization = team_organization_of(leaders[0], data["date"])
        if organization is None:
            raise DomainError(
                {
                    "leaders": [
                        _("%(name)s 在该日不在任何领导班子中，无法登记联系基层活动。")
                        % {"name": leaders[0].name}
                    ]
                }
            )
    activity = Activity(
        organization=organization, recorded_by=by, **{k: data.get(k) for k in FIELDS if k in data}
    )
    for name in ("title", "festival", "course", "teacher", "notes"):
        if getattr(activity, name) is None:
            setattr(activity, name, "")
    clean_or_refuse(activity)
    activity._history_user = by  # type: ignore[attr-defined]  # django-simple-history: who, on every row
    activity.save()
    activity.leaders.set(leaders)
    activity.units.set(units)
    _attach(activity, files, by)
    return activity


@transaction.atomic
def update_activity(
    activity: Activity,
    *,
    by: Any,
    reason: str,
    leaders: Sequence[Person],
    units: Sequence[Organization] = (),
    files: Sequence[Any] = (),
    **data: Any,
) -> Activity:
    """Correct an activity (the office, or whoever recorded it); the reason is kept in its history (修改记录)."""
    if not can_edit(by, activity):
        raise DomainError(_("只有登记人和党委办公室可以修改这条记录。"))
    if not reason.strip():
        raise DomainError({"reason": [_("请写明修改原因，它会记入修改记录。")]})
    _check_people(by, leaders, data)
    _check_files(files)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    for name in FIELDS:
        if name in data:
            value = data[name]
            if value is None and name in ("title", "festival", "course", "teacher", "notes"):
                value = ""
            setattr(activity, name, value)
    clean_or_refuse(activity)
    activity._change_reason = reason.strip()  # type: ignore[attr-defined]  # django-simple-history
    activity.save()
    activity.leaders.set(leaders)
    activity.units.set(units)
    _attach(activity, files, by)
    return activity
