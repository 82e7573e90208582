"""Who sees the assessment group's yearly summary (004 第六条1: 学校成立领导联系基层考核小组，由党委书记任组长，按学年汇总
和考核): the office and the university's Party secretary as the group's head — by page, by URL, and the ledgers the
summary links to. Every other leader (副书记, 校长, 副校长, a college's 党委书记), staff and Party members: none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from governance import roles
from governance.models import Organization, PositionKind
from governance.services.policies import policy_load
from governance.tests.factories import LeadershipTeamFactory, PersonFactory, PositionFactory, UserFactory
from outreach.models import ActivityKind
from outreach.tests.factories import record, university_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(db):
    return university_leader("周明远", kind=PositionKind.SECRETARY)


@pytest.fixture
def adopted(semester, leader, office, unit):
    university = leader.positions.get().team.organization
    policy_load(name="004-outreach", organization=university)
    record(office, leader, date=dt.date(2026, 9, 20), kind=ActivityKind.FORUM, units=[unit])
    return university


def _summary(client, user):
    client.force_login(user)
    return client.get(reverse("outreach:assessment"))


def test_the_party_secretary_heads_the_group_and_sees_the_summary_of_every_leader(
    client, secretary, leader, adopted
):
    response = _summary(client, secretary.user)
    assert response.status_code == 200
    page = response.content.decode()
    assert {row.person for row in response.context["summary"].rows} == {secretary, leader}
    assert "004 第六条1" in page
    assert '<svg class="assessment-chart' in page
    assert "学年汇总" in page  # the tab in the module's menu


def test_the_secretary_opens_a_leaders_ledger_and_its_export_from_the_summary(
    client, secretary, leader, adopted
):
    client.force_login(secretary.user)
    ledger_url = reverse("outreach:ledger", args=[leader.pk])
    assert ledger_url in client.get(reverse("outreach:assessment")).content.decode()
    page = client.get(ledger_url)
    assert page.status_code == 200
    assert "返回学年汇总" in page.content.decode()
    assert client.get(reverse("outreach:ledger_export", args=[leader.pk])).status_code == 200


def test_the_secretary_sees_the_way_to_the_summary_on_the_module_page(client, secretary, leader, adopted):
    client.force_login(secretary.user)
    page = client.get(reverse("outreach:index")).content.decode()
    assert "考核小组组长" in page
    assert reverse("outreach:assessment") in page


def test_the_secretary_sees_no_ledger_of_someone_outside_the_universitys_team(
    client, secretary, unit, adopted
):
    dean = PersonFactory(name="学院院长")
    PositionFactory(
        person=dean,
        team=LeadershipTeamFactory(organization=unit),
        kind=PositionKind.PRESIDENT,
        start=dt.date(2024, 1, 1),
    )
    client.force_login(secretary.user)
    assert client.get(reverse("outreach:ledger", args=[dean.pk])).status_code == 404
    assert client.get(reverse("outreach:ledger_export", args=[dean.pk])).status_code == 404


@pytest.mark.parametrize(
    "kind", [PositionKind.DEPUTY_SECRETARY, PositionKind.PRESIDENT, PositionKind.VICE_PRESIDENT]
)
def test_other_university_leaders_get_no_summary_and_no_other_ledger(client, kind, leader, adopted):
    other = university_leader("另一位校领导", kind=kind)
    assert _summary(client, other.user).status_code == 403
    assert client.get(reverse("outreach:ledger", args=[leader.pk])).status_code == 404
    assert client.get(reverse("outreach:ledger_export", args=[leader.pk])).status_code == 404
    assert reverse("outreach:assessment") not in client.get(reverse("outreach:index")).content.decode()


def test_a_colleges_party_secretary_is_not_the_groups_head(client, unit, leader, adopted):
    college_secretary = PersonFactory(name="学院党委书记")
    PositionFactory(
        person=college_secretary,
        team=LeadershipTeamFactory(organization=unit),
        kind=PositionKind.SECRETARY,
        start=dt.date(2024, 1, 1),
    )
    assert unit.kind == Organization.Kind.COLLEGE
    assert _summary(client, college_secretary.user).status_code == 403
    assert client.get(reverse("outreach:ledger", args=[leader.pk])).status_code == 404


def test_a_former_party_secretary_no_longer_sees_the_summary(client, leader, adopted):
    former = university_leader("王前任", kind=PositionKind.SECRETARY)
    former.positions.update(end=dt.date(2025, 6, 30))
    assert _summary(client, former.user).status_code == 403


@pytest.mark.parametrize("group", [roles.STAFF, roles.PARTY_MEMBERS])
def test_staff_and_party_members_get_no_summary(client, group, leader, adopted):
    user = UserFactory(groups=(group,))
    assert _summary(client, user).status_code == 403
    assert client.get(reverse("outreach:ledger", args=[leader.pk])).status_code == 403


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("outreach:assessment"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_summary_asks_as_many_queries_for_the_secretary_whatever_the_number_of_leaders(
    client, secretary, office, unit, adopted, django_assert_max_num_queries
):
    client.force_login(secretary.user)
    url = reverse("outreach:assessment")
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(5):
        person = university_leader(f"校领导{n}")
        record(office, person, date=dt.date(2026, 10, 1), kind=ActivityKind.FORUM, units=[unit])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
