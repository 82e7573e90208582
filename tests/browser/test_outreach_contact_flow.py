"""The office assigns a leader's 联系点 (003 二2) from the outreach module, is told what is missing when it forgets the
unit, and ends a link as of yesterday; the leader then sees their linked unit on the module's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from governance.tests.factories import SemesterFactory
from outreach.tests.factories import college, office_user, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db, wednesday):
    SemesterFactory()
    college()
    college("理学院", "lxy")
    office_user(username="bangongshi")
    return university_leader("黄晓峰", username="fuxiaozhang")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_office_assigns_and_ends_a_linked_unit(
    live_server, page, people, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/outreach/")
    page.get_by_role("link", name="安排联系点").click()

    page.get_by_label("班子成员").select_option(label="黄晓峰")
    page.get_by_role("button", name="安排").click()
    expect(page.get_by_text("联系基层单位须选择单位（003 二2）。")).to_be_visible()

    page.get_by_label("联系的基层单位").select_option(label="文学院")
    page.get_by_role("button", name="安排").click()
    expect(flash_message("已安排：黄晓峰 联系 文学院。")).to_be_visible()
    page.get_by_label("联系的基层单位").select_option(label="理学院")
    page.get_by_label("班子成员").select_option(label="黄晓峰")
    page.get_by_label("联系开始").fill("2026-09-01")
    page.get_by_role("button", name="安排").click()
    expect(flash_message("已安排：黄晓峰 联系 理学院。")).to_be_visible()

    row = page.locator(".outreach-contact-table tr").filter(has_text="理学院")
    row.get_by_label("联系结束日期").fill("2026-11-24")
    row.get_by_role("button", name="结束联系").click()
    expect(flash_message("已结束：黄晓峰 联系 理学院。")).to_be_visible()
    assert console_errors == []

    page.context.clear_cookies()
    log_in("fuxiaozhang")
    page.goto(f"{live_server.url}/outreach/")
    contacts = page.locator(".outreach-contacts")
    expect(contacts).to_contain_text("文学院")
    expect(contacts).not_to_contain_text("理学院")
