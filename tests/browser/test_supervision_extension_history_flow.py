"""An extension request in the task's audit history (督查督办 第五条): the lead unit's liaison asks on the task's page;
the task's 审计历史 then says 申请延期至 …（理由：…） with who and when, to the liaison and to the office."""

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
    office = office_user(username="bangongshi")
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
    return services.task_accept(task=task, user=office)


def _shot(page, name: str) -> None:
    folder = os.environ.get("SUPERVISION_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_liaisons_extension_request_is_a_line_of_the_audit_history(
    live_server, page, task, log_in, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("jwc_lianluo")
    page.goto(f"{live_server.url}{task.get_absolute_url()}")
    page.locator("details", has=page.locator("input[name=action][value=ext_request]")).locator(
        "summary"
    ).click()
    page.get_by_label("申请延至").fill("2026-12-18")
    page.get_by_label("延期理由").fill("需待学校章程修订后同步修订。")
    page.get_by_role("button", name="申请延期").click()
    expect(page.locator(".alert-dismissible").filter(has_text="延期申请已提交")).to_be_visible()
    page.get_by_role("link", name="审计历史").click()
    page.wait_for_load_state()
    newest = page.locator(".history-entry").first
    expect(newest).to_contain_text("申请延期至 2026年12月18日（理由：需待学校章程修订后同步修订。）")
    expect(newest).to_contain_text("罗联络")
    expect(newest).to_contain_text("2026-11-25")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    _shot(page, f"history-unit-{width}")

    page.context.clear_cookies()
    log_in("bangongshi")
    page.goto(f"{live_server.url}/supervision/tasks/{task.pk}/history/")
    page.wait_for_load_state()
    expect(page.locator(".history-entry").first).to_contain_text("申请延期至 2026年12月18日")
    _shot(page, f"history-office-{width}")
    assert console_errors == []
