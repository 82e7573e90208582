"""The issue's acceptance story: the university's Party secretary sees on their home page that last week's talk
with the president (001 三（一）: 校党委书记、校长原则上每周沟通不少于1次) is overdue, records it from the dashboard in
a few clicks, and sees the dashboard catch up; then records this week's and sees it turn green."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from communication.models import MeetingKind
from communication.tests.factories import MeetingFactory, make_university_team
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser
CITATION = "依据 《广西师范大学校领导班子成员沟通交流制度》"


@pytest.fixture
def university(transactional_db, wednesday):
    """Pack 001 for the university's team. The coordination meetings (001 一（二）, alternate Mondays) were held, and
    nobody has recorded a talk yet."""
    SemesterFactory()  # 2026—2027 autumn: 2026-08-31 — 2027-01-17
    university, (secretary, president, vice) = make_university_team()
    for monday in (dt.date(2026, 11, 9), dt.date(2026, 11, 23)):
        MeetingFactory(
            kind=MeetingKind.COORDINATION,
            organization=university,
            title="领导班子碰头会",
            date=monday,
            chair=secretary,
            attendees=[president, vice],
        )
    return university


def _weekly_talk(page: Page, status: str):
    return page.locator(f'li.obligation[data-rule="001-secretary-president-weekly"][data-status="{status}"]')


def _semester_talk_with(page: Page, name: str):
    return page.locator('li.obligation[data-rule="001-main-leaders-member-talk"]').filter(
        has_text=f"与 {name}"
    )


def test_the_secretary_records_last_weeks_overdue_talk_with_the_president_and_sees_the_dashboard_catch_up(
    page, university, log_in, console_errors
):
    log_in("linshuji")

    overdue = _weekly_talk(page, "overdue")
    expect(overdue).to_have_count(1)
    expect(overdue.locator(".status-badge")).to_have_text("已逾期")
    expect(overdue).to_contain_text("党委书记与校长沟通")
    expect(overdue).to_contain_text("与 周校长")
    expect(overdue).to_contain_text("2026年第47周（11月16日—11月22日）")
    expect(overdue).to_contain_text("完成 0/1次")
    expect(overdue.locator(".clause-ref")).to_have_text(f"{CITATION}三（一）")
    expect(page.get_by_text("1 项已逾期")).to_be_visible()
    expect(page.locator("li.obligation[data-status=overdue]")).to_have_count(1)

    overdue.get_by_role("link", name="去登记").click()

    expect(page.get_by_role("heading", name="登记谈心谈话")).to_be_visible()
    expect(page.get_by_label("周校长")).to_be_checked()
    expect(page.get_by_label("吴副校长")).not_to_be_checked()
    page.get_by_label("谈话日期").fill("2026-11-18")
    # A heart-to-heart talk (谈心谈话), not only a working exchange: it counts for 三（六） as well as 三（一）.
    page.get_by_label("谈心谈话", exact=True).check()
    page.get_by_label("工作", exact=True).check()
    page.get_by_label("谈话要点").fill("沟通下周党委常委会议题安排。")
    page.get_by_role("button", name="保存").click()

    # Back on the dashboard, told what the talk counted toward.
    expect(page.get_by_role("alert")).to_contain_text(
        "已登记，计入“党委书记与校长沟通”（2026年第47周，11月16日—11月22日）。"
    )
    expect(_weekly_talk(page, "overdue")).to_have_count(0)
    expect(page.get_by_text("暂无逾期或即将到期事项")).to_be_visible()
    # The same talk also counts for this semester's 谈心交心 with the president (001 三（六）).
    with_president = _semester_talk_with(page, "周校长")
    page.locator("details.obligations-settled summary").click()  # what is done is folded under the open items
    expect(with_president).to_have_attribute("data-status", "met")
    expect(with_president.locator(".status-badge")).to_have_text("已完成")
    expect(with_president.get_by_role("link", name="谈心谈话：周校长、林书记（11月18日）")).to_be_visible()
    expect(_semester_talk_with(page, "吴副校长")).to_have_attribute("data-status", "on_track")

    this_week = _weekly_talk(page, "on_track")
    expect(this_week).to_contain_text("2026年第48周（11月23日—11月29日）")
    expect(this_week).to_contain_text("11月29日前完成")
    this_week.get_by_role("link", name="去登记").click()
    expect(page.get_by_label("周校长")).to_be_checked()
    expect(page.get_by_label("谈话日期")).to_have_value("2026-11-25")
    expect(page.get_by_label("沟通交流")).to_be_checked()  # the kind this rule's link preselects
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "已登记，计入“党委书记与校长沟通”（2026年第48周，11月23日—11月29日）。"
    )

    done = page.locator('li.obligation[data-rule="001-secretary-president-weekly"]')
    expect(done).to_have_count(1)
    page.locator("details.obligations-settled summary").click()
    expect(done).to_have_attribute("data-status", "met")
    expect(done.locator(".status-badge")).to_have_text("已完成")
    expect(done).to_contain_text("完成 1/1次")
    expect(done.locator(".clause-ref")).to_have_text(f"{CITATION}三（一）")
    expect(done.get_by_role("link", name="沟通交流：周校长、林书记（11月25日）")).to_be_visible()
    expect(done.get_by_role("link", name="去登记")).to_have_count(0)
    assert console_errors == []


def test_a_talk_dated_after_today_is_refused_and_the_form_keeps_what_was_typed(
    page, university, log_in, console_errors
):
    log_in("linshuji")
    _weekly_talk(page, "on_track").get_by_role("link", name="去登记").click()

    page.get_by_label("谈话日期").fill("2026-11-26")  # inside this week, but tomorrow
    page.get_by_label("谈话要点").fill("沟通下周党委常委会议题安排。")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("谈话日期不能晚于今天。")).to_be_visible()
    expect(page.get_by_label("周校长")).to_be_checked()
    expect(page.get_by_label("谈话要点")).to_have_value("沟通下周党委常委会议题安排。")
    page.get_by_role("link", name="我的首页").click()
    expect(_weekly_talk(page, "overdue")).to_have_count(1)
    assert console_errors == []


def test_on_a_phone_the_overdue_talk_and_its_record_button_are_on_screen(
    page, university, log_in, console_errors
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("linshuji")

    overdue = _weekly_talk(page, "overdue")
    record = overdue.get_by_role("link", name="去登记")
    expect(record).to_be_visible()
    box = record.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert console_errors == []
