"""A leader who also answers for a unit (issue 9 follow-up): a college's dean registered as the college's head
(单位负责人) is a leader, so their home is the leader's, not the member home where units' people find their units'
tasks. The supervision card on the leader's home then has a second section, 本单位的督办事项, the same as the unit
panel (第一条（一）: 牵头单位负责落实，相关单位协同办理): the college's open tasks by colour, each with its next step. A
leader who answers for no unit sees no such section and costs no query more; the section costs the same queries for
one task or many; the cached leader's home shows a change of the unit's tasks at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Organization, PositionKind
from governance.tests.factories import (
    LeadershipTeamFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)
from supervision import selectors, services
from supervision.models import UnitRole
from supervision.tests.conftest import TODAY
from supervision.tests.factories import UnitContactFactory, register, walk

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return _text(response)


@pytest.fixture
def college(db):
    return OrganizationFactory(name="文学院", code="wxy", kind=Organization.Kind.COLLEGE)


@pytest.fixture
def dean(office, college):
    """文学院's dean: a leader on the college's team, registered by the office as the college's head for supervision."""
    person = PersonFactory(name="刘文渊")
    PositionFactory(
        person=person, team=LeadershipTeamFactory(organization=college), kind=PositionKind.PRESIDENT
    )
    services.unit_contact_add(
        recorded_by=office, organization=college, person=person, role=UnitRole.HEAD, start=dt.date(2024, 1, 1)
    )
    return person


@pytest.fixture
def college_tasks(office, college, unit, leader):
    """文学院 leads one task notified, one overdue in progress, and co-handles one of 教务处's; 教务处 has one alone."""
    notified = walk(
        register(office, lead_unit=college, leader=leader, title="完成学科建设中期自评"),
        "notified",
        office=office,
    )
    overdue = walk(
        register(
            office,
            lead_unit=college,
            leader=leader,
            title="整改本科教学评估反馈问题",
            assigned_on=dt.date(2026, 9, 1),
            deadline=dt.date(2026, 10, 23),
        ),
        "in_progress",
        office=office,
    )
    co = walk(
        register(office, lead_unit=unit, leader=leader, title="联合修订课程思政方案", co_units=[college]),
        "in_progress",
        office=office,
    )
    walk(
        register(office, lead_unit=unit, leader=leader, title="修订学籍管理办法"),
        "in_progress",
        office=office,
    )
    return {"notified": notified, "overdue": overdue, "co": co}


def test_a_leader_who_heads_a_college_finds_its_tasks_on_their_home_with_what_each_needs_next(
    client, dean, college_tasks
):
    page = _home(client, dean.user)
    assert "本单位的督办事项（文学院）" in page
    assert "逾期 1" in page
    assert "整改本科教学评估反馈问题 逾期 28 天 主办 下一步：报结 已逾期，正在催办" in page
    assert "完成学科建设中期自评" in page
    assert "下一步：回复通知 收到督查督办通知单后签收" in page
    assert "联合修订课程思政方案" in page
    assert "协办 下一步：报送协办进展 贵单位协办（主办单位：教务处）" in page
    assert "修订学籍管理办法" not in page  # another unit's task
    assert "全部 3 项在办事项" in page
    # The dean is responsible for no task as a university leader: no empty 我分管的督办事项 card.
    assert "我分管的督办事项" not in page


def test_the_most_overdue_task_of_the_unit_comes_first_as_on_the_unit_panel(dean, college_tasks):
    panel = selectors.leader_panel(dean, today=TODAY)
    assert panel.total == 0
    # The unit panel's own selector: the same rows as the dean would see on the member home.
    assert [t.title for t in panel.unit.tasks] == [
        t.title for t in selectors.units_panel(_units(dean), today=TODAY).tasks
    ]
    assert panel.unit.tasks[0].title == "整改本科教学评估反馈问题"
    assert panel.unit.units == ["文学院"]
    assert panel.unit.counts == {"red": 1, "amber": 0, "green": 2}


