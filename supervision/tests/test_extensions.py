"""Extension requests (第五条): the lead unit asks with a reason and a proposed date, the responsible leader approves
or refuses; the timeline and the audit history show both deadlines; refusals are Chinese; emails go after the
commit; the office panel and the leader's panel show requests waiting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from governance.errors import DomainError
from supervision import selectors, services
from supervision.models import ExtensionRequest, ExtensionStatus, SupervisedTask, TaskAction, TaskEvent
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(office, unit, leader, liaison):
    return walk(
        register(office, lead_unit=unit, leader=leader, deadline=dt.date(2026, 12, 1)),
        "in_progress",
        office=office,
    )


def _ask(task, liaison, new=dt.date(2026, 12, 20), reason="需等待上级文件下发。"):
    return services.extension_request(task=task, user=liaison.user, reason=reason, proposed_deadline=new)


def test_an_approved_extension_moves_the_deadline_and_keeps_the_original(task, liaison, leader):
    extension = _ask(task, liaison)
    services.extension_decide(extension=extension, user=leader.user, approve=True, note="同意。")
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 12, 20)
    assert task.original_deadline == dt.date(2026, 12, 1)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    assert extension.decided_by == leader
    events = list(TaskEvent.objects.filter(task=task).order_by("pk"))
    assert [e.action for e in events[-2:]] == [TaskAction.EXTENSION_REQUEST, TaskAction.EXTENSION_APPROVE]
    assert "由 2026年12月1日 延至 2026年12月20日" in events[-2].note
    assert events[-1].new_deadline == dt.date(2026, 12, 20)
    deadlines = list(
        task.history.order_by("history_date", "history_id").values_list("deadline", "history_change_reason")
    )
    assert deadlines[0][0] == dt.date(2026, 12, 1)
    assert deadlines[-1] == (dt.date(2026, 12, 20), "同意延期")


def test_a_refusal_needs_a_reason_and_leaves_the_deadline(task, liaison, leader):
    extension = _ask(task, liaison)
    with pytest.raises(DomainError) as refused:
        services.extension_decide(extension=extension, user=leader.user, approve=False)
    assert "请写明理由" in str(refused.value)
    services.extension_decide(
        extension=extension, user=leader.user, approve=False, note="时间充裕，请抓紧办理。"
    )
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 12, 1)
    last = TaskEvent.objects.filter(task=task).latest("pk")
    assert last.action == TaskAction.EXTENSION_REFUSE
    assert "不同意延期，办理时限仍为 2026年12月1日" in last.note


def test_the_unit_cannot_decide_its_own_request(task, liaison, other_liaison):
    extension = _ask(task, liaison)
    with pytest.raises(DomainError) as refused:
        services.extension_decide(extension=extension, user=liaison.user, approve=True)
    assert "分管校领导" in str(refused.value)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING


def test_another_unit_cannot_ask_for_the_task(task, other_liaison):
    with pytest.raises(DomainError) as refused:
        _ask(task, other_liaison)
    assert "主办单位" in str(refused.value)
    assert not ExtensionRequest.objects.exists()


def test_a_request_needs_a_reason_and_a_later_date_and_only_one_waits(task, liaison):
    with pytest.raises(DomainError) as refused:
        _ask(task, liaison, new=dt.date(2026, 11, 30), reason="")
    errors = refused.value.message_dict
    assert errors["reason"] == ["请写明不能按时办结的特殊情况（第五条）。"]
    assert errors["proposed_deadline"] == ["申请延至的日期须晚于现在的办理时限（2026年12月1日）。"]
    _ask(task, liaison)
    with pytest.raises(DomainError, match="已有一份延期申请"):
        _ask(task, liaison, new=dt.date(2026, 12, 25))
    assert ExtensionRequest.objects.count() == 1


def test_a_submitted_task_cannot_ask_for_an_extension(office, task, liaison):
    task = services.task_submit(task=task, user=liaison.user, result="已办完。")
    with pytest.raises(DomainError, match="“已报结”状态的事项不能申请延期"):
        _ask(task, liaison)


def test_the_leader_is_emailed_the_request_and_the_unit_the_answer_after_the_commit(
    task, liaison, leader, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        extension = _ask(task, liaison)
        assert mailoutbox == []
    (asked,) = mailoutbox
    assert asked.to == [leader.contact_email]
    assert "延期申请待您审批" in asked.subject
    assert "需等待上级文件下发。" in asked.body
    with django_capture_on_commit_callbacks(execute=True):
        services.extension_decide(extension=extension, user=leader.user, approve=True)
    answered = mailoutbox[-1]
    assert answered.to == [liaison.contact_email]
    assert "延期申请已同意" in answered.subject


def test_the_panels_show_requests_waiting_and_the_page_lets_the_leader_decide(
    client, task, liaison, leader, office
):
    _ask(task, liaison)
    today = dt.date(2026, 11, 20)
    (waiting,) = selectors.office_panel(today=today).extensions
    assert waiting.task.pk == task.pk
    assert [t.pk for t in selectors.leader_panel(leader, today=today).extensions] == [task.pk]
    url = reverse("supervision:task_detail", args=[task.pk])
    client.force_login(liaison.user)
    page = client.get(url).content.decode()
    assert "待分管校领导审批" in page
    assert "extension-decision-form" not in page
    assert client.post(url, {"action": "ext_decide", "decide-decision": "approve"}).status_code == 403
    client.force_login(leader.user)
    response = client.post(url, {"action": "ext_decide", "decide-decision": "refuse", "decide-note": ""})
    assert "不同意延期时，请写明理由" in response.content.decode()
    response = client.post(url, {"action": "ext_decide", "decide-decision": "approve", "decide-note": "同意"})
    assert response.status_code == 302
    assert SupervisedTask.objects.get(pk=task.pk).deadline == dt.date(2026, 12, 20)


def test_the_unit_asks_on_the_page_and_keeps_its_input_when_refused(client, task, liaison):
    client.force_login(liaison.user)
    url = reverse("supervision:task_detail", args=[task.pk])
    response = client.post(
        url,
        {
            "action": "ext_request",
            "ext_request-reason": "等待批复",
            "ext_request-proposed_deadline": "2026-11-25",
        },
    )
    page = response.content.decode()
    assert "申请延至的日期须晚于现在的办理时限" in page
    assert "等待批复" in page
    response = client.post(
        url,
        {
            "action": "ext_request",
            "ext_request-reason": "等待批复",
            "ext_request-proposed_deadline": "2026-12-20",
        },
    )
    assert response.status_code == 302
    assert ExtensionRequest.objects.get().proposed_deadline == dt.date(2026, 12, 20)
