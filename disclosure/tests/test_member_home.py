"""最新党务公开 on the home of Party members and staff (the family contract's member_panel): the latest items disclosed
to them now, within their scope (三（二）, the one visibility rule), and the opinions they left with whether they were
answered (三（一）3); a constant number of queries. A leader's home shows the same block among the leader's cards (a
leader is a Party member and a member of staff too); the office keeps its own home."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure import selectors, services
from disclosure.models import ItemState, Scope
from disclosure.tests.factories import TODAY, propose, walk

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _published(office, approver, title, scope):
    return walk(
        propose(office, title=title, scope=scope), ItemState.PUBLISHED, office=office, approver=approver
    )


def test_a_party_member_sees_the_latest_items_of_their_scope_on_their_home(office, approver, member, staff):
    _published(office, approver, "党费收缴情况", Scope.MEMBERS)
    _published(office, approver, "校领导分工", Scope.PUBLIC)
    _published(office, approver, "班子民主生活会", Scope.LEADERS)
    walk(
        propose(office, title="待审批的事项", scope=Scope.MEMBERS),
        ItemState.PENDING,
        office=office,
        approver=approver,
    )
    page = _client(member).get(HOME).content.decode()
    assert "最新党务公开" in page
    assert "党费收缴情况" in page
    assert "校领导分工" in page
    assert "班子民主生活会" not in page
    assert "待审批的事项" not in page
    staff_page = _client(staff).get(HOME).content.decode()
    assert "最新党务公开" in staff_page
    assert "校领导分工" in staff_page
    assert "党费收缴情况" not in staff_page


def test_the_member_sees_their_own_opinions_and_whether_they_were_answered(office, approver, member):
    item = _published(office, approver, "党费收缴情况", Scope.MEMBERS)
    answered = services.feedback_leave(item=item, user=member, text="建议按支部公布。")
    services.feedback_respond(feedback=answered, user=office, response="下季度起按支部公布。")
    services.feedback_leave(item=item, user=member, text="建议公布使用情况。")
    page = _client(member).get(HOME).content.decode()
    assert "我提出的意见" in page
    assert page.count('class="mb-1 my-feedback"') == 2
    assert "已答复" in page
    assert "待答复" in page
    assert f"#feedback-{answered.pk}" in page


def test_with_nothing_disclosed_the_block_says_so(member):
    page = _client(member).get(HOME).content.decode()
    assert "最新党务公开" in page
    assert "现在没有向您公开的事项。" in page


def test_the_office_does_not_get_the_block(office, approver):
    _published(office, approver, "党费收缴情况", Scope.MEMBERS)
    assert "disclosure-member-panel" not in _client(office).get(HOME).content.decode()


def test_a_college_leader_sees_what_is_disclosed_to_them_on_their_home_too(office, approver, leader):
    """QA walk-through (issue 11): a college secretary's home had no 党务公开 at all while a Party member's had. A
    leader is a Party member and a member of staff too: the leader panel shows the latest items of their scopes."""
    _published(office, approver, "班子民主生活会", Scope.LEADERS)
    _published(office, approver, "党费收缴情况", Scope.MEMBERS)
    walk(
        propose(office, title="待审批的事项", scope=Scope.LEADERS),
        ItemState.PENDING,
        office=office,
        approver=approver,
    )
    page = _client(leader).get(HOME).content.decode()
    assert "disclosure-member-panel" in page
    assert "最新党务公开" in page
    assert "班子民主生活会" in page
    assert "党费收缴情况" in page
    assert "待审批的事项" not in page  # a college leader approves nothing
    assert "待审批的党务公开事项" not in page


def test_a_committee_member_sees_what_waits_for_approval_and_apart_from_it_what_is_disclosed(
    office, approver
):
    _published(office, approver, "党费收缴情况", Scope.MEMBERS)
    walk(
        propose(office, title="待审批的事项", scope=Scope.PUBLIC),
        ItemState.PENDING,
        office=office,
        approver=approver,
    )
    page = _client(approver).get(HOME).content.decode()
    waiting, _, disclosed = page.partition("disclosure-member-panel")
    assert "待审批的党务公开事项" in waiting
    assert "待审批的事项" in waiting
    assert "党费收缴情况" in disclosed
    assert "待审批的事项" not in disclosed  # not disclosed to anyone yet


def test_a_leaders_panel_asks_as_many_queries_for_many_items_as_for_one(
    office, approver, django_assert_max_num_queries
):
    from governance.models import Person

    _published(office, approver, "事项", Scope.LEADERS)
    person = Person.objects.get(user=approver)
    with CaptureQueriesContext(connection) as one:
        selectors.leader_panel(Person.objects.get(pk=person.pk), today=TODAY)
    for n in range(6):
        _published(office, approver, f"事项{n}", Scope.MEMBERS)
        walk(propose(office, title=f"待批{n}"), ItemState.PENDING, office=office, approver=approver)
    with django_assert_max_num_queries(len(one)):
        panel = selectors.leader_panel(Person.objects.get(pk=person.pk), today=TODAY)
    assert len(panel.disclosed.latest) == 5
    assert panel.pending_total == 6


def test_the_block_lists_the_five_latest_and_asks_two_queries(
    office, approver, member, django_assert_max_num_queries
):
    for n in range(7):
        _published(office, approver, f"事项{n}", Scope.MEMBERS)
    selectors.member_panel(member, today=TODAY)  # the login's groups and person, read once per request
    with django_assert_max_num_queries(2):
        panel = selectors.member_panel(member, today=TODAY)
    assert len(panel.latest) == 5


def test_the_home_asks_as_many_queries_for_many_items_and_opinions_as_for_one(
    office, approver, member, django_assert_max_num_queries
):
    item = _published(office, approver, "事项", Scope.MEMBERS)
    services.feedback_leave(item=item, user=member, text="意见。")
    client = _client(member)
    client.get(HOME)
    with CaptureQueriesContext(connection) as one:
        client.get(HOME)
    for n in range(4):
        more = _published(office, approver, f"事项{n}", Scope.STAFF)
        services.feedback_leave(item=more, user=member, text=f"意见{n}。")
    with django_assert_max_num_queries(len(one)):
        page = client.get(HOME).content.decode()
    assert page.count("disclosure-latest-item") == 5
