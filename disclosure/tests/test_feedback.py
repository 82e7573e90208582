"""Opinions on a published item (三（一）3, 四（三）): a viewer in scope leaves one, optionally anonymous to other viewers
but never to the office; the office answers, the person is emailed and sees the answer. Tags are removed on save,
the rate is limited, and a refusal says why with the input kept."""

from __future__ import annotations

import pytest
from django.test import Client

from disclosure import services
from disclosure.models import Feedback, ItemState, Scope
from disclosure.services.feedback import FEEDBACK_LIMIT
from disclosure.tests.factories import propose, walk
from governance.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(office, approver):
    return walk(propose(office, scope=Scope.MEMBERS), ItemState.PUBLISHED, office=office, approver=approver)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_party_member_leaves_an_opinion_on_the_items_page(item, member):
    response = _client(member).post(
        item.get_absolute_url(),
        {"action": "feedback", "feedback-text": "建议按党支部公布明细。"},
        follow=True,
    )
    assert "意见已提交" in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.author, feedback.text, feedback.anonymous) == (member, "建议按党支部公布明细。", False)


def test_an_anonymous_opinion_hides_the_name_from_other_viewers_but_not_from_the_office(
    item, member, office, leader
):
    services.feedback_leave(item=item, user=member, text="建议按党支部公布。", anonymous=True)
    other = _client(leader).get(item.get_absolute_url()).content.decode()
    assert "匿名" in other
    assert "邵一鸣" not in other
    assert "邵一鸣" in _client(office).get(item.get_absolute_url()).content.decode()
    assert "邵一鸣" in _client(member).get(item.get_absolute_url()).content.decode()


def test_the_office_answers_and_the_person_is_emailed_and_sees_the_answer(
    item, member, office, mailoutbox, django_capture_on_commit_callbacks
):
    feedback = services.feedback_leave(item=item, user=member, text="建议按党支部公布。")
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(office).post(
            item.get_absolute_url(),
            {"action": "response", "feedback": feedback.pk, "response": "下季度起按支部公布。"},
            follow=True,
        )
    assert "已答复" in response.content.decode()
    assert mailoutbox[-1].to == [member.email]
    assert "下季度起按支部公布。" in mailoutbox[-1].body
    assert "下季度起按支部公布。" in _client(member).get(item.get_absolute_url()).content.decode()


def test_an_empty_answer_is_refused_and_nothing_is_saved(item, member, office):
    feedback = services.feedback_leave(item=item, user=member, text="建议。")
    page = _client(office).post(
        item.get_absolute_url(), {"action": "response", "feedback": feedback.pk, "response": " "}
    )
    assert "请填写答复。" in page.content.decode()
    feedback.refresh_from_db()
    assert feedback.responded_at is None


def test_tags_and_scripts_are_removed_from_an_opinion(item, member):
    feedback = services.feedback_leave(
        item=item, user=member, text='<script>alert(1)</script><b onmouseover="x()">好</b> a < b'
    )
    assert feedback.text == "好 a < b"
    page = _client(member).get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "a &lt; b" in page


def test_a_person_outside_the_scope_cannot_leave_an_opinion(item, staff):
    response = _client(staff).post(item.get_absolute_url(), {"action": "feedback", "feedback-text": "意见"})
    assert response.status_code == 404
    with pytest.raises(DomainError, match="不在该事项的公开范围内"):
        services.feedback_leave(item=item, user=staff, text="意见")
    assert not Feedback.objects.exists()


def test_opinions_are_collected_only_while_the_item_is_published(item, member, office):
    services.item_close_feedback(item=item, user=office, summary="无意见。")
    with pytest.raises(DomainError, match="意见征集已经结束"):
        services.feedback_leave(item=item, user=member, text="迟到的意见")


def test_too_many_opinions_in_an_hour_are_refused_with_the_text_kept(item, member):
    for n in range(FEEDBACK_LIMIT):
        services.feedback_leave(item=item, user=member, text=f"第{n}条")
    page = _client(member).post(
        item.get_absolute_url(), {"action": "feedback", "feedback-text": "第六条意见"}
    )
    body = page.content.decode()
    assert "请稍后再提" in body
    assert "第六条意见" in body
    assert Feedback.objects.count() == FEEDBACK_LIMIT


def test_an_empty_opinion_is_refused_with_a_clear_message(item, member):
    page = _client(member).post(item.get_absolute_url(), {"action": "feedback", "feedback-text": "<b></b>"})
    assert "请填写意见或建议。" in page.content.decode()
    assert not Feedback.objects.exists()
