"""The office sets the reception days (校领导接待日, 004 第五条8) for the coming semester from its rota page, swaps two duty
leaders, and a visitor who is not logged in reads the public schedule: the day, the time, who is on duty and where."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from governance.tests.factories import AcademicYearFactory, SemesterFactory
from outreach.models import ReceptionDuty
from outreach.tests.factories import office_user, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def rota(transactional_db, wednesday):
    SemesterFactory()
    SemesterFactory(
        academic_year=AcademicYearFactory(name="2027学年（测试）"),
        term="second",
        start=dt.date(2026, 11, 30),
        end=dt.date(2026, 12, 31),
    )
    office_user(username="bangongshi")
    ReceptionDuty.objects.create(leader=university_leader("黄晓峰"), place="行政楼 305 室", order=1)
    ReceptionDuty.objects.create(leader=university_leader("吴立群"), place="行政楼 307 室", order=2)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_office_sets_and_swaps_the_rota_and_anyone_reads_the_schedule(
    live_server, page, rota, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/outreach/reception/rota/")
    page.get_by_label("学期").select_option(index=2)
    page.get_by_role("button", name="排定").click()
    expect(flash_message("已排定 3 个接待日。")).to_be_visible()
    rows = page.locator(".outreach-rota tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("黄晓峰")
    expect(rows.nth(1)).to_contain_text("吴立群")

    page.locator("#id_swap-first").select_option(label="2026-11-30 黄晓峰")
    page.get_by_label("与之交换的接待日").select_option(label="2026-12-14 吴立群")
    page.get_by_role("button", name="交换").click()
    expect(flash_message("已交换当班领导。")).to_be_visible()
    expect(rows.nth(0)).to_contain_text("吴立群")
    expect(rows.nth(0)).to_contain_text("行政楼 307 室")
    assert console_errors == []

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/outreach/reception/")
    schedule = page.locator(".outreach-reception-schedule tbody tr")
    expect(schedule.nth(0)).to_contain_text("2026-11-30")
    expect(schedule.nth(0)).to_contain_text("15:00—17:00")
    expect(schedule.nth(0)).to_contain_text("吴立群")
    expect(schedule.nth(0)).to_contain_text("行政楼 307 室")
