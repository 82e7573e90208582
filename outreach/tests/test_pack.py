"""Packs 004-outreach and 003-outreach over recorded activities, checked through the `obligations` command's JSON (the
same figures the dashboard shows): 听课 as a sum of class hours ("hours done / 4 学时", 004 第五条4), forums per
academic year (004 第五条3, due soon near the year's end, overdue after it), festival visits for the team (003 二3)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from governance.models import ObligationRule
from governance.services.policies import policy_load
from outreach.models import ActivityKind, Festival
from outreach.tests.factories import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(semester, leader):
    university = leader.positions.get().team.organization
    leader.user.username = "fuxiaozhang"
    leader.user.save()
    policy_load(name="004-outreach", organization=university)
    policy_load(name="003-outreach", organization=university)
    return university


def obligations(*args: str) -> dict[str, dict]:
    out = StringIO()
    call_command("obligations", "--user", "fuxiaozhang", *args, "--format", "json", stdout=out)
    return {row["rule"]: row for row in json.loads(out.getvalue())}


def test_pack_004_states_each_number_with_its_clause(adopted):
    rules = {r.code: r for r in ObligationRule.objects.filter(organization=adopted).select_related("clause")}
    observation = rules["004-class-observation"]
    assert (observation.measure, observation.target, observation.unit, observation.period) == (
        "sum",
        Decimal(4),
        "学时",
        "semester",
    )
    assert observation.clause.number == "第五条4"
    assert (rules["004-forums"].target, rules["004-forums"].period) == (2, "academic_year")
    assert (rules["004-organizational-life"].clause.number, rules["004-organizational-life"].target) == (
        "第五条1",
        2,
    )
    assert rules["003-outreach-festival-spring"].evidence_params == {
        "kind": "festival_visit",
        "festival": "spring",
    }


def test_class_observation_hours_are_summed_and_turn_green_at_four(adopted, leader):
    record(
        leader.user,
        leader,
        kind=ActivityKind.CLASS_OBSERVATION,
        course="高等数学",
        class_hours=Decimal("2.5"),
    )
    row = obligations("--on", "2026-11-20")["004-class-observation"]
    assert (row["done"], row["required"], row["unit"], row["clause"]) == (2.5, 4, "学时", "004 第五条4")
    assert row["status"] != "met"
    record(
        leader.user,
        leader,
        date=dt.date(2026, 11, 19),
        kind=ActivityKind.CLASS_OBSERVATION,
        course="大学英语",
        class_hours=Decimal("1.5"),
    )
    row = obligations("--on", "2026-11-20")["004-class-observation"]
    assert (row["done"], row["status"]) == (4, "met")


def test_a_forum_and_a_research_visit_are_not_two_forums(adopted, leader):
    record(leader.user, leader, kind=ActivityKind.FORUM)
    record(leader.user, leader, kind=ActivityKind.RESEARCH)
    rows = obligations("--on", "2026-11-20")
    assert rows["004-forums"]["done"] == 1
    assert rows["003-outreach-research"]["done"] == 1


def test_too_few_forums_are_due_soon_near_the_years_end_and_overdue_after_it(adopted, leader):
    record(leader.user, leader, kind=ActivityKind.FORUM)
    # The academic year 2026—2027 ends on 22 August 2027 (the calendar's); the rule reminds 60 days before.
    assert obligations("--on", "2027-08-01")["004-forums"]["status"] == "due_soon"
    out = StringIO()
    call_command("obligations", "--user", "fuxiaozhang", "--on", "2027-08-30", "--format", "json", stdout=out)
    last_year = [
        r for r in json.loads(out.getvalue()) if r["rule"] == "004-forums" and r["period_end"] == "2027-08-22"
    ]
    assert [r["status"] for r in last_year] == ["overdue"]


def test_a_festival_visit_counts_for_its_festival_for_the_whole_team(adopted, leader):
    record(
        leader.user,
        leader,
        date=dt.date(2026, 10, 16),
        kind=ActivityKind.FESTIVAL_VISIT,
        festival=Festival.DOUBLE_NINTH,
    )
    # A team rule (owed by the secretary and the president): the team's view counts a vice president's visit.
    out = StringIO()
    call_command("obligations", "--org", adopted.code, "--on", "2026-11-20", "--format", "json", stdout=out)
    rows = {r["rule"]: r for r in json.loads(out.getvalue()) if r["subject_username"] is None}
    assert rows["003-outreach-festival-double-ninth"]["done"] == 1
    assert rows["003-outreach-festival-spring"]["done"] == 0


def test_an_activity_dated_ahead_is_planned_not_counted(adopted, leader):
    record(leader.user, leader, date=dt.date(2026, 11, 27), kind=ActivityKind.FORUM)
    row = obligations("--on", "2026-11-20")["004-forums"]
    assert row["done"] == 0
    assert len(row["planned"]) == 1


def test_the_dashboards_record_link_opens_the_form_for_that_rule_and_period(client, adopted, leader):
    row = obligations("--on", "2026-11-20")["004-class-observation"]
    from governance.engine.evidence import record_path

    path = record_path(
        "outreach.activity",
        rule_code="004-class-observation",
        subject_person_id=leader.pk,
        counterpart_person_id=None,
        for_office=False,
        period_start=dt.date.fromisoformat(row["period_start"]),
        period_end=dt.date.fromisoformat(row["period_end"]),
    )
    client.force_login(leader.user)
    response = client.get(path)
    form = response.context["form"]
    assert form.initial["kind"] == ActivityKind.CLASS_OBSERVATION
    assert form.initial["date"] == dt.date(2026, 11, 20)
    assert "为“深入课堂听课”（第五条4）登记" in response.content.decode()
    page = client.post(
        path,
        {
            "kind": ActivityKind.CLASS_OBSERVATION,
            "date": "2027-03-01",
            "leaders": [leader.pk],
            "course": "高等数学",
            "class_hours": "2",
        },
    ).content.decode()
    assert "日期须在" in page
