"""A supervised task from a meeting's decision to the archive (督查督办, 第四条): the office turns a meeting of the
university's leaders into a task ("转为督办事项"), sends the notice and prints it; the lead unit's liaison accepts it,
reports progress with an attachment and submits; the office returns it with a new deadline (第四条（四）); the liaison
submits again; the office completes and archives it. The timeline and the audit history show every step, and another
unit's liaison cannot open the task."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from communication.tests.factories import MeetingFactory, make_university_team
from governance.tests.factories import PASSWORD, SemesterFactory
from supervision.tests.factories import DepartmentFactory, UnitContactFactory, office_user

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, wednesday, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    SemesterFactory()
    university, people = make_university_team(pack=None)
    office_user(username="bangongshi")
    meeting = MeetingFactory(
        organization=university, chair=people[0], title="校领导碰头会", kind="coordination"
    )
    unit = DepartmentFactory(name="教务处", code="jwc")
    UnitContactFactory(organization=unit, person__name="罗联络", person__user__username="jwc_lianluo")
    other = DepartmentFactory(name="科学研究处", code="kyc")
    UnitContactFactory(organization=other, person__name="任联络", person__user__username="kyc_lianluo")
    return {"meeting": meeting, "leader": people[2], "unit": unit}


def _act(page, action: str):
    page.locator("details", has=page.locator(f"input[name=action][value={action}]")).locator(
        "summary"
    ).click()


def test_a_task_goes_from_a_meeting_decision_through_every_state_to_the_archive(
    page, live_server, world, log_in, flash_message, console_errors, tmp_path, browser
):
    log_in("bangongshi")
    page.goto(f"{live_server.url}/communication/meetings/{world['meeting'].pk}/")
    page.get_by_role("link", name="转为督办事项").click()
    expect(page.get_by_text(re.compile("校领导碰头会.*转为督办事项"))).to_be_visible()
    expect(page.get_by_label("事项来源（第二条）")).to_have_value("meeting")
    page.get_by_label("督办事项").fill("启用新版学生综合服务大厅")
    page.get_by_label("主办单位").select_option(label="教务处")
    page.get_by_label("分管校领导").select_option(value=str(world["leader"].pk))
    page.get_by_label("办理时限").fill("2026-12-18")
    page.get_by_label("督办内容").fill("按碰头会决定，学生综合服务大厅于期末前启用。")
    page.get_by_role("button", name="立项登记").last.click()
    expect(flash_message("已立项登记，编号 督〔2026〕1号。")).to_be_visible()
    task_url = page.url

    _act(page, "notify")
    page.get_by_role("button", name="督办通知").click()
    expect(flash_message("已发出督办通知")).to_be_visible()
    expect(page.locator(".task-state")).to_have_text("已通知")
    page.get_by_role("link", name="打印督查督办通知单").click()
    expect(page.get_by_role("heading", name="督查督办通知单")).to_be_visible()
    expect(page.get_by_text("编号：督〔2026〕1号")).to_be_visible()

    liaison = browser.new_page(locale="zh-CN")
    liaison.goto(f"{live_server.url}/accounts/login/")
    liaison.get_by_label("用户名").fill("jwc_lianluo")
    liaison.get_by_label("密码").fill(PASSWORD)
    liaison.get_by_role("button", name="登录").click()
    liaison.goto(f"{live_server.url}/supervision/")
    expect(liaison.get_by_role("heading", name="本单位的督办事项")).to_be_visible()
    liaison.get_by_role("link", name="启用新版学生综合服务大厅").click()
    _act(liaison, "accept")
    liaison.get_by_role("button", name="签收办理").click()
    expect(liaison.locator(".task-state")).to_have_text("办理中")
    upload = tmp_path / "进展材料.txt"
    upload.write_text("服务大厅装修已完成。", encoding="utf-8")
    liaison.get_by_label("进展情况").fill("装修已完成，正在调试系统。")
    liaison.get_by_label("附件").set_input_files(str(upload))
    liaison.get_by_role("button", name="报送进展").click()
    expect(liaison.get_by_role("link", name=re.compile("进展材料.txt"))).to_be_visible()
    _act(liaison, "submit")
    liaison.get_by_label("办理结果").fill("服务大厅已启用。")
    liaison.get_by_role("button", name="报结").click()
    expect(liaison.locator(".task-state")).to_have_text("已报结")
    expect(liaison.get_by_role("button", name="审核办结")).to_have_count(0)

    page.goto(task_url)
    _act(page, "return")
    page.get_by_role("button", name="退回限期办理").click()  # nothing filled in: refused, said why
    expect(page.get_by_text("请写明退回的理由：哪些应办理而未办理或未办理好。")).to_be_visible()
    page.get_by_label("退回理由").fill("缺少启用后的运行情况。")
    page.get_by_label("新的办理时限").fill("2026-12-28")
    page.get_by_role("button", name="退回限期办理").click()
    expect(page.locator(".task-state")).to_have_text("已退回")

    liaison.reload()
    _act(liaison, "submit")
    liaison.get_by_label("办理结果").fill("已补充运行情况报告。")
    liaison.get_by_role("button", name="报结").click()
    expect(liaison.locator(".task-state")).to_have_text("已报结")

    page.reload()
    _act(page, "complete")
    page.get_by_role("button", name="审核办结").click()
    expect(page.locator(".task-state")).to_have_text("已办结")
    _act(page, "archive")
    page.get_by_role("button", name="立卷归档").click()
    expect(page.locator(".task-state")).to_have_text("已归档")

    timeline = page.locator(".task-timeline")
    for step in (
        "立项登记",
        "督办通知",
        "签收办理",
        "反馈进展",
        "报结",
        "退回限期办理",
        "审核办结",
        "立卷归档",
    ):
        expect(timeline.get_by_text(step, exact=True).first).to_be_visible()
    expect(timeline.get_by_text("缺少启用后的运行情况。")).to_be_visible()
    page.get_by_role("link", name="审计历史").click()
    history = page.locator(".task-history")
    for reason in ("立项登记", "督办通知", "签收办理", "报结", "退回限期办理", "审核办结", "立卷归档"):
        expect(history.get_by_text(reason, exact=True).first).to_be_visible()

    other = browser.new_page(locale="zh-CN")
    other.goto(f"{live_server.url}/accounts/login/")
    other.get_by_label("用户名").fill("kyc_lianluo")
    other.get_by_label("密码").fill(PASSWORD)
    other.get_by_role("button", name="登录").click()
    response = other.goto(task_url)
    assert response.status == 404
    assert console_errors == []
