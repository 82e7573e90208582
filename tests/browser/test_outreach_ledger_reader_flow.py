"""The university's 党委书记, head of the assessment group (004 第六条1), opens the yearly summary, follows a leader to
their ledger, opens an activity it lists (its minutes and its 修改记录 too) and the issue raised there with its
handling record — all read-only: no 修改, no 登记提出的问题, no handling forms."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from governance.models import PositionKind
from governance.services.policies import policy_load
from governance.tests.factories import SemesterFactory
from outreach import services
from outreach.tests.factories import college, record, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def ledger(transactional_db, wednesday, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    SemesterFactory()
    unit = college("体育与艺术学院", "tiyi")
    university_leader("周明远", kind=PositionKind.SECRETARY, username="shuji")
    leader = university_leader("黄晓峰", username="fuxiaozhang")
    policy_load(name="004-outreach", organization=leader.positions.get().team.organization)
    forum = record(
        leader.user,
        leader,
        date=dt.date(2026, 10, 20),
        units=[unit],
        title="与青年教师座谈",
        files=[SimpleUploadedFile("纪要.txt", "座谈纪要".encode())],
    )
    issue = services.issue_record(
        by=leader.user,
        title="青年教师周转房不足",
        text="新进教师排队等周转房。",
        raiser="青年教师代表",
        owner=leader,
        activity=forum,
        unit=unit,
    )
    services.issue_answer(issue, by=leader.user, answer="已请后勤处统计需求。")
    return leader


def _shot(page, name: str) -> None:
    """Screenshots for a person to look at, when OUTREACH_SHOTS names a folder."""
    folder = os.environ.get("OUTREACH_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_party_secretary_reads_a_leaders_ledger_down_to_its_activities_and_issues(
    live_server, page, ledger, log_in, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("shuji")
    page.goto(f"{live_server.url}/outreach/assessment/")
    page.locator(".assessment-table").get_by_role("link", name="黄晓峰").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("黄晓峰")

    page.locator(".ledger-activities").get_by_role("link", name="与青年教师座谈").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("与青年教师座谈")
    expect(page.locator(".outreach-activity")).to_contain_text("体育与艺术学院")
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="登记提出的问题")).to_have_count(0)
    expect(page.locator(".outreach-reader-note")).to_have_text("供考核小组查阅（004 第六条1），只读。")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    _shot(page, f"reader-activity-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="纪要.txt").click()
    assert download.value.suggested_filename == "纪要.txt"
    page.get_by_role("link", name="修改记录").click()
    expect(page.locator(".outreach-history")).to_contain_text("登记")

    page.go_back()
    page.get_by_role("link", name="青年教师周转房不足").click()
    page.wait_for_load_state()
    expect(page.locator(".outreach-answer")).to_contain_text("已请后勤处统计需求。")
    expect(page.locator(".outreach-issue-events")).to_contain_text("答复")
    expect(page.locator(".outreach-issue-actions")).to_have_count(0)
    expect(page.locator(".outreach-reader-note")).to_contain_text("诉求由承办校领导办理")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    _shot(page, f"reader-issue-{width}")

    page.get_by_role("link", name="返回诉求列表").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("师生诉求")
    expect(page.locator(".outreach-reader-note")).to_contain_text("考核小组组长（004 第六条1）")
    _shot(page, f"reader-issues-{width}")
    assert console_errors == []
