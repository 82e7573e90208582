"""Deadline control (red / amber / green through the workday service) and urging (第四条（三）): an overdue task is urged
to the lead unit's people and the responsible leader once per cadence, through the core's exactly-once digest,
recorded on the task, escalated after the configured count (第六条), and no more once the unit submits it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from governance.models import ReminderDigest, ReminderSectionSent
from governance.services.reminders import reminders_collect, reminders_plan
from governance.tests.factories import HolidayDateFactory, HolidayYearFactory
from supervision import selectors, services
from supervision.models import SupervisedTask, TaskColour
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db


def _colour(task, today):
    task = SupervisedTask.objects.get(pk=task.pk)
    return task.colour(today, selectors.workday_edge(today))


def test_a_task_turns_amber_when_less_than_30_percent_of_its_time_remains_then_red(office, unit, leader):
    # 2026-11-02 to 2026-12-31: 59 days; amber from the day less than 17.7 days remain.
    task = register(office, lead_unit=unit, leader=leader)
    assert _colour(task, dt.date(2026, 11, 20)) == TaskColour.GREEN
    assert _colour(task, dt.date(2026, 12, 13)) == TaskColour.GREEN
    assert _colour(task, dt.date(2026, 12, 14)) == TaskColour.AMBER
    assert _colour(task, dt.date(2026, 12, 31)) == TaskColour.AMBER
    assert _colour(task, dt.date(2027, 1, 1)) == TaskColour.RED


def test_a_task_turns_amber_within_three_working_days_and_holidays_do_not_count(office, unit, leader):
    # Due Friday 2026-10-09, right after the National Day holidays (10-01 to 10-08): on Wednesday 09-30 the only
    # working days before it are 09-30 and 10-09, so it is amber, although more than 30% of its time was left until
    # 10-04; on Friday 09-25 three working days (09-25, 09-28, 09-29) still lie before it: green.
    task = register(
        office, lead_unit=unit, leader=leader, assigned_on=dt.date(2026, 9, 20), deadline=dt.date(2026, 10, 9)
    )
    assert _colour(task, dt.date(2026, 9, 25)) == TaskColour.GREEN
    assert _colour(task, dt.date(2026, 9, 30)) == TaskColour.AMBER


def test_the_office_enters_a_holiday_and_the_amber_edge_moves(office, unit, leader):
    holidays = HolidayYearFactory(year=2026)
    for day in (dt.date(2026, 11, 23), dt.date(2026, 11, 24)):
        HolidayDateFactory(year=holidays, date=day, kind="holiday", name="校庆")
    assert selectors.workday_edge(dt.date(2026, 11, 20)) == dt.date(2026, 11, 26)


def test_the_list_filter_by_colour_matches_the_colours_shown(office, unit, leader):
    green = register(office, lead_unit=unit, leader=leader, title="绿")
    red = register(office, lead_unit=unit, leader=leader, title="红", deadline=dt.date(2026, 11, 10))
    amber = register(office, lead_unit=unit, leader=leader, title="黄", deadline=dt.date(2026, 11, 24))
    done = walk(
        register(office, lead_unit=unit, leader=leader, title="已报结", deadline=dt.date(2026, 11, 10)),
        "submitted",
        office=office,
    )
    today = dt.date(2026, 11, 20)
    edge = selectors.workday_edge(today)
    for colour, expected in ((TaskColour.GREEN, green), (TaskColour.AMBER, amber), (TaskColour.RED, red)):
        found = list(SupervisedTask.objects.filter(selectors.colour_condition(colour, today, edge)))
        assert found == [expected]
    assert _colour(done, today) == ""


def _at(day: dt.date):
    return time_machine.travel(
        dt.datetime.combine(day, dt.time(8, 0), tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


def _urgings_to(person):
    return [
        s
        for d in ReminderDigest.objects.filter(person=person).order_by("pk")
        for s in d.sections.filter(family="supervision")
    ]


def test_an_overdue_task_is_urged_once_per_cadence_escalates_and_stops_when_submitted(
    office, unit, leader, liaison, settings
):
    settings.SUPERVISION_URGING_CADENCE_DAYS = 3
    settings.SUPERVISION_ESCALATE_AFTER = 2
    task = walk(
        register(office, lead_unit=unit, leader=leader, deadline=dt.date(2026, 11, 25)),
        "in_progress",
        office=office,
    )
    sent_on = {}
    for day in (dt.date(2026, 11, 25) + dt.timedelta(days=n) for n in range(0, 9)):
        with _at(day):
            before = ReminderSectionSent.objects.filter(family="supervision").count()
            reminders_collect(today=day, queue=False)
            sent_on[day] = ReminderSectionSent.objects.filter(family="supervision").count() - before
    # Overdue from 11-26: rounds on 11-26, 11-29 and 12-02, each to the liaison and the leader.
    assert {d: n for d, n in sent_on.items() if n} == {
        dt.date(2026, 11, 26): 2,
        dt.date(2026, 11, 29): 2,
        dt.date(2026, 12, 2): 2,
    }
    leader_titles = [s.digest.subject for s in _urgings_to(leader)]
    assert len(leader_titles) == 3
    digest = ReminderDigest.objects.filter(person=leader).order_by("pk").last()
    assert "经 3 次催办仍未报结（第六条）" in digest.body_text
    first = ReminderDigest.objects.filter(person=liaison).order_by("pk").first()
    assert "督办事项催办（第 1 次）" in first.body_text
    assert "已逾期 1 天" in first.body_text
    # Recorded on the task: its timeline lists each round and who was urged.
    urgings = [e for e in selectors.timeline(task) if e.kind == "urging"]
    assert [e.title for e in urgings] == ["邮件催办（第 1 次）", "邮件催办（第 2 次）", "邮件催办（第 3 次）"]
    assert urgings[0].note == "发送给：罗联络、黄副校长" or urgings[0].note == "发送给：黄副校长、罗联络"
    assert selectors.urgings_sent_count([task.pk]) == {task.pk: 3}
    # Submitted: no more urging.
    with _at(dt.date(2026, 12, 4)):
        services.task_submit(task=task, user=liaison.user, result="已办结。")
    with _at(dt.date(2026, 12, 5)):
        plan = reminders_plan(today=dt.date(2026, 12, 5))
    assert all(s.family != "supervision" for entry in plan.recipients for s in entry.sections)


def test_a_units_liaison_on_no_leadership_team_gets_the_urging_in_their_one_digest(
    office, unit, leader, liaison
):
    walk(
        register(office, lead_unit=unit, leader=leader, deadline=dt.date(2026, 11, 18)),
        "notified",
        office=office,
    )
    plan = reminders_plan(today=dt.date(2026, 11, 20))
    recipients = {entry.person.pk: entry for entry in plan.recipients}
    assert liaison.pk in recipients
    (section,) = recipients[liaison.pk].sections
    assert section.title == "督办事项催办（第 1 次）"
    assert section.lines[0].url == f"/supervision/tasks/{SupervisedTask.objects.get().pk}/"


def test_a_returned_task_is_urged_again_from_its_new_deadline(office, unit, leader, liaison):
    task = walk(
        register(office, lead_unit=unit, leader=leader, deadline=dt.date(2026, 11, 18)),
        "submitted",
        office=office,
    )
    services.task_return(task=task, user=office, reason="未办好。", new_deadline=dt.date(2026, 11, 27))
    assert reminders_plan(today=dt.date(2026, 11, 20)).recipients == []
    with _at(dt.date(2026, 11, 28)):
        plan = reminders_plan(today=dt.date(2026, 11, 28))
    keys = {s.key for entry in plan.recipients for s in entry.sections if s.family == "supervision"}
    assert keys == {f"urging:{task.pk}:2026-11-27:1"}


def test_the_office_logs_an_urging_by_phone_and_the_unit_cannot(office, unit, leader, liaison):
    from governance.errors import DomainError

    task = walk(
        register(office, lead_unit=unit, leader=leader, deadline=dt.date(2026, 11, 18)),
        "in_progress",
        office=office,
    )
    services.urging_record(task=task, user=office, channel="phone", note="电话催办，答复本周报结。")
    assert [e.title for e in selectors.timeline(task)][-1] == "催办"
    with pytest.raises(DomainError):
        services.urging_record(task=task, user=liaison.user, channel="phone")


def test_the_responsible_leader_is_asked_to_urge_the_lead_unit_and_the_unit_to_handle_the_task(
    office, unit, leader, liaison, settings
):
    # 第一条（一）: the leader answers for the task; 第六条: after repeated urging the leader is to press the unit.
    settings.SUPERVISION_URGING_CADENCE_DAYS = 3
    settings.SUPERVISION_ESCALATE_AFTER = 2
    walk(
        register(office, lead_unit=unit, leader=leader, deadline=dt.date(2026, 11, 10)),
        "in_progress",
        office=office,
    )
    # Overdue 10 days on 11-20: the 4th round, escalated.
    sections = selectors.digest_sections([], dt.date(2026, 11, 20))
    (to_leader,) = sections[leader.pk]
    (to_unit,) = sections[liaison.pk]
    assert to_leader.title == "督办事项经 4 次催办仍未报结（第六条）"
    assert "请督促主办单位（教务处）抓紧办理（第六条）" in to_leader.lines[0].detail
    assert "经 4 次催办仍未报结" in to_leader.lines[0].detail
    assert "请抓紧办理并将办理结果反馈督查小组" not in to_leader.lines[0].detail
    assert to_unit.title == "督办事项催办（第 4 次）"
    assert "请抓紧办理并将办理结果反馈督查小组（第四条（三））" in to_unit.lines[0].detail
    assert to_leader.lines[0].url == to_unit.lines[0].url


def test_before_the_escalation_the_leader_is_asked_to_urge_the_unit_too(office, unit, leader, liaison):
    walk(
        register(office, lead_unit=unit, leader=leader, deadline=dt.date(2026, 11, 18)),
        "notified",
        office=office,
    )
    sections = selectors.digest_sections([], dt.date(2026, 11, 20))
    (to_leader,) = sections[leader.pk]
    assert to_leader.title == "您分管的督办事项已逾期（第 1 次催办）"
    assert "请督促主办单位（教务处）抓紧办理" in to_leader.lines[0].detail
    assert "第一条（一）" in to_leader.lines[0].detail
