"""师生诉求 (004 第五条7, 第六条3—4): the mailbox for anyone signed in (rate-limited, plain text, says what happens next),
issues recorded from a forum, answered, transferred (移交), closed only once the raiser has been given feedback (件件
有回音); the raiser sees the answer; who sees which issue; the office's panel and the leaders' digest."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from outreach import services
from outreach.models import IssueEventKind, IssueState, RaisedIssue
from outreach.selectors import digest_sections, leader_panel, office_panel
from outreach.tests.factories import record

pytestmark = pytest.mark.django_db


def _write(client, **data):
    return client.post(
        reverse("outreach:mailbox"),
        {"title": "食堂排队太久", "text": "中午排队要二十分钟。", **data},
        follow=True,
    )


def test_a_member_of_staff_writes_to_a_leader_and_is_told_what_happens_next(client, staff, leader):
    client.force_login(staff)
    page = _write(client, owner=leader.pk).content.decode()
    assert "已收到，已转交黄晓峰处理。答复后您可以在“我的诉求”中查看。" in page
    issue = RaisedIssue.objects.get()
    assert (issue.owner, issue.raised_by, issue.state) == (leader, staff, IssueState.OPEN)


def test_the_mailbox_keeps_plain_text_only(client, staff):
    client.force_login(staff)
    _write(
        client,
        title="<b>食堂</b>\u202e排队",
        text="<script>alert(1)</script>中午\x07排队<img src=x onerror=alert(1)>",
    )
    issue = RaisedIssue.objects.get()
    assert issue.title == "食堂排队"
    assert issue.text == "alert(1)中午排队"


def test_a_text_of_markup_only_is_refused_with_the_title_kept(client, staff):
    client.force_login(staff)
    page = client.post(reverse("outreach:mailbox"), {"title": "食堂排队", "text": "<p></p>"}).content.decode()
    assert "请写明具体情况。" in page
    assert 'value="食堂排队"' in page
    assert not RaisedIssue.objects.exists()


def test_the_mailbox_refuses_a_second_letter_within_a_minute_and_a_fourth_within_a_day(client, staff):
    client.force_login(staff)
    _write(client)
    assert "提交太频繁：两次提交至少间隔 60 秒，请 60 秒后再提交。" in _write(client).content.decode()
    for minutes in (2, 4):
        with time_machine.travel(dt.timedelta(minutes=minutes)):
            _write(client)
    with time_machine.travel(dt.timedelta(minutes=6)):
        page = _write(client).content.decode()
    # The first letter went in at 10:00 on 20 November: a fourth may go in 24 hours later.
    assert "24 小时内最多提交 3 条，请于 11月21日 10:00 以后再提交。" in page
    assert RaisedIssue.objects.count() == 3


def test_the_mailbox_states_both_limits_and_a_refusal_says_how_many_seconds_to_wait(client, staff):
    client.force_login(staff)
    page = client.get(reverse("outreach:mailbox")).content.decode()
    assert "每个账号 24 小时内最多提交 3 条，两次提交至少间隔 60 秒" in page
    _write(client)
    with time_machine.travel(dt.timedelta(seconds=15)):
        page = client.post(
            reverse("outreach:mailbox"), {"title": "图书馆开放时间", "text": "希望周末延长到晚上十点。"}
        ).content.decode()
    assert "请 45 秒后再提交。" in page
    assert 'value="图书馆开放时间"' in page
    assert "希望周末延长到晚上十点。" in page
    assert RaisedIssue.objects.count() == 1


def test_an_issue_cannot_be_closed_before_feedback_and_the_raiser_sees_the_answer(
    client, staff, leader, other_leader
):
    issue = services.mailbox_raise(by=staff, title="食堂排队太久", text="中午排队要二十分钟。", owner=leader)
    client.force_login(leader.user)
    url = issue.get_absolute_url()
    page = client.post(url, {"action": "close"}, follow=True).content.decode()
    assert "尚未向反映人反馈，不能办结（件件有回音）。请先登记反馈。" in page
    client.post(url, {"action": "answer", "answer-answer": "已增开两个窗口。"})
    page = client.post(url, {"action": "close"}, follow=True).content.decode()
    assert "尚未向反映人反馈" in page
    client.post(url, {"action": "feedback", "feedback-channel": "portal"})
    client.post(url, {"action": "close"})
    issue.refresh_from_db()
    assert issue.state == IssueState.CLOSED
    assert list(issue.events.values_list("kind", flat=True)) == [
        IssueEventKind.RAISED,
        IssueEventKind.ANSWERED,
        IssueEventKind.FEEDBACK,
        IssueEventKind.CLOSED,
    ]
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "已增开两个窗口。" in page
    assert "已办结" in page


def test_a_leader_transfers_an_issue_and_no_longer_sees_it(client, office, staff, leader, other_leader):
    issue = services.mailbox_raise(by=staff, title="实验室安全培训", text="排期太晚。", owner=leader)
    client.force_login(leader.user)
    response = client.post(
        issue.get_absolute_url(),
        {"action": "transfer", "transfer-to_person": other_leader.pk, "transfer-note": "属于吴立群分管"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("outreach:issue_list")
    issue.refresh_from_db()
    assert issue.owner == other_leader
    assert client.get(issue.get_absolute_url()).status_code == 404
    client.force_login(other_leader.user)
    assert "属于吴立群分管" in client.get(issue.get_absolute_url()).content.decode()


def test_a_transfer_without_a_reason_changes_nothing(client, staff, leader, other_leader):
    issue = services.mailbox_raise(by=staff, title="实验室安全培训", text="排期太晚。", owner=leader)
    client.force_login(leader.user)
    page = client.post(
        issue.get_absolute_url(), {"action": "transfer", "transfer-to_person": other_leader.pk}
    ).content.decode()
    assert "请写明移交的理由。" in page
    issue.refresh_from_db()
    assert issue.owner == leader


def test_the_office_sends_an_unaddressed_letter_to_the_leader_in_charge(client, office, staff, leader):
    issue = services.mailbox_raise(by=staff, title="图书馆开放时间", text="考试周希望延长。")
    client.force_login(office)
    client.post(issue.get_absolute_url(), {"action": "assign", "assign-owner": leader.pk})
    issue.refresh_from_db()
    assert issue.owner == leader


def test_a_leader_records_an_issue_raised_at_their_forum(client, leader, unit):
    forum = record(leader.user, leader, units=[unit])
    client.force_login(leader.user)
    form = client.get(reverse("outreach:issue_create") + f"?activity={forum.pk}").context["form"]
    assert form.initial == {"unit": unit.pk, "owner": leader.pk}
    client.post(
        reverse("outreach:issue_create") + f"?activity={forum.pk}",
        {
            "title": "宿舍热水",
            "text": "只供应两小时。",
            "raiser": "学生代表",
            "unit": unit.pk,
            "owner": leader.pk,
        },
    )
    issue = RaisedIssue.objects.get()
    assert (issue.activity, issue.source, issue.owner) == (forum, "activity", leader)
    assert "宿舍热水" in client.get(forum.get_absolute_url()).content.decode()


def test_who_sees_which_issue(client, office, staff, leader, other_leader):
    mine = services.mailbox_raise(by=staff, title="职工的诉求", text="内容", owner=leader)
    others = services.issue_record(
        by=office, title="另一条诉求", text="内容", raiser="教工", owner=other_leader
    )
    listing = reverse("outreach:issue_list")
    client.force_login(staff)
    page = client.get(listing).content.decode()
    assert "职工的诉求" in page
    assert "另一条诉求" not in page
    assert client.get(others.get_absolute_url()).status_code == 404
    assert (
        "答复（004 第六条3" not in client.get(mine.get_absolute_url()).content.decode()
    )  # no handling forms
    assert client.post(mine.get_absolute_url(), {"action": "close"}).status_code == 403
    client.force_login(leader.user)
    assert client.get(others.get_absolute_url()).status_code == 404
    client.force_login(office)
    page = client.get(listing).content.decode()
    assert "职工的诉求" in page
    assert "另一条诉求" in page


def test_the_office_panel_lists_unanswered_issues_in_constant_queries(
    office, staff, leader, django_assert_max_num_queries
):
    services.issue_record(by=office, title="第一条", text="内容", raiser="教工", owner=leader)
    with django_assert_max_num_queries(3):  # the issues, their counts, the leaders' requests to escalate
        panel = office_panel(today=dt.date(2026, 11, 20))
        [i.owner for i in panel.issues]
    for n in range(6):
        services.issue_record(
            by=office, title=f"诉求{n}", text="内容", raiser="教工", owner=None if n % 2 else leader
        )
    with django_assert_max_num_queries(3):  # the issues, their counts, the leaders' requests to escalate
        panel = office_panel(today=dt.date(2026, 11, 20))
        [i.owner for i in panel.issues]
    assert (panel.unanswered, panel.unassigned, len(panel.issues)) == (7, 3, 5)


def test_the_office_home_shows_the_panel(client, office, leader):
    services.issue_record(by=office, title="宿舍热水", text="内容", raiser="学生代表", owner=leader)
    client.force_login(office)
    page = client.get("/").content.decode()
    assert "待答复的师生诉求" in page
    assert "宿舍热水" in page


def test_a_leaders_home_lists_the_issues_awaiting_their_answer_and_no_one_elses(
    client, office, leader, other_leader
):
    services.issue_record(by=office, title="宿舍热水", text="内容", raiser="学生代表", owner=leader)
    answered = services.issue_record(
        by=office, title="图书馆开放时间", text="内容", raiser="教工", owner=leader
    )
    services.issue_answer(answered, by=leader.user, answer="考试周延长至22点。")
    services.issue_record(by=office, title="实验室安全培训", text="内容", raiser="教工", owner=other_leader)
    client.force_login(leader.user)
    page = client.get("/").content.decode()
    assert "待我答复的师生诉求（1）" in page
    assert "宿舍热水" in page
    assert "图书馆开放时间" not in page
    assert "实验室安全培训" not in page


def test_the_leaders_open_issues_cost_one_query_however_many(office, leader, django_assert_num_queries):
    today = dt.date(2026, 11, 20)
    services.issue_record(by=office, title="第一条", text="内容", raiser="教工", owner=leader)
    leader_panel(leader, today=today)  # the calendar's and the festivals' first reads
    with django_assert_num_queries(3):
        one = leader_panel(leader, today=today)
    for n in range(7):
        services.issue_record(by=office, title=f"诉求{n}", text="内容", raiser="教工", owner=leader)
    with django_assert_num_queries(3):
        eight = leader_panel(leader, today=today)
    assert (one.open_total, eight.open_total) == (1, 8)
    assert [i.title for i in eight.open_issues][:2] == ["第一条", "诉求0"]
    assert len(eight.open_issues) == 5


def test_a_leaders_digest_lists_their_unanswered_issues_once_until_the_list_changes(
    office, leader, other_leader
):
    first = services.issue_record(by=office, title="宿舍热水", text="内容", raiser="学生代表", owner=leader)
    sections = digest_sections([leader, other_leader], dt.date(2026, 11, 20))
    assert list(sections) == [leader.pk]
    section = sections[leader.pk][0]
    assert section.title == "待您答复的师生诉求（004 第五条7）"
    assert [line.text for line in section.lines] == ["宿舍热水"]
    services.issue_answer(first, by=office, answer="已处理")
    assert digest_sections([leader], dt.date(2026, 11, 21)) == {}


def test_a_digest_line_says_since_when_an_issue_waits_by_when_to_answer_and_links_to_it(office, leader):
    issue = services.issue_record(by=office, title="宿舍热水", text="内容", raiser="学生代表", owner=leader)
    (line,) = digest_sections([leader], dt.date(2026, 12, 7))[leader.pk][0].lines
    assert line.detail == (
        "2026年11月20日 提出，已等待 17 天，尚未答复；应尽快答复（004 第六条3，制度未规定具体天数）。"
    )
    assert line.url == reverse("outreach:issue_detail", args=[issue.pk])


def test_the_issue_list_asks_as_many_queries_whatever_the_number_of_issues(
    client, office, staff, leader, other_leader, unit, django_assert_max_num_queries
):
    services.issue_record(by=office, title="诉求0", text="内容", raiser="教工", owner=leader, unit=unit)
    for user in (office, leader.user):
        client.force_login(user)
        with django_assert_max_num_queries(30) as few:
            client.get(reverse("outreach:issue_list"))
        counted = len(few.captured_queries)
        for n in range(1, 8):
            issue = services.issue_record(
                by=office, title=f"诉求{n}{user.pk}", text="内容", raiser="教工", owner=leader, unit=unit
            )
            if n % 3 == 0:
                services.issue_answer(issue, by=leader.user, answer="已答复")
            if n % 4 == 0:
                services.issue_transfer(issue, by=office, to_person=other_leader, note="分工调整")
        with django_assert_max_num_queries(counted):
            page = client.get(reverse("outreach:issue_list")).content.decode()
        assert f"诉求7{user.pk}" in page
