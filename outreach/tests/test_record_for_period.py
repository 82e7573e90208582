""" "去登记" from a dashboard line records for that line's rule and period (issue 10, QA #11; issue 6 §2, as
communication's talks): the form opens with a date inside the period and says which period it is for; after saving
the leader is back on the dashboard, told what the record counted toward (rule and period)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from governance.services.policies import policy_load
from outreach.models import Activity, ActivityKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(semester, leader):
    policy_load(name="004-outreach", organization=leader.positions.get().team.organization)
    policy_load(name="003-outreach", organization=leader.positions.get().team.organization)


def _link(leader, rule, start, end):
    query = {"rule": rule, "for": leader.pk, "period_start": start, "period_end": end}
    return f"{reverse('outreach:activity_create')}?{urlencode(query)}"


OBSERVATION = ("004-class-observation", "2026-08-31", "2027-01-17")
LAST_YEARS_RESEARCH = ("003-outreach-research", "2025-01-01", "2025-12-31")


def test_the_form_for_an_overdue_period_opens_on_its_last_day_and_names_it(client, adopted, leader):
    client.force_login(leader.user)
    response = client.get(_link(leader, *LAST_YEARS_RESEARCH))
    assert str(response.context["form"].initial["date"]) == "2025-12-31"
    assert response.context["form"].initial["kind"] == ActivityKind.RESEARCH
    page = response.content.decode()
    assert "为“开展专题调研”（二1）登记：2025年（1月1日—12月31日）" in page


def test_after_saving_a_class_observation_the_leader_is_back_on_the_dashboard_told_what_it_counted_toward(
    client, adopted, leader
):
    client.force_login(leader.user)
    response = client.post(
        _link(leader, *OBSERVATION),
        {
            "kind": ActivityKind.CLASS_OBSERVATION,
            "date": "2026-11-20",
            "leaders": [leader.pk],
            "course": "高等数学",
            "class_hours": "2",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    page = response.content.decode()
    assert "已登记，计入“深入课堂听课”（" in page
    assert "8月31日—1月17日）。" in page
    assert Activity.objects.get().class_hours == 2


def test_a_record_of_another_kind_from_the_rules_link_is_said_not_to_count(client, adopted, leader):
    client.force_login(leader.user)
    response = client.post(
        _link(leader, *OBSERVATION),
        {"kind": ActivityKind.FORUM, "date": "2026-11-20", "leaders": [leader.pk]},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "已登记，但这条记录不计入“深入课堂听课”" in response.content.decode()


def test_a_date_outside_the_period_is_refused_with_the_input_kept(client, adopted, leader):
    client.force_login(leader.user)
    response = client.post(
        _link(leader, *LAST_YEARS_RESEARCH),
        {"kind": ActivityKind.RESEARCH, "date": "2026-11-20", "leaders": [leader.pk], "title": "学科调研"},
    )
    page = response.content.decode()
    assert "日期须在1月1日至12月31日之间" in page
    assert 'value="学科调研"' in page
    assert not Activity.objects.exists()


def test_the_office_recording_for_a_leader_from_the_overview_is_told_it_counted_for_them(
    client, adopted, office, leader
):
    client.force_login(office)
    response = client.post(
        _link(leader, *OBSERVATION),
        {
            "kind": ActivityKind.CLASS_OBSERVATION,
            "date": "2026-11-19",
            "leaders": [leader.pk],
            "course": "大学英语",
            "class_hours": "1.5",
        },
        follow=True,
    )
    assert "已登记，计入“深入课堂听课”（" in response.content.decode()
