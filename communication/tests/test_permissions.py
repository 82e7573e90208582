"""The object predicates (`rules`) and the queryset filters in communication/permissions.py say the same thing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from communication.models import Absence, Meeting, MeetingKind, Talk
from communication.permissions import (
    can_view_absence,
    can_view_meeting,
    can_view_meeting_records,
    can_view_talk,
    can_view_talk_notes,
)
from communication.tests.factories import (
    AbsenceFactory,
    CollegeFactory,
    HandoverFactory,
    LeaderFactory,
    MeetingFactory,
    TalkFactory,
    make_team,
)
from governance.models import PositionKind
from governance.tests.factories import LeadershipTeamFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office, outsider):
    org1 = CollegeFactory(name="一院")
    org2 = CollegeFactory(name="二院")
    a, b, c = make_team(org1, [PositionKind.SECRETARY, PositionKind.PRESIDENT, PositionKind.VICE_PRESIDENT])
    (d,) = make_team(org2, [PositionKind.SECRETARY])
    e = LeaderFactory(name="外单位人员")
    former = LeaderFactory(name="离任委员")
    PositionFactory(
        person=former,
        team=LeadershipTeamFactory(organization=org1),
        kind=PositionKind.COMMITTEE_MEMBER,
        start=dt.date(2020, 1, 1),
        end=dt.date(2025, 6, 30),
    )
    users = {
        "office": office,
        "a": a.user,
        "b": b.user,
        "c": c.user,
        "d": d.user,
        "e": e.user,
        "former": former.user,
        "outsider": outsider,
        "anonymous": AnonymousUser(),
    }
    talks = [
        TalkFactory(participants=[a, b]),
        TalkFactory(participants=[b, c]),
        TalkFactory(participants=[a, c, d]),
        TalkFactory(participants=[d, e]),
    ]
    meetings = [
        MeetingFactory(organization=org1, chair=a, attendees=[b], confidential=True),
        MeetingFactory(organization=org1, chair=a, attendees=[a, b], confidential=False),
        MeetingFactory(organization=org2, chair=d, observers=[c], confidential=True),
        MeetingFactory(organization=org2, chair=d, attendees=[e], confidential=False),
        MeetingFactory(organization=org1, chair=a, date=dt.date(2025, 1, 10), confidential=False),
        MeetingFactory(organization=org1, chair=a, date=dt.date(2025, 1, 10), confidential=True),
        MeetingFactory(organization=org1, chair=a, kind=MeetingKind.COORDINATION, date=dt.date(2026, 11, 1)),
    ]
    absence1 = AbsenceFactory(person=a, notified=[c])
    HandoverFactory(absence=absence1, covering=b)
    absences = [absence1, AbsenceFactory(person=d, leave_approved_by=e), AbsenceFactory(person=e)]
    return users, talks, meetings, absences


def _fresh(user):
    """A user object without the per-request caches, as each request would have."""
    if not user.is_authenticated:
        return user
    return type(user).objects.get(pk=user.pk)


def test_talk_predicates_agree_with_the_talk_querysets(world):
    users, talks, _meetings, _absences = world
    for name, user in users.items():
        visible = set(Talk.objects.visible_to(_fresh(user)).values_list("pk", flat=True))
        notes = set(Talk.objects.notes_visible_to(_fresh(user)).values_list("pk", flat=True))
        for talk in talks:
            assert can_view_talk(_fresh(user), talk) == (talk.pk in visible), (name, talk.pk)
            assert can_view_talk_notes(_fresh(user), talk) == (talk.pk in notes), (name, talk.pk)


def test_only_participants_and_the_office_may_read_a_talks_notes(world):
    users, talks, _meetings, _absences = world
    readers = {
        name
        for name, user in users.items()
        if can_view_talk_notes(_fresh(user), talks[0])  # a talk between a and b
    }
    assert readers == {"office", "a", "b"}


def test_meeting_predicates_agree_with_the_meeting_querysets(world):
    users, _talks, meetings, _absences = world
    for name, user in users.items():
        visible = set(Meeting.objects.visible_to(_fresh(user)).values_list("pk", flat=True))
        records = set(Meeting.objects.records_visible_to(_fresh(user)).values_list("pk", flat=True))
        for meeting in meetings:
            assert can_view_meeting(_fresh(user), meeting) == (meeting.pk in visible), (name, meeting.pk)
            assert can_view_meeting_records(_fresh(user), meeting) == (meeting.pk in records), (
                name,
                meeting.pk,
            )


def test_a_confidential_meetings_minutes_are_for_those_who_took_part(world):
    users, _talks, meetings, _absences = world
    confidential = meetings[0]  # org1, chair a, attendee b
    readers = {name for name, user in users.items() if can_view_meeting_records(_fresh(user), confidential)}
    assert readers == {"office", "a", "b"}
    # c sits on org1's team: may see that the meeting took place, not its minutes.
    assert can_view_meeting(_fresh(users["c"]), confidential)


def test_a_former_member_sees_the_meetings_of_their_time_only(world):
    users, _talks, meetings, _absences = world
    former = _fresh(users["former"])
    assert can_view_meeting(former, meetings[4])  # 2025-01-10, on the team then
    assert can_view_meeting_records(former, meetings[4])  # not confidential
    assert not can_view_meeting_records(former, meetings[5])  # confidential, did not attend
    assert not can_view_meeting(former, meetings[6])  # 2026, left in 2025


def test_absence_predicates_agree_with_the_absence_querysets(world):
    users, _talks, _meetings, absences = world
    for name, user in users.items():
        visible = set(Absence.objects.visible_to(_fresh(user)).values_list("pk", flat=True))
        for absence in absences:
            assert can_view_absence(_fresh(user), absence) == (absence.pk in visible), (name, absence.pk)


def test_rules_permissions_are_registered_under_their_own_names(world):
    users, talks, _meetings, _absences = world
    assert _fresh(users["a"]).has_perm("communication.read_talk_notes", talks[0])
    assert not _fresh(users["c"]).has_perm("communication.read_talk_notes", talks[0])
    assert _fresh(users["office"]).has_perm("communication.read_talk_notes", talks[0])
