"""003 第五条 as an engine rule, as a story: 教务处's liaison finds on her home that a long task's progress report is due
tomorrow (the task's second two-week cycle, counted from the notice), follows 去报送 to the task's report form,
reports, comes back home and finds the cycle done. On a phone (390 px) and a desktop (1280 px)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from governance.services.policies import policy_load
from governance.tests.factories import PersonFactory, SemesterFactory
from supervision import services
from supervision.models import SupervisedTask
from supervision.tests.factories import (
    DepartmentFactory,
    UnitContactFactory,
    office_user,
    register,
    university_leader,
    walk,
)


@pytest.fixture
def world(transactional_db, wednesday):
    SemesterFactory()
    office = office_user(username="bangongshi")
    PersonFactory(name="张敏", user=office)
    leader = university_leader("黄晓峰")
    policy_load(name="003-supervision")
    unit = DepartmentFactory(name="教务处", code="jwc")
    liaison = UnitContactFactory(
        organization=unit, person__name="罗晓燕", person__user__username="jwc_lianluo"
    ).person
    task = walk(
        register(
            office,
            lead_unit=unit,
            leader=leader,
            title="整改本科教学审核评估反馈问题",
            assigned_on=dt.date(2026, 10, 26),
            deadline=dt.date(2027, 3, 31),
            report_cycle=14,
        ),
        "in_progress",
        office=office,
    )
    # Notified on 10-30: cycles 10-30 — 11-12 (reported on 11-05) and 11-13 — 11-26, due tomorrow.
    notified = dt.datetime(2026, 10, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    SupervisedTask.objects.filter(pk=task.pk).update(notified_at=notified)
    task.refresh_from_db()
    services.progress_report(
        task=task, user=liaison.user, unit=unit, text="已制定整改方案。", reported_on=dt.date(2026, 11, 5)
    )
    return task


@pytest.mark.parametrize("width", [390, 1280])
def test_the_liaison_reports_the_due_cycle_from_her_home_and_finds_it_done(
    page, live_server, world, log_in, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in("jwc_lianluo")
    panel = page.locator(".member-obligations")
    expect(panel.get_by_role("heading", name="我的工作要求")).to_be_visible()
    row = panel.locator("li.obligation", has_text="（第 2 期进展反馈）")
    expect(row).to_contain_text("即将到期")
    expect(row).to_contain_text(f"{world.number} 整改本科教学审核评估反馈问题")
    expect(row).to_contain_text("11月13日—11月26日")
    expect(row).to_contain_text("11月26日前完成")
    expect(row).to_contain_text("第五条")
    # Above the family's panel of the unit's tasks.
    panels_top = page.locator(".supervision-unit-panel").bounding_box()
    assert panel.bounding_box()["y"] < panels_top["y"]
    link = row.get_by_role("link", name="去报送")
    expect(link).to_be_visible()
    assert link.bounding_box()["x"] + link.bounding_box()["width"] <= width  # on screen, no sideways scroll

    link.click()
    expect(page).to_have_url(f"{live_server.url}/supervision/tasks/{world.pk}/#progress-report")
    form = page.locator("form.progress-form")
    form.get_by_label("进展情况").fill("已完成整改措施的第一轮落实，正在收集对比材料。")
    form.get_by_role("button", name="报送进展").click()
    expect(page.get_by_text("进展情况已报送。")).to_be_visible()

    page.goto(f"{live_server.url}/")
    panel = page.locator(".member-obligations")
    # Not among the open items any more: folded under 已完成.
    expect(panel.locator("section li.obligation", has_text="（第 2 期进展反馈）")).to_have_count(0)
    settled = panel.locator("details.obligations-settled")
    expect(settled).to_contain_text("已完成 1 项")
    settled.locator("summary").click()
    done = settled.locator("li.obligation", has_text="（第 2 期进展反馈）")
    expect(done).to_contain_text("已完成")
    expect(done).to_contain_text("完成 1/1次")
    assert console_errors == []
