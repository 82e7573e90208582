"""The task list and the home panels at scale (issue 9's benchmark): each row's labels and badge worked out once per
page, the e-mail urging rounds counted from the reminder outbox once per state of it (and a new round shown at once),
the filters of a unit's people limited to what they can see, and the office's and a leader's panels counting every
task while reading only those they show."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from governance.services.reminders import reminders_collect
from supervision import selectors
from supervision.tests.factories import DepartmentFactory, UnitContactFactory, register, walk

pytestmark = pytest.mark.django_db


def _at(day: dt.date):
    return time_machine.travel(
        dt.datetime.combine(day, dt.time(9, 0), tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


def _row(html: str, title: str) -> str:
    """The list's table row of the task titled `title`."""
    start = html.index(f">{title}</a>")
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_a_row_shows_its_source_co_units_state_deadline_badge_and_link(
    client, office, unit, other_unit, leader
):
    task = walk(
        register(
            office,
            lead_unit=unit,
            leader=leader,
            title="逾期的事项",
            deadline=dt.date(2026, 11, 17),
            co_units=[other_unit],
        ),
        "in_progress",
        office=office,
    )
    soon = register(
        office, lead_unit=unit, leader=leader, title="今天到期的事项", deadline=dt.date(2026, 11, 20)
    )
    client.force_login(office)
    html = client.get(reverse("supervision:task_list")).content.decode()
    row = _row(html, "逾期的事项")
    assert f'href="{reverse("supervision:task_detail", args=[task.pk])}"' in row
    assert f"{task.get_source_display()} · 协办：{other_unit.display_name}</div>" in row
    assert "办理中" in row
    assert "2026-11-17" in row
    assert '<span class="badge text-bg-danger">逾期 3 天</span>' in row
    assert '<span class="badge text-bg-warning">今天到期</span>' in _row(html, "今天到期的事项")
    assert soon.get_state_display() in _row(html, "今天到期的事项")


def test_the_list_counts_each_urging_round_once_and_shows_a_new_round_at_once(
    client, office, unit, leader, liaison, settings
):
    settings.SUPERVISION_URGING_CADENCE_DAYS = 3
    walk(
        register(office, lead_unit=unit, leader=leader, title="被催办的事项", deadline=dt.date(2026, 11, 25)),
        "in_progress",
        office=office,
    )
    with _at(dt.date(2026, 11, 26)):
        client.force_login(office)
        reminders_collect(today=dt.date(2026, 11, 26), queue=False)  # round 1, to the liaison and the leader
        row = _row(client.get(reverse("supervision:task_list")).content.decode(), "被催办的事项")
    assert "已催办 1 次" in row
    with _at(dt.date(2026, 11, 29)):
        client.force_login(office)
        reminders_collect(today=dt.date(2026, 11, 29), queue=False)  # round 2: the count read before is stale
        row = _row(client.get(reverse("supervision:task_list")).content.decode(), "被催办的事项")
    assert "已催办 2 次" in row


def test_the_lists_queries_stay_the_same_with_more_tasks_urged(
    client, office, unit, leader, liaison, django_assert_max_num_queries
):
    def overdue_tasks(n: int) -> None:
        for i in range(n):
            walk(
                register(
                    office, lead_unit=unit, leader=leader, title=f"事项{i}", deadline=dt.date(2026, 11, 18)
                ),
                "in_progress",
                office=office,
            )
        reminders_collect(today=dt.date(2026, 11, 20), queue=False)

    overdue_tasks(2)
    client.force_login(office)
    client.get(reverse("supervision:task_list"))
    with django_assert_max_num_queries(20) as first:
        client.get(reverse("supervision:task_list"))
    overdue_tasks(8)
    with django_assert_max_num_queries(len(first.captured_queries) + 1):  # + the outbox's new count, once
        html = client.get(reverse("supervision:task_list")).content.decode()
    assert html.count("已催办 1 次") == 10
    assert selectors.urgings_sent_count([]) == {}


