"""Issue 8: on a phone the leader's main actions are near the top. 文学院's secretary, with a long list of what she
owes (a missed coordination cycle, the 四必谈 before the democratic life meeting, an agenda item awaiting her opinion),
opens her home on a phone (390×844) and on a desktop: 登记谈心谈话 and 登记外出 stand under her name, on the first
screen, the page does not scroll sideways, and the button opens the talk form."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from communication import services
from communication.models import MeetingKind
from communication.tests.factories import (
    DemocraticLifeMeetingFactory,
    MeetingFactory,
    make_college_team,
    office_user,
)
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser
D = dt.date
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def college(transactional_db, wednesday):
    """文学院 (pack 000) on Wednesday 25 November 2026: a coordination cycle missed, a democratic life meeting coming
    with its 四必谈 still to do, an agenda item waiting for 李书记's opinion."""
    SemesterFactory()
    college, people = make_college_team()
    secretary, dean = people[0], people[1]
    MeetingFactory(
        kind=MeetingKind.COORDINATION,
        organization=college,
        title="工作碰头会（11月20日）",
        date=D(2026, 11, 20),
        chair=secretary,
        attendees=people[1:],
    )
    DemocraticLifeMeetingFactory(organization=college, chair=secretary)
    office = office_user(username="bangongshi")
    item = services.agenda_item_create(
        created_by=office,
        organization=college,
        title="学院实验室开放管理办法（修订）",
        meeting_kind=MeetingKind.ADMINISTRATIVE,
        proposer=dean,
    )
    services.agenda_item_open_consultation(item=item, by=office)
    return college


def _fits(page: Page) -> None:
    """No sideways scrolling: the page is no wider than the window."""
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url}: {width} > {inner}"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_secretary_records_a_talk_from_the_first_screen_of_her_home(
    page, college, log_in, console_errors, size
):
    page.set_viewport_size(size)
    log_in("lishuji")

    actions = page.get_by_role("navigation", name="常用操作")
    talk = actions.get_by_role("link", name="登记谈心谈话")
    absence = actions.get_by_role("link", name="登记外出（出差、学习）")
    expect(talk).to_be_visible()
    expect(absence).to_be_visible()
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is longer
    for button in (talk, absence):
        box = button.bounding_box()
        assert box["y"] + box["height"] <= size["height"], box  # on the first screen, whole
        assert box["x"] >= 0, box
        assert box["x"] + box["width"] <= size["width"], box
    # Above what she owes, which is long enough to have pushed them off the first screen further down.
    assert talk.bounding_box()["y"] < page.locator("#obligations-heading").bounding_box()["y"]
    # Each button once: the communication panel does not repeat them.
    expect(page.get_by_role("link", name="登记谈心谈话", exact=True)).to_have_count(1)
    _fits(page)

    talk.click()

    expect(page.get_by_role("heading", name="登记谈心谈话")).to_be_visible()
    expect(page.get_by_label("谈话日期")).to_be_visible()
    _fits(page)
    assert console_errors == []


def test_in_english_the_buttons_and_the_semester_fit_a_phone(
    live_server, page, college, log_in, console_errors
):
    page.set_viewport_size(PHONE)
    log_in("lishuji")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()

    actions = page.get_by_role("navigation", name="Main actions")
    expect(actions.get_by_role("link", name="Record a heart-to-heart talk")).to_be_in_viewport()
    expect(actions.get_by_role("link", name="Record an absence (business trip, study)")).to_be_in_viewport()
    # "This semester: First semester (autumn), 2026–2027 academic year" wraps instead of widening the page.
    expect(page.get_by_text("This semester:")).to_be_visible()
    _fits(page)
    assert console_errors == []
