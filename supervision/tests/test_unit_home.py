"""The home of a unit's head or liaison (QA walk-through of issue 9, defect 1): they are neither office nor leaders, so
they land on the member home, which shows their units' open tasks by colour, each with what it needs from them next
(回复通知、报送进展、报结、补充退回意见; a co-unit 报送协办进展), in a constant number of queries. Staff who answer for
no unit see no supervision panel."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import roles
from governance.tests.factories import PersonFactory, UserFactory
from supervision import selectors, services
from supervision.tests.conftest import TODAY
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def tasks(office, unit, other_unit, leader, liaison):
    """教务处's tasks in each state a unit acts on, one it co-handles, one of another unit and one finished."""
    notified = walk(
        register(
            office, lead_unit=unit, leader=leader, title="修订学籍管理办法", deadline=dt.date(2026, 12, 31)
        ),
        "notified",
        office=office,
    )
    overdue = walk(
        register(
            office,
            lead_unit=unit,
            leader=leader,
            title="完成课程思政示范课评选",
            assigned_on=dt.date(2026, 9, 1),
            deadline=dt.date(2026, 10, 23),
        ),
        "in_progress",
        office=office,
    )
    returned = walk(
        register(office, lead_unit=unit, leader=leader, title="整改期中教学检查问题"),
        "submitted",
        office=office,
    )
    services.task_return(
        task=returned, user=office, reason="缺少整改台账。", new_deadline=dt.date(2026, 12, 11)
    )
    cycled = walk(
        register(office, lead_unit=unit, leader=leader, title="推进专业认证", report_cycle=14),
        "in_progress",
        office=office,
    )
    co_handled = walk(
        register(office, lead_unit=other_unit, leader=leader, title="联合申报教学成果奖", co_units=[unit]),
        "in_progress",
        office=office,
    )
    walk(
        register(office, lead_unit=other_unit, leader=leader, title="科研经费管理自查"),
        "in_progress",
        office=office,
    )
    walk(register(office, lead_unit=unit, leader=leader, title="已办结的事项"), "completed", office=office)
    return {
        "notified": notified,
        "overdue": overdue,
        "returned": returned,
        "cycled": cycled,
        "co": co_handled,
    }


def test_a_units_liaison_sees_their_units_open_tasks_on_their_home_with_what_each_needs_next(
    client, liaison, tasks
):
    client.force_login(liaison.user)
    page = _text(client.get(reverse("home")))
    assert "本单位的督办事项（教务处）" in page
    assert "逾期 1" in page  # the colour counts
    assert "完成课程思政示范课评选 逾期 28 天 主办 下一步：报结 已逾期，正在催办" in page
    assert "整改期中教学检查问题" in page
    assert "下一步：补充退回意见 督查小组退回：缺少整改台账。" in page
    assert "修订学籍管理办法" in page
    assert "下一步：回复通知 收到督查督办通知单后签收" in page
    assert "推进专业认证" in page
    # The cycle the engine's rule counts (第五条, 003-supervision-progress-report): from the notice day, due on its last.
    assert (
        "下一步：报送进展 每两周报送一次（第五条），第 1 期（2026-11-20—2026-12-03）应在 2026-12-03 前报送。"
        in page
    )
    assert "联合申报教学成果奖" in page
    assert "协办 下一步：报送协办进展 贵单位协办（主办单位：科学研究处）" in page
    assert "办理时限 2026-10-23" in page
    assert "科研经费管理自查" not in page  # another unit's task
    assert "已办结的事项" not in page  # nothing left to do
    assert "全部 5 项在办事项" in page
    # Not told there is nothing to do for them here: the home leads with their tasks.
    assert "为什么这里没有待办事项" not in page
    assert page.index("本单位的督办事项") < page.index("您可以使用")


def test_the_most_overdue_task_comes_first(liaison, tasks):
    panel = selectors.unit_panel(liaison.user, today=TODAY)
    assert panel.tasks[0].title == "完成课程思政示范课评选"
    assert panel.counts == {"red": 1, "amber": 0, "green": 4}


def test_the_unit_head_sees_the_same_panel(client, unit, tasks):
    from supervision.tests.factories import UnitContactFactory

    head = UnitContactFactory(organization=unit, role="head", person__name="高处长").person
    client.force_login(head.user)
    page = _text(client.get(reverse("home")))
    assert "本单位的督办事项（教务处）" in page
    assert "完成课程思政示范课评选" in page


def test_staff_who_answer_for_no_unit_see_no_supervision_panel(client, tasks):
    staff = PersonFactory(name="普通教工", user=UserFactory(groups=(roles.STAFF,))).user
    client.force_login(staff)
    page = _text(client.get(reverse("home")))
    assert "本单位的督办事项" not in page
    assert selectors.unit_panel(staff, today=TODAY) is None


def test_a_liaison_of_a_unit_with_nothing_to_do_is_told_so(client, other_liaison):
    client.force_login(other_liaison.user)
    page = _text(client.get(reverse("home")))
    assert "本单位的督办事项（科学研究处）" in page
    assert "本单位目前没有需要办理的督办事项。" in page
    assert "为什么这里没有待办事项" in page  # nothing asked of them: the card stays


def _queries(user_id: int) -> int:
    user = get_user_model().objects.get(pk=user_id)  # nothing cached on the login
    with CaptureQueriesContext(connection) as captured:
        selectors.unit_panel(user, today=TODAY)
    return len(captured)


def test_the_panel_asks_as_many_queries_for_many_tasks_as_for_one(
    office, unit, leader, liaison, django_assert_max_num_queries
):
    walk(register(office, lead_unit=unit, leader=leader, title="第一项"), "in_progress", office=office)
    one = _queries(liaison.user_id)
    for n in range(8):
        task = walk(
            register(office, lead_unit=unit, leader=leader, title=f"事项{n}", report_cycle=14),
            "in_progress",
            office=office,
        )
        services.progress_report(task=task, user=liaison.user, unit=unit, text="进展")
    assert _queries(liaison.user_id) == one
    # the login's groups, person and units, the units' names, the counts, the rows; the workday calendar's data
    with django_assert_max_num_queries(8):
        selectors.unit_panel(get_user_model().objects.get(pk=liaison.user_id), today=TODAY)
