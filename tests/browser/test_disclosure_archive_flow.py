"""The disclosure archive (党务公开, 003 四（四）资料归档): a visitor without a login goes from the public page to the
archive and finds an archived public item by a word of its content, while the archived item for Party members stays
out of sight; a Party member finds that one too, narrows by year and category, and opens it; the office downloads the
archive's Excel register. On a phone the archive fits the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from disclosure.models import Category, ItemState, Scope
from disclosure.tests.factories import committee_member, office_user, party_member, propose, walk
from governance.tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, wednesday):
    office = office_user(username="bangongshi")
    approver = committee_member(name="林书记", username="linshuji").user
    party_member(username="dangyuan")
    for title, content, scope, category, start in (
        (
            "2025年度党委工作计划",
            "<p>全年安排中心组学习十二次。</p>",
            Scope.PUBLIC,
            Category.OPERATION,
            dt.date(2025, 3, 1),
        ),
        (
            "年度发展党员情况",
            "<p>全年发展党员二十名。</p>",
            Scope.MEMBERS,
            Category.ORGANIZATION,
            dt.date(2026, 6, 1),
        ),
        ("干部任前公示", "<p>拟任处级干部三名。</p>", Scope.PUBLIC, Category.CADRES, dt.date(2026, 9, 1)),
    ):
        item = propose(
            office, title=title, content=content, scope=scope, category=category, publish_from=start
        )
        walk(item, ItemState.ARCHIVED, office=office, approver=approver)


def _rows(page):
    return page.locator(".disclosure-archive-row")


def test_a_visitor_and_a_member_search_the_archive_and_the_office_exports_it(
    page, live_server, world, log_in, browser, console_errors
):
    page.goto(f"{live_server.url}/disclosure/public/")
    page.get_by_role("link", name="档案").click()
    expect(_rows(page)).to_have_count(2)
    expect(page.locator(".disclosure-archive")).not_to_contain_text("年度发展党员情况")
    page.get_by_label("搜索").fill("中心组")
    page.get_by_role("button", name="筛选").click()
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page)).to_contain_text("2025年度党委工作计划")

    member = browser.new_page(locale="zh-CN")
    member.goto(f"{live_server.url}/accounts/login/")
    member.get_by_label("用户名").fill("dangyuan")
    member.get_by_label("密码").fill(PASSWORD)
    member.get_by_role("button", name="登录").click()
    member.goto(f"{live_server.url}/disclosure/archive/")
    expect(_rows(member)).to_have_count(3)
    member.get_by_label("年度").fill("2026")
    member.get_by_label("类别").select_option(label="基层组织建设情况")
    member.get_by_role("button", name="筛选").click()
    expect(_rows(member)).to_have_count(1)
    member.get_by_role("link", name="年度发展党员情况").click()
    expect(member.locator(".disclosure-archived")).to_have_text("已归档（四（四））")
    expect(member.locator(".disclosure-content")).to_contain_text("全年发展党员二十名。")

    log_in("bangongshi")
    page.goto(f"{live_server.url}/disclosure/archive/?scope=public")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel 登记簿").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert console_errors == []


def test_on_a_phone_the_archive_fits_the_screen(live_server, world, browser):
    phone = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/disclosure/archive/")
    expect(_rows(phone)).to_have_count(2)
    phone.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
