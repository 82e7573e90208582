"""A leader who also answers for a unit (督查督办, issue 9 follow-up): 文学院's dean is a leader, so he lands on the
leader's home, and the office has registered him as the college's head (单位负责人). On a phone and on a desktop his
home's supervision card shows 本单位的督办事项（文学院）— the overdue task first, with what to do next, and the task the
college co-handles — and a tap opens the task, where he can act for the college."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from governance.models import Organization, PositionKind
from governance.tests.factories import (
    LeadershipTeamFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SemesterFactory,
)
from supervision import services
from supervision.models import UnitRole
from supervision.tests.factories import DepartmentFactory, office_user, register, university_leader, walk

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, wednesday, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    SemesterFactory()
    office = office_user(username="bangongshi")
    college = OrganizationFactory(name="文学院", code="wxy", kind=Organization.Kind.COLLEGE)
    dean = PersonFactory(name="刘文渊", user__username="wxy_yuanzhang")
    PositionFactory(
        person=dean, team=LeadershipTeamFactory(organization=college), kind=PositionKind.PRESIDENT
    )
    services.unit_contact_add(
        recorded_by=office, organization=college, person=dean, role=UnitRole.HEAD, start=dt.date(2024, 1, 1)
    )
    leader = university_leader("吴立群")
    other = DepartmentFactory(name="教务处", code="jwc")
    walk(
        register(
            office,
            lead_unit=college,
            leader=leader,
            title="文学院学科建设中期自评",
            assigned_on=dt.date(2026, 9, 1),
            deadline=dt.date(2026, 10, 28),
        ),
        "in_progress",
        office=office,
    )
    walk(
        register(office, lead_unit=college, leader=leader, title="完成中国语言文学学科评估材料"),
        "notified",
        office=office,
    )
    walk(
        register(office, lead_unit=other, leader=leader, title="联合修订课程思政方案", co_units=[college]),
        "in_progress",
        office=office,
    )
    walk(
        register(office, lead_unit=other, leader=leader, title="修订学籍管理办法"),
        "in_progress",
        office=office,
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_a_college_dean_who_heads_the_college_finds_its_tasks_on_his_leaders_home(
    page, live_server, world, log_in, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in("wxy_yuanzhang")
    section = page.locator(".supervision-leader-units")
    expect(section.get_by_role("heading", name="本单位的督办事项（文学院）")).to_be_visible()
    first = section.locator(".unit-task").first
    expect(first).to_contain_text("文学院学科建设中期自评")
    expect(first).to_contain_text("逾期 28 天")
    expect(first).to_contain_text("下一步：报结")
    expect(section.locator(".unit-task", has_text="完成中国语言文学学科评估材料")).to_contain_text(
        "下一步：回复通知"
    )
    expect(section.locator(".unit-task", has_text="联合修订课程思政方案")).to_contain_text(
        "下一步：报送协办进展"
    )
    expect(section).not_to_contain_text("修订学籍管理办法")  # 教务处's alone
    # Nothing runs off a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    folder = os.environ.get("SUPERVISION_SHOTS")
    if folder:
        section.scroll_into_view_if_needed()
        page.screenshot(path=f"{folder}/leader-units-home-{width}.png", full_page=True)

    section.get_by_role("link", name="完成中国语言文学学科评估材料").click()
    expect(page.get_by_role("heading", name="完成中国语言文学学科评估材料")).to_be_visible()
    expect(page.locator(".task-actions summary", has_text="签收办理")).to_be_visible()
    assert console_errors == []
