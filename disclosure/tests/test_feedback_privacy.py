"""Whose opinions, and whose names, a viewer sees (三（一）3—4; 三: 先党内、后党外). An opinion given while an item was
disclosed to the Party stays within the Party when the item is widened to 社会: the wider audience sees neither the
opinion nor the name, only that there are opinions given in a narrower scope and the handling (三（一）4). Anonymous
visitors never see a name. The queryset and the rules predicate say it alike (test below), by page and by URL."""

from __future__ import annotations

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from disclosure import services
from disclosure.models import Feedback, ItemState, Scope
from disclosure.permissions import (
    can_see_feedback_author,
    can_view_feedback,
    feedback_named_q,
    feedback_visible_q,
)
from disclosure.tests.factories import party_member, propose, walk

pytestmark = pytest.mark.django_db

OPINION = "建议按支部公布明细"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _widen(item, *, office, approver, to=Scope.PUBLIC):
    services.scope_widen_request(item=item, user=office, scope=to, reason="党内公开期间无异议。")
    return services.scope_widen_decide(item=item, user=approver, approve=True, note="同意。")


@pytest.fixture
def widened(office, approver, member):
    """QA walk-through, issue 11: proposed for 全体党员, 邵一鸣 leaves an opinion, the office answers, then the item
    is widened to 社会."""
    item = walk(propose(office, scope=Scope.MEMBERS), ItemState.PUBLISHED, office=office, approver=approver)
    feedback = services.feedback_leave(item=item, user=member, text=OPINION)
    services.feedback_respond(feedback=feedback, user=office, response="下季度起按支部公布。")
    return _widen(item, office=office, approver=approver)


