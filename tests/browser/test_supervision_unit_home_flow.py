"""The QA walk-through of issue 9, as stories. 教务处's liaison logs in and finds on her home what her unit owes —
the overdue task first, with what to do next — and opens it. The office enters the leader's approval given on the
paper form (第四条（一）) and the task says who entered it and how. The office turns a meeting's decision into a task
("转为督办事项") and finds the matter and the content filled in from the decision (第二条（三））."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from communication.models import AgendaItemStatus
from communication.tests.factories import AgendaItemFactory, MeetingFactory
from governance.tests.factories import PersonFactory, SemesterFactory
from supervision import services
from supervision.tests.factories import (
    DepartmentFactory,
    UnitContactFactory,
    office_user,
    register,
    university_leader,
    walk,
)


@pytest.fixture
def world(transactional_db, wednesday):
    SemesterFactory()
    office = office_user(username="bangongshi")
    PersonFactory(name="张敏", user=office)
    leader = university_leader("孙海涛")
    unit = DepartmentFactory(name="教务处", code="jwc")
    UnitContactFactory(organization=unit, person__name="罗晓燕", person__user__username="jwc_lianluo")
    other = DepartmentFactory(name="科学研究处", code="kyc")
    overdue = walk(
        register(
            office,
            lead_unit=unit,
            leader=leader,
            title="完成课程思政示范课评选",
            assigned_on=dt.date(2026, 9, 1),
            deadline=dt.date(2026, 10, 28),
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
    joint = register(office, lead_unit=unit, leader=leader, title="联合开展实验室安全检查", co_units=[other])
    meeting = MeetingFactory(title="校领导碰头会")
    AgendaItemFactory(
        meeting=meeting,
        organization=meeting.organization,
        meeting_kind=meeting.kind,
        title="启用学生综合服务大厅",
        decision="学生综合服务大厅于期末前启用，由教务处牵头。",
        status=AgendaItemStatus.DECIDED,
    )
    return {"overdue": overdue, "joint": joint, "meeting": meeting}


def test_a_liaison_finds_her_units_overdue_task_on_her_home_and_opens_it(
    page, live_server, world, log_in, console_errors
):
    log_in("jwc_lianluo")
    panel = page.locator(".supervision-unit-panel")
    expect(panel.get_by_role("heading", name="本单位的督办事项（教务处）")).to_be_visible()
    first = panel.locator(".unit-task").first
    expect(first).to_contain_text("完成课程思政示范课评选")
    expect(first).to_contain_text("逾期 28 天")
    expect(first).to_contain_text("下一步：报结")
    expect(panel.locator(".unit-task", has_text="整改期中教学检查问题")).to_contain_text(
        "下一步：补充退回意见"
    )
    expect(panel.locator(".unit-task", has_text="整改期中教学检查问题")).to_contain_text("缺少整改台账。")
    first.get_by_role("link", name="完成课程思政示范课评选").click()
    expect(page.get_by_role("heading", name="完成课程思政示范课评选")).to_be_visible()
    assert console_errors == []


def test_the_office_enters_the_leaders_paper_approval_and_the_task_says_who_entered_it(
    page, live_server, world, log_in, flash_message, console_errors
):
    log_in("bangongshi")
    page.goto(f"{live_server.url}{world['joint'].get_absolute_url()}")
    expect(page.locator(".task-approval")).to_have_text("待分管校领导孙海涛审定立项（第四条（一））")
    page.locator("summary", has_text="代为登记分管校领导的审定").click()
    page.get_by_role(
        "button", name="代为登记分管校领导的审定"
    ).click()  # how the leader approved is not said: refused
    expect(page.get_by_text("请选择分管校领导审定的方式：书面、电话或当面。")).to_be_visible()
    page.get_by_label("分管校领导审定的方式").select_option(label="书面")
    page.get_by_label("说明").fill("立项审批表 11 月 24 日签字。")
    page.get_by_role("button", name="代为登记分管校领导的审定").click()
    expect(flash_message("已代为登记：孙海涛已审定（书面）。可以发出督办通知。")).to_be_visible()
    expect(page.locator(".task-approval")).to_have_text("张敏代为登记：孙海涛已审定（书面）")
    timeline = page.locator(".task-timeline")
    expect(
        timeline.get_by_text("代为登记：分管校领导孙海涛已审定（书面）。立项审批表 11 月 24 日签字。")
    ).to_be_visible()
    expect(timeline.get_by_text("张敏", exact=False).first).to_be_visible()
    assert console_errors == []


def test_the_office_turns_a_meetings_decision_into_a_task_prefilled_from_it(
    page, live_server, world, log_in, console_errors
):
    log_in("bangongshi")
    page.goto(f"{live_server.url}/communication/meetings/{world['meeting'].pk}/")
    page.get_by_role("link", name="转为督办事项").click()
    expect(page.locator(".task-prefill")).to_contain_text(
        "督办事项和督办内容已按议题“启用学生综合服务大厅”的会议决定预填，请核对。"
    )
    expect(page.get_by_label("督办事项")).to_have_value("启用学生综合服务大厅")
    expect(page.get_by_label("督办内容")).to_have_value("学生综合服务大厅于期末前启用，由教务处牵头。")
    expect(page.get_by_label("来源议题").locator("option")).to_have_text(
        ["---------", "启用学生综合服务大厅"]
    )
    assert console_errors == []
