"""The office checks how 文学院 carries out its regulation (000): it finds the missed coordination meeting cycle
(四（四）: 原则上每两周召开一次) in red, looks at the records behind it, and excuses the cycle with a reason."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from communication.models import MeetingKind
from communication.tests.factories import MeetingFactory, make_college_team, make_university_team, office_user
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser
REASON = "11月13日全院参加上级巡视反馈会，碰头会未召开"


@pytest.fixture
def college(transactional_db, wednesday):
    """文学院 (pack 000) missed its coordination meeting in the cycle of 2—15 November and held one on 20 November;
    the university's team (pack 001) is on the overview too."""
    SemesterFactory()
    university, _university_people = make_university_team()
    college, people = make_college_team(university)
    MeetingFactory(
        kind=MeetingKind.COORDINATION,
        organization=college,
        title="工作碰头会（11月20日）",
        date=dt.date(2026, 11, 20),
        chair=people[0],
        attendees=people[1:],
    )
    office_user(username="bangongshi")
    return college


def _coordination_cell(page: Page):
    """文学院's 班子整体 row × 领导班子工作碰头会 (a team rule: the only cell of that column)."""
    return page.locator("table.overview-table a[href*='rule=000-coordination-meeting']")


def test_the_office_finds_a_missed_meeting_cycle_on_the_overview_and_excuses_it_with_a_reason(
    page, college, log_in, flash_message, console_errors
):
    log_in("bangongshi")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="制度落实总览").click()
    expect(page.get_by_role("heading", name="制度落实总览")).to_be_visible()
    expect(page.locator("table.overview-table tbody th", has_text="林书记")).to_have_count(1)

    page.get_by_label("组织").select_option(label="文学院")
    page.get_by_role("button", name="筛选").click()

    expect(page).to_have_url(re.compile(r"/overview/\?org=wxy$"))
    expect(page.locator("table.overview-table tbody th", has_text="林书记")).to_have_count(0)
    teams = page.locator("table.overview-table tbody")
    expect(teams).to_have_count(1)
    expect(teams.get_by_role("rowheader").first).to_have_text("文学院领导班子")
    expect(teams.locator("tr").filter(has_text="班子整体")).to_have_count(1)
    cell = _coordination_cell(page)
    # The cell speaks of the missed cycle; the held one after it is named on hover.
    expect(cell).to_have_text("已逾期")
    expect(cell).to_have_class(re.compile(r"\bstatus-overdue\b"))
    expect(cell).to_have_attribute(
        "title", re.compile(r"^双周（11月2日—11月15日）\n另：双周（11月16日—11月29日） 已完成$")
    )

    cell.click()

    expect(page.get_by_role("heading", name="领导班子工作碰头会")).to_be_visible()
    expect(page.get_by_text("依据 《关于建立学院党政领导经常性沟通机制的暂行办法》四（四）")).to_be_visible()
    missed = page.locator(".card").filter(has_text="已逾期")
    expect(missed).to_contain_text("双周（2026年11月2日 — 2026年11月15日）")
    expect(missed).to_contain_text("本周期尚无计入的记录。")
    held = page.locator(".card").filter(has_text="已完成")
    expect(held.get_by_role("link", name="工作碰头会（11月20日）")).to_be_visible()
    expect(held.get_by_role("button", name="登记免于考核")).to_have_count(0)

    missed.get_by_role("button", name="登记免于考核").click()
    expect(flash_message("请填写免于考核的理由，例如“本周期会议日均为法定节假日”。")).to_be_visible()
    expect(page.locator(".card").filter(has_text="已逾期")).to_have_count(1)

    page.get_by_label("免于考核的理由").fill(REASON)
    page.get_by_role("button", name="登记免于考核").click()

    expect(flash_message("已登记免于考核，该周期不再计为逾期。")).to_be_visible()
    expect(page.locator(".card").filter(has_text="已逾期")).to_have_count(0)
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="制度落实总览").click()
    cell = _coordination_cell(page)
    expect(cell).not_to_have_class(re.compile(r"\bstatus-overdue\b"))
    expect(cell).to_have_attribute("title", re.compile(f"免于考核：{REASON}$"))
    college_rows = page.locator("table.overview-table tbody").filter(has_text="文学院领导班子")
    expect(college_rows.locator(".status-overdue")).to_have_count(0)
    assert console_errors == []


def test_on_a_phone_the_overview_fits_the_screen_and_a_red_cell_opens_its_records(
    live_server, page, college, log_in, console_errors
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/overview/?org=wxy")

    cell = _coordination_cell(page)
    expect(cell).to_have_text("已逾期")
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cell.click()
    expect(page.get_by_role("heading", name="领导班子工作碰头会")).to_be_visible()
    expect(page.get_by_label("免于考核的理由")).to_be_visible()
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert console_errors == []


def test_the_office_home_points_to_the_team_with_something_overdue(page, college, log_in, console_errors):
    log_in("bangongshi")

    attention = page.locator(".attention-obligations")
    college_line = attention.locator("li").filter(has_text="文学院领导班子")
    expect(college_line.locator(".status-overdue")).to_have_text("1 项已逾期")
    college_line.get_by_role("link", name="文学院领导班子").click()

    expect(page).to_have_url(re.compile(r"/overview/\?org=wxy$"))
    expect(_coordination_cell(page)).to_have_text("已逾期")
    assert console_errors == []
