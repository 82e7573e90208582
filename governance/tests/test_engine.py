"""The obligation engine on plain values: no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from governance.engine.evidence import Event, EvidenceRecord
from governance.engine.obligations import (
    RuleSpec,
    Status,
    TeamInfo,
    Tenure,
    current_view,
    evaluate,
    excuse_key,
)
from governance.engine.periods import Term
from governance.selectors.calendar import AcademicCalendar

D = dt.date
FALL = Term("2026—2027学年第一学期", D(2026, 8, 31), D(2027, 1, 17))
CAL = AcademicCalendar(
    semesters=(FALL,),
    academic_years=(Term("2026—2027学年", D(2026, 8, 24), D(2027, 8, 22)),),
    anchor=D(2024, 1, 1),
)
TEAM = TeamInfo(1, 10, "文学院领导班子")
SECRETARY, DEAN, VICE = 101, 102, 103


def rule(**kw) -> RuleSpec:
    base = dict(
        id=1, code="r", title="规则", clause_ref="000 四（四）", clause_citation="《办法》四（四）", subject="team",
        subject_positions=("secretary",), counterpart="none", counterpart_positions=(), evidence_source="src",
        evidence_params={}, measure="count", target=Decimal(1), unit="次", period="biweek", weekday=4,
        remind_days_before=3, team_ids=(1,),
    )  # fmt: skip
    base.update(kw)
    return RuleSpec(**base)


def team_tenures(secretary_start: dt.date = dt.date(2020, 1, 1)) -> list[Tenure]:  # noqa: B008
    return [
        Tenure(SECRETARY, 1, "secretary", secretary_start, None),
        Tenure(DEAN, 1, "president", D(2020, 1, 1), None),
        Tenure(VICE, 1, "vice_president", D(2020, 1, 1), None),
    ]


def meeting(day: dt.date, **attrs) -> EvidenceRecord:
    return EvidenceRecord(
        key=f"m:{day}",
        source="src",
        date=day,
        title="碰头会",
        organization_id=10,
        attrs={"kind": "coordination", **attrs},
    )


def talk(day: dt.date, *people: int, formal: bool = True) -> EvidenceRecord:
    return EvidenceRecord(
        key=f"t:{day}:{people}",
        source="src",
        date=day,
        title="谈心",
        people=frozenset(people),
        attrs={"formal": formal},
    )


def run(rules, records, *, start, end, today, tenures=None, excuses=None, events=None, is_workday=None):
    return evaluate(
        rules, teams={1: TEAM}, tenures=tenures or team_tenures(), evidence={"src": records}, events=events or {},
        excuses=excuses or {}, start=start, end=end, today=today, calendar=CAL, is_workday=is_workday,
    )  # fmt: skip


def test_a_semester_of_alternate_friday_meetings_with_one_missed_cycle_has_exactly_one_overdue_period():
    fridays = [D(2026, 9, 4) + dt.timedelta(weeks=2 * i) for i in range(10)]  # every other Friday of term
    held = [f for i, f in enumerate(fridays) if i != 6]  # one cycle missed
    result = run(
        [rule(season="semester")],
        [meeting(f) for f in held],
        start=FALL.start,
        end=FALL.end,
        today=D(2027, 2, 1),
    )
    overdue = [o for o in result if o.status == Status.OVERDUE]
    assert len(result) == 10
    assert len(overdue) == 1
    assert fridays[6] in overdue[0].period
    assert all(o.status == Status.MET for o in result if o is not overdue[0])


def test_a_coordination_meeting_on_a_holiday_friday_is_expected_on_the_previous_workday():
    national_day = {D(2026, 10, d) for d in range(1, 9)}
    is_workday = lambda d: d.weekday() < 5 and d not in national_day  # noqa: E731
    (ob,) = run(
        [rule(holiday_shift="previous")],
        [],
        start=D(2026, 10, 2),
        end=D(2026, 10, 2),
        today=D(2026, 9, 21),
        is_workday=is_workday,
    )
    assert (ob.period.start, ob.period.end) == (D(2026, 9, 21), D(2026, 10, 4))
    assert ob.expected_date == D(
        2026, 9, 30
    )  # the cycle's Friday, 10-02, is National Day: moved back to Wednesday
    assert ob.due == D(2026, 9, 30)
    (later,) = run(
        [rule(holiday_shift="next")],
        [],
        start=D(2026, 10, 2),
        end=D(2026, 10, 2),
        today=D(2026, 9, 21),
        is_workday=is_workday,
    )
    assert later.expected_date == D(2026, 10, 9)


def test_a_new_secretary_owes_only_the_rest_of_the_period_and_earlier_talks_do_not_count():
    r = rule(
        subject="position",
        subject_positions=("secretary",),
        counterpart="position",
        counterpart_positions=("president",),
        period="semester",
        weekday=None,
        evidence_params={"formal": True},
        remind_days_before=30,
    )
    tenures = [
        Tenure(999, 1, "secretary", D(2020, 1, 1), D(2026, 10, 31)),
        *team_tenures(secretary_start=D(2026, 11, 1)),
    ]
    records = [
        talk(D(2026, 9, 15), 999, DEAN),
        talk(D(2026, 10, 20), SECRETARY, DEAN),
    ]  # the second before taking office
    result = run([r], records, tenures=tenures, start=FALL.start, end=FALL.end, today=D(2026, 12, 1))
    by_subject = {o.subject_person_id: o for o in result}
    assert by_subject[999].status == Status.MET
    new = by_subject[SECRETARY]
    assert new.window_start == D(2026, 11, 1)
    assert new.done == 0
    assert new.status == Status.ON_TRACK


def test_the_secretary_dean_formal_talk_is_due_soon_near_the_semester_end_and_overdue_after_it():
    r = rule(
        subject="position",
        subject_positions=("secretary",),
        counterpart="position",
        counterpart_positions=("president",),
        period="semester",
        weekday=None,
        evidence_params={"formal": True},
        remind_days_before=30,
    )
    informal = [talk(D(2026, 10, 1), SECRETARY, DEAN, formal=False)]
    assert (
        run([r], informal, start=D(2026, 11, 1), end=D(2026, 11, 1), today=D(2026, 11, 1))[0].status
        == Status.ON_TRACK
    )
    assert (
        run([r], informal, start=D(2027, 1, 1), end=D(2027, 1, 1), today=D(2027, 1, 1))[0].status
        == Status.DUE_SOON
    )
    after = run([r], informal, start=FALL.start, end=FALL.end, today=D(2027, 1, 20))
    assert [o.status for o in after] == [Status.OVERDUE]
    assert after[0].people == (SECRETARY, DEAN)


def test_weekly_talks_in_weeks_one_two_and_four_leave_week_three_overdue():
    r = rule(
        subject="position",
        subject_positions=("secretary",),
        counterpart="position",
        counterpart_positions=("president",),
        period="week",
        weekday=None,
        remind_days_before=2,
    )
    mondays = [D(2026, 9, 7) + dt.timedelta(weeks=i) for i in range(4)]
    records = [talk(mondays[i] + dt.timedelta(days=2), SECRETARY, DEAN) for i in (0, 1, 3)]
    result = run(
        [r],
        records,
        start=mondays[0],
        end=mondays[3] + dt.timedelta(days=6),
        today=mondays[3] + dt.timedelta(days=6),
    )
    assert [o.status for o in result] == [Status.MET, Status.MET, Status.OVERDUE, Status.MET]
    assert result[2].period.start == mondays[2]


def test_an_excused_period_is_not_overdue_and_says_why():
    cycle_start = D(2026, 9, 21)
    excuses = {excuse_key("r", cycle_start, 1, None, None): "国庆假期，本周期无工作日"}
    result = run([rule()], [], start=cycle_start, end=D(2026, 10, 18), today=D(2026, 10, 20), excuses=excuses)
    assert [(o.period.start, o.status) for o in result] == [
        (cycle_start, Status.EXCUSED),
        (D(2026, 10, 5), Status.OVERDUE),
    ]
    assert result[0].excuse_reason == "国庆假期，本周期无工作日"


def test_sum_rules_add_hours_and_pair_rules_count_each_pair_once():
    hours = rule(
        subject="each_member",
        subject_positions=(),
        period="semester",
        weekday=None,
        measure="sum",
        target=Decimal(4),
        unit="学时",
    )
    records = [
        EvidenceRecord(
            key=f"h{i}",
            source="src",
            date=D(2026, 10, 1 + i),
            title="听课",
            people=frozenset({VICE}),
            amount=Decimal("1.5"),
        )
        for i in range(3)
    ]
    result = {
        o.subject_person_id: o
        for o in run([hours], records, start=FALL.start, end=FALL.end, today=D(2026, 11, 1))
    }
    assert result[VICE].done == Decimal("4.5")
    assert result[VICE].status == Status.MET
    pairs = rule(
        subject="each_member",
        subject_positions=(),
        counterpart="each_other_member",
        period="semester",
        weekday=None,
    )
    assert (
        len(run([pairs], [], start=FALL.start, end=FALL.end, today=D(2026, 11, 1))) == 3
    )  # 3 members → 3 pairs


def test_before_event_rules_count_talks_between_preparation_start_and_the_meeting():
    r = rule(
        subject="each_member",
        subject_positions=(),
        counterpart="each_other_member",
        period="before_event",
        weekday=None,
        event_source="ev",
        remind_days_before=14,
    )
    events = {"ev": [Event("e1", D(2026, 12, 20), D(2026, 11, 1), "民主生活会", 10)]}
    records = [talk(D(2026, 10, 30), SECRETARY, DEAN), talk(D(2026, 11, 5), SECRETARY, VICE)]
    result = run(
        [r], records, start=D(2026, 11, 1), end=D(2026, 12, 31), today=D(2026, 12, 10), events=events
    )
    statuses = {(o.subject_person_id, o.counterpart_person_id): o.status for o in result}
    assert statuses[(SECRETARY, VICE)] == Status.MET
    assert (
        statuses[(SECRETARY, DEAN)] == Status.DUE_SOON
    )  # the talk before preparation started does not count


def test_two_colleges_democratic_life_meetings_on_the_same_days_are_each_owed_by_its_own_team_alone():
    r = rule(
        subject="each_member",
        subject_positions=(),
        counterpart="each_other_member",
        period="before_event",
        weekday=None,
        event_source="ev",
        team_ids=(1, 2),
    )
    other = TeamInfo(2, 20, "美术学院领导班子")
    events = {
        "ev": [
            Event("e20", D(2026, 12, 20), D(2026, 11, 1), "美术学院民主生活会", 20),
            Event("e10", D(2026, 12, 20), D(2026, 11, 1), "文学院民主生活会", 10),
        ]
    }
    tenures = [
        *team_tenures(),
        Tenure(201, 2, "secretary", D(2020, 1, 1), None),
        Tenure(202, 2, "president", D(2020, 1, 1), None),
    ]
    result = evaluate(
        [r], teams={1: TEAM, 2: other}, tenures=tenures, evidence={"src": []}, events=events, excuses={},
        start=D(2026, 11, 1), end=D(2026, 12, 31), today=D(2026, 12, 10), calendar=CAL, is_workday=None,
    )  # fmt: skip

    by_team = {(o.team.name, o.period.label) for o in result}
    assert by_team == {("文学院领导班子", "文学院民主生活会"), ("美术学院领导班子", "美术学院民主生活会")}
    assert len(result) == 3 + 1  # the three pairs of 文学院's team, the one pair of 美术学院's: no copy


def test_the_current_view_keeps_the_previous_period_when_it_ended_unmet():
    r = rule(
        subject="position",
        subject_positions=("secretary",),
        counterpart="position",
        counterpart_positions=("president",),
        period="week",
        weekday=None,
    )
    today = D(2026, 9, 16)
    result = current_view(run([r], [], start=D(2026, 9, 1), end=today, today=today), today)
    assert [o.status for o in result] == [Status.OVERDUE, Status.ON_TRACK]


def test_the_current_view_keeps_an_excused_previous_period_with_its_reason_but_not_a_met_one():
    r = rule(
        subject="position",
        subject_positions=("secretary",),
        counterpart="position",
        counterpart_positions=("president",),
        period="week",
        weekday=None,
    )
    today = D(2026, 9, 16)  # a Wednesday; last week ran 7–13 September
    excused = {excuse_key("r", D(2026, 9, 7), 1, SECRETARY, DEAN): "书记外出学习"}
    result = current_view(run([r], [], start=D(2026, 9, 1), end=today, today=today, excuses=excused), today)
    assert [(o.period.start, o.status, o.excuse_reason) for o in result] == [
        (D(2026, 9, 14), Status.ON_TRACK, ""),
        (D(2026, 9, 7), Status.EXCUSED, "书记外出学习"),
    ]

    met_last_week = [talk(D(2026, 9, 9), SECRETARY, DEAN)]
    result = current_view(run([r], met_last_week, start=D(2026, 9, 1), end=today, today=today), today)
    assert [o.period.start for o in result] == [D(2026, 9, 14)]
