"""The office excused 文学院's missed coordination cycle by mistake: it withdraws the excuse from the cell's
drill-down with a reason, sees the cycle overdue again on the drill-down and the overview, and finds the withdrawal
and its reason listed under the periods."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from communication.models import MeetingKind
from communication.tests.factories import MeetingFactory, make_college_team, make_university_team, office_user
from governance.models import ObligationRule
from governance.services.obligations import obligation_excuse
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser
EXCUSE_REASON = "11月13日全院参加上级巡视反馈会，碰头会未召开"
WITHDRAW_REASON = "登记有误：巡视反馈会在11月20日"


@pytest.fixture
def college(transactional_db, wednesday):
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
    office = office_user(username="bangongshi")
    obligation_excuse(
        rule=ObligationRule.objects.get(code="000-coordination-meeting"),
        period_start=dt.date(2026, 11, 2),
        team=college.team,
        person=None,
        counterpart=None,
        reason=EXCUSE_REASON,
        by=office,
    )
    return college


def _coordination_cell(page):
    return page.locator("table.overview-table a[href*='rule=000-coordination-meeting']")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_office_withdraws_a_mistaken_excuse_with_a_reason(
    live_server, page, college, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/overview/?org=wxy")
    expect(_coordination_cell(page)).not_to_have_class(re.compile(r"\bstatus-overdue\b"))
    _coordination_cell(page).click()

    excused = page.locator(".card").filter(has_text="已免于考核")
    expect(excused).to_contain_text(f"免于考核：{EXCUSE_REASON}")
    excused.get_by_role("button", name="撤销免于考核").click()
    expect(flash_message("请填写撤销免于考核的原因，例如“登记有误，该周期实际已召开会议”。")).to_be_visible()
    expect(page.locator(".card").filter(has_text="已免于考核")).to_have_count(1)

    page.get_by_label("撤销原因").fill(WITHDRAW_REASON)
    page.get_by_role("button", name="撤销免于考核").click()

    expect(
        flash_message("已撤销免于考核，该周期恢复按实际完成情况计算；撤销原因已记入修改历史。")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"/overview/cell/\?rule=000-coordination-meeting&team=\d+&org=wxy$"))
    expect(page.locator(".card").filter(has_text="已逾期")).to_have_count(1)
    withdrawn = page.locator(".withdrawn-excuses")
    expect(withdrawn).to_contain_text(f"原登记理由“{EXCUSE_REASON}”")
    expect(withdrawn).to_contain_text(f"撤销，原因：{WITHDRAW_REASON}")
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="制度落实总览").click()
    expect(_coordination_cell(page)).to_have_class(re.compile(r"\bstatus-overdue\b"))
    assert console_errors == []
