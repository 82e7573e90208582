"""意见箱 on the home of Party members and staff (the family contract's member_panel): the way to write to the
university's leaders, and the issues the person raised with where each stands (004 第五条7: 件件有回音), in one query
whatever their number; nobody else's issues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from outreach import selectors, services
from outreach.models import RaisedIssue
from outreach.tests.factories import staff_user

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def _raise(by, title, owner):
    """A letter through the mailbox, dated a day earlier than the one before (the mailbox allows one a minute)."""
    issue = services.mailbox_raise(by=by, title=title, text="具体内容。", owner=owner)
    earlier = RaisedIssue.objects.count()
    RaisedIssue.objects.filter(pk=issue.pk).update(
        created_at=issue.created_at - dt.timedelta(days=100 - earlier)
    )
    issue.refresh_from_db()
    return issue


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(HOME).content.decode()


def test_a_member_of_staff_finds_the_mailbox_and_their_own_issues_with_their_state_on_their_home(
    staff, leader, office
):
    mine = _raise(staff, "食堂排队太久", leader)
    services.issue_answer(mine, by=leader.user, answer="已增开两个窗口。")
    _raise(staff, "图书馆开放时间", leader)
    page = _home(staff)
    assert "意见箱" in page
    assert f'href="{reverse("outreach:mailbox")}"' in page
    assert "写信" in page
    assert "我的诉求（2）" in page
    lines = [li.split("</li>")[0] for li in page.split('class="list-group-item small my-issue"')[1:]]
    assert len(lines) == 2
    latest, answered = lines
    assert "图书馆开放时间" in latest
    assert "待答复" in latest
    assert "食堂排队太久" in answered
    assert "已答复" in answered
    assert f'href="{reverse("outreach:issue_detail", args=[mine.pk])}"' in page


def test_nobody_sees_another_persons_issues_on_their_home(staff, leader, office):
    _raise(staff, "食堂排队太久", leader)
    other = staff_user(username="qita")
    page = _home(other)
    assert "意见箱" in page
    assert "食堂排队太久" not in page
    assert "我的诉求" not in page


def test_the_panel_reads_one_query_for_one_issue_as_for_six(staff, leader, django_assert_num_queries):
    _raise(staff, "第1条", leader)
    with django_assert_num_queries(1):
        one = selectors.member_panel(staff, today=None)
    for n in range(2, 7):
        _raise(staff, f"第{n}条", leader)
    with django_assert_num_queries(1):
        six = selectors.member_panel(staff, today=None)
    assert one.total == 1
    assert six.total == 6
    assert [i.title for i in six.issues] == ["第6条", "第5条", "第4条", "第3条", "第2条"]
