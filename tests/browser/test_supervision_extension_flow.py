"""An extension requested and approved (督查督办, 第五条): the lead unit's liaison asks, on the task's page, for a later
deadline with the reason; a request with no reason is refused and says why, keeping the date typed; the office's home
shows the request waiting; the responsible leader finds it on their home, approves it on the task's page; the page
then shows the new deadline beside the original one, and the timeline both."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from communication.tests.factories import make_university_team
from governance.tests.factories import PASSWORD, SemesterFactory
from supervision import services
from supervision.tests.factories import DepartmentFactory, UnitContactFactory, office_user

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, wednesday):
    SemesterFactory()
    university, people = make_university_team(pack=None)
    office = office_user(username="bangongshi")
    unit = DepartmentFactory(name="教务处", code="jwc")
    UnitContactFactory(organization=unit, person__name="罗联络", person__user__username="jwc_lianluo")
    leader = people[2]
    task = services.task_register(
        registered_by=office,
        title="修订学生手册",
        source="work_plan",
        kind="special",
        assigned_on=dt.date(2026, 11, 2),
        lead_unit=unit,
        leader=leader,
        matter="完成学生手册修订并印发。",
        deadline=dt.date(2026, 12, 4),
    )
    task = services.task_notify(task=task, user=office, method="notice")
    services.task_accept(task=task, user=office)
    return {"task": task, "leader": leader}


def _login(browser, live_server, username):
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/")
    return page


def test_the_lead_unit_asks_for_an_extension_and_the_responsible_leader_approves_it(
    page, live_server, world, log_in, flash_message, console_errors, browser
):
    task_url = f"{live_server.url}/supervision/tasks/{world['task'].pk}/"
    liaison = _login(browser, live_server, "jwc_lianluo")
    liaison.goto(task_url)
    liaison.locator("details", has=liaison.locator("input[name=action][value=ext_request]")).locator(
        "summary"
    ).click()
    liaison.get_by_label("申请延至").fill("2026-12-18")
    liaison.get_by_role("button", name="申请延期").click()
    expect(liaison.get_by_text("请写明不能按时办结的特殊情况（第五条）。")).to_be_visible()
    expect(liaison.get_by_label("申请延至")).to_have_value("2026-12-18")
    liaison.get_by_label("延期理由").fill("需待学校章程修订后同步修订。")
    liaison.get_by_role("button", name="申请延期").click()
    expect(liaison.locator(".alert-dismissible").filter(has_text="延期申请已提交")).to_be_visible()
    expect(liaison.locator(".task-extensions")).to_contain_text("由 2026-12-04 延至 2026-12-18")
    expect(liaison.locator(".task-extensions")).to_contain_text("待分管校领导审批")

    log_in("bangongshi")
    expect(page.locator(".attention-supervision")).to_contain_text("申请延至 2026-12-18")

    leader = _login(browser, live_server, world["leader"].user.username)
    expect(leader.locator(".supervision-leader-panel")).to_contain_text("延期申请待您审批")
    leader.locator(".supervision-leader-panel").get_by_role("link", name="修订学生手册").first.click()
    leader.get_by_label("同意延期", exact=True).check()
    leader.get_by_label("审批意见").fill("同意，请按新时限办结。")
    leader.get_by_role("button", name="提交审批意见").click()
    expect(
        leader.locator(".alert-dismissible").filter(has_text="已同意延期，办理时限改为 2026-12-18")
    ).to_be_visible()
    expect(leader.locator(".task-facts")).to_contain_text("2026-12-18")
    expect(leader.locator(".task-facts")).to_contain_text("原定 2026-12-04")
    timeline = leader.locator(".task-timeline")
    expect(timeline.get_by_text("申请延期", exact=True)).to_be_visible()
    expect(timeline.get_by_text("同意延期", exact=True)).to_be_visible()
    assert console_errors == []