def _units(person) -> frozenset[int]:
    from supervision.permissions import unit_ids_of_person

    return unit_ids_of_person(person.pk, TODAY)


def test_a_leader_responsible_for_tasks_who_also_heads_a_unit_sees_both_sections(
    client, office, college, unit, leader, college_tasks
):
    services.unit_contact_add(recorded_by=office, organization=unit, person=leader, role=UnitRole.HEAD)
    page = _home(client, leader.user)
    assert "我分管的督办事项" in page
    assert "本单位的督办事项（教务处）" in page
    assert page.index("我分管的督办事项") < page.index("本单位的督办事项")
    assert "修订学籍管理办法 剩 41 天 主办 下一步：报结" in page


def test_a_leader_who_answers_for_no_unit_sees_no_unit_section(client, leader, college_tasks):
    page = _home(client, leader.user)
    assert "我分管的督办事项" in page
    assert "本单位的督办事项" not in page
    assert selectors.leader_panel(leader, today=TODAY).unit is None


def test_a_leader_whose_unit_has_nothing_to_do_is_told_so(client, dean):
    page = _home(client, dean.user)
    assert "本单位的督办事项（文学院）" in page
    assert "本单位目前没有需要办理的督办事项。" in page


def test_a_leader_who_no_longer_answers_for_the_unit_sees_no_unit_section(client, college, college_tasks):
    former = PersonFactory(name="前任院长")
    UnitContactFactory(organization=college, person=former, role=UnitRole.HEAD, end=dt.date(2026, 9, 30))
    page = _home(client, former.user)
    assert "本单位的督办事项" not in page
    assert "整改本科教学评估反馈问题" not in page


def test_the_leader_opens_the_units_task_and_may_act_for_it(client, dean, college_tasks):
    client.force_login(dean.user)
    page = _text(client.get(college_tasks["notified"].get_absolute_url()))
    assert "签收办理" in page


def _queries(person) -> int:
    with CaptureQueriesContext(connection) as captured:
        selectors.leader_panel(person, today=TODAY)
    return len(captured)


def test_the_unit_section_asks_as_many_queries_for_many_tasks_as_for_one(
    office, college, leader, dean, django_assert_max_num_queries
):
    walk(register(office, lead_unit=college, leader=leader, title="第一项"), "in_progress", office=office)
    one = _queries(dean)
    for n in range(8):
        task = walk(
            register(office, lead_unit=college, leader=leader, title=f"事项{n}", report_cycle=14),
            "in_progress",
            office=office,
        )
        services.progress_report(task=task, user=office, unit=college, text="进展")
        services.extension_request(
            task=task, user=office, reason="等待批复。", proposed_deadline=dt.date(2027, 1, 15)
        )
    assert _queries(dean) == one
    # The workday data, the counts with whether they answer for a unit; the unit's ids, names, counts and rows.
    with django_assert_max_num_queries(6):
        selectors.leader_panel(dean, today=TODAY)


def test_a_leader_who_answers_for_no_unit_costs_no_query_more(leader, django_assert_max_num_queries):
    # The workday data and the counts (which also say that they answer for no unit); no task: no rows to read.
    with django_assert_max_num_queries(2):
        panel = selectors.leader_panel(leader, today=TODAY)
    assert panel.unit is None


def test_the_cached_leaders_home_shows_a_new_task_of_the_unit_and_a_request_for_more_time(
    client, office, college, unit, leader, dean, college_tasks
):
    assert "全部 3 项在办事项" in _home(client, dean.user)
    walk(
        register(office, lead_unit=unit, leader=leader, title="联合开展读书月活动", co_units=[college]),
        "notified",
        office=office,
    )
    page = _home(client, dean.user)
    assert "联合开展读书月活动" in page
    assert "全部 4 项在办事项" in page
    services.extension_request(
        task=college_tasks["notified"],
        user=dean.user,
        reason="需待学校学科办通知。",
        proposed_deadline=dt.date(2027, 1, 29),
    )
    assert "已申请延期至 2027-01-29，待分管校领导审批（第五条）" in _home(client, dean.user)
