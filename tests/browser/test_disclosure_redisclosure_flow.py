"""Re-disclosure (党务公开, 003 三（一）4 再公开程序): a public item is revised by the office, approved again by a committee
member and published as version 2; an anonymous visitor sees on the public page that it was revised and, on its
page, what changed; the office still finds the first version, archived."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from disclosure import services
from disclosure.models import ItemState
from disclosure.tests.factories import TODAY, committee_member, office_user, walk
from governance.tests.factories import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "校领导接待日安排"


@pytest.fixture
def world(transactional_db, wednesday):
    office = office_user(username="bangongshi")
    approver = committee_member(name="林书记", username="linshuji").user
    item = services.item_propose(
        user=office,
        title=TITLE,
        content="接待日为隔周周一下午。\n\n地点在行政楼一楼。",
        category="operation",
        topic="校领导接待日",
        nature="temporary",
        scope="public",
        form="website",
        publish_from=TODAY,
        publish_until=None,
    )
    return walk(item, ItemState.PUBLISHED, office=office, approver=approver)


def _act(page, action: str):
    page.locator("details", has=page.locator(f"input[name=action][value={action}]")).locator(
        "summary"
    ).click()


def test_a_revised_item_is_approved_again_and_the_public_sees_what_changed(
    page, live_server, world, log_in, flash_message, console_errors, browser
):
    log_in("bangongshi")
    page.goto(f"{live_server.url}{world.get_absolute_url()}")
    _act(page, "revise")
    page.get_by_label("说明").fill("接待地点调整。")
    page.get_by_role("button", name="再公开（修订）").click()
    expect(flash_message("已起草第 2 版")).to_be_visible()
    # The content is in the rich-text editor (issue 11): replace it by typing, a paragraph per line.
    # The editor, once it has replaced the plain textarea (asked for by name, the textarea could match before).
    editor = page.locator(".prose-editor [contenteditable=true]")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("接待日为隔周周一下午。")
    page.keyboard.press("Enter")
    page.keyboard.type("地点改在学生事务中心。")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator(".disclosure-revised")).to_have_text("第 2 版 · 已修订")
    _act(page, "submit")
    page.get_by_role("button", name="报校党委审批").click()
    expect(page.locator(".disclosure-state")).to_have_text("待审批")
    revision_url = page.url

    shuji = browser.new_page(locale="zh-CN")
    shuji.goto(f"{live_server.url}/accounts/login/")
    shuji.get_by_label("用户名").fill("linshuji")
    shuji.get_by_label("密码").fill(PASSWORD)
    shuji.get_by_role("button", name="登录").click()
    shuji.goto(revision_url)
    expect(shuji.locator(".diff-added")).to_contain_text("地点改在学生事务中心。")
    _act(shuji, "approve")
    shuji.get_by_role("button", name="批准公开").click()
    expect(shuji.locator(".alert-dismissible").filter(has_text="已批准公开")).to_be_visible()

    page.goto(revision_url)
    _act(page, "publish")
    page.get_by_role("button", name="公开", exact=True).click()
    expect(page.locator(".disclosure-state")).to_have_text("已公开")
    page.locator(".disclosure-older").click()
    expect(page.locator(".disclosure-state")).to_have_text("已归档")
    expect(page.locator(".disclosure-content")).to_contain_text("地点在行政楼一楼。")

    visitor = browser.new_page(locale="zh-CN")
    visitor.goto(f"{live_server.url}/disclosure/public/")
    expect(visitor.locator(".disclosure-public-item")).to_have_count(1)
    expect(visitor.locator(".disclosure-revised")).to_have_text("已修订 · 第 2 版")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.locator(".disclosure-content")).to_contain_text("地点改在学生事务中心。")
    expect(visitor.locator(".diff-removed")).to_contain_text("地点在行政楼一楼。")
    assert console_errors == []
