"""The university's 党委书记, reading another leader's issue through the ledgers (004 第六条1), sees where it was
raised (the reception day, 004 第五条8) and what it led to (the agenda item, 004 第六条4; the supervised task,
督查督办 第二条（四）): as text with date, number and state, since he may open none of those pages; the leader in
charge follows the same rows as links."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from governance.models import PositionKind
from governance.tests.factories import SemesterFactory
from outreach import services
from outreach.models import ReceptionSession
from outreach.tests.factories import college, office_user, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def issue(transactional_db, wednesday):
    SemesterFactory()
    unit = college("体育与艺术学院", "tiyi")
    office = office_user(username="bangongshi")
    university_leader("周明远", kind=PositionKind.SECRETARY, username="shuji")
    leader = university_leader("黄晓峰", username="fuxiaozhang")
    session = ReceptionSession.objects.create(
        date=dt.date(2026, 11, 16),
        start_time=dt.time(15),
        end_time=dt.time(17),
        leader=leader,
        place="行政楼 305 室",
    )
    issue = services.issue_record(
        by=leader.user,
        owner=leader,
        reception=session,
        title="实验室夜间开放",
        text="多个学院的研究生希望实验室开放到晚上十点。",
        raiser="理学院研究生",
    )
    services.issue_escalate(issue, by=office, meeting_kind="administrative", note="共性问题")
    services.issue_to_task(
        issue, by=office, lead_unit=unit, deadline=dt.date(2026, 12, 31), matter="制定实验室夜间开放办法"
    )
    issue.refresh_from_db()
    return issue


def _shot(page, name: str) -> None:
    folder = os.environ.get("OUTREACH_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_party_secretary_reads_what_a_leaders_issue_led_to_as_text(
    live_server, page, issue, log_in, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("shuji")
    page.goto(live_server.url + reverse("outreach:issue_list"))
    page.get_by_role("link", name="实验室夜间开放").click()
    page.wait_for_load_state()
    expect(page.locator(".outreach-issue-reception")).to_have_text("2026-11-16 校领导接待日（黄晓峰）")
    expect(page.locator(".outreach-issue-agenda")).to_contain_text("实验室夜间开放")
    expect(page.locator(".outreach-issue-agenda")).to_contain_text("议题状态")
    task = issue.supervised_task
    expect(page.locator(".outreach-issue-task")).to_contain_text(task.number)
    expect(page.locator(".outreach-issue-task")).to_contain_text(task.get_state_display())
    for row in (".outreach-issue-reception", ".outreach-issue-agenda", ".outreach-issue-task"):
        expect(page.locator(row).get_by_role("link")).to_have_count(0)
    expect(page.locator(".outreach-reader-note")).to_contain_text("您无权打开其页面")
    expect(page.locator(".outreach-issue-actions")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    _shot(page, f"issue-reader-{width}")
    assert console_errors == []


def test_the_leader_in_charge_follows_the_task_from_the_issue(
    live_server, page, issue, log_in, console_errors
):
    log_in("fuxiaozhang")
    page.goto(live_server.url + issue.get_absolute_url())
    expect(page.locator(".outreach-issue-reception").get_by_role("link")).to_have_count(1)
    expect(page.locator(".outreach-issue-agenda").get_by_role("link")).to_have_count(1)
    page.locator(".outreach-issue-task").get_by_role("link").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("实验室夜间开放")
    assert console_errors == []
