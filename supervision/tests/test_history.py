"""A task's audit history (审计历史) says what changed, old → new: a returned task's new deadline (第四条（四）), its
state, the leader who approved it, its co-units; long texts (办理结果) are said to have changed, never quoted; the
page costs the same number of queries for one change or ten; whoever may not see the task gets a 404 (QA
walk-through: the page listed only the names of the changed fields)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from supervision import services
from supervision.tests.factories import DepartmentFactory, register, walk

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def _history(client, task) -> str:
    response = client.get(reverse("supervision:task_history", args=[task.pk]))
    assert response.status_code == 200
    return _text(response)


def test_a_returned_tasks_history_shows_its_new_deadline_and_state_old_and_new(
    client, office, unit, leader, liaison
):
    task = walk(
        register(office, lead_unit=unit, leader=leader, deadline=dt.date(2026, 12, 4)),
        "submitted",
        office=office,
    )
    services.task_return(task=task, user=office, reason="缺少运行数据。", new_deadline=dt.date(2026, 12, 11))
    for user in (office, liaison.user):
        client.force_login(user)
        page = _history(client, task)
        assert "办理时限：2026-12-04 → 2026-12-11" in page
        assert "办理状态：已报结 → 已退回" in page
        assert "原因：退回限期办理" in page
        assert "临近期限起始日" not in page  # not on the task's page, not in its history


def test_the_leaders_approval_and_the_co_units_show_by_name(client, office, unit, leader):
    co_unit = DepartmentFactory(name="财务处", code="cwc")
    task = register(office, lead_unit=unit, leader=leader, co_units=[co_unit])
    services.task_approve(task=task, user=leader.user, note="同意立项。")
    client.force_login(office)
    page = _history(client, task)
    assert "立项审定人：— → 黄副校长" in page
    assert "立项审定时间：— → 2026-11-20 10:00" in page
    # The co-units were chosen with the registration (a second row, the same change): no change of their own.
    assert "协办单位" not in page
    html = client.get(reverse("supervision:task_history", args=[task.pk])).content.decode()
    assert html.count('data-kind="created"') == 1


def test_a_long_text_is_said_to_have_changed_and_never_quoted(client, office, unit, leader):
    task = walk(register(office, lead_unit=unit, leader=leader), "in_progress", office=office)
    services.task_submit(task=task, user=office, result="新方案已印发，各学院已按新方案排课。")
    client.force_login(office)
    page = _history(client, task)
    assert "办理结果：已修改" in page
    assert "新方案已印发" not in page


@pytest.mark.parametrize("changes", [1, 10])
def test_the_history_costs_the_same_queries_for_one_change_or_ten(
    client, office, unit, leader, changes, django_assert_max_num_queries
):
    task = register(office, lead_unit=unit, leader=leader, deadline=dt.date(2026, 12, 4))
    for n in range(changes):
        task.deadline = dt.date(2026, 12, 5) + dt.timedelta(days=n)
        task._change_reason = f"调整办理时限（第{n + 1}次）"
        task.save()
    client.force_login(office)
    with django_assert_max_num_queries(15):
        page = _history(client, task)
    assert page.count("办理时限：") == changes


def test_another_units_liaison_cannot_open_the_history(client, office, unit, leader, other_liaison):
    task = register(office, lead_unit=unit, leader=leader)
    client.force_login(other_liaison.user)
    assert client.get(reverse("supervision:task_history", args=[task.pk])).status_code == 404
