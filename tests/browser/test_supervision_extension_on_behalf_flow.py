"""The office enters a leader's answer to an extension request (督查督办, 第五条): 教务处 asked 孙海涛 for two more
weeks; he signed the request on paper. 张敏 of the office opens the task, chooses 同意延期 and submits without saying
how he answered — refused, saying why, the answer chosen kept — then chooses 书面 and submits. The page, the timeline
and the audit history all say that 张敏 entered 孙海涛's answer, given in writing, and the deadline has moved."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from governance.tests.factories import PersonFactory, SemesterFactory
from supervision import services
from supervision.tests.factories import (
    DepartmentFactory,
    UnitContactFactory,
    office_user,
    register,
    university_leader,
    walk,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, wednesday, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    SemesterFactory()
    office = office_user(username="bangongshi")
    PersonFactory(name="张敏", user=office)
    leader = university_leader("孙海涛")
    unit = DepartmentFactory(name="教务处", code="jwc")
    liaison = UnitContactFactory(
        organization=unit, person__name="罗晓燕", person__user__username="jwc_lianluo"
    )
    task = walk(
        register(
            office,
            lead_unit=unit,
            leader=leader,
            title="修订学生手册",
            assigned_on=dt.date(2026, 11, 2),
            deadline=dt.date(2026, 12, 4),
        ),
        "in_progress",
        office=office,
    )
    services.extension_request(
        task=task,
        user=liaison.person.user,
        reason="需待学校章程修订后同步修订。",
        proposed_deadline=dt.date(2026, 12, 18),
    )
    return task


@pytest.mark.parametrize("width", [390, 1280])
def test_the_office_enters_the_leaders_written_answer_and_the_task_says_who_entered_it_and_how(
    page, live_server, world, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in("bangongshi")
    page.goto(f"{live_server.url}{world.get_absolute_url()}")
    card = page.locator(".task-extensions")
    expect(card).to_contain_text(
        "由分管校领导孙海涛审批（第五条）。请登记孙海涛的答复，并选择答复方式：书面、电话或当面。"
    )
    card.get_by_label("同意延期", exact=True).check()
    card.get_by_label("审批意见").fill("同意，请按新时限办结。")
    card.get_by_role("button", name="代为登记审批意见").click()
    expect(page.get_by_text("请选择分管校领导答复的方式：书面、电话或当面。")).to_be_visible()
    card = page.locator(".task-extensions")
    expect(card.get_by_label("同意延期", exact=True)).to_be_checked()
    expect(card.get_by_label("审批意见")).to_have_value("同意，请按新时限办结。")
    folder = os.environ.get("SUPERVISION_SHOTS")
    if folder:
        card.scroll_into_view_if_needed()
        page.screenshot(path=f"{folder}/extension-on-behalf-form-{width}.png", full_page=True)
    card.get_by_label("分管校领导答复的方式").select_option(label="书面")
    card.get_by_role("button", name="代为登记审批意见").click()

    expect(flash_message("已代为登记：孙海涛同意延期（书面），办理时限改为 2026-12-18。")).to_be_visible()
    expect(page.locator(".extension-decision")).to_have_text(
        "2026-11-25 张敏代为登记：孙海涛同意延期（书面）。审批意见：同意，请按新时限办结。"
    )
    expect(page.locator(".task-facts")).to_contain_text("原定 2026-12-04")
    timeline = page.locator(".task-timeline")
    expect(timeline.get_by_text("代为登记：分管校领导孙海涛同意延期（书面）。", exact=False)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if folder:
        page.screenshot(path=f"{folder}/extension-on-behalf-task-{width}.png", full_page=True)

    page.get_by_role("link", name="审计历史").click()
    expect(page.get_by_text("同意延期（代为登记：分管校领导孙海涛同意延期（书面））")).to_be_visible()
    if folder:
        page.screenshot(path=f"{folder}/extension-on-behalf-history-{width}.png", full_page=True)
    assert console_errors == []
