"""The engine's event_owners rules on plain values (003 第五条: each cycle of a long supervised task's progress reports
is owed by the lead unit's head and liaisons on the cycle's last day). No database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from governance.engine.evidence import Event, EvidenceRecord
from governance.engine.obligations import (
    OWNERS_TEAM_ID,
    RuleSpec,
    Status,
    TeamInfo,
    current_view,
    evaluate,
    evaluate_event_owners,
    excuse_key,
)
from governance.selectors.calendar import AcademicCalendar

D = dt.date
UNIT = 30  # 教务处
HEAD, LIAISON, NEW_LIAISON = 301, 302, 303
TASK_A, TASK_B = 17, 18


def rule(**kw) -> RuleSpec:
    base = dict(
        id=9, code="003-progress", title="承办单位定期反馈进展", clause_ref="003 第五条",
        clause_citation="《督查督办工作制度》第五条", subject="event_owners", subject_positions=(),
        counterpart="none", counterpart_positions=(), evidence_source="progress", evidence_params={},
        measure="count", target=Decimal(1), unit="次", period="before_event", event_source="cycles",
        remind_days_before=3,
    )  # fmt: skip
    base.update(kw)
    return RuleSpec(**base)


def cycle(task: int, start: dt.date, end: dt.date, owners=(HEAD, LIAISON)) -> Event:
    return Event(
        key=f"cycle:{task}:{start}",
        date=end,
        preparation_start=start,
        title=f"督〔2026〕{task}号 {start:%m月%d日}起的反馈周期",
        organization_id=UNIT,
        owners=frozenset(owners),
        match={"task": task},
    )


def report(task: int, day: dt.date) -> EvidenceRecord:
    return EvidenceRecord(
        key=f"report:{task}:{day}", source="progress", date=day, title="进展", organization_id=UNIT,
        attrs={"task": task},
    )  # fmt: skip


# Two tasks of one unit whose monthly cycles fall on the same dates.
CYCLES = [
    cycle(task, start, start + dt.timedelta(days=29))
    for task in (TASK_A, TASK_B)
    for start in (D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 30))
]


def run(records, *, today, events=CYCLES, people=None, excuses=None, start=None, end=None):
    return evaluate_event_owners(
        [rule()], events={"cycles": events}, evidence={"progress": records}, excuses=excuses or {},
        start=start or D(2026, 1, 1), end=end or D(2026, 12, 31), today=today, organizations={UNIT: "教务处"},
        people=people,
    )  # fmt: skip


def test_two_tasks_of_one_unit_with_cycles_on_the_same_dates_are_two_obligations_each_owed_by_the_units_people():
    found = run([], today=D(2026, 3, 15), end=D(2026, 3, 20))
    assert len(found) == 2
    assert {ob.event_key for ob in found} == {"cycle:17:2026-03-01", "cycle:18:2026-03-01"}
    assert len({ob.key for ob in found}) == 2
    for ob in found:
        assert ob.responsible_ids == (HEAD, LIAISON)
        assert ob.people == (HEAD, LIAISON)
        assert ob.subject_person_id is None
        assert ob.counterpart_person_id is None
        assert ob.team == TeamInfo(OWNERS_TEAM_ID, UNIT, "教务处")
        assert ob.due == D(2026, 3, 30)
        assert ob.status == Status.ON_TRACK


def test_a_report_on_task_a_counts_for_task_a_only_and_only_in_its_cycle():
    found = run([report(TASK_A, D(2026, 3, 10))], today=D(2026, 4, 2), end=D(2026, 4, 2))
    by = {(ob.event.match["task"], ob.period.start): ob for ob in found}
    assert by[(TASK_A, D(2026, 3, 1))].status == Status.MET
    assert [r.key for r in by[(TASK_A, D(2026, 3, 1))].evidence] == ["report:17:2026-03-10"]
    assert by[(TASK_B, D(2026, 3, 1))].status == Status.OVERDUE
    assert by[(TASK_B, D(2026, 3, 1))].evidence == []
    assert by[(TASK_A, D(2026, 3, 31))].done == 0  # the March report does not carry into April


def test_the_current_view_shows_each_tasks_current_cycle_and_an_overdue_previous_one():
    today = D(2026, 4, 2)
    shown = current_view(run([report(TASK_A, D(2026, 3, 10))], today=today), today)
    keys = sorted(ob.event_key for ob in shown)
    # Task A: its current cycle only (March was met); task B: its current cycle and March, still overdue.
    assert keys == ["cycle:17:2026-03-31", "cycle:18:2026-03-01", "cycle:18:2026-03-31"]


def test_the_owners_are_those_of_the_events_date_and_a_person_filter_keeps_only_their_events():
    events = [
        cycle(TASK_A, D(2026, 3, 1), D(2026, 3, 30), owners=(HEAD, LIAISON)),
        # The liaison changed on April 15: the April cycle (ending April 29) is the new liaison's.
        cycle(TASK_A, D(2026, 3, 31), D(2026, 4, 29), owners=(HEAD, NEW_LIAISON)),
    ]
    found = run([], today=D(2026, 4, 20), events=events)
    assert [ob.responsible_ids for ob in found] == [(HEAD, LIAISON), (HEAD, NEW_LIAISON)]
    theirs = run([], today=D(2026, 4, 20), events=events, people={NEW_LIAISON})
    assert [ob.event_key for ob in theirs] == ["cycle:17:2026-03-31"]
    assert run([], today=D(2026, 4, 20), events=events, people={999}) == []


def test_a_cycle_is_due_soon_within_the_reminder_days_and_a_report_dated_ahead_is_planned_not_done():
    today = D(2026, 3, 28)
    found = run([report(TASK_A, D(2026, 3, 29))], today=today, end=today)
    ob = next(o for o in found if o.event.match["task"] == TASK_A)
    assert ob.status == Status.DUE_SOON
    assert ob.done == 0
    assert [r.key for r in ob.planned] == ["report:17:2026-03-29"]


def test_an_excuse_names_the_event_so_it_excuses_one_tasks_cycle_not_the_other_on_the_same_dates():
    excuses = {excuse_key("003-progress", D(2026, 3, 1), None, None, None, "cycle:17:2026-03-01"): "任务暂停"}
    found = run([], today=D(2026, 4, 2), end=D(2026, 4, 2), excuses=excuses)
    by = {(ob.event.match["task"], ob.period.start): ob for ob in found}
    assert by[(TASK_A, D(2026, 3, 1))].status == Status.EXCUSED
    assert by[(TASK_A, D(2026, 3, 1))].excuse_reason == "任务暂停"
    assert by[(TASK_B, D(2026, 3, 1))].status == Status.OVERDUE


def test_the_rules_parameters_still_filter_the_records():
    done = EvidenceRecord(
        key="r1", source="progress", date=D(2026, 3, 5), title="进展", attrs={"task": TASK_A, "kind": "draft"}
    )
    found = run([done], today=D(2026, 3, 10), end=D(2026, 3, 10))
    assert sorted(ob.done for ob in found) == [0, 1]
    only_final = evaluate_event_owners(
        [rule(evidence_params={"kind": "final"})], events={"cycles": CYCLES}, evidence={"progress": [done]},
        excuses={}, start=D(2026, 1, 1), end=D(2026, 3, 10), today=D(2026, 3, 10),
    )  # fmt: skip
    assert all(ob.done == 0 for ob in only_final)


def test_a_teams_evaluation_leaves_event_owners_rules_out():
    calendar = AcademicCalendar(semesters=(), academic_years=(), anchor=D(2024, 1, 1))
    found = evaluate(
        [rule(team_ids=(1,))], teams={1: TeamInfo(1, UNIT, "班子")}, tenures=[], evidence={"progress": []},
        events={"cycles": CYCLES}, excuses={}, start=D(2026, 1, 1), end=D(2026, 12, 31), today=D(2026, 4, 2),
        calendar=calendar,
    )  # fmt: skip
    assert found == []
