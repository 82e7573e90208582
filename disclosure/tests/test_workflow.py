"""The workflow of 三（一）: the office proposes and submits, a committee member approves or returns with reasons,
the office publishes, collects and answers opinions, publishes how they were handled, and archives (四（四）). Every
step is recorded (who, when, why); emails go after the commit; refusals say why in Chinese and change nothing."""

from __future__ import annotations

import pytest
from django.db import transaction

from disclosure import services
from disclosure.models import DisclosureItem, ItemAction, ItemState, Nature, Scope
from disclosure.services.items import _save
from disclosure.tests.factories import TODAY, propose, walk
from governance.errors import DomainError

pytestmark = pytest.mark.django_db


def test_the_office_proposes_an_item_and_its_first_step_is_recorded(office):
    item = propose(office)
    assert item.state == ItemState.PROPOSED
    event = item.events.get()
    assert (event.action, event.to_state, event.actor) == (ItemAction.PROPOSE, ItemState.PROPOSED, office)


def test_nobody_but_the_office_proposes_an_item(approver):
    with pytest.raises(DomainError, match="党务公开工作办公室"):
        propose(approver)
    assert not DisclosureItem.objects.exists()


def test_submitting_emails_the_committee_members_after_the_commit(
    office, approver, mailoutbox, django_capture_on_commit_callbacks
):
    item = propose(office)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_submit(item=item, user=office, note="请审批")
    item.refresh_from_db()
    assert item.state == ItemState.PENDING
    assert [m.to for m in mailoutbox] == [[approver.email]]
    assert "请审批党务公开事项" in mailoutbox[0].subject
    assert "三（一）1" in mailoutbox[0].body


def test_a_committee_member_approves_and_who_when_and_the_notes_are_kept(
    office, approver, mailoutbox, django_capture_on_commit_callbacks
):
    item = walk(propose(office), ItemState.PENDING, office=office, approver=approver)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_approve(item=item, user=approver, note="同意，按期公开。")
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED
    assert item.approved_by.name == "林书记"
    assert item.approved_at is not None
    event = item.events.get(action=ItemAction.APPROVE)
    assert (event.actor_name, event.note, event.from_state) == (
        "林书记",
        "同意，按期公开。",
        ItemState.PENDING,
    )
    assert mailoutbox[-1].to == [office.email]
    assert "已批准" in mailoutbox[-1].subject


def test_a_leader_who_is_not_on_the_committee_cannot_approve(office, approver, leader):
    item = walk(propose(office), ItemState.PENDING, office=office, approver=approver)
    with pytest.raises(DomainError, match="由校党委成员批准"):
        services.item_approve(item=item, user=leader)
    with pytest.raises(DomainError, match="由校党委成员批准"):
        services.item_approve(item=item, user=office)
    item.refresh_from_db()
    assert item.state == ItemState.PENDING
    assert not item.events.filter(action=ItemAction.APPROVE).exists()


def test_a_return_needs_reasons_and_the_office_corrects_and_submits_again(office, approver):
    item = walk(propose(office), ItemState.PENDING, office=office, approver=approver)
    with pytest.raises(DomainError, match="请写明退回的理由"):
        services.item_return(item=item, user=approver, reason="  ")
    services.item_return(item=item, user=approver, reason="数据不全，请补充各党支部的情况。")
    item.refresh_from_db()
    assert item.state == ItemState.RETURNED
    assert item.events.get(action=ItemAction.RETURN).note == "数据不全，请补充各党支部的情况。"
    services.item_update(item=item, user=office, content="<p>补充了各党支部的情况。</p>")
    services.item_submit(item=item, user=office)
    item.refresh_from_db()
    assert item.state == ItemState.PENDING


def test_a_material_edit_after_approval_needs_approval_again(office, approver):
    item = walk(propose(office), ItemState.APPROVED, office=office, approver=approver)
    item = services.item_update(item=item, user=office, scope=Scope.PUBLIC, note="扩大到社会")
    assert item.state == ItemState.PENDING
    assert item.approved_by is None
    assert item.events.last().action == ItemAction.RESUBMIT
    with pytest.raises(DomainError, match="不能公开"):
        services.item_publish(item=item, user=office)


def test_an_edit_that_changes_only_the_form_or_nature_keeps_the_approval(office, approver):
    item = walk(propose(office), ItemState.APPROVED, office=office, approver=approver)
    item = services.item_update(
        item=item, user=office, nature=Nature.PHASE, follow_up_on=TODAY, form="website"
    )
    assert item.state == ItemState.APPROVED
    assert item.approved_by is not None


def test_a_published_item_cannot_be_edited(office, approver):
    item = walk(propose(office), ItemState.PUBLISHED, office=office, approver=approver)
    with pytest.raises(DomainError, match="“已公开”的事项不能修改"):
        services.item_update(item=item, user=office, title="改标题")
    item.refresh_from_db()
    assert item.title == "第三季度党费收缴管理情况"


def test_the_handling_is_published_only_once_every_opinion_is_answered(office, approver, member):
    item = walk(propose(office), ItemState.PUBLISHED, office=office, approver=approver)
    feedback = services.feedback_leave(item=item, user=member, text="建议按支部公布。")
    with pytest.raises(DomainError, match="还有未答复的意见"):
        services.item_close_feedback(item=item, user=office, summary="已处理。")
    services.feedback_respond(feedback=feedback, user=office, response="下季度起按支部公布。")
    services.item_close_feedback(item=item, user=office, summary="已采纳按支部公布的建议。")
    item.refresh_from_db()
    assert item.state == ItemState.RESPONDED
    assert item.handling_summary == "已采纳按支部公布的建议。"


def test_an_item_goes_through_every_state_to_the_archive_with_one_event_per_step(office, approver):
    item = walk(propose(office), ItemState.ARCHIVED, office=office, approver=approver)
    assert item.state == ItemState.ARCHIVED
    assert list(item.events.values_list("action", flat=True)) == [
        ItemAction.PROPOSE,
        ItemAction.SUBMIT,
        ItemAction.APPROVE,
        ItemAction.PUBLISH,
        ItemAction.CLOSE_FEEDBACK,
        ItemAction.ARCHIVE,
    ]
    reasons = list(
        item.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["提出公开事项", "报校党委审批", "批准公开", "公开", "公开处理和落实情况", "归档"]


def test_a_step_from_the_wrong_state_is_refused_in_chinese(office, approver):
    item = propose(office)
    with pytest.raises(DomainError, match="“拟公开”的事项不能公开"):
        services.item_publish(item=item, user=office)
    with pytest.raises(DomainError, match="“拟公开”的事项不能归档"):
        services.item_archive(item=item, user=office)


def test_two_people_acting_on_the_same_item_at_once_do_not_both_succeed(office, approver):
    item = walk(propose(office), ItemState.PENDING, office=office, approver=approver)
    stale = DisclosureItem.objects.get(pk=item.pk)
    services.item_return(item=item, user=approver, reason="请补充。")
    stale.approve()
    with pytest.raises(DomainError, match="刚刚已被他人处理"), transaction.atomic():
        _save(stale, user=approver, reason="批准公开")
    assert DisclosureItem.objects.get(pk=item.pk).state == ItemState.RETURNED


def test_the_publication_window_cannot_end_before_it_starts(office):
    with pytest.raises(DomainError) as refused:
        propose(office, publish_until=TODAY.replace(day=1))
    assert "公开截止日期不能早于开始日期" in str(refused.value)
    assert not DisclosureItem.objects.exists()
