"""Who may see and do what in outreach. One module for the querysets and the predicates, so lists, pages,
attachments and history agree.

- the office (党委办公室, 004 第六条2: 党委办、纪委办定期通报, keeps the 台账): every linked unit and activity; assigns
  linked units (联系点) and may correct any activity;
- a leader (班子成员): their own linked units and the activities they took part in; records their own activities and
  corrects those they recorded;
- the university Party secretary (党委书记), head of the assessment group (004 第六条1: 学校成立领导联系基层考核小组，由
  党委书记任组长，按学年汇总和考核): the yearly summary across leaders and the ledgers of the university leaders it lists;
  no other leader (副书记, 校长, 副校长, a college's secretary) sees them;
- everyone else: none of it (they see the regulations the module is built on).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from governance.models import Organization, Person, Position, PositionKind
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


def is_assessment_head(user: Any) -> bool:
    """The head of the assessment group (004 第六条1: 由党委书记任组长): whoever holds the university team's 党委书记
    position today. A college's 党委书记 heads no university assessment. Cached on the user for the request."""
    cached = getattr(user, "_outreach_assessment_head", None)
    if cached is None:
        person = person_of(user) if is_leader(user) else None
        cached = bool(
            person is not None
            and Position.objects.active_on(timezone.localdate())
            .filter(
                person_id=person.pk,
                kind=PositionKind.SECRETARY,
                team__organization__kind=Organization.Kind.UNIVERSITY,
            )
            .exists()
        )
        if getattr(user, "is_authenticated", False):
            user._outreach_assessment_head = cached
    return cached


def may_see_assessment(user: Any) -> bool:
    """The yearly summary (004 第六条1): the office, which keeps the 台账 and reports on it (第六条2), and the group's
    head."""
    return is_office(user) or is_assessment_head(user)


def may_see_ledger_of(user: Any, person: Person) -> bool:
    """A leader's ledger: the office, the leader themself, and the assessment group's head for a member of the
    university's team (the leaders the summary lists, 004 第六条1)."""
    if is_office(user):
        return True
    me = person_of(user) if is_leader(user) else None
    if me is None:
        return False
    if me.pk == person.pk:
        return True
    return is_assessment_head(user) and (
        Position.objects.filter(
            person_id=person.pk, team__organization__kind=Organization.Kind.UNIVERSITY
        ).exists()
    )


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
