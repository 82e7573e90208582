"""A member of staff writes to the mailbox (意见箱, 004 第五条7) and is told what happens next; the leader it went to
transfers it to the leader in charge (移交, 第六条3); that leader answers, is refused closing it before feedback (件件有
回音), records the feedback and closes it; the member of staff then sees the answer under 我的诉求."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from governance import roles
from governance.models import PositionKind
from governance.tests.factories import SemesterFactory, UserFactory
from outreach.tests.factories import university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db, wednesday):
    SemesterFactory()
    UserFactory(username="jiaozhigong", groups=(roles.STAFF,))
    university_leader("黄晓峰", username="fuxiaozhang")
    university_leader("孙海涛", kind=PositionKind.VICE_PRESIDENT, username="sunhaitao")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_letter_is_transferred_answered_fed_back_and_closed(
    live_server, page, people, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("jiaozhigong")
    page.goto(f"{live_server.url}/outreach/")
    page.get_by_role("link", name="写意见箱").click()
    page.get_by_label("反映的事项").fill("实验室安全培训排期太晚")
    page.get_by_label("具体情况").fill("新进研究生要到期中才参加实验室安全培训。")
    page.get_by_label("希望由哪位校领导处理").select_option(label="黄晓峰")
    page.get_by_role("button", name="提交").click()
    expect(flash_message("已收到，已转交黄晓峰处理。")).to_be_visible()
    issue_url = page.url

    page.context.clear_cookies()
    log_in("fuxiaozhang")
    page.goto(issue_url)
    page.get_by_label("移交给校领导").select_option(label="孙海涛")
    page.get_by_label("移交理由").fill("属于安全稳定工作")
    page.get_by_role("button", name="移交").click()
    expect(flash_message("已移交。")).to_be_visible()

    page.context.clear_cookies()
    log_in("sunhaitao")
    page.goto(issue_url)
    expect(page.locator(".outreach-issue-events")).to_contain_text("属于安全稳定工作")
    page.locator("#id_answer-answer").fill("保卫处已将培训提前到开学第二周。")
    page.get_by_role("button", name="答复", exact=True).click()
    expect(flash_message("已答复。")).to_be_visible()
    page.get_by_role("button", name="办结").click()
    expect(page.get_by_text("尚未向反映人反馈，不能办结（件件有回音）。")).to_be_visible()
    page.get_by_label("反馈方式").select_option(label="门户答复（反映人登录可见）")
    page.get_by_role("button", name="登记反馈").click()
    expect(flash_message("已登记反馈。")).to_be_visible()
    page.get_by_role("button", name="办结").click()
    expect(flash_message("已办结。")).to_be_visible()
    assert console_errors == []

    page.context.clear_cookies()
    log_in("jiaozhigong")
    page.goto(f"{live_server.url}/outreach/issues/")
    page.get_by_role("link", name="实验室安全培训排期太晚").click()
    expect(page.locator(".outreach-answer")).to_contain_text("保卫处已将培训提前到开学第二周。")
    expect(page.locator(".outreach-issue-state")).to_have_text("已办结")
