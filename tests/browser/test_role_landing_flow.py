"""A role sees only what it can use (issue 8), in the browser, at desktop width and on a phone (390 × 844).

A member of staff (叶青) and a Party member (邵一鸣) land on a home that says what they can use; through the navbar's
module menu they reach 领导沟通, which tells them why the college's meetings are not theirs to see instead of showing
empty tabs. A leader (李书记) reaches the same page with a card per section and its count. Every link those pages
offer opens (no 403), nothing overflows sideways, and a leader who opens /admin/ is led back to their dashboard.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from communication.tests.factories import MeetingFactory, make_college_team
from governance import roles
from governance.tests.factories import PersonFactory, SemesterFactory, UserFactory

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def college(transactional_db, wednesday):
    SemesterFactory()
    college, people = make_college_team()
    for i in range(18):
        meeting = MeetingFactory(
            organization=college, chair=people[0], date=dt.date(2026, 9, 4) + dt.timedelta(days=4 * i)
        )
        meeting.attendees.set(people)
    staff = UserFactory(username="jiaozhigong", first_name="叶青", groups=[roles.STAFF])
    PersonFactory(user=staff, name="叶青", organization=college, is_party_member=False)
    member = UserFactory(username="dangyuan", first_name="邵一鸣", groups=[roles.PARTY_MEMBERS])
    PersonFactory(user=member, name="邵一鸣", organization=college)
    return college


def no_sideways_overflow(page: Page) -> None:
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} overflows by {overflow}px"


def open_module_menu(page: Page, viewport: dict) -> None:
    if viewport is PHONE:
        page.get_by_role("button", name="展开导航").click()
    page.get_by_role("button", name="业务模块").click()


def every_link_opens(page: Page) -> None:
    """Each link of the page to this site answers 200 (or a redirect): none is a 403 the user would hit."""
    hrefs = page.eval_on_selector_all(
        "main a[href], nav a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    broken = []
    for href in dict.fromkeys(hrefs):
        if href.startswith(("#", "http", "mailto:")) or href.startswith("/static/"):
            continue
        response = page.request.get(urljoin(page.url, href), max_redirects=0)
        if response.status not in (200, 301, 302):
            broken.append(f"{href}: {response.status}")
    assert broken == [], f"{page.url}: {broken}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    ("username", "role", "why"),
    [
        ("jiaozhigong", "教职工", "领导沟通的会议、谈心谈话、议题和外出报备是领导班子的工作记录"),
        ("dangyuan", "党员", "如果您参加或列席会议，会议会出现在这里，也会出现在您的日历订阅中。"),
    ],
    ids=["staff", "party member"],
)
def test_staff_and_party_members_see_what_they_can_use_and_why_the_rest_is_not_theirs(
    page, college, log_in, console_errors, viewport, username, role, why
):
    page.set_viewport_size(viewport)
    log_in(username)

    expect(page.locator(".role-badge")).to_have_text(role)
    expect(page.get_by_role("heading", name="您可以使用")).to_be_visible()
    expect(page.get_by_role("heading", name="为什么这里没有待办事项")).to_be_visible()
    no_sideways_overflow(page)
    every_link_opens(page)

    open_module_menu(page, viewport)
    page.get_by_role("link", name="领导沟通").first.click()
    expect(page.get_by_role("heading", name="领导沟通", exact=True)).to_be_visible()
    expect(page.get_by_text(why)).to_be_visible()
    expect(page.locator(".nav-tabs")).to_have_count(0)
    expect(page.get_by_text("还没有会议记录")).to_have_count(0)  # eighteen exist: not theirs to see
    expect(page.get_by_role("heading", name="本模块依据的制度", exact=True)).to_be_visible()
    no_sideways_overflow(page)
    every_link_opens(page)

    # Typed in by hand, the meetings list says why it is empty, with no tabs they cannot use.
    page.goto(page.url + "meetings/")
    expect(page.get_by_text("会议记录只对班子成员、参会和列席人员以及党委办公室可见")).to_be_visible()
    expect(page.locator(".nav-tabs .nav-link")).to_have_text(["会议"])
    assert console_errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_leader_sees_a_card_per_section_with_its_count_and_is_led_back_from_the_admin(
    page, college, log_in, console_errors, viewport, live_server
):
    page.set_viewport_size(viewport)
    log_in("lishuji")
    no_sideways_overflow(page)
    every_link_opens(page)

    open_module_menu(page, viewport)
    page.get_by_role("link", name="领导沟通").first.click()
    meetings = page.locator(".module-section[data-section=meetings]")
    expect(meetings).to_contain_text("18 次会议")
    absences = page.locator(".module-section[data-section=absences]")
    expect(absences).to_contain_text("0 条外出报备")
    expect(absences).to_contain_text("您还没有外出报备，也没有需要您知悉、准假或代管工作的外出。")
    expect(page.locator(".module-section")).to_have_count(5)
    no_sideways_overflow(page)
    every_link_opens(page)

    meetings.get_by_role("link", name="查看").click()
    expect(page.locator(".nav-tabs .nav-link")).to_have_text(
        ["谈心谈话", "会议", "我参与的议题", "待我发表意见", "外出报备"]
    )
    expect(page.locator(".nav-tabs .nav-link.active")).to_have_text("会议")

    assert console_errors == []

    # The admin answers 403 (the browser logs that status) with the portal's page, not the admin's login form.
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="管理后台只供党委办公室使用")).to_be_visible()
    expect(page.get_by_label("密码")).to_have_count(0)
    no_sideways_overflow(page)
    page.get_by_role("link", name="返回我的首页（个人工作要求看板）").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/$"))
    assert [e for e in console_errors if "status of 403" not in e] == []
