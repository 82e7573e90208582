"""The workflow of 第四条: legal steps move the task and are recorded (who, when, why) in its timeline and its audit
history; an illegal step is refused with a Chinese message and changes nothing; emails go after the commit."""

from __future__ import annotations

import datetime as dt

import pytest

from governance.errors import DomainError
from supervision import services
from supervision.models import SupervisedTask, TaskAction, TaskEvent, TaskState
from supervision.tests.factories import DepartmentFactory, register, walk

pytestmark = pytest.mark.django_db


def _state(task):
    return SupervisedTask.objects.get(pk=task.pk).state


def test_a_task_walks_from_registration_to_archive_and_every_step_is_recorded(office, unit, leader, liaison):
    task = register(office, lead_unit=unit, leader=leader)
    task = services.task_notify(task=task, user=office, method="notice")
    task = services.task_accept(task=task, user=liaison.user)
    services.progress_report(task=task, user=liaison.user, unit=unit, text="已完成初稿。")
    task = services.task_submit(task=task, user=liaison.user, result="方案已修订完毕。")
    task = services.task_return(
        task=task, user=office, reason="缺少专家论证意见。", new_deadline=dt.date(2026, 12, 10)
    )
    task = services.task_submit(task=task, user=liaison.user, result="已补充专家论证意见。")
    task = services.task_complete(task=task, user=office, note="同意办结。")
    task = services.task_archive(task=task, user=office)
    assert _state(task) == TaskState.ARCHIVED
    events = list(TaskEvent.objects.filter(task=task).order_by("pk"))
    assert [e.action for e in events] == [
        TaskAction.REGISTER,
        TaskAction.NOTIFY,
        TaskAction.ACCEPT,
        TaskAction.REPORT,
        TaskAction.SUBMIT,
        TaskAction.RETURN,
        TaskAction.SUBMIT,
        TaskAction.COMPLETE,
        TaskAction.ARCHIVE,
    ]
    returned = events[5]
    assert (returned.from_state, returned.to_state) == (TaskState.SUBMITTED, TaskState.RETURNED)
    assert returned.note == "缺少专家论证意见。"
    assert returned.new_deadline == dt.date(2026, 12, 10)
    assert events[2].actor_name == "罗联络"
    reasons = list(
        task.history.order_by("history_date", "history_id").values_list("history_change_reason", "state")
    )
    assert ("退回限期办理", TaskState.RETURNED) in reasons
    assert reasons[-1] == ("立卷归档", TaskState.ARCHIVED)


def test_a_returned_task_keeps_its_original_deadline_and_gets_the_new_one(office, unit, leader):
    task = walk(register(office, lead_unit=unit, leader=leader), "submitted", office=office)
    services.task_return(task=task, user=office, reason="未办理好。", new_deadline=dt.date(2027, 1, 15))
    task.refresh_from_db()
    assert (task.original_deadline, task.deadline) == (dt.date(2026, 12, 31), dt.date(2027, 1, 15))


def test_a_step_the_state_does_not_allow_is_refused_and_changes_nothing(office, unit, leader):
    task = register(office, lead_unit=unit, leader=leader)
    with pytest.raises(DomainError) as refused:
        services.task_complete(task=task, user=office)
    assert refused.value.messages == ["“立项登记”状态的事项不能审核办结。"]
    assert _state(task) == TaskState.REGISTERED
    assert TaskEvent.objects.filter(task=task).count() == 1


def test_a_unit_cannot_review_its_own_completion(office, unit, leader, liaison):
    task = walk(register(office, lead_unit=unit, leader=leader), "submitted", office=office)
    with pytest.raises(DomainError) as refused:
        services.task_complete(task=task, user=liaison.user)
    assert "承办单位不能审核本单位的办理情况" in refused.value.messages[0]
    assert _state(task) == TaskState.SUBMITTED


def test_another_units_liaison_cannot_submit(office, unit, leader, other_liaison):
    task = walk(register(office, lead_unit=unit, leader=leader), "in_progress", office=office)
    with pytest.raises(DomainError) as refused:
        services.task_submit(task=task, user=other_liaison.user, result="冒名报结")
    assert refused.value.messages == ["只有主办单位的负责人、联络员（或党委办公室）可以报结。"]
    assert _state(task) == TaskState.IN_PROGRESS


