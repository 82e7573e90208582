"""联系点 (003 二2; 004 第五条5): the office assigns a leader's linked units and non-party contacts over time; the
leader sees theirs on the module's page and their home; no one else assigns them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from outreach.models import ContactKind, LinkedContact
from outreach.tests.factories import link

pytestmark = pytest.mark.django_db


def test_the_office_assigns_a_linked_unit_from_its_page_and_the_leader_sees_it(client, office, leader, unit):
    client.force_login(office)
    response = client.post(
        reverse("outreach:contact_list"),
        {"leader": leader.pk, "kind": ContactKind.UNIT, "organization": unit.pk, "start": "2026-09-01"},
        follow=True,
    )
    assert "已安排：黄晓峰 联系 文学院。" in response.content.decode()
    client.force_login(leader.user)
    page = client.get(reverse("outreach:index")).content.decode()
    assert "我的联系点" in page
    assert "文学院" in page
    assert "自 2026-09-01" in page


def test_a_linked_democratic_party_organization_needs_its_name(client, office, leader):
    client.force_login(office)
    response = client.post(
        reverse("outreach:contact_list"),
        {
            "leader": leader.pk,
            "kind": ContactKind.DEMOCRATIC_PARTY,
            "name": "",
            "start": "2026-09-01",
            "note": "每学期",
        },
    )
    assert "请填写党外人士姓名或民主党派组织名称（004 第五条5）。" in response.content.decode()
    assert 'value="每学期"' in response.content.decode()  # the rest of the input is kept
    assert not LinkedContact.objects.exists()


def test_the_same_unit_twice_at_overlapping_dates_is_refused(client, office, leader, unit):
    link(office, leader, unit, start=dt.date(2026, 9, 1))
    client.force_login(office)
    response = client.post(
        reverse("outreach:contact_list"),
        {"leader": leader.pk, "kind": ContactKind.UNIT, "organization": unit.pk, "start": "2026-10-01"},
    )
    assert "黄晓峰 在这段时间已联系该单位。" in response.content.decode()
    assert LinkedContact.objects.count() == 1


def test_an_ended_link_is_no_longer_the_leaders_from_the_day_after(client, office, leader, unit):
    contact = link(office, leader, unit, start=dt.date(2026, 9, 1))
    client.force_login(office)
    client.post(reverse("outreach:contact_end", args=[contact.pk]), {"end": "2026-11-19"})
    contact.refresh_from_db()
    assert contact.end == dt.date(2026, 11, 19)
    assert not LinkedContact.objects.active_on(dt.date(2026, 11, 20)).exists()
    assert contact.history.first().history_change_reason == "结束联系"


def test_an_end_before_the_start_is_refused_and_nothing_changes(client, office, leader, unit):
    contact = link(office, leader, unit, start=dt.date(2026, 9, 1))
    client.force_login(office)
    response = client.post(
        reverse("outreach:contact_end", args=[contact.pk]), {"end": "2026-08-01"}, follow=True
    )
    assert "联系结束日期不能早于开始日期。" in response.content.decode()
    contact.refresh_from_db()
    assert contact.end is None


@pytest.mark.parametrize("who", ["leader", "staff"])
def test_only_the_office_opens_the_assignment_page_or_ends_a_link(client, office, leader, staff, unit, who):
    contact = link(office, leader, unit)
    client.force_login(leader.user if who == "leader" else staff)
    assert client.get(reverse("outreach:contact_list")).status_code == 403
    assert (
        client.post(reverse("outreach:contact_end", args=[contact.pk]), {"end": "2026-11-19"}).status_code
        == 403
    )
    contact.refresh_from_db()
    assert contact.end is None


def test_the_leaders_home_shows_their_linked_units_through_the_family_panel(client, office, leader, unit):
    link(office, leader, unit)
    client.force_login(leader.user)
    page = client.get("/").content.decode()
    assert "outreach-leader-panel" in page
    assert "文学院" in page


def test_the_assignment_page_asks_as_many_queries_whatever_the_number_of_links(
    client, office, leader, other_leader, unit, other_unit, django_assert_max_num_queries
):
    link(office, leader, unit)
    client.force_login(office)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("outreach:contact_list"))
    link(office, leader, other_unit)
    link(office, other_leader, unit)
    link(office, other_leader, other_unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("outreach:contact_list"))
