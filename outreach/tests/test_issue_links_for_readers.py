"""An issue's page, read through a ledger (004 第六条1: the assessment group's head, the university's 党委书记, reads
another university leader's issues): it shows where the issue was raised (the reception day, 004 第五条8) and what it
led to (the agenda item, 004 第六条4; the supervised task, 督查督办 第二条（四）), as links where the reader may open
the page and as plain text (date, title, number, state) where he may not — never a link that is refused. Whoever
handles the issue keeps the links."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from communication.services import agenda_item_add_consultee
from governance.models import PositionKind
from outreach import services
from outreach.models import ReceptionSession
from outreach.tests.factories import university_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(db):
    return university_leader("周明远", kind=PositionKind.SECRETARY)


@pytest.fixture
def issue(office, leader, unit):
    """Raised at 黄晓峰's reception day, escalated to the 校长办公会 and turned into a task for 文学院."""
    session = ReceptionSession.objects.create(
        date=dt.date(2026, 11, 16),
        start_time=dt.time(15),
        end_time=dt.time(17),
        leader=leader,
        place="行政楼 305 室",
    )
    issue = services.issue_record(
        by=leader.user,
        owner=leader,
        reception=session,
        title="实验室夜间开放",
        text="希望实验室开放到晚上十点。",
        raiser="理学院研究生",
    )
    services.issue_escalate(issue, by=office, meeting_kind="administrative", note="共性问题")
    services.issue_to_task(
        issue, by=office, lead_unit=unit, deadline=dt.date(2026, 12, 31), matter="制定实验室夜间开放办法"
    )
    issue.refresh_from_db()
    return issue


def _links(html: str) -> list[str]:
    hrefs = (unescape(h) for h in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', html))
    return sorted({h for h in hrefs if h.startswith("/") and not h.startswith("//")})


def _targets(issue) -> dict[str, str]:
    return {
        "reception": reverse("outreach:reception_session", args=[issue.reception_id]),
        "agenda": issue.agenda_item.get_absolute_url(),
        "task": issue.supervised_task.get_absolute_url(),
    }


def test_the_party_secretary_reads_the_reception_day_agenda_item_and_task_as_text_when_he_may_not_open_them(
    client, secretary, issue
):
    client.force_login(secretary.user)
    page = client.get(issue.get_absolute_url()).content.decode()
    task, item = issue.supervised_task, issue.agenda_item
    assert "提出问题的接待日" in page
    assert "2026-11-16 校领导接待日（黄晓峰）" in page
    assert "提请上会" in page
    assert item.title in page
    assert item.get_status_display() in page
    assert "督办事项" in page
    assert task.number in page
    assert task.get_state_display() in page
    assert "2026-12-31" in page
    assert "您无权打开其页面" in page
    links = _links(page)
    for name, url in _targets(issue).items():
        assert url not in links, name
    for url in links:
        assert client.get(url).status_code == 200, url


def test_the_pages_the_party_secretary_sees_as_text_are_indeed_refused_to_him_by_url(
    client, secretary, issue
):
    client.force_login(secretary.user)
    targets = _targets(issue)
    assert client.get(targets["reception"]).status_code == 404
    assert client.get(targets["agenda"]).status_code == 403
    assert client.get(targets["task"]).status_code == 404


def test_the_party_secretary_asked_for_an_opinion_on_the_agenda_item_gets_a_link_he_may_follow(
    client, office, secretary, issue
):
    agenda_item_add_consultee(item=issue.agenda_item, person=secretary, by=office, reason="涉及全校安排")
    client.force_login(secretary.user)
    page = client.get(issue.get_absolute_url()).content.decode()
    url = issue.agenda_item.get_absolute_url()
    assert url in _links(page)
    assert client.get(url).status_code == 200
    assert issue.supervised_task.get_absolute_url() not in _links(page)


@pytest.mark.parametrize("who", ["leader", "office"])
def test_whoever_handles_the_issue_follows_the_links_to_the_reception_day_agenda_item_and_task(
    client, request, who, issue
):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    page = client.get(issue.get_absolute_url()).content.decode()
    links = _links(page)
    for name, url in _targets(issue).items():
        assert url in links, name
        assert client.get(url).status_code == 200, name
    assert "您无权打开其页面" not in page


def test_another_vice_president_reads_neither_the_issue_nor_what_it_led_to(client, other_leader, issue):
    client.force_login(other_leader.user)
    assert client.get(issue.get_absolute_url()).status_code == 404
    targets = _targets(issue)
    assert client.get(targets["reception"]).status_code == 404
    assert client.get(targets["agenda"]).status_code == 403
    assert client.get(targets["task"]).status_code == 404


def test_the_readers_issue_page_asks_a_bounded_number_of_queries(
    client, secretary, issue, django_assert_max_num_queries
):
    client.force_login(secretary.user)
    # Whether he may open the agenda item is communication's own rule (agenda_item_may_open): its person and the
    # item's opinions, one query each.
    with django_assert_max_num_queries(13):
        assert client.get(issue.get_absolute_url()).status_code == 200
