"""The office narrows the meeting list with its filter form: one college, one kind of meeting, a range of days; the
choice stays in the form and in the address; a bad link (an organization id that is no id) still opens the list,
says beside the field that the value was ignored, and filters by the rest."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from communication.models import MeetingKind
from communication.tests.factories import (
    CollegeFactory,
    MeetingFactory,
    make_college_team,
    make_team,
    office_user,
)
from governance.models import PositionKind

pytestmark = pytest.mark.browser


@pytest.fixture
def meetings(transactional_db, wednesday):
    office_user(username="bangongshi")
    college, people = make_college_team(pack=None)
    other = CollegeFactory(name="外国语学院", code="wgy", parent=college.parent)
    (other_secretary,) = make_team(other, [PositionKind.SECRETARY], names=["周书记"])
    MeetingFactory(
        organization=college, chair=people[0], title="文学院十一月碰头会", date=dt.date(2026, 11, 20)
    )
    MeetingFactory(
        organization=college,
        chair=people[0],
        kind=MeetingKind.RETREAT,
        title="文学院秋季务虚会",
        date=dt.date(2026, 10, 9),
        agenda="学科建设",
        topics_announced_on=dt.date(2026, 10, 1),
    )
    MeetingFactory(
        organization=other, chair=other_secretary, title="外国语学院碰头会", date=dt.date(2026, 11, 20)
    )
    return college


def test_the_office_narrows_the_meeting_list_and_a_bad_link_still_opens_it(
    page, live_server, meetings, log_in, console_errors
):
    log_in("bangongshi")
    page.goto(f"{live_server.url}/communication/meetings/")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)

    page.get_by_label("召开单位").select_option(label="文学院")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(rf"organization={meetings.pk}"))
    expect(rows).to_have_count(2)
    expect(page.get_by_label("召开单位")).to_have_value(str(meetings.pk))

    page.get_by_label("会议类型").select_option(label="务虚会")
    page.get_by_label("起始日期").fill("2026-10-01")
    page.get_by_label("截止日期").fill("2026-10-31")
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("文学院秋季务虚会")

    page.goto(
        f"{live_server.url}/communication/meetings/?organization=99999999999999999999&kind=coordination"
    )
    expect(page.get_by_role("alert").filter(has_text="有筛选条件无效，已忽略")).to_be_visible()
    expect(page.locator("#id_organization_error")).to_contain_text("选择一个有效的选项")
    expect(rows).to_have_count(2)
    assert console_errors == []
