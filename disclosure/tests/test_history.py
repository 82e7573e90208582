"""An item's 审计历史 says what changed, old → new: a widened scope (三: 先党内、后党外), a moved publication window
(三（三）), the category, the form, the title, the state; the rich-text 公开内容 is said to have changed, never quoted;
a committee member does not see in it what only the office sees on the item's page (the follow-up date of a phase of
work); the page costs the same number of queries for one change or ten; whoever may not read the workflow, or is
outside the item's scope, gets a 404 (QA walk-through: the page listed only the names of the changed fields)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from disclosure import services
from disclosure.models import Category, Form, ItemState, Nature, Scope
from disclosure.tests.factories import TODAY, propose, walk

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def _history(user, item) -> str:
    response = _client(user).get(reverse("disclosure:item_history", args=[item.pk]))
    assert response.status_code == 200
    return _text(response)


def _later(minutes: int):
    """A change written some minutes after the item was proposed (one change is not taken for the next)."""
    return time_machine.travel(NOON + dt.timedelta(minutes=minutes), tick=False)


def test_the_offices_correction_shows_each_field_old_and_new_to_the_office_and_the_committee(
    office, approver
):
    item = propose(office)
    with _later(1):
        services.item_update(
            item=item,
            user=office,
            title="第三季度党费收缴和使用情况",
            content="<p>第三季度应交党费 12 万元，实交 12 万元，用于党员教育培训。</p>",
            category=Category.INTEGRITY,
            scope=Scope.STAFF,
            form=Form.WEBSITE,
            publish_from=dt.date(2026, 11, 27),
            publish_until=dt.date(2026, 12, 31),
        )
    with _later(2):
        item = walk(item, ItemState.PENDING, office=office, approver=approver)
    for user in (office, approver):
        page = _history(user, item)
        assert "公开范围：全体党员 → 全体教职工" in page
        assert "公开开始日期：2026-11-20 → 2026-11-27" in page
        assert "公开截止日期：— → 2026-12-31" in page
        assert "公开内容类别：基层组织建设情况 → 党风廉政建设" in page
        assert "公开形式：通报 → 校园网" in page
        assert "公开事项：第三季度党费收缴管理情况 → 第三季度党费收缴和使用情况" in page
        assert "状态：拟公开 → 待审批" in page
        assert "原因：报校党委审批" in page


def test_the_rich_text_content_is_said_to_have_changed_and_never_quoted(office):
    item = propose(office)
    with _later(1):
        services.item_update(
            item=item, user=office, content="<p>第三季度应交党费 12 万元，<b>实交 12 万元</b>。</p>"
        )
    page = _history(office, item)
    assert "公开内容：已修改" in page
    assert "应交党费" not in page  # neither the old text nor the new one
    assert "实交 12 万元" not in page


def test_a_widened_scope_shows_old_and_new_with_the_committees_approval(office, approver):
    item = walk(propose(office), ItemState.PUBLISHED, office=office, approver=approver)
    with _later(1):
        services.scope_widen_request(
            item=item, user=office, scope=Scope.PUBLIC, reason="党员意见已处理，面向社会公开。"
        )
    with _later(2):
        services.scope_widen_decide(item=item, user=approver, approve=True, note="同意。")
    for user in (office, approver):
        page = _history(user, item)
        assert "公开范围：全体党员 → 社会" in page
        assert "原因：批准扩大公开范围" in page
        assert "申请扩大到的范围：— → 社会" in page
        assert "扩大范围的理由：已修改" in page
        assert "面向社会公开" not in page


def test_the_follow_up_date_is_the_offices_only_in_the_history_as_on_the_page(office, approver):
    item = propose(office, nature=Nature.PHASE, follow_up_on=dt.date(2026, 12, 1))
    with _later(1):
        services.item_update(item=item, user=office, follow_up_on=dt.date(2026, 12, 15))
    with _later(2):
        item = walk(item, ItemState.PENDING, office=office, approver=approver)
    assert "跟进日期：2026-12-01 → 2026-12-15" in _history(office, item)
    page = _history(approver, item)
    assert "跟进日期" not in page
    assert "2026-12-15" not in page
    assert "阶段性工作跟进日期" not in _text(_client(approver).get(item.get_absolute_url()))


@pytest.mark.parametrize("changes", [1, 10])
def test_the_history_costs_the_same_queries_for_one_change_or_ten(
    office, approver, changes, django_assert_max_num_queries
):
    item = propose(office, publish_until=dt.date(2026, 12, 1))
    for n in range(changes):
        with _later(n + 1):
            services.item_update(
                item=item, user=office, publish_until=dt.date(2026, 12, 2) + dt.timedelta(days=n)
            )
    with _later(changes + 1):
        item = walk(item, ItemState.APPROVED, office=office, approver=approver)
    client = _client(office)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("disclosure:item_history", args=[item.pk]))
    page = _text(response)
    assert page.count("公开截止日期：") == changes
    assert "批准人：— → 林书记" in page


@pytest.mark.parametrize(
    ("who", "scope", "state"),
    [
        ("staff", Scope.MEMBERS, ItemState.PUBLISHED),  # outside the scope
        ("member", Scope.LEADERS, ItemState.PUBLISHED),
        ("leader", Scope.MEMBERS, ItemState.PENDING),  # a college leader approves nothing
        ("member", Scope.MEMBERS, ItemState.PUBLISHED),  # in scope: the page, not the workflow's history
    ],
)
def test_the_history_is_refused_by_url_to_whoever_may_not_read_it(
    who, scope, state, office, approver, leader, member, staff
):
    item = walk(propose(office, scope=scope), state, office=office, approver=approver)
    user = {"staff": staff, "member": member, "leader": leader}[who]
    url = reverse("disclosure:item_history", args=[item.pk])
    assert _client(user).get(url).status_code == 404
    assert url not in _client(user).get(item.get_absolute_url()).content.decode()
    assert Client().get(url).status_code == 302  # to log in


def test_the_history_opens_from_the_items_page_for_the_office(office):
    item = propose(office, publish_from=TODAY)
    page = _client(office).get(item.get_absolute_url()).content.decode()
    assert reverse("disclosure:item_history", args=[item.pk]) in page
    history = _client(office).get(reverse("disclosure:item_history", args=[item.pk])).content.decode()
    assert history.count('data-kind="created"') == 1
    assert "没有修改记录" not in history
