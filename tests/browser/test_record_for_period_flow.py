"""“去登记” from an overdue week records for that week (issue 6 §2.4): the university's secretary opens his
dashboard on Wednesday 25 November, sees that week 47 (16—22 November) of his weekly communication with the
president (001 三（一）) is overdue, clicks 去登记 on it, sees on the form which week he is recording for and a date
inside it, is refused a date outside it, saves, and lands on his dashboard with a message saying what the record
counted toward and the week no longer red (gone: a past week stays in view only while it is unmet)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from communication.tests.factories import make_university_team
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def university(transactional_db, wednesday):
    SemesterFactory()  # 2026—2027 autumn: 2026-08-31 — 2027-01-17
    return make_university_team()


def test_the_secretary_records_an_overdue_week_for_that_week_and_lands_back_on_his_dashboard(
    page, university, log_in, console_errors
):
    log_in("linshuji")
    weekly = page.locator('li.obligation[data-rule="001-secretary-president-weekly"]')
    overdue = weekly.filter(has_text="2026年第47周（11月16日—11月22日）")
    expect(overdue).to_have_attribute("data-status", "overdue")

    overdue.get_by_role("link", name="去登记").click()

    expect(page.get_by_role("status")).to_have_text(
        "登记的是 2026年第47周（11月16日—11月22日）的记录，计入“党委书记与校长沟通”。"
    )
    expect(page.get_by_label("谈话日期")).to_have_value("2026-11-22")
    expect(page.get_by_label("周校长")).to_be_checked()
    expect(page.get_by_label("沟通交流")).to_be_checked()

    page.get_by_label("谈话日期").fill("2026-11-24")
    page.get_by_label("谈话要点").fill("交流下周校长办公会议题。")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("日期须在11月16日至11月22日之间：登记的是 2026年第47周的记录。")).to_be_visible()
    expect(page.get_by_label("谈话要点")).to_have_value("交流下周校长办公会议题。")
    expect(page.get_by_label("周校长")).to_be_checked()

    page.get_by_label("谈话日期").fill("2026-11-19")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "已登记，计入“党委书记与校长沟通”（2026年第47周，11月16日—11月22日）。"
    )
    expect(page.get_by_role("heading", name="我的工作要求")).to_be_visible()
    # Week 47 is made good: it leaves the dashboard (only unmet or excused past periods stay); no week is red.
    expect(overdue).to_have_count(0)
    expect(
        page.locator('li.obligation[data-rule="001-secretary-president-weekly"][data-status=overdue]')
    ).to_have_count(0)
    expect(weekly).to_have_count(1)  # this week's, still to do
    assert console_errors == []
