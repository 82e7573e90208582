"""第五条: a unit's extension request (确因特殊情况不能按时、按要求办结的，承办单位须及时与具体工作的分管校领导请示) is a line of
the task's audit history, as the leader's answer is: who asked, when, to which date and why — read by the office and
the unit, and by no other unit (404)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from supervision import services
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(office, unit, leader):
    return walk(
        register(office, lead_unit=unit, leader=leader, title="修订学生手册", deadline=dt.date(2026, 12, 4)),
        "in_progress",
        office=office,
    )


def _history(client, task):
    return client.get(reverse("supervision:task_history", args=[task.pk]))


def _entries(response) -> list[str]:
    """Each history entry as the reader sees it, tags stripped, newest first."""
    html = response.content.decode()
    items = re.findall(
        r'<li class="list-group-item history-entry".*?</li>\s*(?=<li class="list-group-item|</ol>)',
        html,
        re.S,
    )
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def _ask(task, liaison, reason="需待学校章程修订后同步修订。"):
    return services.extension_request(
        task=task, user=liaison.user, reason=reason, proposed_deadline=dt.date(2026, 12, 18)
    )


@pytest.mark.parametrize("reader", ["office", "liaison"])
def test_the_units_request_is_in_the_audit_history_with_who_and_when(client, request, reader, task, liaison):
    _ask(task, liaison)
    user = request.getfixturevalue(reader)
    client.force_login(getattr(user, "user", user))
    response = _history(client, task)
    assert response.status_code == 200
    newest = _entries(response)[0]
    assert "申请延期至 2026年12月18日（理由：需待学校章程修订后同步修订。）" in newest
    assert "罗联络" in newest
    assert "2026-" in newest  # when, as every entry says it
    row = task.history.order_by("history_id").last()
    assert row.history_user == liaison.user


def test_the_request_and_then_the_leaders_answer_are_two_lines_of_the_history(
    client, office, task, liaison, leader
):
    extension = _ask(task, liaison)
    services.extension_decide(extension=extension, user=leader.user, approve=True)
    client.force_login(office)
    answer, asked = _entries(_history(client, task))[:2]
    assert "同意延期" in answer
    assert "办理时限" in answer
    assert "申请延期至 2026年12月18日" in asked


def test_a_long_reason_is_shortened_in_the_history_and_its_bracket_kept(office, task, liaison):
    _ask(task, liaison, reason="因" + "需要多个部门会签" * 20 + "。")
    reason = task.history.order_by("history_id").last().history_change_reason
    assert reason.startswith("申请延期至 2026年12月18日（理由：因需要多个部门会签")
    assert reason.endswith("…）")
    assert len(reason) <= 100


def test_another_units_liaison_cannot_open_the_history_with_the_request(client, task, liaison, other_liaison):
    _ask(task, liaison)
    client.force_login(other_liaison.user)
    assert _history(client, task).status_code == 404
