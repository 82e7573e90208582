"""Issues raised by visitors on a reception day (校领导接待日, 004 第五条8): recorded from the day's page by its duty
leader or the office, tied to that day (not "联系单位反映"), listed on the day's page, and refused to anyone else or
before the day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outreach import services
from outreach.models import IssueSource, RaisedIssue, ReceptionSession

pytestmark = pytest.mark.django_db


def _session(leader, day=dt.date(2026, 11, 16)):
    return ReceptionSession.objects.create(
        date=day, start_time=dt.time(15), end_time=dt.time(17), leader=leader, place="行政楼 305 室"
    )


def _issue_data(**extra):
    return {
        "title": "实验室夜间开放",
        "text": "希望实验室开放到晚上十点。",
        "raiser": "理学院研究生",
        **extra,
    }


def test_the_duty_leader_records_a_visitors_issue_from_the_days_page_and_it_belongs_to_that_day(
    client, leader
):
    session = _session(leader)
    client.force_login(leader.user)
    day_page = client.get(reverse("outreach:reception_session", args=[session.pk])).content.decode()
    assert f"?reception={session.pk}" in day_page
    assert "还没有登记来访者提出的诉求。" in day_page

    url = reverse("outreach:issue_create") + f"?reception={session.pk}"
    form_page = client.get(url).content.decode()
    assert "2026-11-16 校领导接待日（当班：黄晓峰）来访者提出的诉求（004 第五条8）。" in form_page
    page = client.post(url, _issue_data(owner=leader.pk), follow=True).content.decode()

    issue = RaisedIssue.objects.get()
    assert (issue.source, issue.reception, issue.owner) == (IssueSource.RECEPTION, session, leader)
    assert "提出问题的接待日" in page
    assert "2026-11-16 校领导接待日（黄晓峰）" in page
    day_page = client.get(reverse("outreach:reception_session", args=[session.pk])).content.decode()
    assert "实验室夜间开放" in day_page


def test_the_form_preselects_the_duty_leader_as_the_leader_in_charge(client, office, leader):
    session = _session(leader)
    client.force_login(office)
    form = client.get(reverse("outreach:issue_create") + f"?reception={session.pk}").context["form"]
    assert form.initial["owner"] == leader.pk


def test_another_leader_cannot_record_an_issue_on_someone_elses_reception_day_by_url(
    client, leader, other_leader
):
    session = _session(leader)
    client.force_login(other_leader.user)
    url = reverse("outreach:issue_create") + f"?reception={session.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, _issue_data()).status_code == 404
    assert not RaisedIssue.objects.exists()


def test_a_member_of_staff_cannot_open_the_form_for_a_reception_day(client, staff, leader):
    session = _session(leader)
    client.force_login(staff)
    response = client.get(reverse("outreach:issue_create") + f"?reception={session.pk}")
    assert response.status_code in (403, 404)


def test_an_issue_cannot_be_recorded_for_a_reception_day_still_to_come(office, leader):
    session = _session(leader, dt.date(2026, 11, 30))
    with pytest.raises(ValidationError, match="接待日还没到"):
        services.issue_record(by=office, owner=leader, reception=session, **_issue_data())
    assert not RaisedIssue.objects.exists()


def test_the_reception_day_on_an_issue_is_shown_only_to_whoever_handles_it(client, staff, leader):
    session = _session(leader)
    issue = services.issue_record(by=leader.user, owner=leader, reception=session, **_issue_data())
    RaisedIssue.objects.filter(pk=issue.pk).update(raised_by=staff)
    client.force_login(staff)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "提出问题的接待日" not in page
    client.force_login(leader.user)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "提出问题的接待日" in page


def test_the_days_page_asks_as_many_queries_whatever_the_number_of_issues(
    client, leader, django_assert_max_num_queries
):
    session = _session(leader)
    services.issue_record(by=leader.user, owner=leader, reception=session, **_issue_data())
    client.force_login(leader.user)
    url = reverse("outreach:reception_session", args=[session.pk])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(5):
        services.issue_record(
            by=leader.user, owner=leader, reception=session, **_issue_data(title=f"事项{n}")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
