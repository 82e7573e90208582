"""A leader subscribes to their calendar from the user menu: the address works without logging in and carries their
meetings and deadlines (RFC 5545, parsed back with the `icalendar` package); regenerating it kills the old address,
and stopping the subscription kills it too."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from playwright.sync_api import Page, expect

from communication.models import MeetingKind
from communication.tests.factories import MeetingFactory, make_university_team
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def secretary(transactional_db, wednesday, settings, live_server):
    """林书记 under pack 001, with next Monday's coordination meeting (001 一（二）) on the calendar. The feed's
    address is built from SITE_URL, here the live server."""
    settings.SITE_URL = live_server.url
    SemesterFactory()
    university, (secretary, president, vice) = make_university_team()
    MeetingFactory(
        kind=MeetingKind.COORDINATION,
        organization=university,
        title="校领导班子碰头会",
        date=dt.date(2026, 11, 30),
        start_time=dt.time(8, 30),
        place="行政楼第一会议室",
        chair=secretary,
        attendees=[president, vice],
        confidential=False,
    )
    return secretary


def _feed(playwright, url: str):
    """GET the feed as a calendar application would: no session cookie."""
    context = playwright.request.new_context()
    try:
        response = context.get(url)
        return response.status, response.body()
    finally:
        context.dispose()


def _open_calendar_page(page: Page) -> None:
    page.get_by_role("navigation", name="主导航").locator(".dropdown-toggle").last.click()  # the user menu
    page.get_by_role("link", name="日历订阅").click()
    expect(page.get_by_role("heading", name="日历订阅")).to_be_visible()


def test_a_leader_subscribes_to_their_calendar_and_can_replace_or_stop_the_address(
    page, playwright, secretary, log_in, flash_message, console_errors
):
    log_in("linshuji")
    _open_calendar_page(page)
    expect(page.get_by_text("您目前没有启用日历订阅。")).to_be_visible()

    page.get_by_role("button", name="生成订阅地址").click()

    first_url = page.locator("#feed-url").input_value()
    assert first_url.endswith(".ics")
    status, body = _feed(playwright, first_url)
    assert status == 200
    calendar = icalendar.Calendar.from_ical(body)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    meeting = events["校领导班子碰头会"]
    assert meeting.decoded("DTSTART") == dt.datetime(
        2026, 11, 30, 8, 30, tzinfo=meeting.decoded("DTSTART").tzinfo
    )
    assert str(meeting["LOCATION"]) == "行政楼第一会议室"
    deadline = events["截止：党委书记与校长沟通（与 周校长）"]
    assert "依据《广西师范大学校领导班子成员沟通交流制度》三（一）" in str(deadline["DESCRIPTION"])

    page.get_by_role("button", name="重新生成地址（原地址失效）").click()

    second_url = page.locator("#feed-url").input_value()
    assert second_url != first_url
    assert _feed(playwright, first_url)[0] == 404
    assert _feed(playwright, second_url)[0] == 200

    page.get_by_role("button", name="停用订阅").click()

    expect(page.get_by_text("您目前没有启用日历订阅。")).to_be_visible()
    assert _feed(playwright, second_url)[0] == 404
    assert console_errors == []
