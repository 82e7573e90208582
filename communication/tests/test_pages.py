"""Every communication page: login required, office pages closed to others, list pages with bounded queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communication import services
from communication.models import MeetingKind, OpinionStance
from communication.tests.factories import (
    COLLEGE_KINDS,
    AgendaItemFactory,
    CollegeFactory,
    DemocraticLifeMeetingFactory,
    MeetingFactory,
    TalkFactory,
    make_team,
)

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "talk_list",
    "talk_create",
    "meeting_list",
    "opinion_awaiting",
    # Issue 8: a leader's agenda list holds the items they proposed or were asked about (test_held_back_items.py).
    "agenda_item_list",
    "absence_list",
    "absence_create",
]
OFFICE_PAGES = ["meeting_create", "agenda_item_create"]


@pytest.mark.parametrize("name", LIST_PAGES + OFFICE_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(f"communication:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "name", ["talk_detail", "meeting_detail", "sibitan_matrix", "agenda_item_detail", "opinion_respond"]
)
def test_anonymous_visitors_are_sent_to_log_in_from_detail_pages(client, name):
    response = client.get(reverse(f"communication:{name}", args=[1]))
    assert response.status_code == 302


@pytest.mark.parametrize("name", OFFICE_PAGES)
def test_office_pages_are_forbidden_to_leaders(client, name):
    (leader,) = make_team(CollegeFactory(), COLLEGE_KINDS[:1])
    client.force_login(leader.user)
    assert client.get(reverse(f"communication:{name}")).status_code == 403


@pytest.mark.parametrize("name", LIST_PAGES + OFFICE_PAGES)
def test_the_office_opens_every_page(client, office, name):
    client.force_login(office)
    assert client.get(reverse(f"communication:{name}")).status_code == 200


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_leader_opens_their_pages(client, name):
    (leader,) = make_team(CollegeFactory(), COLLEGE_KINDS[:1])
    client.force_login(leader.user)
    assert client.get(reverse(f"communication:{name}")).status_code == 200


def test_a_member_without_a_person_record_sees_empty_lists(client, outsider):
    client.force_login(outsider)
    for name in ("talk_list", "meeting_list", "opinion_awaiting", "absence_list"):
        assert client.get(reverse(f"communication:{name}")).status_code == 200
    assert client.get(reverse("communication:absence_create")).status_code == 403


def test_the_agenda_list_runs_a_constant_number_of_queries(client, office, django_assert_max_num_queries):
    org = CollegeFactory()
    secretary, dean, vice1, vice2, deputy = make_team(org, COLLEGE_KINDS)
    client.force_login(office)

    def add_item():
        item = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.JOINT, proposer=secretary)
        services.agenda_item_open_consultation(item=item, by=office)
        services.opinion_record(
            item=item, person=dean, stance=OpinionStance.DISAGREE, comment="再议", by=office
        )

    add_item()
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("communication:agenda_item_list"))
    for _ in range(20):
        add_item()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("communication:agenda_item_list"))
    assert response.content.decode().count("暂缓上会（意见不一致）") >= 21


def test_the_opinion_list_runs_a_constant_number_of_queries(client, office, django_assert_max_num_queries):
    org = CollegeFactory()
    secretary, dean, *_ = make_team(org, COLLEGE_KINDS)
    client.force_login(dean.user)

    def add_item():
        item = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.JOINT, proposer=secretary)
        services.agenda_item_open_consultation(item=item, by=office)

    add_item()
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("communication:opinion_awaiting"))
    for _ in range(20):
        add_item()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("communication:opinion_awaiting"))
    assert response.content.decode().count(">发表意见</a>") == 21


def test_detail_pages_run_a_bounded_number_of_queries(client, office, django_assert_max_num_queries):
    org = CollegeFactory()
    people = make_team(org, COLLEGE_KINDS)
    meeting = DemocraticLifeMeetingFactory(organization=org, chair=people[0], attendees=people)
    for a in people:
        for b in people:
            if a.pk < b.pk:
                TalkFactory(participants=[a, b])
    talk = TalkFactory(participants=people[:2])
    client.force_login(office)
    for url in (
        reverse("communication:meeting_detail", args=[meeting.pk]),
        reverse("communication:sibitan_matrix", args=[meeting.pk]),
        reverse("communication:talk_detail", args=[talk.pk]),
    ):
        # The 修改记录 of a meeting or talk (issue 8) reads its history in a fixed number of queries, at most six.
        with django_assert_max_num_queries(21):
            assert client.get(url).status_code == 200


def test_meeting_detail_for_a_meeting_with_agenda_items(client, office):
    org = CollegeFactory()
    secretary, *_ = make_team(org, COLLEGE_KINDS)
    meeting = MeetingFactory(organization=org, kind=MeetingKind.JOINT, chair=secretary)
    AgendaItemFactory(organization=org, meeting=meeting, title="上会的议题", proposer=secretary)
    client.force_login(office)
    assert (
        "上会的议题"
        in client.get(reverse("communication:meeting_detail", args=[meeting.pk])).content.decode()
    )
