"""Outreach records from the dashboard (issue 10, QA #5 and #11).

A vice-president opens his dashboard on Wednesday 25 November, clicks 去登记 on 深入课堂听课 (004 第五条4), sees on the
form which semester he records for and a date inside it, records two class hours and lands back on his dashboard told
what the record counted toward (rule and semester), the line now at 2/4 学时.

The president's dashboard counts the team's 重阳节 visit (003 二3) that the secretary made: he opens it from the line
and reads it, with no way to correct it (only whoever recorded it and the office may)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from governance.models import PositionKind
from governance.services.policies import policy_load
from governance.tests.factories import SemesterFactory
from outreach.models import ActivityKind, Festival
from outreach.tests.factories import office_user, record, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def university(transactional_db, wednesday, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    SemesterFactory()  # 2026—2027 autumn: 2026-08-31 — 2027-01-17
    vice = university_leader("黄晓峰", username="fuxiaozhang")
    secretary = university_leader("周书记", kind=PositionKind.SECRETARY, username="shuji")
    university_leader("王校长", kind=PositionKind.PRESIDENT, username="xiaozhang")
    organization = vice.positions.get().team.organization
    policy_load(name="004-outreach", organization=organization)
    policy_load(name="003-outreach", organization=organization)
    record(
        office_user(username="bangongshi"),
        secretary,
        date=dt.date(2026, 10, 16),
        kind=ActivityKind.FESTIVAL_VISIT,
        festival=Festival.DOUBLE_NINTH,
        title="重阳节走访慰问离退休老党员",
        notes="走访十二位老党员，送去慰问品。",
    )
    return organization


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_leader_records_class_hours_from_his_dashboard_and_is_told_what_they_counted_toward(
    page, university, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("fuxiaozhang")
    line = page.locator('li.obligation[data-rule="004-class-observation"]')
    expect(line).to_have_count(1)
    line.get_by_role("link", name="去登记").click()

    expect(page.get_by_role("status")).to_contain_text("为“深入课堂听课”（第五条4）登记：")
    expect(page.get_by_role("status")).to_contain_text("8月31日—1月17日")
    expect(page.get_by_label("日期")).to_have_value("2026-11-25")
    expect(page.get_by_label("活动类别")).to_have_value("class_observation")
    page.get_by_label("课程").fill("中国现代文学")
    page.get_by_label("学时").fill("2")
    page.get_by_role("button", name="登记").click()

    expect(flash_message("已登记，计入“深入课堂听课”（")).to_be_visible()
    expect(flash_message("8月31日—1月17日）。")).to_be_visible()
    expect(page.get_by_role("heading", name="我的工作要求")).to_be_visible()
    expect(page.locator('li.obligation[data-rule="004-class-observation"]')).to_contain_text("2/4")
    assert console_errors == []


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_president_opens_the_team_visit_his_dashboard_counts(
    page, university, log_in, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("xiaozhang")
    settled = page.locator("#obligations-settled")
    settled.locator("summary").click()
    settled.get_by_role("link", name="重阳节走访慰问离退休老党员").click()

    expect(page.locator(".outreach-activity")).to_contain_text("走访十二位老党员，送去慰问品。")
    expect(page.locator(".outreach-activity")).to_contain_text("周书记")
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)
    assert console_errors == []
