"""A returned task's audit history on a phone (督查督办, 第四条（四）): the office returns a submitted task with a new
deadline; the lead unit's liaison opens the task's 审计历史 on a 390 px phone and reads, under 退回限期办理, that the
deadline moved from 12-04 to 12-11 and the state from 已报结 to 已退回 — each change on its own line, wrapped, with
nothing wider than the screen; 办理结果 is said to have changed, not quoted (QA walk-through: the page listed only
the names of the changed fields)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from communication.tests.factories import make_university_team
from governance.tests.factories import SemesterFactory
from supervision import services
from supervision.tests.factories import DepartmentFactory, UnitContactFactory, office_user

pytestmark = pytest.mark.browser


@pytest.fixture
def task(transactional_db, wednesday):
    SemesterFactory()
    _university, people = make_university_team(pack=None)
    office = office_user(username="bangongshi", first_name="张敏")
    unit = DepartmentFactory(name="教务处", code="jwc")
    UnitContactFactory(organization=unit, person__name="罗联络", person__user__username="jwc_lianluo")
    task = services.task_register(
        registered_by=office,
        title="修订学生手册",
        source="work_plan",
        kind="special",
        assigned_on=dt.date(2026, 11, 2),
        lead_unit=unit,
        leader=people[2],
        matter="完成学生手册修订并印发。",
        deadline=dt.date(2026, 12, 4),
    )
    task = services.task_notify(task=task, user=office, method="notice")
    task = services.task_accept(task=task, user=office)
    task = services.task_submit(task=task, user=office, result="学生手册已修订，待印发。")
    return services.task_return(
        task=task, user=office, reason="尚未印发，请印发后报结。", new_deadline=dt.date(2026, 12, 11)
    )


def test_the_liaison_reads_a_returned_tasks_new_deadline_in_its_history_on_a_phone(
    page, live_server, task, log_in, console_errors
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("jwc_lianluo")
    page.goto(f"{live_server.url}/supervision/tasks/{task.pk}/")
    page.get_by_role("link", name="审计历史").click()
    page.wait_for_load_state()
    history = page.locator(".task-history")
    returned = history.locator(".history-entry").first
    expect(returned.locator(".history-reason")).to_have_text("退回限期办理")
    expect(returned).to_contain_text("办理时限：2026-12-04 → 2026-12-11")
    expect(returned).to_contain_text("办理状态：已报结 → 已退回")
    expect(history).to_contain_text("办理结果：已修改")
    expect(history).not_to_contain_text("学生手册已修订")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    if os.environ.get("SCREENSHOT_DIR"):
        for viewport in (390, 1280):
            page.set_viewport_size({"width": viewport, "height": 900})
            page.wait_for_load_state()
            page.screenshot(
                path=f"{os.environ['SCREENSHOT_DIR']}/task-history-{viewport}.png", full_page=True
            )
    assert console_errors == []
