"""Issue 8, as 文学院's secretary and the office see it on a desktop and on a phone (390×844): one vocabulary of
states with a legend on the dashboard, the overview and the 四必谈 matrix; the dashboard opens with what is still
owed, 去登记 first on each line, and folds what is done; an excused period is grey with its reason on hover; on a
phone the overview is a card per leader, the matrix a list of whom each member still has to talk with, and no page
scrolls sideways."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from communication import services
from communication.models import MeetingKind
from communication.tests.factories import (
    DemocraticLifeMeetingFactory,
    MeetingFactory,
    TalkFactory,
    make_college_team,
    make_university_team,
    office_user,
)
from governance.models import ObligationRule
from governance.services.obligations import obligation_excuse
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser
D = dt.date
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
REASON = "王院长本学期赴外校挂职"


@pytest.fixture
def college(transactional_db, wednesday):
    """文学院 (pack 000) on Wednesday 25 November 2026: the coordination cycle of 2—15 November missed, the one of
    16—29 November held; the democratic life meeting on 20 December, 李书记 having talked with 赵副院长 for it; an
    agenda item waiting for 李书记's opinion; the secretary–dean formal talk of the semester excused."""
    SemesterFactory()
    university, _university_people = make_university_team()
    college, people = make_college_team(university)
    secretary, dean, vice = people[0], people[1], people[2]
    MeetingFactory(
        kind=MeetingKind.COORDINATION,
        organization=college,
        title="工作碰头会（11月20日）",
        date=D(2026, 11, 20),
        chair=secretary,
        attendees=people[1:],
    )
    meeting = DemocraticLifeMeetingFactory(organization=college, chair=secretary)
    TalkFactory(participants=[secretary, vice], date=D(2026, 11, 10))
    office = office_user(username="bangongshi")
    item = services.agenda_item_create(
        created_by=office,
        organization=college,
        title="学院实验室开放管理办法（修订）",
        meeting_kind=MeetingKind.ADMINISTRATIVE,
        proposer=dean,
    )
    services.agenda_item_open_consultation(item=item, by=office)
    obligation_excuse(
        rule=ObligationRule.objects.get(code="000-secretary-dean-formal-talk"),
        period_start=D(2026, 8, 31),
        team=secretary.positions.get().team,
        person=secretary,
        counterpart=dean,
        reason=REASON,
        by=office,
    )
    return college, meeting


def _fits(page: Page) -> None:
    """No sideways scrolling: the page is no wider than the window."""
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url}: {width} > {inner}"


def _legend(page: Page) -> None:
    legend = page.get_by_role("list", name="图例")
    for words in ("已逾期", "即将到期", "进行中", "未开始", "已免于考核", "已完成"):
        expect(legend.locator(".status-badge", has_text=words)).to_have_count(1)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_secretary_sees_what_is_still_owed_first_and_the_done_items_folded(
    page, college, log_in, console_errors, size
):
    page.set_viewport_size(size)
    log_in("lishuji")

    open_items = page.locator(".leader-grid-open li.obligation")
    expect(open_items.first).to_be_visible()
    statuses = open_items.evaluate_all("items => items.map(i => i.dataset.status)")
    assert statuses
    assert not {"met", "excused"} & set(statuses)
    first = open_items.first
    expect(first.locator(".status-badge")).to_have_text("已逾期")
    # The first 去登记 is on the first screen, also on a phone.
    record = page.locator(".leader-grid-open a.record-link").first
    expect(record).to_be_in_viewport()
    _legend(page)

    # What is done or excused is folded: closed until asked for.
    folded = page.locator("details.obligations-settled")
    summary = folded.locator("summary")
    expect(summary).to_contain_text(
        "已完成 3 项"
    )  # this cycle's meeting; the year's and the 四必谈 talks with 赵副院长
    expect(summary).to_contain_text("已免于考核 1 项")
    excused = folded.locator("li.obligation[data-status=excused]")
    expect(excused).to_be_hidden()
    summary.click()
    expect(excused).to_be_visible()
    expect(excused.locator(".status-badge")).to_have_text("已免于考核")
    expect(excused).to_contain_text(f"免于考核：{REASON}")
    expect(folded.locator("li.obligation[data-status=met] .status-badge").first).to_have_text("已完成")
    _fits(page)
    assert console_errors == []


