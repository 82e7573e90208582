"""Issue 8: the admin's meeting list filters by a date range. The office picks "from" and "to" in the filter
column, applies it and sees the meetings of those days only (both days included); a quick link replaces the range."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from communication.tests.factories import MeetingFactory, office_user

pytestmark = pytest.mark.browser


@pytest.fixture
def meetings(transactional_db, wednesday):
    office_user(username="bangongshi")
    for day in (dt.date(2026, 9, 1), dt.date(2026, 11, 2), dt.date(2026, 11, 16), dt.date(2026, 11, 20)):
        MeetingFactory(title=f"{day.month}月{day.day}日的会议", date=day)


def test_the_office_lists_the_meetings_between_two_days_in_the_admin(live_server, page, meetings, log_in):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/admin/communication/meeting/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(4)

    page.get_by_label("从").fill("2026-11-02")
    page.get_by_label("到").fill("2026-11-16")
    page.get_by_role("button", name="按日期范围筛选").click()

    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="11月2日的会议")).to_have_count(1)
    expect(rows.filter(has_text="11月16日的会议")).to_have_count(1)
    expect(page.get_by_label("从")).to_have_value("2026-11-02")

    page.locator("#changelist-filter").get_by_role("link", name="本月").click()
    expect(rows).to_have_count(3)  # 2, 16 and 20 November: the quick link replaces the range
    expect(rows.filter(has_text="11月20日的会议")).to_have_count(1)
    expect(page.get_by_label("从")).to_have_value("2026-11-01")  # the month's first day
