"""Opinions from anyone on a 社会 item (三（一）3 公开期间……通过各种渠道反映的意见, 三（二）社会, 四（三）): no login, a name
and a phone or email for the office only, a reference number to keep, a limit per client address, a honeypot, tags
removed; the office handles them like any opinion and emails the answer to an email contact after the commit. Only a
社会 item that is collecting opinions inside its window takes one: any other item's URL is a 404."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from disclosure import services
from disclosure.models import Feedback, ItemState, Scope
from disclosure.services.feedback import PUBLIC_FEEDBACK_LIMIT
from disclosure.tests.factories import TODAY, propose, walk
from governance.errors import DomainError
from governance.models import Organization
from governance.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(office, approver):
    return walk(
        propose(
            office, title="校领导接待日安排", scope=Scope.PUBLIC, publish_until=TODAY + dt.timedelta(days=30)
        ),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )


def _url(item) -> str:
    return reverse("disclosure:public_feedback", args=[item.pk])


def _form(**overrides) -> dict[str, str]:
    data = {
        "opinion-text": "建议接待日增加晚间时段。",
        "opinion-name": "王先生",
        "opinion-contact": "wang@example.com",
        "opinion-website": "",
    }
    data.update({f"opinion-{k}": v for k, v in overrides.items()})
    return data


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_an_anonymous_visitor_finds_the_feedback_form_on_a_public_item_without_logging_in(item):
    page = Client().get(item.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert "任何人都可以提出意见和建议，无须登录" in body
    assert f'action="{_url(item)}#feedback"' in body
    for label in ("意见建议", "姓名", "电话或电子邮箱"):
        assert label in body
    assert "csrfmiddlewaretoken" in body
    assert "登录</a>后可以提出意见" not in body


def test_a_visitor_leaves_an_opinion_and_is_told_what_happens_next_and_a_reference_to_keep(item):
    client = Client()
    response = client.post(_url(item), _form(), follow=True)
    feedback = Feedback.objects.get()
    assert response.redirect_chain[-1][0] == item.get_absolute_url() + "#feedback-thanks"
    body = response.content.decode()
    assert "感谢您的意见，已经收到。" in body
    assert feedback.reference in body
    assert re.fullmatch(r"GK2026-\d{6}", feedback.reference)
    assert "在意见征集结束、公开处理和落实情况之前答复每一条意见" in body
    assert "答复会发送到您留下的邮箱 wang@example.com" in body
    assert "本事项公开至 2026-12-20" in body
    assert (feedback.author, feedback.author_name, feedback.contact, feedback.anonymous) == (
        None,
        "王先生",
        "wang@example.com",
        True,
    )
    assert "感谢您的意见" not in client.get(item.get_absolute_url()).content.decode()  # shown once


def test_a_visitor_who_leaves_a_phone_number_is_told_the_office_will_call(item):
    response = Client().post(_url(item), _form(contact="138 1234 5678"), follow=True)
    assert "党务公开工作办公室会通过您留下的电话 138 1234 5678 告知答复" in response.content.decode()
    assert Feedback.objects.get().contact == "138 1234 5678"


def test_the_office_sees_who_wrote_and_how_to_reach_them_and_other_viewers_do_not(
    item, office, staff, leader
):
    Client().post(_url(item), _form(name="王先生", contact="13812345678"))
    feedback = Feedback.objects.get()
    office_page = _client(office).get(item.get_absolute_url()).content.decode()
    assert "王先生" in office_page
    assert "联系方式：13812345678" in office_page
    assert "（电话，答复后请电话告知）" in office_page
    assert feedback.reference in office_page
    for viewer in (_client(staff), _client(leader), Client()):
        page = viewer.get(item.get_absolute_url()).content.decode()
        assert "建议接待日增加晚间时段。" in page  # the opinion itself is shown
        assert "社会公众" in page
        assert "王先生" not in page
        assert "13812345678" not in page
        assert feedback.reference not in page


def test_tags_and_scripts_are_removed_from_the_opinion_the_name_and_the_contact(item, office):
    Client().post(
        _url(item),
        _form(text='<script>alert(1)</script><b onclick="x()">好</b> a < b', name="<i>王</i>先生"),
    )
    feedback = Feedback.objects.get()
    assert (feedback.text, feedback.author_name) == ("好 a < b", "王先生")
    page = _client(office).get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "a &lt; b" in page


def test_too_many_opinions_from_one_address_are_refused_with_what_was_typed_kept(item):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(PUBLIC_FEEDBACK_LIMIT):
        client.post(_url(item), _form(text=f"第{n}条意见"))
    page = client.post(_url(item), _form(text="还有一条意见", name="李女士", contact="li@example.com"))
    body = page.content.decode()
    assert page.status_code == 200
    assert f"一小时内从您的网络已提交 {PUBLIC_FEEDBACK_LIMIT} 条意见，请一小时后再提" in body
    for typed in ("还有一条意见", "李女士", "li@example.com"):
        assert typed in body
    assert Feedback.objects.count() == PUBLIC_FEEDBACK_LIMIT
    other = Client(REMOTE_ADDR="198.51.100.20").post(_url(item), _form(text="另一处的意见"))
    assert other.status_code == 302
    assert Feedback.objects.count() == PUBLIC_FEEDBACK_LIMIT + 1


def test_a_filled_honeypot_is_refused_with_what_was_typed_kept_and_nothing_saved(item):
    page = Client().post(_url(item), _form(website="http://spam.example"))
    body = page.content.decode()
    assert "提交未被接受：隐藏的“网址”一栏应当留空" in body
    assert "建议接待日增加晚间时段。" in body
    assert not Feedback.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_from_keyboards(item):
    body = Client().get(item.get_absolute_url()).content.decode()
    hidden = re.search(r'<div class="visually-hidden" aria-hidden="true">.*?</div>', body, re.S).group(0)
    assert 'name="opinion-website"' in hidden
    assert 'tabindex="-1"' in hidden


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": " "}, "请填写意见或建议。"),
        ({"name": ""}, "请留下您的姓名"),
        ({"contact": ""}, "请留下电话或电子邮箱"),
        ({"contact": "下午打我电话"}, "请填写电话号码（如 13812345678 或 0571-88881234）或电子邮箱。"),
        ({"contact": "wang@"}, "电子邮箱的格式不对，请检查。"),
    ],
)
def test_incomplete_input_is_refused_with_a_clear_message_and_the_rest_kept(item, overrides, message):
    page = Client().post(_url(item), _form(**overrides))
    body = page.content.decode()
    assert message in body
    assert "王先生" in body or overrides.get("name") == ""
    assert not Feedback.objects.exists()


def test_csrf_stays_on_for_the_public_form(item):
    client = Client(enforce_csrf_checks=True)
    assert client.post(_url(item), _form()).status_code == 403
    client.get(item.get_absolute_url())
    token = client.cookies["csrftoken"].value
    assert client.post(_url(item), {**_form(), "csrfmiddlewaretoken": token}).status_code == 302
    assert Feedback.objects.count() == 1


def _other_items(office, approver):
    found = {
        f"scope {scope}": walk(
            propose(office, scope=scope), ItemState.PUBLISHED, office=office, approver=approver
        )
        for scope in (Scope.STAFF, Scope.MEMBERS, Scope.LEADERS)
    }
    for state in (
        ItemState.PROPOSED,
        ItemState.PENDING,
        ItemState.APPROVED,
        ItemState.RESPONDED,
        ItemState.ARCHIVED,
    ):
        found[state] = walk(propose(office, scope=Scope.PUBLIC), state, office=office, approver=approver)
    found["expired"] = walk(
        propose(
            office,
            scope=Scope.PUBLIC,
            publish_from=TODAY - dt.timedelta(days=10),
            publish_until=TODAY - dt.timedelta(days=1),
        ),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    found["future"] = walk(
        propose(office, scope=Scope.PUBLIC, publish_from=TODAY + dt.timedelta(days=2)),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    return found


def test_any_item_not_collecting_public_opinions_is_a_404_by_url(office, approver):
    for key, other in _other_items(office, approver).items():
        assert Client().post(_url(other), _form()).status_code == 404, key
        assert Client().get(_url(other)).status_code == 404, key
        with pytest.raises(DomainError, match="不接收社会公众的意见"):
            services.feedback_leave_public(
                item=other, name="王", contact="13812345678", text="意见", client_ip=None
            )
    assert not Feedback.objects.exists()
    assert Client().post(reverse("disclosure:public_feedback", args=[99999]), _form()).status_code == 404


def test_an_answered_public_item_shows_no_form_to_visitors(item, office):
    services.item_close_feedback(item=item, user=office, summary="已答复。")
    body = Client().get(item.get_absolute_url()).content.decode()
    assert "public-feedback-form" not in body
    assert "该事项现在不接收新的意见" in body


def test_a_logged_in_viewer_uses_their_own_form_and_is_not_recorded_as_a_visitor(item, staff):
    client = _client(staff)
    body = client.get(item.get_absolute_url()).content.decode()
    assert "public-feedback-form" not in body
    assert "feedback-form" in body
    response = client.post(_url(item), _form(), follow=True)
    assert "您已登录，请用事项页上的意见表提出意见。" in response.content.decode()
    assert not Feedback.objects.exists()


def test_opening_the_feedback_address_leads_back_to_the_items_page(item):
    response = Client().get(_url(item))
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url() + "#feedback"


@pytest.fixture
def department(db):
    return OrganizationFactory(name="校长办公室", code="xb", kind=Organization.Kind.DEPARTMENT)


def test_the_office_answers_a_visitor_and_the_answer_is_emailed_after_the_commit(
    item, office, department, mailoutbox, django_capture_on_commit_callbacks
):
    Client().post(_url(item), _form())
    feedback = Feedback.objects.get()
    office_client = _client(office)
    office_client.post(
        item.get_absolute_url(), {"action": "assign", "feedback": feedback.pk, "department": department.pk}
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        office_client.post(
            item.get_absolute_url(),
            {"action": "department_response", "feedback": feedback.pk, "response": "下学期起增加晚间接待。"},
        )
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert mailoutbox[-1].to == ["wang@example.com"]
    assert feedback.reference in mailoutbox[-1].body
    assert "下学期起增加晚间接待。" in mailoutbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(
            item.get_absolute_url(),
            {"action": "response", "feedback": feedback.pk, "response": "已采纳，见处理情况。"},
            follow=True,
        )
    assert "已答复" in response.content.decode()
    assert mailoutbox[-1].to == ["wang@example.com"]
    assert "已采纳，见处理情况。" in mailoutbox[-1].body
    office_client.post(
        item.get_absolute_url(), {"action": "escalate", "feedback": feedback.pk, "reason": "涉及接待制度。"}
    )
    feedback.refresh_from_db()
    assert feedback.department == department
    assert feedback.escalated_at is not None
    assert (
        "已采纳，见处理情况。" in Client().get(item.get_absolute_url()).content.decode()
    )  # the visitor sees it


def test_an_answer_to_a_phone_contact_sends_no_email(
    item, office, mailoutbox, django_capture_on_commit_callbacks
):
    Client().post(_url(item), _form(contact="0571-88881234"))
    feedback = Feedback.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_respond(feedback=feedback, user=office, response="已电话告知。")
    assert mailoutbox == []


def test_a_department_answer_to_a_visitor_is_not_shown_to_other_visitors(item, office, department):
    Client().post(_url(item), _form())
    feedback = Feedback.objects.get()
    services.feedback_assign(feedback=feedback, user=office, department=department)
    body = Client().get(item.get_absolute_url()).content.decode()
    assert "承办部门" not in body


def test_the_items_page_with_many_public_opinions_takes_a_constant_number_of_queries(
    item, office, django_assert_max_num_queries
):
    for n in range(20):
        services.feedback_leave_public(
            item=item, name=f"访客{n}", contact=f"v{n}@example.com", text=f"意见{n}", client_ip=f"192.0.2.{n}"
        )
    office_client, visitor = _client(office), Client()
    with django_assert_max_num_queries(15):
        assert office_client.get(item.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(6):
        assert visitor.get(item.get_absolute_url()).status_code == 200
