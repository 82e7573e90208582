"""Who owes a team obligation (碰头会, 务虚会): the people holding a matching position on its due date.

A secretary who left on 31 October is neither shown nor reminded of the semester's retreat meeting due in January,
and his successor, who arrived on 14 November, does not inherit the coordination cycle due on Friday 13 November.
Whoever held the post on a past cycle's due date still owes that cycle."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from communication.tests.factories import LeaderFactory
from governance.engine.obligations import RuleSpec, Status, TeamInfo, Tenure, evaluate
from governance.engine.periods import Period, Term
from governance.models import Position, PositionKind
from governance.selectors.calendar import AcademicCalendar
from governance.services.reminders import reminders_plan
from governance.tests.factories import PositionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]
D = dt.date
TODAY = D(2026, 11, 25)  # tests/conftest.py frozen_wednesday
LEFT = D(2026, 10, 31)
ARRIVED = D(2026, 11, 14)  # the Saturday after the cycle 11-02 — 11-15's Friday


@pytest.fixture
def handover(college):
    """文学院's secretary 李书记 left on 31 October; 陈书记 took over on 14 November (no one in between)."""
    college_org, (old, *_rest) = college
    Position.objects.filter(person=old, kind=PositionKind.SECRETARY).update(end=LEFT)
    new = LeaderFactory(name="陈书记")
    PositionFactory(person=new, team=college_org.team, kind=PositionKind.SECRETARY, start=ARRIVED, order=0)
    return old, new


def dashboard(client, person) -> list[tuple[str, str, str]]:
    """(rule, status, text) for each line of the person's obligation dashboard."""
    client.force_login(person.user)
    page = client.get(reverse("home")).content.decode()
    return [
        (rule, status, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()))
        for rule, status, body in re.findall(
            r'<li class="list-group-item obligation[^"]*" data-rule="([^"]+)" data-status="([^"]+)">(.*?)</li>',
            page,
            re.S,
        )
    ]


def listing(*args: str) -> list[dict]:
    out = StringIO()
    call_command("obligations", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_a_secretary_who_left_in_october_is_not_shown_the_team_meetings_due_after_he_left(client, handover):
    old, _new = handover

    rules = {rule for rule, _status, _text in dashboard(client, old)}

    assert "000-retreat-meeting" not in rules  # due at the end of the semester, 17 January
    assert "000-coordination-meeting" not in rules


def test_a_successor_owes_the_current_cycle_and_the_semesters_retreat_but_not_a_cycle_due_before_he_came(
    client, handover
):
    _old, new = handover

    lines = dashboard(client, new)
    coordination = [(status, text) for rule, status, text in lines if rule == "000-coordination-meeting"]

    assert [status for status, _text in coordination] == ["due_soon"]
    assert "（11月16日—11月29日）" in coordination[0][1]
    assert [status for rule, status, _text in lines if rule == "000-retreat-meeting"] == ["on_track"]


def test_reminders_go_to_whoever_holds_the_post_on_the_due_date(handover):
    old, new = handover

    plan = reminders_plan(today=TODAY)
    items = {
        entry.person.pk: [(i.rule_code, i.period_start, i.kind) for i in entry.items]
        for entry in plan.recipients
    }

    team_rules = {"000-coordination-meeting", "000-retreat-meeting"}
    assert not [i for i in items.get(old.pk, []) if i[0] in team_rules]
    assert [i for i in items[new.pk] if i[0] == "000-coordination-meeting"] == [
        ("000-coordination-meeting", D(2026, 11, 16), "due_soon")
    ]


def test_past_cycles_are_owed_by_whoever_held_the_post_on_their_due_date(handover):
    old, new = handover

    def cycles(person) -> list[str]:
        rows = listing("--user", person.user.username, "--from", "2026-10-05", "--to", "2026-11-29")
        return [r["due"] for r in rows if r["rule"] == "000-coordination-meeting"]

    assert cycles(old) == ["2026-10-16", "2026-10-30"]
    assert cycles(new) == ["2026-11-27"]
    # The cycle due on 13 November, when no one was secretary, is still the team's: the office sees it.
    team_rows = listing("--org", "wxy", "--from", "2026-11-02", "--to", "2026-11-15")
    assert [(r["due"], r["status"]) for r in team_rows if r["rule"] == "000-coordination-meeting"] == [
        ("2026-11-13", "overdue")
    ]


# On plain values: a due date moved past the period's end -----------------------------------------------------------

FALL = Term("2026—2027学年第一学期", D(2026, 8, 31), D(2027, 1, 17))
CAL = AcademicCalendar(semesters=(FALL,), academic_years=(), anchor=D(2024, 1, 1))
TEAM = TeamInfo(1, 10, "示例大学领导班子")


def monday_meeting(**kw) -> RuleSpec:
    return RuleSpec(
        id=1, code="001-coordination-meeting", title="碰头会", clause_ref="001 一（二）", clause_citation="《制度》一（二）",
        subject="team", subject_positions=("secretary",), counterpart="none", counterpart_positions=(),
        evidence_source="src", evidence_params={}, measure="count", target=Decimal(1), unit="次", period="biweek",
        weekday=0, holiday_shift="next", remind_days_before=3, team_ids=(1,), **kw,
    )  # fmt: skip


def test_when_a_holiday_moves_the_agreed_day_past_the_cycles_end_the_holder_on_that_day_owes_it():
    # The cycle 11-16 — 11-29 meets on Monday 23 November; make that whole week a holiday: the meeting moves to
    # Monday 30 November, after the cycle ends. A left on 29 November, B arrived on 30 November.
    holiday = {D(2026, 11, 23) + dt.timedelta(days=i) for i in range(7)}
    tenures = [
        Tenure(1, 1, "secretary", D(2020, 1, 1), D(2026, 11, 29)),
        Tenure(2, 1, "secretary", D(2026, 11, 30), None),
    ]

    (ob,) = [
        o
        for o in evaluate(
            [monday_meeting()],
            teams={1: TEAM},
            tenures=tenures,
            evidence={"src": []},
            events={},
            excuses={},
            start=D(2026, 11, 20),
            end=D(2026, 11, 20),
            today=D(2026, 11, 20),
            calendar=CAL,
            is_workday=lambda d: d.weekday() < 5 and d not in holiday,
        )  # fmt: skip
    ]

    assert ob.period == Period(D(2026, 11, 16), D(2026, 11, 29), "biweek", ob.period.label)
    assert ob.due == D(2026, 11, 30)
    assert ob.people == (2,)
    assert ob.status == Status.ON_TRACK
