"""A leader's first visit: log in through the real login page and land on their own home page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from governance import roles
from governance.models import Organization, PositionKind
from governance.tests.factories import (
    PASSWORD,
    AreaFactory,
    LeadershipTeamFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def leader(transactional_db):
    user = UserFactory(username="wangming", groups=(roles.LEADERS, roles.PARTY_MEMBERS))
    college = OrganizationFactory(name="武术与表演学院", code="wushu", kind=Organization.Kind.COLLEGE)
    person = PersonFactory(user=user, name="王明", organization=college)
    position = PositionFactory(
        person=person,
        team=LeadershipTeamFactory(organization=college, name="武术与表演学院党政领导班子"),
        kind=PositionKind.DEPUTY_SECRETARY,
        title="党委副书记、纪委书记",
        start=dt.date(2024, 3, 1),
    )
    position.areas.add(AreaFactory(name="学生工作"))
    return user


def _log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_leader_logs_in_and_sees_their_home_page_with_their_position(
    live_server, page, leader, console_errors
):
    _log_in(page, live_server.url, "wangming", PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page).to_have_title("我的首页 · 党委办公室")
    expect(page.get_by_role("heading", name="王明")).to_be_visible()
    position = page.locator(".position-card")
    expect(position.get_by_role("heading", name="党委副书记、纪委书记")).to_be_visible()
    expect(position).to_contain_text("武术与表演学院党政领导班子")
    expect(position).to_contain_text("2024年3月1日起")
    expect(position).to_contain_text("学生工作")
    expect(page.get_by_role("link", name="管理后台")).to_have_count(0)
    assert console_errors == []


def test_a_wrong_password_shows_the_chinese_error_and_keeps_the_username(
    live_server, page, leader, console_errors
):
    _log_in(page, live_server.url, "wangming", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text(
        "请输入一个正确的用户名和密码。注意，两者都区分大小写。"
    )
    expect(page.get_by_label("用户名")).to_have_value("wangming")
    expect(page.get_by_label("密码")).to_have_value("")
    assert console_errors == []


def test_on_a_phone_the_leader_logs_out_from_the_collapsed_menu(live_server, page, leader, console_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_server.url, "wangming", PASSWORD)
    expect(page.get_by_role("heading", name="王明")).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_hidden()

    page.get_by_role("button", name="展开导航").click()
    page.get_by_role("button", name="wangming").click()
    page.get_by_role("button", name="退出").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("alert")).to_contain_text("您已安全退出。")
    assert console_errors == []


@pytest.mark.parametrize("width", [1920, 1280, 1200])
def test_in_english_the_office_menu_fits_the_bar_on_a_desktop(
    live_server, page, log_in, console_errors, width
):
    UserFactory(username="bangongshi", first_name="张敏", last_name="", groups=(roles.OFFICE,), is_staff=True)
    page.set_viewport_size({"width": width, "height": 800})
    log_in("bangongshi")
    page.get_by_role("button", name="语言 / Language").click()
    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", name="Office home")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main navigation")
    for item in ("Implementation overview", "Administration"):
        expect(navigation.get_by_role("link", name=item)).to_be_in_viewport()
    expect(navigation.get_by_role("button", name="张敏")).to_be_in_viewport()
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert console_errors == []
