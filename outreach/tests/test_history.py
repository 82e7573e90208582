"""An activity's 修改记录 says what a correction changed, old → new: its date, its kind, its units, the number who took
part; 活动情况/听课记录 is said to have changed, never quoted; the page costs the same number of queries for one
correction or ten; another leader gets a 404, a member of staff a 403 (QA walk-through: the page listed only the names of the fields)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from outreach import services
from outreach.models import ActivityKind
from outreach.tests.factories import college, record

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def _history(client, activity) -> str:
    response = client.get(reverse("outreach:activity_history", args=[activity.pk]))
    assert response.status_code == 200
    return _text(response)


def _correct(activity, by, leader, *, reason="登记有误", units=(), **data):
    values = {"date": activity.date, "kind": activity.kind, "participants": activity.participants, **data}
    return services.update_activity(
        activity, by=by, reason=reason, leaders=[leader], units=list(units), **values
    )


def test_a_correction_shows_the_date_kind_units_and_number_old_and_new(client, leader, unit):
    other = college("理学院", "lxy")
    activity = record(leader.user, leader, units=[unit], participants=10, notes="与青年教师座谈，听取意见。")
    _correct(
        activity,
        leader.user,
        leader,
        reason="日期和单位登记有误",
        units=[other],
        date=dt.date(2026, 11, 19),
        kind=ActivityKind.RESEARCH,
        participants=18,
        notes="与青年教师座谈，听取对职称评审的意见。",
    )
    client.force_login(leader.user)
    page = _history(client, activity)
    assert "原因：日期和单位登记有误" in page
    assert "日期：2026-11-18 → 2026-11-19" in page
    assert "活动类别：座谈 → 调研" in page
    assert "基层单位：文学院 → 理学院" in page
    assert "参加人数：10 → 18" in page
    assert "活动情况/听课记录：已修改" in page
    assert "职称评审" not in page
    assert "听取意见" not in page


def test_class_hours_show_as_people_write_them(client, office, leader):
    activity = record(
        office,
        leader,
        kind=ActivityKind.CLASS_OBSERVATION,
        course="高等数学",
        teacher="王老师",
        class_hours=2,
    )
    _correct(activity, office, leader, course="高等数学", teacher="王老师", class_hours="1.5")
    client.force_login(office)
    assert "学时：2 → 1.5" in _history(client, activity)


@pytest.mark.parametrize("corrections", [1, 10])
def test_the_history_costs_the_same_queries_for_one_correction_or_ten(
    client, office, leader, unit, corrections, django_assert_max_num_queries
):
    activity = record(office, leader, units=[unit], participants=10)
    for n in range(corrections):
        _correct(activity, office, leader, reason=f"第{n + 1}次更正", units=[unit], participants=11 + n)
    client.force_login(office)
    with django_assert_max_num_queries(12):
        page = _history(client, activity)
    assert page.count("参加人数：") == corrections


def test_another_leader_gets_a_404_and_a_member_of_staff_a_403_at_an_activitys_history(
    client, staff, leader, other_leader
):
    activity = record(leader.user, leader, participants=10)
    _correct(activity, leader.user, leader, participants=12)
    url = reverse("outreach:activity_history", args=[activity.pk])
    client.force_login(other_leader.user)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 403
