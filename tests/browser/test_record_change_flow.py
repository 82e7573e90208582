"""Correcting a record (issue 8), as the users do it. The university's Party secretary recorded Friday's talk with the
president under Tuesday's date: last week (001 三（一）: 每周沟通不少于1次) shows overdue on their dashboard. They open
the talk, correct the date — refused until they say why, with what they typed kept — and see the change with its
reason in the talk's 修改记录, and last week met. The office deletes a meeting recorded in error, giving the reason
the audit history keeps; the president, who only took part, is offered neither."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from communication import services
from communication.models import Meeting, MeetingKind
from communication.tests.factories import make_university_team, office_user
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser
REASON = "谈话实际在上周五，日期登记错了"


@pytest.fixture
def university(transactional_db, wednesday):
    """Pack 001; 林书记 recorded a talk with 周校长 on Tuesday 24 November that took place on Friday the 20th."""
    SemesterFactory()
    university, (secretary, president, vice) = make_university_team()
    talk = services.talk_record(
        recorded_by_user=secretary.user,
        participants=[secretary, president],
        date=dt.date(2026, 11, 24),
        formal=False,
        topics=["work"],
        notes="沟通下周党委常委会议题。",
        channel="communication",
    )
    return university, (secretary, president, vice), talk


def test_a_leader_fixes_a_wrong_date_of_their_talk_with_a_reason_and_sees_it_in_the_history(
    page, live_server, university, log_in, flash_message, console_errors
):
    _org, _people, talk = university
    log_in("linshuji")
    weekly = page.locator('li.obligation[data-rule="001-secretary-president-weekly"][data-status="overdue"]')
    expect(weekly).to_contain_text("2026年第47周（11月16日—11月22日）")

    page.goto(f"{live_server.url}/communication/talks/")
    page.get_by_role("row").filter(has_text="2026-11-24").get_by_role("link", name="查看").click()
    expect(page.get_by_role("heading", name="谈心谈话")).to_be_visible()
    page.get_by_role("link", name="修改", exact=True).click()

    expect(page.get_by_role("heading", name="修改谈心谈话")).to_be_visible()
    expect(page.get_by_label("谈话日期")).to_have_value("2026-11-24")  # the recording form, prefilled
    expect(page.get_by_label("周校长")).to_be_checked()
    page.get_by_label("谈话日期").fill("2026-11-20")
    page.get_by_role("button", name="保存修改").click()

    # No reason: refused, in Chinese, and the new date is kept; nothing changed yet.
    expect(page.get_by_text("请填写修改原因。")).to_be_visible()
    expect(page.get_by_label("谈话日期")).to_have_value("2026-11-20")
    talk.refresh_from_db()
    assert talk.date == dt.date(2026, 11, 24)

    page.get_by_label("修改原因").fill(REASON)
    page.get_by_role("button", name="保存修改").click()

    expect(flash_message("谈心谈话已修改，修改原因已记入修改记录。")).to_be_visible()
    history = page.locator(".record-history")
    latest = history.locator(".history-entry").first
    expect(latest).to_contain_text("修改")
    expect(latest).to_contain_text("林书记")
    expect(latest.locator(".history-reason")).to_have_text(f"原因：{REASON}")
    expect(latest.locator(".history-changes")).to_have_text("谈话日期：2026-11-24 → 2026-11-20")
    expect(history.locator(".history-entry").last).to_contain_text("登记")

    # On a phone the page, its buttons and its history fit the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("link", name="修改", exact=True)).to_be_visible()
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Last week's weekly talk is met now: the dashboard follows the correction.
    page.goto(f"{live_server.url}/")
    expect(weekly).to_have_count(0)
    assert console_errors == []


def test_the_office_deletes_a_meeting_with_a_reason_and_a_participant_is_offered_neither_button(
    page, live_server, university, log_in, flash_message, console_errors
):
    org, (secretary, president, vice), _talk = university
    office = office_user(username="bangongshi")
    meeting = services.meeting_create(
        created_by=office,
        organization=org,
        kind=MeetingKind.COORDINATION,
        title="重复登记的碰头会",
        date=dt.date(2026, 11, 23),
        start_time=dt.time(9, 0),
        chair=secretary,
        attendees=[president, vice],
    )
    url = f"{live_server.url}/communication/meetings/{meeting.pk}/"

    log_in("zhouxiaozhang")
    page.goto(url)
    expect(page.get_by_role("heading", name="重复登记的碰头会")).to_be_visible()
    expect(page.get_by_role("link", name="删除", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", name="修改记录")).to_be_visible()
    page.goto(f"{url}delete/")
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    page.context.clear_cookies()

    log_in("bangongshi")
    page.goto(url)
    page.get_by_role("link", name="删除", exact=True).click()
    expect(page.get_by_role("heading", name="删除会议")).to_be_visible()
    expect(page.get_by_text("重复登记的碰头会")).to_be_visible()
    page.get_by_role("button", name="确认删除").click()
    expect(page.get_by_text("请填写删除原因。")).to_be_visible()
    assert Meeting.objects.filter(pk=meeting.pk).exists()

    page.get_by_label("删除原因").fill("与 11 月 23 日的会议重复登记")
    page.get_by_role("button", name="确认删除").click()
    expect(flash_message("会议记录已删除，删除原因已记入审计历史。")).to_be_visible()
    expect(page.get_by_role("link", name="重复登记的碰头会")).to_have_count(0)
    gone = Meeting.history.filter(id=meeting.pk).latest()
    assert (gone.history_type, gone.history_change_reason, gone.history_user.username) == (
        "-",
        "与 11 月 23 日的会议重复登记",
        "bangongshi",
    )
    # The one error logged: the 403 page the president was shown.
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]
