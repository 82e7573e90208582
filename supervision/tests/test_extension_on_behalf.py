"""第五条: a unit that cannot finish in time asks its responsible leader (确因特殊情况不能按时、按要求办结的，承办单位须及时
与具体工作的分管校领导请示). The answer is the leader's: the leader answers in the portal in their own name, or the office
enters the answer the leader gave in writing, by phone or in person — and then the request on the task's page, the
timeline, the audit history and the unit's email all say who entered it and how ("张敏代为登记：黄副校长同意延期（书面）"),
as the approval of a registration does (test_approval_on_behalf.py). Earlier office-entered answers are named by
a data migration."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from governance.errors import DomainError
from governance.tests.factories import PersonFactory
from supervision import services
from supervision.models import ExtensionRequest, ExtensionStatus, SupervisedTask, TaskAction, TaskEvent
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def zhang_min(office):
    PersonFactory(name="张敏", user=office)
    return office


@pytest.fixture
def task(office, unit, leader):
    return walk(
        register(office, lead_unit=unit, leader=leader, title="修订学生手册", deadline=dt.date(2026, 12, 4)),
        "in_progress",
        office=office,
    )


@pytest.fixture
def asked(task, liaison):
    return services.extension_request(
        task=task,
        user=liaison.user,
        reason="需待学校章程修订后同步修订。",
        proposed_deadline=dt.date(2026, 12, 18),
    )


def _history(client, task) -> str:
    response = client.get(reverse("supervision:task_history", args=[task.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def _decide(client, task, **data):
    return client.post(
        reverse("supervision:task_detail", args=[task.pk]),
        {"action": "ext_decide", **{f"decide-{k}": v for k, v in data.items()}},
    )


def test_the_office_is_asked_how_the_leader_answered(client, zhang_min, task, asked):
    client.force_login(zhang_min)
    page = _text(client.get(task.get_absolute_url()))
    assert (
        "由分管校领导黄副校长审批（第五条）。请登记黄副校长的答复，并选择答复方式：书面、电话或当面。" in page
    )
    assert "分管校领导答复的方式" in page
    assert "代为登记审批意见" in page


def test_the_office_entering_a_written_approval_says_so_on_the_page_in_the_timeline_and_in_the_history(
    client, zhang_min, task, asked
):
    client.force_login(zhang_min)
    response = _decide(client, task, decision="approve", channel="paper", note="同意，请按新时限办结。")
    assert response.status_code == 302
    response = client.get(task.get_absolute_url())
    page = _text(response)
    assert "已代为登记：黄副校长同意延期（书面），办理时限改为 2026-12-18。" in page  # the message
    assert "2026-11-20 张敏代为登记：黄副校长同意延期（书面）。审批意见：同意，请按新时限办结。" in page
    # The timeline: who entered it, and the leader's answer.
    assert (
        "代为登记：分管校领导黄副校长同意延期（书面）。同意由 2026年12月4日 延至 2026年12月18日。"
        "审批意见：同意，请按新时限办结。" in page
    )
    event = TaskEvent.objects.filter(task=task).latest("pk")
    assert (event.action, event.actor, event.actor_name) == (TaskAction.EXTENSION_APPROVE, zhang_min, "张敏")
    history = _history(client, task)
    assert "同意延期（代为登记：分管校领导黄副校长同意延期（书面））" in history  # the change's reason
    extension = ExtensionRequest.objects.get(pk=asked.pk)
    assert (extension.status, extension.decision_recorded_by_name, extension.decision_channel) == (
        ExtensionStatus.APPROVED,
        "张敏",
        "paper",
    )
    assert extension.decided_by.name == "黄副校长"  # the answer is the leader's
    assert SupervisedTask.objects.get(pk=task.pk).deadline == dt.date(2026, 12, 18)


def test_the_office_entering_a_refusal_by_phone_says_so_and_the_history_has_it_too(
    client, zhang_min, task, asked
):
    client.force_login(zhang_min)
    _decide(client, task, decision="refuse", channel="phone", note="时间充裕，请抓紧办理。")
    page = _text(client.get(task.get_absolute_url()))
    assert "已代为登记：黄副校长不同意延期（电话），主办单位会收到邮件。" in page
    assert "张敏代为登记：黄副校长不同意延期（电话）。审批意见：时间充裕，请抓紧办理。" in page
    assert "代为登记：分管校领导黄副校长不同意延期（电话）。不同意延期，办理时限仍为 2026年12月4日。" in page
    history = _history(client, task)
    assert "不同意延期（代为登记：分管校领导黄副校长不同意延期（电话））" in history
    assert SupervisedTask.objects.get(pk=task.pk).deadline == dt.date(2026, 12, 4)


def test_the_office_must_say_how_the_leader_answered_and_nothing_is_saved_without_it(
    client, zhang_min, task, asked
):
    client.force_login(zhang_min)
    response = _decide(client, task, decision="approve", note="同意。")
    assert response.status_code == 200
    page = _text(response)
    assert "请选择分管校领导答复的方式：书面、电话或当面。" in page
    assert "同意。" in page  # the note typed is kept
    assert re.search(r'value="approve"[^>]*checked', response.content.decode())  # the answer chosen is kept
    assert ExtensionRequest.objects.get(pk=asked.pk).status == ExtensionStatus.PENDING
    assert SupervisedTask.objects.get(pk=task.pk).deadline == dt.date(2026, 12, 4)


def test_the_service_refuses_an_office_answer_without_its_channel(zhang_min, asked):
    with pytest.raises(DomainError) as refused:
        services.extension_decide(extension=asked, user=zhang_min, approve=True)
    assert refused.value.message_dict == {"channel": ["请选择分管校领导答复的方式：书面、电话或当面。"]}
    with pytest.raises(DomainError):
        services.extension_decide(extension=asked, user=zhang_min, approve=True, channel="email")
    assert ExtensionRequest.objects.get(pk=asked.pk).status == ExtensionStatus.PENDING


def test_the_leader_answering_in_the_portal_is_named_as_the_one_who_answered(client, task, asked, leader):
    client.force_login(leader.user)
    page = _text(client.get(task.get_absolute_url()))
    assert "分管校领导答复的方式" not in page  # the leader answers in their own name
    _decide(client, task, decision="approve", note="同意。")
    page = _text(client.get(task.get_absolute_url()))
    assert "已同意延期，办理时限改为 2026-12-18。" in page
    assert "2026-11-20 黄副校长同意延期。审批意见：同意。" in page
    assert "代为登记" not in page
    history = _history(client, task)
    assert "同意延期" in history
    assert "代为登记" not in history
    extension = ExtensionRequest.objects.get(pk=asked.pk)
    assert (extension.decided_by, extension.decision_recorded_by_name, extension.decision_channel) == (
        leader,
        "",
        "",
    )


def test_a_refusal_by_the_leader_is_in_the_audit_history_too(client, task, asked, leader, office):
    services.extension_decide(extension=asked, user=leader.user, approve=False, note="请抓紧办理。")
    client.force_login(office)
    assert "不同意延期" in _history(client, task)
    row = task.history.order_by("history_id").last()
    assert (row.history_user, row.history_change_reason) == (leader.user, "不同意延期")


def test_the_unit_is_emailed_who_entered_the_answer_and_how_after_the_commit(
    zhang_min, asked, liaison, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.extension_decide(extension=asked, user=zhang_min, approve=True, channel="in_person")
        assert mailoutbox == []
    (answered,) = mailoutbox
    assert answered.to == [liaison.contact_email]
    assert "延期申请已同意" in answered.subject
    assert "张敏代为登记：黄副校长同意延期（当面）。" in answered.body


def test_a_units_liaison_cannot_answer_by_page_or_by_url(client, task, asked, liaison):
    client.force_login(liaison.user)
    page = _text(client.get(task.get_absolute_url()))
    assert "分管校领导答复的方式" not in page
    assert "extension-decision-form" not in client.get(task.get_absolute_url()).content.decode()
    assert _decide(client, task, decision="approve", channel="paper").status_code == 403
    assert ExtensionRequest.objects.get(pk=asked.pk).status == ExtensionStatus.PENDING


def test_the_migration_names_who_entered_earlier_answers(task, asked, office, leader, liaison, unit):
    services.extension_decide(extension=asked, user=office, approve=True, channel="paper")
    other = walk(
        register(office, lead_unit=unit, leader=leader, title="另一事项"), "in_progress", office=office
    )
    by_leader = services.extension_request(
        task=other, user=liaison.user, reason="等待批复。", proposed_deadline=dt.date(2027, 1, 15)
    )
    services.extension_decide(extension=by_leader, user=leader.user, approve=False, note="请抓紧。")
    # As before the migration: who entered the answer was not kept.
    ExtensionRequest.objects.update(decision_recorded_by_name="", decision_channel="")
    migration = importlib.import_module("supervision.migrations.0006_extension_decision_on_behalf")
    migration.name_who_entered_earlier_decisions(apps, None)
    office_entered = ExtensionRequest.objects.get(pk=asked.pk)
    assert office_entered.decision_recorded_by_name == "office-staff"
    assert office_entered.decision_text == "office-staff代为登记：黄副校长同意延期"  # how is not known
    assert ExtensionRequest.objects.get(pk=by_leader.pk).decision_recorded_by_name == ""
