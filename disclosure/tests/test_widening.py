"""先党内、后党外 (三): the office asks to widen a published item's scope with a reason, a committee member approves
(the wider scope sees it from then on) or refuses with a reason; each step is recorded, one request at a time."""

from __future__ import annotations

import pytest
from django.test import Client

from disclosure import services
from disclosure.models import ItemAction, ItemState, Scope
from disclosure.permissions import can_view_item, items_visible_to
from disclosure.tests.factories import propose, walk
from governance.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(office, approver):
    return walk(propose(office, scope=Scope.MEMBERS), ItemState.PUBLISHED, office=office, approver=approver)


def test_an_approved_widening_shows_the_item_to_the_wider_scope(
    item, office, approver, staff, mailoutbox, django_capture_on_commit_callbacks
):
    assert not can_view_item(staff, item)
    with django_capture_on_commit_callbacks(execute=True):
        services.scope_widen_request(
            item=item, user=office, scope=Scope.PUBLIC, reason="党内公开期间无异议。"
        )
    assert mailoutbox[-1].to == [approver.email]
    item.refresh_from_db()
    assert (item.scope, item.widen_to) == (Scope.MEMBERS, Scope.PUBLIC)
    assert not can_view_item(staff, item)
    services.scope_widen_decide(item=item, user=approver, approve=True, note="同意向社会公开。")
    item.refresh_from_db()
    assert (item.scope, item.widen_to) == (Scope.PUBLIC, "")
    assert can_view_item(staff, item)
    assert item in items_visible_to(staff)
    assert Client().get(item.get_absolute_url()).status_code == 200
    actions = list(item.events.values_list("action", "note"))[-2:]
    assert actions == [
        (ItemAction.WIDEN_REQUEST, "由“全体党员”扩大到“社会”：党内公开期间无异议。"),
        (ItemAction.WIDEN_APPROVE, "由“全体党员”扩大到“社会”：同意向社会公开。"),
    ]


def test_a_refusal_needs_a_reason_and_keeps_the_scope(item, office, approver, staff):
    services.scope_widen_request(item=item, user=office, scope=Scope.STAFF, reason="拟向教职工公开。")
    with pytest.raises(DomainError, match="请写明理由"):
        services.scope_widen_decide(item=item, user=approver, approve=False, note="")
    services.scope_widen_decide(item=item, user=approver, approve=False, note="涉及党员个人信息，仅限党内。")
    item.refresh_from_db()
    assert (item.scope, item.widen_to) == (Scope.MEMBERS, "")
    assert not can_view_item(staff, item)


def test_only_a_wider_scope_can_be_asked_for_and_only_one_request_waits(item, office):
    with pytest.raises(DomainError) as narrower:
        services.scope_widen_request(item=item, user=office, scope=Scope.LEADERS, reason="缩小")
    assert "请选择比现在（全体党员）更宽的范围" in str(narrower.value)
    services.scope_widen_request(item=item, user=office, scope=Scope.STAFF, reason="扩大")
    with pytest.raises(DomainError, match="已有一份扩大公开范围的申请"):
        services.scope_widen_request(item=item, user=office, scope=Scope.PUBLIC, reason="再扩大")


def test_only_a_committee_member_decides_and_only_the_office_asks(item, office, approver, leader, member):
    with pytest.raises(DomainError, match="由党务公开工作办公室提出"):
        services.scope_widen_request(item=item, user=member, scope=Scope.PUBLIC, reason="扩大")
    services.scope_widen_request(item=item, user=office, scope=Scope.PUBLIC, reason="扩大")
    for user in (leader, office):
        with pytest.raises(DomainError, match="由校党委成员批准"):
            services.scope_widen_decide(item=item, user=user, approve=True)
    item.refresh_from_db()
    assert item.scope == Scope.MEMBERS


def test_the_committee_member_decides_on_the_items_page(item, office, approver):
    services.scope_widen_request(item=item, user=office, scope=Scope.PUBLIC, reason="扩大")
    client = Client()
    client.force_login(approver)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "审批扩大公开范围" in page
    response = client.post(
        item.get_absolute_url(),
        {"action": "widen_approve", "widen_approve-decision": "approve", "widen_approve-note": ""},
        follow=True,
    )
    assert "已批准扩大公开范围。" in response.content.decode()
    item.refresh_from_db()
    assert item.scope == Scope.PUBLIC


def test_the_committee_is_asked_to_widen_not_to_approve_a_new_item_with_both_scopes_and_the_reason(
    item, office, approver, smtp_sink, settings, django_capture_on_commit_callbacks
):
    """QA walk-through (issue 11): the email read like a new approval request ("请审批 … 公开范围：全体党员")."""
    settings.SITE_URL = "https://portal.example.edu.cn"
    with django_capture_on_commit_callbacks(execute=True):
        services.scope_widen_request(
            item=item, user=office, scope=Scope.PUBLIC, reason="党内公开期间无异议，师生普遍关注。"
        )
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0]["to"] == [approver.email]
    assert [s.strip() for s in smtp_sink.subjects()] == [
        "[党委办公室] 扩大公开范围申请：第三季度党费收缴管理情况"
    ]
    body = smtp_sink.bodies()[0]
    assert "先党内、后党外" in body
    assert "公开范围：由“全体党员”扩大到“社会”" in body
    assert "申请理由：党内公开期间无异议，师生普遍关注。" in body
    assert "已于 2026-11-20 向“全体党员”公开，批准前公开范围不变。" in body
    assert f"https://portal.example.edu.cn{item.get_absolute_url()}" in body
    assert "提出以下公开事项" not in body  # not the new-item request
