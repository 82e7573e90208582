"""The office types a meeting's name and presses Enter: the meeting is saved (second walk-through, B7). The form's
default button — the first submit button, which Enter clicks — is 保存, not 按班子成员填入, which stays a submit
button that fills the team in without scripts."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from communication.models import Meeting
from communication.tests.factories import make_college_team, make_university_team, office_user
from governance.tests.factories import PASSWORD, SemesterFactory

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SHOTS_DIR")


@pytest.fixture
def college(transactional_db, wednesday):
    SemesterFactory()
    university, _people = make_university_team(pack=None)
    office_user(username="bangongshi")
    return make_college_team(university)


@pytest.mark.parametrize("width", [390, 1280])
def test_enter_in_the_meeting_name_saves_the_meeting(
    page, live_server, college, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/communication/meetings/new/?kind=coordination&organization={college[0].pk}")
    page.wait_for_load_state()
    attendees = page.get_by_role("group", name="参会人员")
    expect(attendees.get_by_label("王院长")).to_be_checked()
    # The hidden default button is out of sight: one 保存 button for the eye and for screen readers.
    expect(page.get_by_role("button", name="保存", exact=True)).to_have_count(1)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/meeting_form_{width}.png", full_page=True)

    page.get_by_label("开始时间").fill("15:00")
    page.get_by_label("会议名称").fill("文学院班子碰头会")
    page.get_by_label("会议名称").press("Enter")

    expect(flash_message("会议已登记。")).to_be_visible()
    expect(page.get_by_role("heading", name="文学院班子碰头会")).to_be_visible()
    meeting = Meeting.objects.get()
    assert meeting.title == "文学院班子碰头会"
    assert "王院长" in {p.name for p in meeting.attendees.all()}
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/meeting_saved_{width}.png", full_page=True)
    assert console_errors == []


def test_the_team_button_still_fills_the_team_in_without_scripts_and_saves_nothing(
    browser, live_server, college, wednesday
):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("bangongshi")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/communication/meetings/new/?kind=coordination")
    page.get_by_label("召开单位").select_option(label="文学院")
    page.get_by_label("会议名称").fill("文学院班子碰头会")
    page.get_by_role("button", name="按班子成员填入").click()
    page.wait_for_load_state()

    attendees = page.get_by_role("group", name="参会人员")
    expect(attendees.get_by_label("王院长")).to_be_checked()
    expect(page.get_by_label("会议名称")).to_have_value("文学院班子碰头会")
    assert Meeting.objects.count() == 0
    context.close()