def test_on_a_phone_the_agenda_items_awaiting_the_secretary_are_one_tap_from_the_top(
    page, college, log_in, console_errors
):
    page.set_viewport_size(PHONE)
    log_in("lishuji")

    jump = page.get_by_role("navigation", name="本页内容")
    expect(jump).to_be_visible()
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is longer
    assert jump.bounding_box()["y"] < PHONE["height"] / 2
    jump.get_by_role("link", name="领导沟通").click()

    awaiting = page.get_by_text("待我发表意见的议题")
    expect(awaiting).to_be_in_viewport()
    expect(page.get_by_role("link", name="学院实验室开放管理办法（修订）")).to_be_in_viewport()
    # Open items first, then the panel, then what is done.
    open_box = page.locator(".leader-grid-open").bounding_box()
    panels_box = page.locator(".leader-grid-panels").bounding_box()
    settled_box = page.locator(".leader-grid-settled").bounding_box()
    assert open_box["y"] < panels_box["y"] < settled_box["y"]
    _fits(page)
    assert console_errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_office_reads_the_overview_in_one_vocabulary_with_the_excuse_on_hover(
    live_server, page, college, log_in, console_errors, size
):
    page.set_viewport_size(size)
    log_in("bangongshi")
    page.goto(f"{live_server.url}/overview/?org=wxy")

    _legend(page)
    line = page.locator("tr.overview-line").filter(has_text="李书记（党委书记）")
    excused = line.locator("a.status-badge[href*='rule=000-secretary-dean-formal-talk']")
    expect(excused).to_have_text("已免于考核")
    expect(excused).to_have_class(re.compile(r"\bstatus-excused\b"))
    expect(excused).to_have_attribute("title", re.compile(f"免于考核：{REASON}$"))
    coordination = page.locator("a.status-badge[href*='rule=000-coordination-meeting']")
    expect(coordination).to_have_text("已逾期")
    if size is PHONE:
        # A card per leader: the rules' header row gives way to the rule's name beside each state.
        expect(page.locator("table.overview-table thead")).to_be_hidden()
        cell = excused.locator("xpath=..")
        label = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"党委书记与院长正式谈心"'
        expect(line.locator("td.overview-cell-empty").first).to_be_hidden()
    _fits(page)

    excused.click()
    expect(page.get_by_role("heading", name="党委书记与院长正式谈心")).to_be_visible()
    badge = page.locator(".card .status-badge").first
    expect(badge).to_have_text("已免于考核")
    expect(page.locator(".card").first).to_contain_text(f"免于考核：{REASON}")
    _fits(page)
    assert console_errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_sibitan_matrix_shows_pairs_not_yet_due_as_in_progress_and_becomes_a_list_on_a_phone(
    live_server, page, college, log_in, console_errors, size
):
    _college, meeting = college
    page.set_viewport_size(size)
    log_in("lishuji")
    page.goto(f"{live_server.url}/communication/meetings/{meeting.pk}/sibitan/")

    expect(page.get_by_text("已谈 1 / 应谈 10")).to_be_visible()
    _legend(page)
    grid = page.locator("table.sibitan-matrix")
    by_person = page.locator(".sibitan-by-person")
    # 25 days before the meeting nobody is late: no red cross, no overdue badge.
    expect(
        page.locator("table.sibitan-matrix .status-overdue, .sibitan-by-person .status-overdue")
    ).to_have_count(0)
    assert "✗" not in page.locator("main").inner_text()
    if size is PHONE:
        expect(grid).to_be_hidden()
        expect(by_person).to_be_visible()
        mine = by_person.locator(".sibitan-person").filter(has_text="李书记").first
        expect(mine).to_contain_text("已谈 1 / 4")
        expect(mine.locator("li", has_text="王院长").locator(".status-badge")).to_have_text("进行中")
    else:
        expect(grid).to_be_visible()
        expect(by_person).to_be_hidden()
        expect(grid.locator("td[data-status=met]")).to_have_count(2)
        expect(grid.locator("td[data-status=on_track]")).to_have_count(18)
    _fits(page)
    assert console_errors == []
