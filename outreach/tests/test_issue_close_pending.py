"""An issue is not closed while the leader's request to the office (提请上会, 转为督办; 004 第六条4) waits for the office
(issue 10, QA #12): the close is refused with what waits and what ends the wait, nothing changes, and the request stays
on the office home; once the office has acted on it or declined it, the issue closes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from outreach import services
from outreach.models import IssueState
from outreach.selectors import office_panel

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
REFUSAL = (
    "“请党委办公室提请上会”尚待党委办公室办理，暂不能办结：党委办公室列为议题、转为督办事项或答复不予提请后才能办结"
    "（004 第六条4）。"
)


@pytest.fixture
def issue(staff, leader):
    issue = services.mailbox_raise(
        by=staff, title="实验室夜间开放", text="希望实验室开放到晚上十点。", owner=leader
    )
    services.issue_ask_escalation(
        issue, by=leader.user, target="agenda", meeting_kind="administrative", reason="涉及多个学院"
    )
    services.issue_answer(issue, by=leader.user, answer="已协调各学院先行延长开放时间。")
    services.issue_feedback(issue, by=leader.user, channel="portal")
    issue.refresh_from_db()
    return issue


def test_the_leader_cannot_close_an_issue_while_their_request_waits_for_the_office(client, issue, leader):
    client.force_login(leader.user)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "提请待党委办公室办理，办理或答复后才能办结" in page
    response = client.post(issue.get_absolute_url(), {"action": "close"}, follow=True)
    assert REFUSAL in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == IssueState.ANSWERED
    assert office_panel(today=TODAY).asked == 1


def test_the_office_cannot_close_it_either_until_it_has_answered_the_request(office, issue):
    with pytest.raises(ValidationError, match="尚待党委办公室办理，暂不能办结"):
        services.issue_close(issue, by=office)


def test_once_the_office_has_declined_the_request_the_issue_closes(client, office, issue, leader):
    (asked,) = services.pending_asks(issue)
    services.issue_decline_ask(issue, by=office, ask_id=asked.pk, reason="可由职能部门直接办理")
    client.force_login(leader.user)
    page = client.post(issue.get_absolute_url(), {"action": "close"}, follow=True).content.decode()
    assert "已办结。" in page
    issue.refresh_from_db()
    assert issue.state == IssueState.CLOSED
    assert office_panel(today=TODAY).asked == 0
