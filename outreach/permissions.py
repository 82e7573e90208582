"""Who may see and do what in outreach. One module for the querysets and the predicates, so lists, pages,
attachments and history agree.

- the office (党委办公室, 004 第六条2: 党委办、纪委办定期通报, keeps the 台账): every linked unit and activity; assigns
  linked units (联系点) and may correct any activity;
- a leader (班子成员): their own linked units and the activities they took part in; records their own activities and
  corrects those they recorded;
- everyone else: none of it (they see the regulations the module is built on).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from governance.models import Person
from governance.roles import is_leader, is_office
from outreach.models import Activity, ActivityAttachment, LinkedContact, RaisedIssue

_NO_PERSON = object()


def person_of(user: Any) -> Person | None:
    """The governance.Person of a login, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_outreach_person", _NO_PERSON)
    if cached is _NO_PERSON:
        cached = Person.objects.filter(user_id=user.pk).first()
        user._outreach_person = cached
    return cached  # type: ignore[return-value]


def may_record(user: Any) -> bool:
    """The office records for any leader; a leader with a person record records their own."""
    return is_office(user) or (is_leader(user) and person_of(user) is not None)


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    if is_office(user):
        return Activity.objects.all()
    person = person_of(user) if is_leader(user) else None
    if person is None:
        return Activity.objects.none()
    through = Activity.leaders.through
    return Activity.objects.filter(pk__in=through.objects.filter(person_id=person.pk).values("activity_id"))


def contacts_visible_to(user: Any) -> QuerySet[LinkedContact]:
    if is_office(user):
        return LinkedContact.objects.all()
    person = person_of(user) if is_leader(user) else None
    if person is None:
        return LinkedContact.objects.none()
    return LinkedContact.objects.filter(leader=person)


def can_view(user: Any, activity: Activity) -> bool:
    return activities_visible_to(user).filter(pk=activity.pk).exists()


def can_edit(user: Any, activity: Activity) -> bool:
    """The office, or the login that recorded it (a leader corrects what they entered)."""
    if is_office(user):
        return True
    return bool(user.is_authenticated and activity.recorded_by_id == user.pk and can_view(user, activity))


def can_download(user: Any, attachment: ActivityAttachment) -> bool:
    return can_view(user, attachment.activity)


def issues_visible_to(user: Any) -> QuerySet[RaisedIssue]:
    """The office: every issue. A leader: those they handle. Anyone signed in: those they raised themselves."""
    if is_office(user):
        return RaisedIssue.objects.all()
    if not getattr(user, "is_authenticated", False):
        return RaisedIssue.objects.none()
    match = Q(raised_by_id=user.pk)
    person = person_of(user) if is_leader(user) else None
    if person is not None:
        match |= Q(owner_id=person.pk)
    return RaisedIssue.objects.filter(match)


def can_handle_issue(user: Any, issue: RaisedIssue) -> bool:
    """Answer, transfer, feedback, close: the office and the leader who owns it."""
    if is_office(user):
        return True
    person = person_of(user) if is_leader(user) else None
    return person is not None and issue.owner_id == person.pk
