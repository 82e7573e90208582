"""An issue escalated to an agenda item of the 党委会/校长办公会 (004 第六条4) or turned into a supervised task (003 督查督办
第二条（四）, 第三条（二）): made by the office through communication's and supervision's own services, the leader in
charge as proposer or responsible leader; the made record names the issue and its page, the issue shows the link and
the record's state, and stays open until its raiser has been given feedback (件件有回音)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from outreach import services
from outreach.models import IssueEventKind, IssueState, RaisedIssue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(staff, leader):
    return services.mailbox_raise(
        by=staff, title="实验室夜间开放", text="多个学院的研究生希望实验室开放到晚上十点。", owner=leader
    )


def _escalate(client, issue, **data):
    return client.post(
        issue.get_absolute_url(),
        {
            "action": "escalate",
            "escalate-meeting_kind": "administrative",
            "escalate-note": "共性问题",
            **data,
        },
        follow=True,
    )


def _to_task(client, issue, unit, **data):
    return client.post(
        issue.get_absolute_url(),
        {
            "action": "task",
            "task-lead_unit": unit.pk,
            "task-deadline": "2026-12-31",
            "task-matter": "制定实验室夜间开放办法",
            **data,
        },
        follow=True,
    )


def test_the_office_escalates_an_issue_to_an_agenda_item_proposed_by_the_leader_in_charge(
    client, office, issue, leader
):
    client.force_login(office)
    page = _escalate(client, issue).content.decode()
    assert "已列为议题" in page

    issue.refresh_from_db()
    item = issue.agenda_item
    assert (item.title, item.meeting_kind, item.proposer) == ("实验室夜间开放", "administrative", leader)
    assert item.organization.kind == "university"
    assert f"来源：师生诉求 #{issue.pk}" in item.description
    assert issue.get_absolute_url() in item.description
    assert "共性问题" in item.description
    assert issue.state == IssueState.OPEN
    assert issue.events.filter(kind=IssueEventKind.ESCALATED).count() == 1
    assert item.get_absolute_url() in page
    assert "议题状态" in page
    assert item.get_status_display() in page


def test_the_office_turns_an_issue_into_a_supervised_task_with_the_leader_responsible(
    client, office, issue, leader, unit
):
    client.force_login(office)
    page = _to_task(client, issue, unit).content.decode()
    assert "已转为督办事项" in page

    issue.refresh_from_db()
    task = issue.supervised_task
    assert (task.leader, task.lead_unit, task.deadline) == (leader, unit, dt.date(2026, 12, 31))
    assert (task.source, task.kind) == ("leader", "special")
    assert task.source_detail.startswith(f"来源：师生诉求 #{issue.pk}")
    assert issue.get_absolute_url() in task.source_detail
    assert task.number in page
    assert task.get_state_display() in page
    assert task.get_absolute_url() in page
    assert issue.state == IssueState.OPEN


def test_an_escalated_issue_still_needs_feedback_before_it_is_closed(client, office, issue, unit):
    client.force_login(office)
    _escalate(client, issue)
    _to_task(client, issue, unit)
    url = issue.get_absolute_url()
    client.post(url, {"action": "answer", "answer-answer": "校长办公会已研究，实验室开放到晚上十点。"})
    page = client.post(url, {"action": "close"}, follow=True).content.decode()
    assert "尚未向反映人反馈，不能办结（件件有回音）" in page
    client.post(url, {"action": "feedback", "feedback-channel": "portal"})
    client.post(url, {"action": "close"})
    issue.refresh_from_db()
    assert issue.state == IssueState.CLOSED


def test_the_leader_in_charge_sees_the_links_but_asks_the_office_to_escalate(
    client, office, issue, leader, unit
):
    client.force_login(leader.user)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "请党委办公室提请上会或转为督办（004 第六条4）" in page
    assert 'value="escalate"' not in page
    assert _escalate(client, issue).status_code == 403
    assert _to_task(client, issue, unit).status_code == 403
    with pytest.raises(ValidationError, match="议题由党委办公室列入（001 三（三））"):
        services.issue_escalate(issue, by=leader.user, meeting_kind="administrative")
    with pytest.raises(ValidationError, match="督办事项由督查小组（党委办公室）立项登记"):
        services.issue_to_task(
            issue, by=leader.user, lead_unit=unit, deadline=dt.date(2026, 12, 31), matter="办法"
        )
    issue.refresh_from_db()
    assert issue.agenda_item is None
    assert issue.supervised_task is None

    services.issue_escalate(issue, by=office, meeting_kind="party_committee")
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "提请上会" in page
    assert "党委会/党委常委会" in page


def test_the_raiser_cannot_escalate_by_url_and_does_not_see_the_links(client, office, staff, issue, unit):
    services.issue_to_task(issue, by=office, lead_unit=unit, deadline=dt.date(2026, 12, 31), matter="办法")
    client.force_login(staff)
    response = client.post(
        issue.get_absolute_url(), {"action": "escalate", "escalate-meeting_kind": "administrative"}
    )
    assert response.status_code == 403
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "督办事项" not in page
    issue.refresh_from_db()
    assert issue.agenda_item is None


def test_another_leader_gets_no_page_and_no_action_by_url(client, other_leader, issue):
    client.force_login(other_leader.user)
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert _escalate(client, issue).status_code == 404
    issue.refresh_from_db()
    assert issue.agenda_item is None


def test_a_past_deadline_is_refused_in_chinese_with_the_matter_kept_and_nothing_saved(
    client, office, issue, unit
):
    client.force_login(office)
    page = _to_task(client, issue, unit, **{"task-deadline": "2026-11-01"}).content.decode()
    assert "办理时限须晚于今天。" in page
    assert "制定实验室夜间开放办法" in page
    issue.refresh_from_db()
    assert issue.supervised_task is None
    assert not issue.events.filter(kind=IssueEventKind.TASKED).exists()


def test_a_meeting_other_than_the_two_the_regulation_names_is_refused(office, issue):
    with pytest.raises(ValidationError, match="请选择党委会或校长办公会"):
        services.issue_escalate(issue, by=office, meeting_kind="coordination")


def test_an_issue_is_escalated_once_and_only_after_it_has_a_leader_in_charge(office, issue):
    services.issue_escalate(issue, by=office, meeting_kind="administrative")
    with pytest.raises(ValidationError, match="这条诉求已提请上会。"):
        services.issue_escalate(issue, by=office, meeting_kind="party_committee")
    unassigned = services.issue_record(
        by=office, title="图书馆空调", text="阅览室太热。", raiser="图书馆读者", owner=None
    )
    with pytest.raises(ValidationError, match="请先把诉求分送承办校领导"):
        services.issue_escalate(unassigned, by=office, meeting_kind="administrative")
    assert RaisedIssue.objects.filter(agenda_item__isnull=False).count() == 1


def test_a_closed_issue_is_not_escalated(office, issue):
    services.issue_answer(issue, by=office, answer="已解决。")
    services.issue_feedback(issue, by=office, channel="portal")
    services.issue_close(issue, by=office)
    with pytest.raises(ValidationError, match="这条诉求已办结。"):
        services.issue_escalate(issue, by=office, meeting_kind="administrative")


def test_the_issue_page_asks_as_many_queries_with_both_links(
    client, office, issue, unit, django_assert_max_num_queries
):
    client.force_login(office)
    url = issue.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(60) as before:
        client.get(url)
    services.issue_escalate(issue, by=office, meeting_kind="administrative")
    services.issue_to_task(issue, by=office, lead_unit=unit, deadline=dt.date(2026, 12, 31), matter="办法")
    with django_assert_max_num_queries(len(before.captured_queries)):  # the links come with the issue's row
        client.get(url)
