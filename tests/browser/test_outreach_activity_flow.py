"""A leader records a class observation from the home page's 联系基层 card in a few taps (today, themselves and their
linked unit preselected; the 听课 fields appear when the kind is chosen), forgets the hours and is told so with the
input kept, lands on the activity's page, corrects it with a reason and finds the reason in its 修改记录."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from governance.tests.factories import SemesterFactory
from outreach.services import assign_contact
from outreach.tests.factories import college, office_user, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def leader(transactional_db, wednesday, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    SemesterFactory()
    unit = college()
    person = university_leader("黄晓峰", username="fuxiaozhang")
    assign_contact(
        by=office_user(username="bangongshi"),
        leader=person,
        kind="unit",
        organization=unit,
        start=dt.date(2026, 9, 1),
    )
    return person


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_leader_records_a_class_observation_and_corrects_it(
    live_server, page, leader, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("fuxiaozhang")
    panel = page.locator(".outreach-leader-panel")
    expect(panel).to_contain_text("文学院")
    panel.get_by_role("link", name="登记活动").click()

    expect(page.get_by_label("日期")).to_have_value("2026-11-25")
    expect(page.get_by_label("文学院")).to_be_checked()
    expect(page.get_by_label("课程")).to_be_hidden()
    page.get_by_label("活动类别").select_option(label="听课")
    expect(page.get_by_label("课程")).to_be_visible()
    page.get_by_label("课程").fill("中国现代文学")
    page.get_by_label("授课教师").fill("张老师")
    page.get_by_label("活动情况/听课记录").fill("课堂互动好，学生参与度高。")
    page.get_by_role("button", name="登记").click()

    expect(page.locator(".invalid-feedback, .text-danger").filter(has_text="听课须填写学时")).to_be_visible()
    expect(page.get_by_label("课程")).to_have_value("中国现代文学")
    page.get_by_label("学时").fill("2")
    page.get_by_role("button", name="登记").click()

    expect(flash_message("已登记：听课。")).to_be_visible()
    expect(page.locator(".outreach-activity")).to_contain_text("中国现代文学")
    expect(page.locator(".outreach-activity")).to_contain_text("2 学时（004 第五条4")

    page.get_by_role("link", name="修改", exact=True).click()
    page.get_by_label("学时").fill("3")
    page.get_by_label("修改原因").fill("学时登记有误")
    page.get_by_role("button", name="保存修改").click()
    expect(flash_message("已修改，修改原因已记入修改记录。")).to_be_visible()
    page.get_by_role("link", name="修改记录").click()
    expect(page.locator(".outreach-history")).to_contain_text("学时登记有误")
    expect(page.locator(".outreach-history")).to_contain_text("学时")
    assert console_errors == []
