"""A meeting's page and an agenda item's page list the supervised tasks registered from them (督查督办 第二条（三）:
会议决议、决定; QA walk-through 2, B2), each as a link with its number, state and title, to whoever may open the task
(the office, the responsible leader, the lead and co-units' people) and to nobody else; one query whatever the number
of tasks. 转为督办事项 stays the office's, and on an agenda item only once it has a decision."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communication.models import AgendaItemStatus
from communication.tests.factories import AgendaItemFactory, MeetingFactory
from governance.families import page_actions
from supervision.models import TaskSource
from supervision.tests.factories import DepartmentFactory, UnitContactFactory, office_user, register, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]

NOTE = "由本次会议决定转为督办事项"


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


@pytest.fixture
def unit(db):
    return DepartmentFactory(name="教务处", code="jwc")


@pytest.fixture
def setting(university):
    """A meeting of the university's team attended by 周校长 and 吴副校长, with a decided agenda item."""
    university_org, people = university
    meeting = MeetingFactory(organization=university_org, chair=people[0], attendees=[people[1], people[2]])
    item = AgendaItemFactory(
        meeting=meeting,
        organization=university_org,
        meeting_kind=meeting.kind,
        proposer=people[1],
        title="启用学生服务大厅",
        decision="同意启用学生服务大厅，由教务处牵头于年底前完成。",
        status=AgendaItemStatus.DECIDED,
    )
    return meeting, item, people


def _from(office, meeting, item, unit, leader, title="启用学生服务大厅"):
    return register(
        office,
        lead_unit=unit,
        leader=leader,
        title=title,
        source=TaskSource.MEETING,
        meeting=meeting,
        agenda_item=item,
    )


def _meeting_page(client, user, meeting) -> str:
    client.force_login(user)
    response = client.get(reverse("communication:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _item_page(client, user, item) -> str:
    client.force_login(user)
    response = client.get(reverse("communication:agenda_item_detail", args=[item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_sees_the_archived_task_registered_from_the_meeting_on_its_page_and_the_items(
    client, office, unit, setting
):
    meeting, item, people = setting
    task = walk(_from(office, meeting, item, unit, people[2]), "archived", office=office)
    link = f'href="{reverse("supervision:task_detail", args=[task.pk])}"'
    for page in (_meeting_page(client, office, meeting), _item_page(client, office, item)):
        assert link in page
        assert f"{task.number} 已归档：启用学生服务大厅" in page
        assert NOTE in page
        assert "转为督办事项" in page


def test_the_responsible_leader_sees_the_task_but_not_the_office_link(client, office, unit, setting):
    meeting, item, people = setting
    task = _from(office, meeting, item, unit, people[2])
    page = _meeting_page(client, people[2].user, meeting)
    assert f"{task.number} 立项登记：启用学生服务大厅" in page
    assert reverse("supervision:task_detail", args=[task.pk]) in page
    assert reverse("supervision:task_create") not in page


def test_an_attendee_who_may_not_open_the_task_sees_no_link_to_it_on_either_page(
    client, office, unit, setting
):
    meeting, item, people = setting
    task = _from(office, meeting, item, unit, people[2])
    page = _meeting_page(client, people[1].user, meeting)
    assert task.number not in page
    assert reverse("supervision:task_detail", args=[task.pk]) not in page
    page = _item_page(client, people[1].user, item)
    assert task.number not in page
    # …and the task's page itself stays closed to him.
    assert client.get(reverse("supervision:task_detail", args=[task.pk])).status_code == 404


def test_the_lead_and_co_units_people_are_given_the_link_and_another_units_are_not(office, unit, setting):
    meeting, item, people = setting
    co_unit = DepartmentFactory(name="学生工作部", code="xgb")
    other = DepartmentFactory(name="科学研究处", code="kyc")
    task = register(
        office,
        lead_unit=unit,
        leader=people[2],
        title="启用学生服务大厅",
        source=TaskSource.MEETING,
        meeting=meeting,
        co_units=[co_unit],
    )
    url = reverse("supervision:task_detail", args=[task.pk])
    for organization, expected in ((unit, [url]), (co_unit, [url]), (other, [])):
        person = UnitContactFactory(organization=organization).person
        found = [a.url for a in page_actions("communication.meeting", person.user, meeting)]
        assert found == expected


def test_an_agenda_item_without_a_decision_offers_no_turning_into_a_task(client, office, setting):
    meeting, item, people = setting
    undecided = AgendaItemFactory(
        meeting=meeting, organization=meeting.organization, meeting_kind=meeting.kind, proposer=people[1]
    )
    page = _item_page(client, office, undecided)
    assert "转为督办事项" not in page
    assert f"?agenda_item={undecided.pk}" not in page
    page = _item_page(client, office, item)
    assert f"{reverse('supervision:task_create')}?agenda_item={item.pk}" in page


def test_the_meeting_page_costs_the_same_queries_with_one_task_or_three(
    client, office, unit, setting, django_assert_max_num_queries
):
    meeting, item, people = setting
    _from(office, meeting, item, unit, people[2], title="第一项")
    client.force_login(people[2].user)
    url = reverse("communication:meeting_detail", args=[meeting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _from(office, meeting, item, unit, people[2], title="第二项")
    _from(office, meeting, item, unit, people[2], title="第三项")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count(NOTE) == 3
