"""The office takes the overview away from the screen: it reads when the figures were computed, downloads the Excel
workbook of 文学院's overview (the cells read as on the page) and opens the print view — on a desktop and a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from communication.models import MeetingKind
from communication.tests.factories import MeetingFactory, make_college_team, make_university_team, office_user
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def college(transactional_db, wednesday):
    """文学院 (pack 000) missed its coordination meeting in the cycle of 2—15 November and held one on 20 November."""
    SemesterFactory()
    university, _people = make_university_team()
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


def _screen_cells(page) -> list[list[str]]:
    """The overview table's rows as the reader sees them: each cell's text, whitespace collapsed."""
    return page.locator("table.overview-table tr").evaluate_all(
        """rows => rows.map(r => Array.from(r.querySelectorAll('th, td'))
               .map(c => c.innerText.replace(/\\s+/g, ' ').trim()))"""
    )


def test_the_office_downloads_the_overview_as_excel_and_opens_its_print_view(
    page, college, log_in, console_errors, tmp_path
):
    log_in("bangongshi")
    page.goto(page.url + "overview/?org=wxy")
    expect(page.locator(".overview-as-of")).to_contain_text("数据截至 2026年11月25日 10:00")
    on_screen = _screen_cells(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    saved = tmp_path / "overview.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "制度落实总览-文学院-2026-11-25.xlsx"
    sheet = load_workbook(saved).worksheets[0]
    assert sheet["A1"].value == "制度落实总览 · 文学院"
    assert str(sheet["A3"].value).startswith("数据截至 2026年11月25日 10:")
    in_excel = [
        [" ".join(str(v).split()) for v in row if v is not None]
        for row in sheet.iter_rows(min_row=5, values_only=True)
    ]
    assert in_excel == on_screen

    with page.context.expect_page() as opened:
        page.get_by_role("link", name="打印版").click()
    printed = opened.value
    printed.wait_for_load_state()
    expect(printed).to_have_url(re.compile(r"/overview/print/\?org=wxy&on=2026-11-25$"))
    expect(printed.get_by_role("heading", name="制度落实总览")).to_be_visible()
    expect(printed.get_by_role("navigation", name="主导航")).to_have_count(0)
    expect(printed.locator(".print-meta")).to_contain_text("文学院")
    expect(printed.locator(".print-meta")).to_contain_text("数据截至")
    expect(printed.locator(".status-legend")).to_contain_text("已免于考核")
    assert _screen_cells(printed) == on_screen
    expect(printed.get_by_role("button", name="打印")).to_be_visible()
    # On paper: the toolbar is gone, the table stays.
    printed.emulate_media(media="print")
    expect(printed.locator(".print-toolbar")).to_be_hidden()
    expect(printed.locator("table.overview-table")).to_be_visible()
    assert console_errors == []


def test_on_a_phone_the_export_and_print_links_fit_and_the_print_view_does_not_overflow(
    live_server, page, college, log_in, console_errors
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/overview/?org=wxy")

    expect(page.get_by_role("link", name="导出 Excel")).to_be_visible()
    expect(page.get_by_role("link", name="打印版")).to_be_visible()
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}/overview/print/?org=wxy")
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="← 返回制度落实总览").click()
    expect(page).to_have_url(re.compile(r"/overview/\?org=wxy&on=2026-11-25$"))
    assert console_errors == []
