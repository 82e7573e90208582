"""A leader in charge of an issue asks the office to escalate it (004 第六条4: 必要时可作为议题提请学校党委会或校长办公会
研究解决) or to have it supervised (督查督办 第二条（四）): they cannot do either themselves (议题由党委办公室列入, 001
三（三）; 督办事项由督查小组立项, 督查督办 第四条（一）). The request, with its reason, is an issue event shown on the issue
page and on the office home's outreach panel until the office has acted with its own action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from outreach import services
from outreach.models import IssueEvent, IssueEventKind, RaisedIssue
from outreach.selectors import office_panel
from outreach.tests.factories import university_leader

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def issue(staff, leader):
    return services.mailbox_raise(
        by=staff, title="实验室夜间开放", text="多个学院的研究生希望实验室开放到晚上十点。", owner=leader
    )


def _ask(client, issue, **data):
    return client.post(
        issue.get_absolute_url(),
        {
            "action": "ask",
            "ask-target": "agenda",
            "ask-meeting_kind": "administrative",
            "ask-reason": "涉及多个学院，需要学校统筹安排",
            **data,
        },
        follow=True,
    )


def test_the_leader_in_charge_asks_the_office_to_list_the_issue_for_the_presidents_meeting(
    client, issue, leader
):
    client.force_login(leader.user)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "请党委办公室提请上会或转为督办（004 第六条4）" in page
    assert 'value="ask"' in page

    page = _ask(client, issue).content.decode()

    assert "已向党委办公室提请" in page
    event = IssueEvent.objects.get(issue=issue, kind=IssueEventKind.ASKED_AGENDA)
    assert (event.by, event.to_person, event.meeting_kind) == (leader.user, leader, "administrative")
    assert event.note == "涉及多个学院，需要学校统筹安排"
    assert "承办校领导的提请，待党委办公室办理" in page
    assert "请党委办公室提请上会（校长办公会）" in page
    assert "理由：涉及多个学院，需要学校统筹安排" in page
    issue.refresh_from_db()
    assert issue.agenda_item is None  # only asked: the office lists it


def test_the_leader_asks_for_a_supervised_task_too_but_not_twice_for_the_same(client, issue, leader):
    client.force_login(leader.user)
    _ask(client, issue)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert 'value="agenda"' not in page  # already asked: only the task is left to ask for
    assert 'value="task"' in page
    assert "提请的会议（列为议题时）" not in page
    again = _ask(client, issue).content.decode()  # the agenda again, by URL
    assert "选择一个有效的选项" in again
    assert IssueEvent.objects.filter(issue=issue, kind=IssueEventKind.ASKED_AGENDA).count() == 1
    page = _ask(client, issue, **{"ask-target": "task", "ask-reason": "需要督查落实"}).content.decode()
    assert "已向党委办公室提请" in page
    assert 'value="ask"' not in page  # both asked: nothing left to ask
    with pytest.raises(ValidationError, match="已向党委办公室提请过，请等待办理。"):
        services.issue_ask_escalation(issue, by=leader.user, target="task", reason="再次提请")
    assert IssueEvent.objects.filter(issue=issue, kind__startswith="asked_").count() == 2


def test_a_request_without_a_reason_is_refused_in_chinese_with_the_choice_kept_and_nothing_saved(
    client, issue, leader
):
    client.force_login(leader.user)
    response = _ask(client, issue, **{"ask-reason": "  ", "ask-meeting_kind": "party_committee"})
    page = response.content.decode()
    assert "请写明提请理由。" in page
    assert response.context["forms"]["ask"].data["ask-meeting_kind"] == "party_committee"
    assert '<option value="party_committee" selected>' in page
    assert not IssueEvent.objects.filter(issue=issue, kind__startswith="asked_").exists()


def test_the_office_sees_the_request_on_its_home_and_the_issue_page_with_the_form_preset(
    client, office, issue, leader
):
    services.issue_ask_escalation(
        issue, by=leader.user, target="agenda", meeting_kind="party_committee", reason="共性难点问题"
    )
    client.force_login(office)
    home = client.get("/").content.decode()
    assert "校领导提请上会或督办，待办理 1 条（004 第六条4）" in home
    assert issue.get_absolute_url() in home
    assert "请党委办公室提请上会（党委会/党委常委会）" in home

    response = client.get(issue.get_absolute_url())
    page = response.content.decode()
    assert "承办校领导的提请，待党委办公室办理" in page
    assert 'value="ask"' not in page  # the office does not ask, it acts
    form = response.context["forms"]["escalate"]
    assert (form.initial["meeting_kind"], form.initial["note"]) == ("party_committee", "共性难点问题")


def test_once_the_office_has_listed_the_item_the_request_leaves_the_panel_and_the_page(
    client, office, issue, leader
):
    services.issue_ask_escalation(
        issue, by=leader.user, target="agenda", meeting_kind="administrative", reason="共性难点问题"
    )
    assert office_panel(today=TODAY).asked == 1
    services.issue_escalate(issue, by=office, meeting_kind="administrative", note="共性难点问题")
    assert office_panel(today=TODAY).asked == 0
    client.force_login(office)
    assert "校领导提请上会或督办" not in client.get("/").content.decode()
    client.force_login(leader.user)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "待党委办公室办理" not in page
    assert "请党委办公室提请上会" in page  # still in the handling record


def test_a_closed_issues_request_leaves_the_panel(office, issue, leader):
    services.issue_ask_escalation(issue, by=leader.user, target="task", reason="需要督查落实")
    RaisedIssue.objects.filter(pk=issue.pk).update(state="closed")
    assert office_panel(today=TODAY).asked == 0
    issue.refresh_from_db()
    with pytest.raises(ValidationError, match="这条诉求已办结。"):
        services.issue_ask_escalation(
            issue, by=leader.user, target="agenda", meeting_kind="administrative", reason="x"
        )


def test_only_the_leader_in_charge_asks_by_page_and_by_url(client, office, staff, issue, other_leader):
    client.force_login(other_leader.user)
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert _ask(client, issue).status_code == 404
    client.force_login(staff)  # the raiser sees their issue, but handles nothing
    assert 'value="ask"' not in client.get(issue.get_absolute_url()).content.decode()
    assert _ask(client, issue).status_code == 403
    client.force_login(office)
    assert _ask(client, issue).status_code == 403
    assert Client().post(issue.get_absolute_url(), {"action": "ask"}).status_code == 302  # to the login page
    for user in (office, staff, other_leader.user):
        with pytest.raises(ValidationError):
            services.issue_ask_escalation(issue, by=user, target="task", reason="理由")
    assert not IssueEvent.objects.filter(issue=issue, kind__startswith="asked_").exists()


def test_an_unknown_target_or_meeting_is_refused(issue, leader):
    with pytest.raises(ValidationError, match="请选择提请上会或转为督办。"):
        services.issue_ask_escalation(issue, by=leader.user, target="other", reason="理由")
    with pytest.raises(ValidationError, match="请选择党委会或校长办公会"):
        services.issue_ask_escalation(
            issue, by=leader.user, target="agenda", meeting_kind="joint", reason="理由"
        )


def test_the_panels_requests_come_in_constant_queries(office, staff, leader, django_assert_max_num_queries):
    def ask(n):
        item = services.issue_record(by=office, title=f"诉求{n}", text="内容", raiser="教工", owner=leader)
        services.issue_ask_escalation(item, by=leader.user, target="task", reason="需要督查")

    ask(0)
    with django_assert_max_num_queries(3) as few:
        panel = office_panel(today=TODAY)
        [(a.issue.title, a.to_person.name) for a in panel.asks]
    for n in range(1, 8):
        ask(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        panel = office_panel(today=TODAY)
        [(a.issue.title, a.to_person.name) for a in panel.asks]
    assert (panel.asked, len(panel.asks)) == (8, 5)
    assert [a.issue.title for a in panel.asks] == [f"诉求{n}" for n in range(5)]  # the oldest first


def test_a_leader_who_left_the_issue_by_transfer_no_longer_asks(issue, leader):
    successor = university_leader("孙海涛")
    services.issue_transfer(issue, by=leader.user, to_person=successor, note="分工调整")
    with pytest.raises(ValidationError, match="只有承办这条诉求的校领导可以向党委办公室提请。"):
        services.issue_ask_escalation(issue, by=leader.user, target="task", reason="理由")
    services.issue_ask_escalation(issue, by=successor.user, target="task", reason="理由")
