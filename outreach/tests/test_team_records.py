"""A record that counts on a leader's dashboard opens for them (issue 10, QA #5): a team rule (003 二3 festival visits,
owed by the secretary and the president) counts the visits recorded for the team's organization, whoever made them, so
the president sees the secretary's 重阳节 visit as counted and may open it, read-only. Leaders it does not count for
(a vice-president, a college's leader, a president who had left before the year's due day) still get no page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from governance.models import Organization, PositionKind
from governance.services.policies import policy_load
from governance.tests.factories import LeadershipTeamFactory, PersonFactory, PositionFactory
from outreach.models import ActivityKind, Festival
from outreach.tests.factories import record, university_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(db):
    return university_leader("周书记", kind=PositionKind.SECRETARY, username="shuji")


@pytest.fixture
def president(db):
    return university_leader("王校长", kind=PositionKind.PRESIDENT, username="xiaozhang")


@pytest.fixture
def visit(semester, office, secretary, president, leader):
    policy_load(name="003-outreach", organization=secretary.positions.get().team.organization)
    return record(
        office,
        secretary,
        date=dt.date(2026, 10, 16),
        kind=ActivityKind.FESTIVAL_VISIT,
        festival=Festival.DOUBLE_NINTH,
        title="重阳节走访慰问离退休老党员",
        notes="走访十二位老党员。",
    )


def _detail(activity):
    return reverse("outreach:activity_detail", args=[activity.pk])


def test_the_president_opens_the_team_visit_his_dashboard_counts(client, president, visit):
    client.force_login(president.user)
    home = client.get("/").content.decode()
    assert "重阳节走访慰问离退休老党员" in home
    assert f'href="{_detail(visit)}"' in home
    page = client.get(_detail(visit))
    assert page.status_code == 200
    assert "走访十二位老党员。" in page.content.decode()
    assert client.get(reverse("outreach:activity_history", args=[visit.pk])).status_code == 200


def test_the_president_may_read_the_team_visit_but_not_correct_it(client, president, visit):
    client.force_login(president.user)
    page = client.get(_detail(visit)).content.decode()
    assert reverse("outreach:activity_update", args=[visit.pk]) not in page
    assert client.get(reverse("outreach:activity_update", args=[visit.pk])).status_code == 403


def test_the_presidents_activity_list_shows_the_team_visit(client, president, visit):
    client.force_login(president.user)
    assert "重阳节走访慰问离退休老党员" in client.get(reverse("outreach:activity_list")).content.decode()


def test_a_vice_president_the_team_rule_does_not_name_gets_no_page(client, leader, visit):
    client.force_login(leader.user)
    assert client.get(_detail(visit)).status_code == 404
    assert "重阳节走访慰问离退休老党员" not in client.get(reverse("outreach:activity_list")).content.decode()


def test_a_colleges_president_gets_no_page_for_the_universitys_visit(client, visit):
    college = Organization.objects.create(
        name="文学院", code="wxy", kind=Organization.Kind.COLLEGE, parent=visit.organization
    )
    dean = PersonFactory(name="院长", user__username="wxy_yuanzhang")
    PositionFactory(
        person=dean,
        team=LeadershipTeamFactory(organization=college),
        kind=PositionKind.PRESIDENT,
        start=dt.date(2024, 1, 1),
    )
    client.force_login(dean.user)
    assert client.get(_detail(visit)).status_code == 404


def test_a_president_who_left_before_the_years_due_day_gets_no_page(client, visit):
    # He was in office on the day of the visit, but the academic year's obligation is owed by whoever holds the post
    # at its end (the engine's team rule), so the visit never counted on his dashboard.
    former = PersonFactory(name="前任校长", user__username="qianren")
    PositionFactory(
        person=former,
        team=LeadershipTeamFactory(organization=visit.organization),
        kind=PositionKind.PRESIDENT,
        start=dt.date(2020, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    client.force_login(former.user)
    assert client.get(_detail(visit)).status_code == 404


def test_a_secretarys_own_research_visit_stays_his_own(client, president, secretary, office, visit):
    research = record(office, secretary, kind=ActivityKind.RESEARCH, title="书记专题调研")
    client.force_login(president.user)
    assert client.get(_detail(research)).status_code == 404