def test_a_multi_unit_task_needs_the_leaders_approval_before_its_notice(office, unit, other_unit, leader):
    task = register(office, lead_unit=unit, leader=leader, co_units=[other_unit])
    with pytest.raises(DomainError) as refused:
        services.task_notify(task=task, user=office, method="notice")
    assert refused.value.messages == [
        "该事项涉及多个单位，须经分管校领导黄副校长审定后才能发出督办通知（第四条（一））。"
    ]
    services.task_approve(task=task, user=leader.user, note="同意立项。")
    task = services.task_notify(task=task, user=office, method="notice")
    assert task.state == TaskState.NOTIFIED
    assert SupervisedTask.objects.get(pk=task.pk).approved_by == leader


def test_only_the_responsible_leader_approves_registration(office, unit, other_unit, leader, liaison):
    task = register(office, lead_unit=unit, leader=leader, co_units=[other_unit])
    with pytest.raises(DomainError) as refused:
        services.task_approve(task=task, user=liaison.user)
    assert refused.value.messages == [
        "只有分管校领导（或受其委托的党委办公室）可以审定立项（第四条（一））。"
    ]


def test_a_return_needs_reasons_and_a_later_deadline_and_keeps_the_task_submitted(office, unit, leader):
    task = walk(register(office, lead_unit=unit, leader=leader), "submitted", office=office)
    with pytest.raises(DomainError) as refused:
        services.task_return(task=task, user=office, reason=" ", new_deadline=dt.date(2026, 11, 20))
    assert refused.value.message_dict == {
        "reason": ["请写明退回的理由：哪些应办理而未办理或未办理好。"],
        "new_deadline": ["新的办理时限须晚于今天。"],
    }
    assert _state(task) == TaskState.SUBMITTED


def test_only_the_office_registers_tasks(unit, leader, liaison):
    with pytest.raises(DomainError) as refused:
        register(liaison.user, lead_unit=unit, leader=leader)
    assert refused.value.messages == ["督办事项由督查小组（党委办公室）立项登记（第四条（一））。"]
    assert SupervisedTask.objects.count() == 0


def test_a_step_taken_on_a_stale_page_is_refused(office, unit, leader):
    task = register(office, lead_unit=unit, leader=leader)
    stale = SupervisedTask.objects.get(pk=task.pk)
    services.task_notify(task=task, user=office, method="phone")
    with pytest.raises(DomainError) as refused:
        services.task_notify(task=stale, user=office, method="notice")
    assert refused.value.messages == ["“已通知”状态的事项不能督办通知。"]


def test_the_notice_emails_the_lead_units_people_after_the_commit(
    office, unit, leader, liaison, mailoutbox, django_capture_on_commit_callbacks
):
    task = register(office, lead_unit=unit, leader=leader)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_notify(task=task, user=office, method="notice")
        assert mailoutbox == []  # nothing before the commit
    (mail,) = mailoutbox
    assert mail.to == [liaison.contact_email]
    assert "督〔2026〕1号" in mail.subject
    assert "办理时限：2026年12月31日" in mail.body


def test_a_co_unit_adds_its_part_of_the_progress_but_cannot_submit(
    office, unit, other_unit, leader, other_liaison
):
    task = walk(
        register(office, lead_unit=unit, leader=leader, co_units=[other_unit]), "in_progress", office=office
    )
    report = services.progress_report(
        task=task, user=other_liaison.user, unit=other_unit, text="协办部分已完成。"
    )
    assert report.unit == other_unit
    with pytest.raises(DomainError):
        services.progress_report(task=task, user=other_liaison.user, unit=unit, text="替主办单位报送")
    with pytest.raises(DomainError):
        services.task_submit(task=task, user=other_liaison.user, result="协办单位报结")


def test_lead_and_co_units_must_be_colleges_or_departments(office, leader):
    branch = DepartmentFactory(kind="branch", code="branch1", name="某党支部")
    with pytest.raises(DomainError) as refused:
        register(office, lead_unit=branch, leader=leader)
    assert refused.value.message_dict == {"lead_unit": ["主办单位须是学院或职能部门。"]}
