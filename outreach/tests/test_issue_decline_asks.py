"""The office answers a leader's request to escalate an issue without acting on it, with a reason (如：可由职能部门直接
办理；不属于党委会议事范围): listing an agenda item is the office's decision (001 三（三）), registering a task the 督查
小组's (督查督办 第四条（一））. The decline is an issue event that names the request; the request is no longer pending,
the leader sees the answer on the issue page, is emailed after the commit, and may ask again. The office is emailed
when a request arrives (004 第六条4: 必要时可作为议题提请学校党委会或校长办公会研究解决)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from outreach import services
from outreach.models import IssueEvent, IssueEventKind
from outreach.selectors import office_panel
from outreach.tests.factories import office_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
REASON = "可由职能部门直接办理，不属于党委会议事范围"


@pytest.fixture
def issue(staff, leader):
    return services.mailbox_raise(
        by=staff, title="实验室夜间开放", text="多个学院的研究生希望实验室开放到晚上十点。", owner=leader
    )


@pytest.fixture
def asked(issue, leader):
    return services.issue_ask_escalation(
        issue, by=leader.user, target="agenda", meeting_kind="administrative", reason="涉及多个学院"
    )


def _text(html: str) -> str:
    return " ".join(html.split())


def _subjects(sink) -> list[str]:
    return [s.strip() for s in sink.subjects()]  # a folded non-ASCII header comes back with a leading space


def _decline(client, issue, ask, **data):
    return client.post(
        issue.get_absolute_url(),
        {"action": "decline", "decline-ask_id": ask.pk, "decline-reason": REASON, **data},
        follow=True,
    )


def test_the_office_declines_a_request_with_a_reason_and_it_leaves_the_panel_and_the_page(
    client, office, issue, asked, leader
):
    client.force_login(office)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "不予提请（写明理由答复承办校领导）" in page
    assert 'value="decline"' in page
    assert office_panel(today=TODAY).asked == 1

    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 3, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        page = _decline(client, issue, asked).content.decode()

    assert "已答复：不予提请。承办校领导在本页看到答复和理由，并收到邮件通知。" in page
    reply = IssueEvent.objects.get(issue=issue, kind=IssueEventKind.DECLINED_ASK)
    assert (reply.by, reply.to_person, reply.ask, reply.note) == (office, leader, asked, REASON)
    assert reply.meeting_kind == "administrative"
    assert services.pending_asks(issue) == []
    assert office_panel(today=TODAY).asked == 0
    assert "校领导提请上会或督办" not in client.get("/").content.decode()
    assert "承办校领导的提请，待党委办公室办理" not in page
    assert 'value="decline"' not in page  # nothing left to decline
    # The history says who declined whose request, when and why; the request's line names who asked, not "黄晓峰 → 黄晓峰".
    history = _text(page.split("办理记录")[1].split("</ol>")[0])
    assert (
        "请党委办公室提请上会</span> · 2026-11-20 10:00 · 提请人：黄晓峰 · 校长办公会 <div>提请理由：涉及多个学院</div>"
    ) in history
    assert (
        "党委办公室不予提请</span> · 2026-11-20 10:03 · office-staff 不予提请 黄晓峰 的提请"
        "（请党委办公室提请上会 · 校长办公会 · 2026-11-20 10:00 提请） <div>不予提请的理由：" + REASON
    ) in history
    assert "黄晓峰 → 黄晓峰" not in history
    assert "党委办公室对提请的答复：不予提请" in page


def test_the_leader_sees_the_decline_with_its_reason_on_the_issue_page_and_may_ask_again(
    client, office, issue, asked, leader
):
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 3, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        services.issue_decline_ask(issue, by=office, ask_id=asked.pk, reason=REASON)
    client.force_login(leader.user)
    response = client.get(issue.get_absolute_url())
    page = response.content.decode()
    answer = _text(page.split("outreach-issue-declined")[1].split("<form")[0])
    assert "党委办公室对提请的答复：不予提请" in answer
    # The request as the leader made it: who asked, when, what and why ...
    request = _text(answer.split("outreach-declined-request")[1].split("outreach-declined-answer")[0])
    assert "提请</span> · 黄晓峰 · 2026-11-20 10:00" in request
    assert "请党委办公室提请上会（校长办公会）" in request
    assert "提请理由：涉及多个学院" in request
    assert "office-staff" not in request
    assert REASON not in request
    # ... and apart from it, the office's answer: who declined, when and why.
    reply = answer.split("outreach-declined-answer")[1]
    assert "答复：不予提请</span> · office-staff · 2026-11-20 10:03" in reply
    assert f"不予提请的理由：{REASON}" in reply
    assert "涉及多个学院" not in reply
    assert "诉求仍由您承办；如仍需学校研究或督办，可补充理由后再次提请。" in answer
    assert 'value="agenda"' in page  # the agenda may be asked for again

    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 5, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        page = client.post(
            issue.get_absolute_url(),
            {
                "action": "ask",
                "ask-target": "agenda",
                "ask-meeting_kind": "party_committee",
                "ask-reason": "已与职能部门协调未果，仍需学校统筹",
            },
            follow=True,
        ).content.decode()

    assert "已向党委办公室提请" in page
    assert "党委办公室对提请的答复" not in page  # the new request replaces the old answer on the page
    assert [a.note for a in services.pending_asks(issue)] == ["已与职能部门协调未果，仍需学校统筹"]
    assert office_panel(today=TODAY).asked == 1
    # Refused again only while that request is pending.
    with pytest.raises(ValidationError, match="已向党委办公室提请过，请等待办理。"):
        services.issue_ask_escalation(
            issue, by=leader.user, target="agenda", meeting_kind="administrative", reason="再次提请"
        )


def test_a_decline_without_a_reason_is_refused_in_chinese_with_nothing_saved(client, office, issue, asked):
    client.force_login(office)
    response = _decline(client, issue, asked, **{"decline-reason": "   "})
    page = response.content.decode()
    assert "请写明不予提请的理由。" in page
    assert response.context["forms"]["decline"].data["decline-ask_id"] == str(asked.pk)
    assert not IssueEvent.objects.filter(kind=IssueEventKind.DECLINED_ASK).exists()
    assert office_panel(today=TODAY).asked == 1


def test_a_request_already_answered_or_acted_on_cannot_be_declined(client, office, issue, asked, leader):
    services.issue_decline_ask(issue, by=office, ask_id=asked.pk, reason=REASON)
    with pytest.raises(ValidationError, match="这项提请已办理或已答复，请刷新页面查看。"):
        services.issue_decline_ask(issue, by=office, ask_id=asked.pk, reason=REASON)
    task_ask = services.issue_ask_escalation(issue, by=leader.user, target="task", reason="需要督查落实")
    services.issue_escalate(issue, by=office, meeting_kind="administrative")
    # Listing the item does not answer the task request: it is still pending, and the office may decline it.
    services.issue_decline_ask(issue, by=office, ask_id=task_ask.pk, reason="督查小组认为无需立项")
    client.force_login(office)
    page = _decline(client, issue, asked).content.decode()  # a stale page's form
    assert "这项提请已办理或已答复，请刷新页面查看。" in page
    assert IssueEvent.objects.filter(kind=IssueEventKind.DECLINED_ASK).count() == 2


def test_only_the_office_declines_by_page_and_by_url(client, staff, issue, asked, leader, other_leader):
    client.force_login(leader.user)
    assert 'value="decline"' not in client.get(issue.get_absolute_url()).content.decode()
    assert _decline(client, issue, asked).status_code == 403
    client.force_login(staff)  # the raiser sees their issue, not the requests
    page = client.get(issue.get_absolute_url()).content.decode()
    assert 'value="decline"' not in page
    assert "涉及多个学院" not in page
    assert _decline(client, issue, asked).status_code == 403
    client.force_login(other_leader.user)
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert _decline(client, issue, asked).status_code == 404
    assert Client().post(issue.get_absolute_url(), {"action": "decline"}).status_code == 302  # to login
    for user in (leader.user, staff, other_leader.user):
        with pytest.raises(ValidationError, match="只有党委办公室可以答复校领导的提请。"):
            services.issue_decline_ask(issue, by=user, ask_id=asked.pk, reason=REASON)
    assert not IssueEvent.objects.filter(kind=IssueEventKind.DECLINED_ASK).exists()
    assert [a.pk for a in services.pending_asks(issue)] == [asked.pk]


def test_the_raiser_never_sees_the_decline(client, office, staff, issue, asked):
    services.issue_decline_ask(issue, by=office, ask_id=asked.pk, reason=REASON)
    client.force_login(staff)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert REASON not in page
    assert "不予提请" not in page


def test_the_office_is_emailed_through_smtp_when_a_request_arrives(
    office, issue, leader, smtp_sink, django_capture_on_commit_callbacks
):
    office_user(username="office-two")
    office_user(username="office-gone", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_ask_escalation(
            issue, by=leader.user, target="agenda", meeting_kind="administrative", reason="涉及多个学院"
        )
    assert len(smtp_sink.messages) == 1
    assert sorted(smtp_sink.messages[0]["to"]) == ["office-staff@example.edu.cn", "office-two@example.edu.cn"]
    assert _subjects(smtp_sink) == ["[党委办公室] 校领导提请上会：实验室夜间开放"]
    body = smtp_sink.bodies()[0]
    assert f"诉求：#{issue.pk} 实验室夜间开放（意见箱，2026-11-20 提出）" in body
    assert "提请人：黄晓峰（承办校领导）" in body
    assert "提请事项：请党委办公室提请上会（校长办公会）" in body
    assert "提请理由：涉及多个学院" in body
    assert f"诉求页：{settings.SITE_URL}/outreach/issues/{issue.pk}/" in body
    assert "或写明理由不予提请" in body

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_ask_escalation(issue, by=leader.user, target="task", reason="需要督查落实")
    assert _subjects(smtp_sink)[1] == "[党委办公室] 校领导提请转为督办：实验室夜间开放"
    assert "提请事项：请党委办公室转为督办" in smtp_sink.bodies()[1]


def test_the_leader_is_emailed_through_smtp_what_was_declined_why_and_the_link(
    office, issue, asked, leader, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_decline_ask(issue, by=office, ask_id=asked.pk, reason=REASON)
    assert [m["to"] for m in smtp_sink.messages] == [[leader.contact_email]]
    assert _subjects(smtp_sink) == ["[党委办公室] 党委办公室不予提请：实验室夜间开放"]
    body = smtp_sink.bodies()[0]
    assert "黄晓峰：党委办公室答复了您的提请，不予提请。" in body
    assert "您的提请：请党委办公室提请上会（校长办公会），2026-11-20 10:00" in body
    assert "您的理由：涉及多个学院" in body
    assert f"不予提请的理由：{REASON}" in body
    assert "答复人：office-staff（党委办公室）" in body
    assert f"诉求页：{settings.SITE_URL}/outreach/issues/{issue.pk}/" in body
    assert "可在诉求页补充理由后再次提请" in body


def test_no_email_leaves_before_the_commit_nor_for_a_refused_step(
    office, issue, asked, leader, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.issue_decline_ask(issue, by=office, ask_id=asked.pk, reason=REASON)
    queued = [c for c in callbacks if getattr(c, "func", None) is mail.send_mail]
    assert mail.outbox == []
    assert len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.issue_ask_escalation(issue, by=leader.user, target="task", reason="")
    assert mail.outbox == []


def test_the_issue_page_asks_as_many_queries_with_many_declines(
    client, office, issue, leader, django_assert_max_num_queries
):
    def ask_and_decline(n):
        ask = services.issue_ask_escalation(issue, by=leader.user, target="task", reason=f"理由{n}")
        services.issue_decline_ask(issue, by=office, ask_id=ask.pk, reason=f"不予提请{n}")

    ask_and_decline(0)
    client.force_login(leader.user)
    with django_assert_max_num_queries(40) as few:
        client.get(issue.get_absolute_url())
    for n in range(1, 6):
        ask_and_decline(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(issue.get_absolute_url()).content.decode()
    assert "不予提请5" in page
