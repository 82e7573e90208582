"""第四条（一）: a joint or multi-unit task is registered only after the responsible leader approves it (报请学校主管领导审定
后正式立项). The approval is the leader's: the leader approves in the portal in their own name, or the office enters the
approval the leader gave on paper, by phone or in person — and then the task's badge, its timeline and its audit
history all say who entered it and how (QA walk-through of issue 9, defect 4: the badge read "孙海涛已审定立项" when the
office had clicked)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from governance.tests.factories import PersonFactory
from supervision.models import SupervisedTask
from supervision.tests.factories import register

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def zhang_min(office):
    PersonFactory(name="张敏", user=office)
    return office


@pytest.fixture
def task(office, unit, other_unit, leader):
    return register(
        office, lead_unit=unit, leader=leader, title="联合开展实验室安全检查", co_units=[other_unit]
    )


def _approve(client, task, **data):
    return client.post(
        reverse("supervision:task_detail", args=[task.pk]),
        {"action": "approve", **{f"approve-{k}": v for k, v in data.items()}},
    )


def test_the_office_sees_the_task_waits_for_the_leader_and_is_asked_how_the_leader_approved(
    client, zhang_min, task
):
    client.force_login(zhang_min)
    page = _text(client.get(task.get_absolute_url()))
    assert "待分管校领导黄副校长审定立项（第四条（一））" in page
    assert "代为登记分管校领导的审定" in page
    assert "分管校领导审定的方式" in page


def test_the_office_entering_a_paper_approval_says_so_on_the_badge_in_the_timeline_and_in_the_history(
    client, zhang_min, task
):
    client.force_login(zhang_min)
    response = _approve(client, task, channel="paper", note="审批表 11 月 19 日签字。")
    assert response.status_code == 302
    page = _text(client.get(task.get_absolute_url()))
    assert "张敏代为登记：黄副校长已审定（书面）" in page
    assert "黄副校长已审定立项" not in page
    assert "代为登记：分管校领导黄副校长已审定（书面）。审批表 11 月 19 日签字。" in page  # the timeline
    history = _text(client.get(reverse("supervision:task_history", args=[task.pk])))
    assert "审定立项（代为登记：分管校领导黄副校长已审定（书面））" in history
    task = SupervisedTask.objects.get(pk=task.pk)
    assert (task.approval_recorded_by_name, task.approval_channel) == ("张敏", "paper")


def test_the_office_must_say_how_the_leader_approved_and_nothing_is_saved_without_it(client, zhang_min, task):
    client.force_login(zhang_min)
    response = _approve(client, task, note="已同意。")
    assert response.status_code == 200
    page = _text(response)
    assert "请选择分管校领导审定的方式：书面、电话或当面。" in page
    assert "已同意。" in page  # the note typed is kept
    assert SupervisedTask.objects.get(pk=task.pk).approved_at is None


def test_the_leader_approving_in_the_portal_is_named_as_the_approver(client, task, leader):
    client.force_login(leader.user)
    page = _text(client.get(task.get_absolute_url()))
    assert "分管校领导审定的方式" not in page  # the leader approves in their own name
    _approve(client, task, note="同意立项。")
    page = _text(client.get(task.get_absolute_url()))
    assert "黄副校长已审定立项" in page
    assert "代为登记" not in page
    task = SupervisedTask.objects.get(pk=task.pk)
    assert (task.approved_by, task.approval_recorded_by_name, task.approval_channel) == (leader, "", "")


def test_a_units_liaison_cannot_approve_by_page_or_by_url(client, task, liaison):
    client.force_login(liaison.user)
    assert "审定立项" not in _text(client.get(task.get_absolute_url())).replace(
        "待分管校领导黄副校长审定立项", ""
    )
    _approve(client, task, channel="paper")
    assert SupervisedTask.objects.get(pk=task.pk).approved_at is None
