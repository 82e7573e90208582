"""Statistics for the annual assessment (第六条): per lead unit and per responsible leader — tasks, completed on time
against the original deadline, late, open and overdue, returns, urgings, extensions (counted separately), average
days; the year filter; who may see them; a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from supervision import services
from supervision.models import SupervisedTask
from supervision.statistics import statistics
from supervision.tests.factories import register, university_leader, walk

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def year_of_tasks(office, unit, other_unit, leader, liaison):
    walk(register(office, lead_unit=unit, leader=leader, title="按期"), "completed", office=office)
    late = walk(
        register(office, lead_unit=unit, leader=leader, title="逾期", deadline=dt.date(2026, 11, 10)),
        "submitted",
        office=office,
    )
    late = services.task_return(task=late, user=office, reason="未办好。", new_deadline=dt.date(2026, 11, 30))
    late = services.task_submit(task=late, user=office, result="已补办。")
    services.task_complete(task=late, user=office)
    extended = walk(
        register(office, lead_unit=unit, leader=leader, title="延期", deadline=dt.date(2026, 11, 15)),
        "in_progress",
        office=office,
    )
    ask = services.extension_request(
        task=extended, user=liaison.user, reason="特殊情况。", proposed_deadline=dt.date(2026, 12, 1)
    )
    services.extension_decide(extension=ask, user=leader.user, approve=True)
    extended = services.task_submit(task=extended, user=liaison.user, result="已办完。")
    services.task_complete(task=extended, user=office)
    overdue = walk(
        register(office, lead_unit=unit, leader=leader, title="在办逾期", deadline=dt.date(2026, 11, 18)),
        "in_progress",
        office=office,
    )
    services.urging_record(task=overdue, user=office, channel="phone", note="电话催办")
    other_leader = university_leader("郑副校长")
    walk(
        register(office, lead_unit=other_unit, leader=other_leader, title="他单位"), "notified", office=office
    )
    register(
        office,
        lead_unit=unit,
        leader=leader,
        title="去年的",
        assigned_on=dt.date(2025, 3, 1),
        deadline=dt.date(2025, 6, 30),
    )
    return other_leader


def test_each_unit_is_counted_against_its_original_deadlines_with_extensions_apart(
    year_of_tasks, unit, other_unit
):
    stats = statistics(SupervisedTask.objects.all(), year=2026, today=TODAY)
    mine = next(r for r in stats.units if r.key == unit.pk)
    assert (mine.tasks, mine.completed, mine.on_time, mine.late) == (4, 3, 1, 2)
    assert (mine.open, mine.overdue_open) == (1, 1)
    assert (mine.returned, mine.urgings, mine.extended, mine.extended_met) == (1, 1, 1, 1)
    assert mine.average_days == 18.0  # each assigned 2 November, completed 20 November
    other = next(r for r in stats.units if r.key == other_unit.pk)
    assert (other.tasks, other.completed, other.open, other.overdue_open) == (1, 0, 1, 0)
    assert stats.total.tasks == 5
    assert [r.name for r in stats.leaders] == ["黄副校长", "郑副校长"]
    assert 2025 in stats.years
    assert 2026 in stats.years
    last_year = statistics(SupervisedTask.objects.all(), year=2025, today=TODAY)
    assert last_year.total.tasks == 1
    assert [b.label for b in stats.chart] == ["教务处", "科学研究处"]


def test_the_reminder_jobs_urging_rounds_count_as_urgings(year_of_tasks, unit):
    from governance.services.reminders import reminders_collect

    reminders_collect(today=TODAY, queue=False)  # 在办逾期 is 2 days overdue: its first round, to the leader
    stats = statistics(SupervisedTask.objects.all(), year=2026, today=TODAY)
    assert next(r for r in stats.units if r.key == unit.pk).urgings == 2  # one by phone, one round by email


def test_the_office_sees_every_unit_and_a_leader_only_their_own(client, year_of_tasks, office, leader):
    url = reverse("supervision:statistics")
    client.force_login(office)
    page = client.get(url, {"year": 2026}).content.decode()
    assert "2026 年督办事项统计" in page
    assert "科学研究处" in page
    assert "教务处" in page
    assert "<svg" in page
    assert "<rect" in page
    client.force_login(leader.user)
    page = client.get(url).content.decode()
    assert "2026 年我分管的督办事项统计" in page
    assert "教务处" in page
    assert "科学研究处" not in page
    assert "郑副校长" not in page


def test_units_people_and_staff_cannot_see_the_statistics(client, year_of_tasks, liaison):
    client.force_login(liaison.user)
    assert client.get(reverse("supervision:statistics")).status_code == 403
    client.logout()
    response = client.get(reverse("supervision:statistics"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_year_without_tasks_says_so(client, office):
    client.force_login(office)
    page = client.get(reverse("supervision:statistics"), {"year": "2019"}).content.decode()
    assert "2019 年没有交办的督办事项。" in page


def test_the_statistics_page_runs_a_constant_number_of_queries(
    client, year_of_tasks, office, unit, leader, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse("supervision:statistics")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(6):
        task = walk(
            register(office, lead_unit=unit, leader=leader, title=f"再{i}"), "in_progress", office=office
        )
        services.urging_record(task=task, user=office, channel="letter")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_on_time_and_the_days_to_complete_go_by_the_day_in_beijing(office, unit, leader):
    """Submitted at 23:30 Beijing time on the deadline is on time; at 00:30 the next day it is late, though both are
    the same day in UTC (the database compares the Beijing date, supervision.statistics.LocalDate)."""
    utc = dt.UTC
    times = {
        "当天深夜报结": dt.datetime(2026, 3, 10, 15, 30, tzinfo=utc),  # 2026-03-10 23:30 Beijing
        "次日凌晨报结": dt.datetime(2026, 3, 10, 16, 30, tzinfo=utc),  # 2026-03-11 00:30 Beijing
    }
    for title, at in times.items():
        task = walk(
            register(
                office,
                lead_unit=unit,
                leader=leader,
                title=title,
                assigned_on=dt.date(2026, 3, 1),
                deadline=dt.date(2026, 3, 10),
            ),
            "completed",
            office=office,
        )
        SupervisedTask.objects.filter(pk=task.pk).update(submitted_at=at, completed_at=at)
    stats = statistics(SupervisedTask.objects.all(), year=2026, today=TODAY)
    mine = next(r for r in stats.units if r.key == unit.pk)
    assert (mine.completed, mine.on_time, mine.late) == (2, 1, 1)
    assert mine.days_total == 9 + 10  # completed on 10 and on 11 March in Beijing, assigned 1 March