def test_an_anonymous_visitor_does_not_see_a_party_members_opinion_after_the_item_is_widened_to_society(
    widened,
):
    page = _client().get(widened.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "邵一鸣" not in body
    assert OPINION not in body
    assert "下季度起按支部公布。" not in body
    assert "另有 1 条意见是在较小的公开范围内提出的，只向该范围内的人员显示（三：先党内、后党外）。" in body
    assert "还没有意见。" not in body


def test_a_member_of_staff_newly_in_scope_does_not_see_it_either(office, approver, member, staff):
    item = walk(propose(office, scope=Scope.MEMBERS), ItemState.PUBLISHED, office=office, approver=approver)
    services.feedback_leave(item=item, user=member, text=OPINION)
    item = _widen(item, office=office, approver=approver, to=Scope.STAFF)
    body = _client(staff).get(item.get_absolute_url()).content.decode()
    assert item.title in body
    assert "邵一鸣" not in body
    assert OPINION not in body


def test_the_party_the_author_and_the_office_still_see_the_opinion_with_the_name(widened, member, office):
    other_member = party_member(username="dangyuan2")
    for viewer in (other_member, member, office):
        body = _client(viewer).get(widened.get_absolute_url()).content.decode()
        assert OPINION in body
        assert "邵一鸣" in body
        assert "在“全体党员”范围内提出，只向该范围显示" in body


def test_the_public_page_and_the_feed_never_show_a_name_or_an_opinion(widened):
    for url in (reverse("disclosure:public"), reverse("disclosure:public_feed")):
        body = _client().get(url).content.decode()
        assert widened.title in body
        assert "邵一鸣" not in body
        assert OPINION not in body


def test_an_anonymous_visitor_sees_an_opinion_given_on_a_society_item_without_the_name(
    office, approver, staff
):
    item = walk(propose(office, scope=Scope.PUBLIC), ItemState.PUBLISHED, office=office, approver=approver)
    services.feedback_leave(item=item, user=staff, text="建议公开时附上统计口径。")
    anonymous = _client().get(item.get_absolute_url()).content.decode()
    assert "建议公开时附上统计口径。" in anonymous
    assert "叶青" not in anonymous
    assert "本校教职工" in anonymous
    signed_in = _client(party_member(username="dangyuan2")).get(item.get_absolute_url()).content.decode()
    assert "叶青" in signed_in  # given openly to everyone, a signed-in colleague sees who


def test_the_queryset_and_the_predicate_agree_on_which_opinions_and_names_each_viewer_sees(
    office, approver, leader, member, staff
):
    feedback = {}
    for scope, author in (
        (Scope.LEADERS, leader),
        (Scope.MEMBERS, member),
        (Scope.STAFF, staff),
        (Scope.PUBLIC, staff),
    ):
        for anonymous in (False, True):
            item = walk(
                propose(office, scope=scope, title=f"{scope}{anonymous}"),
                ItemState.PUBLISHED,
                office=office,
                approver=approver,
            )
            feedback[(scope, anonymous)] = services.feedback_leave(
                item=item, user=author, text="意见", anonymous=anonymous
            )
            if scope != Scope.PUBLIC:
                _widen(item, office=office, approver=approver)
    public = walk(
        propose(office, scope=Scope.PUBLIC, title="社会"),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    feedback["visitor"] = services.feedback_leave_public(
        item=public, name="王先生", contact="13812345678", text="意见", client_ip="10.0.0.1"
    )
    people = {
        "anonymous": AnonymousUser(),
        "staff": staff,
        "member": member,
        "leader": leader,
        "approver": approver,
        "office": office,
    }
    named_by = {}
    for who, user in people.items():
        visible = set(Feedback.objects.filter(feedback_visible_q(user)).values_list("pk", flat=True))
        named = set(Feedback.objects.filter(feedback_named_q(user)).values_list("pk", flat=True))
        assert named <= visible, who
        for key, opinion in feedback.items():
            assert (opinion.pk in visible) == can_view_feedback(user, opinion), (who, key)
            assert (opinion.pk in named) == can_see_feedback_author(user, opinion), (who, key)
        named_by[who] = {key for key, opinion in feedback.items() if opinion.pk in named}
    assert named_by["anonymous"] == set()
    assert named_by["office"] == set(feedback)
    # Within the Party: the member's own, and the open opinions of the scopes they are in; never 社会公众's.
    assert named_by["member"] == {
        (Scope.MEMBERS, False),
        (Scope.MEMBERS, True),
        (Scope.STAFF, False),
        (Scope.PUBLIC, False),
    }
    assert named_by["staff"] == {
        (Scope.STAFF, False),
        (Scope.STAFF, True),
        (Scope.PUBLIC, False),
        (Scope.PUBLIC, True),
    }


def test_the_item_page_asks_as_many_queries_for_many_opinions_as_for_one(
    office, approver, member, django_assert_max_num_queries
):
    item = walk(propose(office, scope=Scope.MEMBERS), ItemState.PUBLISHED, office=office, approver=approver)
    services.feedback_leave(item=item, user=member, text="第一条")
    client = _client(party_member(username="dangyuan2"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(item.get_absolute_url())
    for n in range(4):
        services.feedback_leave(item=item, user=party_member(username=f"dy{n}"), text=f"意见{n}")
    with django_assert_max_num_queries(len(one)):
        assert client.get(item.get_absolute_url()).status_code == 200


def test_existing_opinions_get_the_scope_their_item_had_when_they_were_given(office, approver, member):
    """The data migration (0007): read from the item's audit history."""
    item = walk(propose(office, scope=Scope.MEMBERS), ItemState.PUBLISHED, office=office, approver=approver)
    before = services.feedback_leave(item=item, user=member, text="扩大前")
    with time_machine.travel(dt.datetime(2026, 11, 20, 11, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        item = _widen(item, office=office, approver=approver)
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        after = services.feedback_leave(item=item, user=member, text="扩大后")
        visitor = services.feedback_leave_public(
            item=item, name="王先生", contact="13812345678", text="社会公众", client_ip="10.0.0.2"
        )
    Feedback.objects.update(scope="")
    migration = importlib.import_module("disclosure.migrations.0007_feedback_scope")
    migration.scope_when_given(apps, None)
    scopes = dict(Feedback.objects.values_list("pk", "scope"))
    assert (scopes[before.pk], scopes[after.pk], scopes[visitor.pk]) == (
        Scope.MEMBERS,
        Scope.PUBLIC,
        Scope.PUBLIC,
    )
