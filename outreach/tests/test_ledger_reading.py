"""Whoever may read a ledger opens, read-only, what it lists (004 第六条1: 学校成立领导联系基层考核小组，由党委书记任组长，
按学年汇总和考核): the university's 党委书记 follows every link on another university leader's ledger — activities,
attachments, history, issues and their handling record — and changes none of it. A 副校长 and a college's 党委书记
read none of it, by page and by URL."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import PositionKind
from governance.services.policies import policy_load
from governance.tests.factories import LeadershipTeamFactory, PersonFactory, PositionFactory
from outreach import services
from outreach.models import ActivityKind, RaisedIssue
from outreach.tests.factories import record, university_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(db):
    return university_leader("周明远", kind=PositionKind.SECRETARY)


@pytest.fixture
def book(semester, office, leader, unit):
    """黄晓峰's year: a forum with minutes attached, corrected once, an issue raised there and answered."""
    policy_load(name="004-outreach", organization=leader.positions.get().team.organization)
    forum = record(
        leader.user,
        leader,
        date=dt.date(2026, 10, 20),
        units=[unit],
        title="与青年教师座谈",
        files=[SimpleUploadedFile("纪要.txt", "座谈纪要".encode())],
    )
    services.update_activity(
        forum,
        by=leader.user,
        reason="补记人数",
        leaders=[leader],
        units=[unit],
        date=forum.date,
        participants=12,
    )
    issue = services.issue_record(
        by=leader.user,
        title="青年教师周转房不足",
        text="新进教师排队等周转房。",
        raiser="青年教师代表",
        owner=leader,
        activity=forum,
        unit=unit,
    )
    services.issue_answer(issue, by=leader.user, answer="已请后勤处统计需求。")
    return forum, issue


def _urls(forum, issue):
    return {
        "activity": reverse("outreach:activity_detail", args=[forum.pk]),
        "history": reverse("outreach:activity_history", args=[forum.pk]),
        "attachment": forum.attachments.get().get_absolute_url(),
        "issue": reverse("outreach:issue_detail", args=[issue.pk]),
    }


