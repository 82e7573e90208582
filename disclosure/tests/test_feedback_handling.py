"""The office's handling of an opinion (三（一）3: 及时反馈给相关部门进行研究落实，并说明情况; 四（三）: 涉及重要事项或重大问题
的，要及时向上级汇报): it hands the opinion to a department with a note, records the department's answer — which the
person who raised it sees and is emailed — and escalates important opinions to the committee, whose members see them
on their home with who, when and why. Only the office does this; a refusal says why and keeps the input."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from disclosure import selectors, services
from disclosure.models import Feedback, ItemAction, ItemState, Scope
from disclosure.permissions import person_of
from disclosure.tests.factories import TODAY, propose, walk
from governance.errors import DomainError
from governance.models import Organization
from governance.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(office, approver):
    return walk(
        propose(office, title="党费收缴管理情况", scope=Scope.MEMBERS),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )


@pytest.fixture
def opinion(item, member):
    return services.feedback_leave(item=item, user=member, text="建议按党支部公布党费明细。")


@pytest.fixture
def zuzhibu(db):
    return OrganizationFactory(name="党委组织部", code="zzb", kind=Organization.Kind.DEPARTMENT)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_office_hands_an_opinion_to_a_department_with_a_note_and_it_is_recorded(
    item, opinion, office, zuzhibu
):
    response = _client(office).post(
        item.get_absolute_url(),
        {
            "action": "assign",
            "feedback": opinion.pk,
            "department": zuzhibu.pk,
            "note": "请研究后一周内答复。",
        },
        follow=True,
    )
    assert "已分派给党委组织部研究落实（三（一）3）。" in response.content.decode()
    opinion.refresh_from_db()
    assert (opinion.department, opinion.assignment_note) == (zuzhibu, "请研究后一周内答复。")
    assert opinion.assigned_at is not None
    event = item.events.last()
    assert (event.action, event.note) == (ItemAction.ASSIGN, "党委组织部：请研究后一周内答复。")


def test_the_department_answer_reaches_the_person_on_the_page_and_by_email(
    item, opinion, office, member, staff, leader, zuzhibu, mailoutbox, django_capture_on_commit_callbacks
):
    services.feedback_assign(feedback=opinion, user=office, department=zuzhibu)
    with django_capture_on_commit_callbacks(execute=True):
        _client(office).post(
            item.get_absolute_url(),
            {"action": "department_response", "feedback": opinion.pk, "response": "下季度起按支部公布。"},
        )
    opinion.refresh_from_db()
    assert opinion.department_response == "下季度起按支部公布。"
    assert mailoutbox[-1].to == [member.email]
    assert "党委组织部的研究落实情况：下季度起按支部公布。" in mailoutbox[-1].body
    mine = _client(member).get(item.get_absolute_url()).content.decode()
    assert "承办部门：党委组织部" in mine
    assert "下季度起按支部公布。" in mine
    # Other viewers see the opinion, not how the office is handling it.
    other = _client(leader).get(item.get_absolute_url()).content.decode()
    assert "建议按党支部公布党费明细。" in other
    assert "承办部门" not in other


def test_a_department_answer_before_any_department_is_refused(item, opinion, office):
    with pytest.raises(DomainError, match="请先把意见分派给承办部门。"):
        services.feedback_record_department_response(feedback=opinion, user=office, response="已落实。")


def test_the_office_escalates_an_important_opinion_and_the_committee_sees_it_on_its_home(
    item, opinion, office, approver, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(office).post(
            item.get_absolute_url(),
            {"action": "escalate", "feedback": opinion.pk, "reason": "涉及全校党费使用，须校党委研究。"},
            follow=True,
        )
    assert "已上报校党委" in response.content.decode()
    opinion.refresh_from_db()
    assert (opinion.escalated_by, opinion.escalation_reason) == (office, "涉及全校党费使用，须校党委研究。")
    assert opinion.escalated_at is not None
    assert item.events.last().action == ItemAction.ESCALATE
    assert approver.email in mailoutbox[-1].to
    assert "上报理由（四（三））：涉及全校党费使用，须校党委研究。" in mailoutbox[-1].body
    panel = selectors.leader_panel(person_of(approver), today=TODAY)
    assert [f.pk for f in panel.escalated] == [opinion.pk]
    home = _client(approver).get(reverse("home")).content.decode()
    assert "上报校党委的党务公开意见" in home
    assert "涉及全校党费使用，须校党委研究。" in home
    assert "上报校党委的党务公开意见" not in _client(office).get(reverse("home")).content.decode()


def test_an_opinion_is_escalated_once(item, opinion, office):
    services.feedback_escalate(feedback=opinion, user=office, reason="重大问题。")
    with pytest.raises(DomainError, match="该意见已经上报校党委。"):
        services.feedback_escalate(feedback=opinion, user=office, reason="再次上报。")


def test_an_escalation_without_a_reason_is_refused_with_the_input_kept_and_nothing_saved(
    item, opinion, office, zuzhibu
):
    response = _client(office).post(
        item.get_absolute_url(), {"action": "escalate", "feedback": opinion.pk, "reason": "  "}
    )
    assert response.status_code == 200
    assert "请写明上报校党委的理由。" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.escalated_at is None
    response = _client(office).post(
        item.get_absolute_url(),
        {"action": "assign", "feedback": opinion.pk, "department": "", "note": "请研究。"},
    )
    body = response.content.decode()
    assert "请选择承办部门。" in body
    assert "请研究。</textarea>" in body
    assert Feedback.objects.get(pk=opinion.pk).department is None


def test_only_the_office_hands_on_answers_for_or_escalates_an_opinion(
    item, opinion, approver, member, staff, zuzhibu
):
    for user in (approver, member):
        with pytest.raises(DomainError):
            services.feedback_escalate(feedback=opinion, user=user, reason="重大。")
        for data in (
            {"action": "assign", "feedback": opinion.pk, "department": zuzhibu.pk},
            {"action": "escalate", "feedback": opinion.pk, "reason": "重大。"},
            {"action": "department_response", "feedback": opinion.pk, "response": "已落实。"},
        ):
            assert _client(user).post(item.get_absolute_url(), data).status_code == 404
    assert _client(staff).post(item.get_absolute_url(), {"action": "escalate"}).status_code == 404
    opinion.refresh_from_db()
    assert (opinion.department, opinion.escalated_at) == (None, None)
    assert "feedback-handling" not in _client(member).get(item.get_absolute_url()).content.decode()


def test_an_opinion_of_another_item_cannot_be_handled_through_this_one(item, opinion, office, approver):
    other = walk(propose(office, title="另一事项"), ItemState.PUBLISHED, office=office, approver=approver)
    response = _client(office).post(
        other.get_absolute_url(), {"action": "escalate", "feedback": opinion.pk, "reason": "重大。"}
    )
    assert response.status_code == 404


def test_the_items_page_asks_as_many_queries_for_handled_opinions_as_for_one(
    item, office, member, zuzhibu, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = services.feedback_leave(item=item, user=member, text="意见一。")
    services.feedback_assign(feedback=first, user=office, department=zuzhibu)
    client = _client(office)
    client.get(item.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(item.get_absolute_url())
    for n in range(3):
        more = services.feedback_leave(item=item, user=member, text=f"意见{n}。")
        services.feedback_assign(feedback=more, user=office, department=zuzhibu)
        services.feedback_escalate(feedback=more, user=office, reason="重大。")
    with django_assert_max_num_queries(len(one)):
        page = client.get(item.get_absolute_url()).content.decode()
    assert page.count("feedback-escalated") == 3
