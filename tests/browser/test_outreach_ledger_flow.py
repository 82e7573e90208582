"""工作台账 (004 第六条2) and the 学年汇总 (第六条1): the office opens the summary, reads the chart, follows a leader to
their ledger and downloads its Excel; the leader opens their own ledger from their activities and prints it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from governance import roles
from governance.services.policies import policy_load
from governance.tests.factories import SemesterFactory, UserFactory
from outreach.models import ActivityKind
from outreach.tests.factories import college, record, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db, wednesday):
    SemesterFactory()
    unit = college()
    office = UserFactory(username="office", groups=(roles.OFFICE,), is_staff=True)
    leader = university_leader("黄晓峰", username="fuxiaozhang")
    university_leader("孙海涛", username="sunhaitao")
    university = leader.positions.get().team.organization
    policy_load(name="004-outreach", organization=university)
    record(
        office,
        leader,
        date=dt.date(2026, 9, 20),
        kind=ActivityKind.FORUM,
        units=[unit],
        title="与青年教师座谈",
    )
    record(
        office,
        leader,
        date=dt.date(2026, 10, 15),
        kind=ActivityKind.CLASS_OBSERVATION,
        units=[unit],
        course="高等数学",
        class_hours=Decimal("4"),
    )
    return leader


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_office_reads_the_summary_and_a_leaders_ledger_and_the_leader_prints_theirs(
    live_server, page, people, log_in, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("office")
    page.goto(f"{live_server.url}/outreach/activities/")
    page.get_by_role("link", name="学年汇总").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("领导联系基层学年汇总")
    expect(page.locator("svg.assessment-chart rect.met")).to_have_count(1)
    page.locator(".assessment-table").get_by_role("link", name="黄晓峰").click()
    expect(page.locator(".ledger-total")).to_have_text("2")
    expect(page.locator(".ledger-hours")).to_have_text("4")
    expect(page.locator(".ledger-rules")).to_contain_text("004 第五条4")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))["工作台账"]
    values = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
    assert (values["合计"], values["听课学时"]) == (2, 4)
    assert console_errors == []

    page.context.clear_cookies()
    log_in("fuxiaozhang")
    page.goto(f"{live_server.url}/outreach/activities/")
    page.get_by_role("link", name="我的工作台账").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("黄晓峰")
    expect(page.locator(".ledger-activities")).to_contain_text("与青年教师座谈")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="打印")).to_be_hidden()  # ledger.css: the A4 sheet has no controls
    expect(page.locator(".ledger-rules")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    assert console_errors == []
