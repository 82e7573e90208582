"""The evidence and event sources communication/ gives the obligation engine."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from communication.evidence import meeting_evidence, talk_evidence
from communication.models import MeetingKind
from communication.tests.factories import (
    CollegeFactory,
    DemocraticLifeMeetingFactory,
    LeaderFactory,
    MeetingFactory,
    TalkFactory,
)
from governance.engine import evidence as registry

pytestmark = pytest.mark.django_db

NOV_START, NOV_END = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


def test_the_sources_are_registered_when_the_app_is_ready():
    assert registry.get_source("communication.meeting") is meeting_evidence
    assert registry.get_source("communication.talk") is talk_evidence
    assert registry.get_event_source("communication.meeting") is meeting_evidence
    assert ("communication.talk", "谈心谈话（communication.talk）") in registry.source_choices()
    assert ("communication.meeting", "会议（communication.meeting）") in registry.source_choices()


# --- Meetings -----------------------------------------------------------------------------------------------------


def test_a_meeting_record_carries_its_people_organization_and_kind():
    chair, a, b, observer = (LeaderFactory() for _ in range(4))
    meeting = MeetingFactory(
        kind=MeetingKind.COORDINATION,
        chair=chair,
        attendees=[a, b],
        observers=[observer],
        date=dt.date(2026, 11, 6),
    )
    (record,) = meeting_evidence.gather(start=NOV_START, end=NOV_END)
    assert record.key == f"communication.meeting:{meeting.pk}"
    assert record.source == "communication.meeting"
    assert record.date == dt.date(2026, 11, 6)
    assert record.title == "碰头会"
    assert record.url == reverse("communication:meeting_detail", args=[meeting.pk])
    assert record.people == frozenset({chair.pk, a.pk, b.pk})  # observers (列席) do not count
    assert record.organization_id == meeting.organization_id
    assert record.attrs == {"kind": "coordination"}
    assert record.matches({"kind": "coordination"})
    assert not record.matches({"kind": "retreat"})


def test_meetings_outside_the_range_are_left_out():
    MeetingFactory(date=dt.date(2026, 10, 31))
    MeetingFactory(date=dt.date(2026, 12, 1))
    inside = MeetingFactory(date=dt.date(2026, 11, 30))
    assert [r.key for r in meeting_evidence.gather(start=NOV_START, end=NOV_END)] == [
        f"communication.meeting:{inside.pk}"
    ]


def test_meetings_are_found_by_people_or_by_organization():
    college, other = CollegeFactory(), CollegeFactory()
    chair, attendee, stranger = LeaderFactory(), LeaderFactory(), LeaderFactory()
    by_chair = MeetingFactory(organization=other, chair=chair)
    by_attendee = MeetingFactory(organization=other, chair=stranger, attendees=[attendee])
    by_org = MeetingFactory(organization=college, chair=stranger)
    MeetingFactory(organization=other, chair=stranger)

    def keys(**kwargs):
        return {r.key.split(":")[1] for r in meeting_evidence.gather(start=NOV_START, end=NOV_END, **kwargs)}

    assert keys(people=[chair.pk]) == {str(by_chair.pk)}
    assert keys(people=[attendee.pk]) == {str(by_attendee.pk)}
    assert keys(organizations=[college.pk]) == {str(by_org.pk)}
    assert keys(people=[chair.pk, attendee.pk], organizations=[college.pk]) == {
        str(by_chair.pk),
        str(by_attendee.pk),
        str(by_org.pk),
    }
    assert keys(people=[], organizations=[]) == set()


@pytest.mark.parametrize("count", [1, 50])
def test_gathering_meetings_takes_two_queries_whatever_the_number(count, django_assert_max_num_queries):
    college = CollegeFactory()
    people = [LeaderFactory() for _ in range(3)]
    for i in range(count):
        MeetingFactory(
            organization=college,
            chair=people[0],
            attendees=people,
            date=NOV_START + dt.timedelta(days=i % 30),
        )
    with django_assert_max_num_queries(2):
        records = meeting_evidence.gather(
            start=NOV_START, end=NOV_END, people=[p.pk for p in people], organizations=[college.pk]
        )
    assert len(records) == count
    assert all(r.people == frozenset(p.pk for p in people) for r in records)


# --- Talks --------------------------------------------------------------------------------------------------------


def test_a_talk_record_carries_its_participants_and_conditions_but_never_its_notes():
    a, b = LeaderFactory(name="王书记"), LeaderFactory(name="张院长")
    talk = TalkFactory(
        participants=[a, b],
        date=dt.date(2026, 11, 9),
        formal=True,
        topics=["thought", "work"],
        notes="保密内容",
    )
    (record,) = talk_evidence.gather(start=NOV_START, end=NOV_END, people=[a.pk])
    assert record.key == f"communication.talk:{talk.pk}"
    assert record.people == frozenset({a.pk, b.pk})
    assert record.organization_id is None
    assert record.url == reverse("communication:talk_detail", args=[talk.pk])
    assert record.attrs == {
        "formal": True,
        "topics": ("thought", "work"),
        "channel": "talk",
        "meeting_id": None,
    }
    assert record.title == "正式谈心：张院长、王书记"
    assert "保密内容" not in repr(record)
    assert record.matches({"formal": True})
    assert record.matches({"topics": "work"})
    assert not record.matches({"formal": False})


def test_talks_are_found_by_participant_only():
    a, b, c = LeaderFactory(), LeaderFactory(), LeaderFactory()
    TalkFactory(participants=[a, b])
    TalkFactory(participants=[b, c])
    assert len(talk_evidence.gather(start=NOV_START, end=NOV_END, people=[a.pk])) == 1
    assert len(talk_evidence.gather(start=NOV_START, end=NOV_END, people=[b.pk])) == 2
    assert len(talk_evidence.gather(start=NOV_START, end=NOV_END)) == 2
    # Talks belong to no organization.
    assert talk_evidence.gather(start=NOV_START, end=NOV_END, organizations=[CollegeFactory().pk]) == []


@pytest.mark.parametrize("count", [1, 50])
def test_gathering_talks_takes_three_queries_whatever_the_number(count, django_assert_max_num_queries):
    people = [LeaderFactory() for _ in range(4)]
    for i in range(count):
        TalkFactory(participants=people[i % 3 : i % 3 + 2], date=NOV_START + dt.timedelta(days=i % 30))
    with django_assert_max_num_queries(3):
        records = talk_evidence.gather(
            start=NOV_START, end=NOV_END, people=[p.pk for p in people], organizations=[1]
        )
    assert len(records) == count
    assert all(len(r.people) == 2 for r in records)


def test_record_links_lead_to_the_prefilled_forms():
    assert talk_evidence.record_url(
        rule_code="001-secretary-president-weekly", subject_person_id=3, counterpart_person_id=7
    ) == (f"{reverse('communication:talk_create')}?with=7&for=3&rule=001-secretary-president-weekly")
    assert meeting_evidence.record_url(
        rule_code="000-retreat-meeting", subject_person_id=3, counterpart_person_id=None
    ) == (f"{reverse('communication:meeting_create')}?rule=000-retreat-meeting&for=3")


def test_meetings_are_recorded_by_the_office_so_a_leader_gets_no_link_to_the_office_form():
    def path(source: str, *, for_office: bool) -> str:
        return registry.record_path(
            source,
            rule_code="001-coordination-meeting",
            subject_person_id=3,
            counterpart_person_id=7,
            for_office=for_office,
        )

    assert path("communication.meeting", for_office=False) == ""
    assert path("communication.meeting", for_office=True).startswith(reverse("communication:meeting_create"))
    # Leaders record their own talks.
    assert path("communication.talk", for_office=False).startswith(reverse("communication:talk_create"))
    assert path("no.such.source", for_office=True) == ""


# --- Events: democratic life meetings -------------------------------------------------------------------------------


def test_democratic_life_meetings_are_events_whose_preparation_overlaps_the_range():
    college = CollegeFactory()
    meeting = DemocraticLifeMeetingFactory(
        organization=college, date=dt.date(2026, 12, 20), preparation_start=dt.date(2026, 11, 15)
    )
    DemocraticLifeMeetingFactory(date=dt.date(2026, 3, 20), preparation_start=dt.date(2026, 3, 1))
    MeetingFactory(kind=MeetingKind.COORDINATION, date=dt.date(2026, 11, 20))
    (event,) = meeting_evidence.events(
        start=NOV_START, end=NOV_END, organizations=None, params={"kind": "democratic_life"}
    )
    assert event.key == f"communication.meeting:{meeting.pk}"
    assert (event.preparation_start, event.date) == (dt.date(2026, 11, 15), dt.date(2026, 12, 20))
    assert event.organization_id == college.pk
    assert event.url == reverse("communication:meeting_detail", args=[meeting.pk])
    assert (
        meeting_evidence.events(start=NOV_START, end=NOV_END, organizations=[CollegeFactory().pk], params={})
        == []
    )
    # A range that ends before the preparation starts does not see it.
    assert (
        meeting_evidence.events(start=NOV_START, end=dt.date(2026, 11, 14), organizations=None, params={})
        == []
    )