def _links(html: str) -> list[str]:
    """Every link (<a href>) of a page to this site, as a click would follow it (not a fragment, not mail)."""
    hrefs = (unescape(h) for h in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', html))
    return sorted({h for h in hrefs if h.startswith("/") and not h.startswith("//")})


def test_the_party_secretary_follows_every_link_on_a_leaders_ledger(client, secretary, leader, book):
    client.force_login(secretary.user)
    page = client.get(reverse("outreach:ledger", args=[leader.pk]))
    assert page.status_code == 200
    links = _links(page.content.decode())
    forum, issue = book
    assert forum.get_absolute_url() in links
    assert issue.get_absolute_url() in links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_the_party_secretary_follows_every_link_on_the_records_a_ledger_lists(
    client, secretary, leader, book
):
    """One step further than the ledger: an activity's page (attachment, history, the issue raised there) and an
    issue's page (the activity it came from)."""
    forum, issue = book
    client.force_login(secretary.user)
    for record_url in (forum.get_absolute_url(), issue.get_absolute_url()):
        links = _links(client.get(record_url).content.decode())
        for url in links:
            assert client.get(url).status_code == 200, (record_url, url)
    activity_links = _links(client.get(forum.get_absolute_url()).content.decode())
    assert forum.attachments.get().get_absolute_url() in activity_links
    assert reverse("outreach:activity_history", args=[forum.pk]) in activity_links


def test_the_party_secretary_opens_a_leaders_activity_its_attachment_and_its_history(
    client, secretary, leader, book
):
    forum, issue = book
    urls = _urls(forum, issue)
    client.force_login(secretary.user)
    activity = client.get(urls["activity"]).content.decode()
    assert "与青年教师座谈" in activity
    assert "纪要.txt" in activity
    assert "青年教师周转房不足" in activity  # the issue raised there, listed on the ledger too
    assert b"".join(client.get(urls["attachment"]).streaming_content) == "座谈纪要".encode()
    assert "补记人数" in client.get(urls["history"]).content.decode()


def test_the_party_secretary_reads_a_leaders_issue_with_its_handling_record_but_no_actions(
    client, secretary, leader, book
):
    forum, issue = book
    client.force_login(secretary.user)
    page = client.get(reverse("outreach:issue_detail", args=[issue.pk])).content.decode()
    assert "已请后勤处统计需求。" in page
    assert "办理记录" in page
    assert forum.get_absolute_url() in page  # where it was raised, which he may open
    assert 'name="action"' not in page
    response = client.post(
        reverse("outreach:issue_detail", args=[issue.pk]), {"action": "answer", "answer-answer": "改一改"}
    )
    assert response.status_code == 403
    assert RaisedIssue.objects.get(pk=issue.pk).answer == "已请后勤处统计需求。"


def test_the_party_secretary_may_not_correct_a_leaders_activity_nor_record_an_issue_on_it(
    client, secretary, leader, book
):
    forum, _issue = book
    client.force_login(secretary.user)
    page = client.get(forum.get_absolute_url()).content.decode()
    assert reverse("outreach:activity_update", args=[forum.pk]) not in page
    assert "登记提出的问题" not in page
    assert client.get(reverse("outreach:activity_update", args=[forum.pk])).status_code == 403
    response = client.post(reverse("outreach:activity_update", args=[forum.pk]), {"reason": "x"})
    assert response.status_code == 403
    form = client.get(reverse("outreach:issue_create") + f"?activity={forum.pk}")
    assert form.context["activity"] is None  # the issue would not be tied to another leader's activity


def test_the_party_secretary_lists_the_leaders_activities_and_issues_as_a_reader(
    client, secretary, leader, book
):
    client.force_login(secretary.user)
    activities = client.get(reverse("outreach:activity_list")).content.decode()
    assert "与青年教师座谈" in activities
    assert "考核小组组长（004 第六条1）" in activities
    assert "我的联系基层活动" not in activities
    issues = client.get(reverse("outreach:issue_list")).content.decode()
    assert "青年教师周转房不足" in issues
    assert "我承办的师生诉求" not in issues


@pytest.fixture
def college_secretary(unit):
    person = PersonFactory(name="学院党委书记")
    PositionFactory(
        person=person,
        team=LeadershipTeamFactory(organization=unit),
        kind=PositionKind.SECRETARY,
        start=dt.date(2024, 1, 1),
    )
    return person


@pytest.mark.parametrize("who", ["vice_president", "college_secretary"])
def test_a_vice_president_and_a_colleges_secretary_open_nothing_of_another_leaders_ledger(
    client, leader, book, college_secretary, who
):
    reader = college_secretary if who == "college_secretary" else university_leader("另一位副校长")
    forum, issue = book
    client.force_login(reader.user)
    for name, url in _urls(forum, issue).items():
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("outreach:activity_update", args=[forum.pk])).status_code == 404
    assert "与青年教师座谈" not in client.get(reverse("outreach:activity_list")).content.decode()
    assert "青年教师周转房不足" not in client.get(reverse("outreach:issue_list")).content.decode()


def test_the_party_secretary_reads_nothing_of_a_college_leader(
    client, secretary, college_secretary, unit, office
):
    """A college's leaders are not on the university's ledgers (004 第六条1 assesses the university's leaders)."""
    visit = record(
        office, college_secretary, units=[unit], title="学院书记的调研", kind=ActivityKind.RESEARCH
    )
    client.force_login(secretary.user)
    assert client.get(visit.get_absolute_url()).status_code == 404
    assert "学院书记的调研" not in client.get(reverse("outreach:activity_list")).content.decode()


def test_the_party_secretarys_activity_list_asks_as_many_queries_whatever_the_number_of_leaders(
    client, secretary, office, unit, book, django_assert_max_num_queries
):
    client.force_login(secretary.user)
    url = reverse("outreach:activity_list")
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(5):
        record(office, university_leader(f"校领导{n}"), units=[unit], title=f"座谈{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "座谈4" in page
