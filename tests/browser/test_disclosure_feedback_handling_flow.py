"""Feedback handling (党务公开, 003 三（一）3, 四（三）) as the people live it: a Party member leaves an opinion on an item
disclosed to Party members and finds it on their home (最新党务公开); the office hands it to 党委组织部 with a note,
records the department's answer and escalates it to the committee; a committee member finds it on their home with
who and why; the member reads the department's answer on the item's page. On a phone the handling forms stay usable."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from disclosure import services
from disclosure.models import ItemState
from disclosure.tests.factories import committee_member, office_user, party_member, propose, walk
from governance.models import Organization
from governance.tests.factories import PASSWORD, OrganizationFactory

pytestmark = pytest.mark.browser

TITLE = "第三季度党费收缴管理情况"


@pytest.fixture
def world(transactional_db, wednesday):
    office = office_user(username="bangongshi", first_name="张敏")
    approver = committee_member(name="林书记", username="linshuji").user
    party_member(username="dangyuan")
    OrganizationFactory(name="党委组织部", code="zzb", kind=Organization.Kind.DEPARTMENT)
    item = walk(propose(office, title=TITLE), ItemState.PUBLISHED, office=office, approver=approver)
    return item


def _sign_in(browser, live_server, username, **kwargs):
    page = browser.new_page(locale="zh-CN", **kwargs)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page


def test_an_opinion_goes_to_a_department_and_up_to_the_committee_and_the_member_reads_the_answer(
    page, live_server, world, log_in, flash_message, console_errors, browser
):
    member = _sign_in(browser, live_server, "dangyuan")
    expect(member.locator(".disclosure-member-panel")).to_contain_text(TITLE)
    member.locator(".disclosure-member-panel").get_by_role("link", name=TITLE).click()
    member.get_by_label("意见建议").fill("建议按党支部公布党费收缴明细。")
    member.get_by_role("button", name="提交意见").click()
    expect(member.locator(".alert-dismissible").filter(has_text="意见已提交")).to_be_visible()

    log_in("bangongshi")
    page.goto(f"{live_server.url}{world.get_absolute_url()}")
    page.locator(".feedback-handling summary").click()
    handling = page.locator(".feedback-handling")
    handling.get_by_label("承办部门（三（一）3：反馈给相关部门研究落实）").select_option(label="党委组织部")
    handling.locator(".assign-form").get_by_label("说明").fill("请研究后一周内答复。")
    handling.get_by_role("button", name="分派").click()
    expect(flash_message("已分派给党委组织部研究落实")).to_be_visible()
    page.locator(".feedback-handling summary").click()
    page.get_by_label("部门研究落实情况").fill("下季度起按党支部公布。")
    page.get_by_role("button", name="登记部门答复").click()
    expect(flash_message("已登记部门的研究落实情况")).to_be_visible()
    page.locator(".feedback-handling summary").click()
    page.get_by_role("button", name="上报校党委").click()  # no reason: refused, nothing saved
    expect(page.locator(".escalate-form")).to_contain_text("请写明上报校党委的理由。")
    page.get_by_label("上报校党委的理由（四（三）：涉及重要事项或重大问题）").fill(
        "涉及全校党费使用，须校党委研究。"
    )
    page.get_by_role("button", name="上报校党委").click()
    expect(flash_message("已上报校党委")).to_be_visible()
    expect(page.locator(".feedback-escalated")).to_contain_text("涉及全校党费使用，须校党委研究。")

    shuji = _sign_in(browser, live_server, "linshuji")
    panel = shuji.locator(".disclosure-escalated-panel")
    expect(panel).to_contain_text("上报校党委的党务公开意见")
    expect(panel).to_contain_text("涉及全校党费使用，须校党委研究。")
    panel.get_by_role("link", name=TITLE).click()
    expect(shuji.locator(".feedback-escalated")).to_contain_text("张敏")

    member.goto(f"{live_server.url}{world.get_absolute_url()}")
    expect(member.locator(".feedback-department")).to_contain_text("承办部门：党委组织部")
    expect(member.locator(".feedback-department-response")).to_contain_text("下季度起按党支部公布。")
    expect(member.locator(".feedback-escalated")).to_have_count(0)
    member.goto(f"{live_server.url}/")
    expect(member.locator(".my-feedback")).to_contain_text("已答复")
    assert console_errors == []


def test_on_a_phone_the_office_hands_an_opinion_on(page, live_server, world, browser, console_errors):
    from django.contrib.auth import get_user_model

    services.feedback_leave(
        item=world, user=get_user_model().objects.get(username="dangyuan"), text="建议公布使用情况。"
    )
    phone = _sign_in(browser, live_server, "bangongshi", viewport={"width": 390, "height": 844})
    phone.goto(f"{live_server.url}{world.get_absolute_url()}")
    phone.locator(".feedback-handling summary").click()
    select = phone.locator(".feedback-handling").get_by_label("承办部门（三（一）3：反馈给相关部门研究落实）")
    box = select.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    select.select_option(label="党委组织部")
    phone.locator(".feedback-handling").get_by_role("button", name="分派").click()
    expect(phone.locator(".alert-dismissible").filter(has_text="已分派给党委组织部")).to_be_visible()
    phone.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert console_errors == []