def test_a_units_liaison_filters_by_their_own_unit_and_the_leaders_of_their_tasks(
    client, office, unit, other_unit, leader, liaison
):
    from supervision.tests.factories import university_leader

    other_leader = university_leader("郑副校长")
    register(office, lead_unit=unit, leader=leader, title="本单位的")
    register(office, lead_unit=other_unit, leader=other_leader, title="别的单位的")
    DepartmentFactory(name="人事处", code="rsc")
    client.force_login(liaison.user)
    page = client.get(reverse("supervision:task_list"))
    assert "unit" not in page.context["filter"].form.fields  # one unit: nothing to choose
    assert list(page.context["filter"].form.fields["leader"].queryset) == [leader]
    # A liaison of two units chooses between those two.
    UnitContactFactory(organization=other_unit, person=liaison)
    client.force_login(liaison.user)
    page = client.get(reverse("supervision:task_list"))
    assert set(page.context["filter"].form.fields["unit"].queryset) == {unit, other_unit}
    assert set(page.context["filter"].form.fields["leader"].queryset) == {leader, other_leader}
    # The office chooses among every unit and every leader with a task.
    client.force_login(office)
    page = client.get(reverse("supervision:task_list"))
    assert {unit, other_unit} <= set(page.context["filter"].form.fields["unit"].queryset)
    assert set(page.context["filter"].form.fields["leader"].queryset) == {leader, other_leader}


def test_the_office_panel_counts_every_red_and_amber_task_and_lists_the_six_most_overdue(
    office, unit, leader
):
    for day in range(1, 9):
        walk(
            register(
                office,
                lead_unit=unit,
                leader=leader,
                title=f"逾期{day}",
                assigned_on=dt.date(2026, 10, 1),
                deadline=dt.date(2026, 11, day),
            ),
            "in_progress",
            office=office,
        )
    register(office, lead_unit=unit, leader=leader, title="临近", deadline=dt.date(2026, 11, 23))
    panel = selectors.office_panel(today=dt.date(2026, 11, 20))
    assert (panel.red, panel.amber) == (8, 1)
    assert [t.title for t in panel.urgent] == [f"逾期{day}" for day in range(1, 7)]
    assert panel.urgent[0].colour_code == "red"


def test_the_leader_panel_counts_every_open_task_and_shows_the_six_most_urgent_and_what_awaits_them(
    office, unit, other_unit, leader
):
    for day in range(1, 9):
        walk(
            register(
                office,
                lead_unit=unit,
                leader=leader,
                title=f"逾期{day}",
                assigned_on=dt.date(2026, 10, 1),
                deadline=dt.date(2026, 11, day),
            ),
            "in_progress",
            office=office,
        )
    register(office, lead_unit=unit, leader=leader, title="临近", deadline=dt.date(2026, 11, 23))
    register(office, lead_unit=unit, leader=leader, title="正常")
    joint = register(office, lead_unit=unit, leader=leader, title="待审定", co_units=[other_unit])
    panel = selectors.leader_panel(leader, today=dt.date(2026, 11, 20))
    assert panel.counts == {"red": 8, "amber": 1, "green": 2}
    assert panel.total == 11
    assert [t.title for t in panel.tasks] == [f"逾期{day}" for day in range(1, 7)]
    assert [t.pk for t in panel.awaiting_approval] == [joint.pk]


def test_a_task_never_urged_by_email_does_not_read_the_outbox_for_its_timeline(office, unit, leader, liaison):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urged = walk(
        register(office, lead_unit=unit, leader=leader, title="逾期", deadline=dt.date(2026, 11, 18)),
        "in_progress",
        office=office,
    )
    quiet = register(office, lead_unit=unit, leader=leader, title="未逾期")
    reminders_collect(today=dt.date(2026, 11, 20), queue=False)
    with CaptureQueriesContext(connection) as captured:
        assert [e.kind for e in selectors.timeline(quiet)] == ["event"]
    assert not [q for q in captured.captured_queries if f"urging:{quiet.pk}:" in q["sql"]]
    assert [e.title for e in selectors.timeline(urged) if e.kind == "urging"] == ["邮件催办（第 1 次）"]
