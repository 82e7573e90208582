"""Statistics for the annual assessment (第六条: 学校将各单位督查任务落实办理情况列入二级单位年度考核指标体系): per lead
unit and per responsible leader, for the tasks assigned in a year — tasks, completed on time (against the deadline
first given, `original_deadline`), completed late, still open (and of those overdue), returns (第四条（四）), urgings
(第四条（三）: the office's logged ones and the reminder job's email rounds), extensions approved (第五条, counted
separately: a task completed within its extended deadline is still late against the original one), and the
average days from assignment to completion.

A read (a selector): six queries whatever the number of tasks; the sums are made in Python over one row per task."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from governance.models import Organization, Person
from supervision.models import (
    OPEN_STATES,
    ExtensionRequest,
    ExtensionStatus,
    SupervisedTask,
    TaskAction,
    TaskEvent,
    TaskState,
    Urging,
)
from supervision.selectors import urging_rounds_by_task

FAMILY = "supervision"
DONE_STATES = (TaskState.COMPLETED, TaskState.ARCHIVED)


@dataclass
class StatRow:
    """One unit's or one leader's line of the statistics."""

    key: int
    name: str
    tasks: int = 0
    completed: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue_open: int = 0
    returned: int = 0
    urgings: int = 0
    extended: int = 0
    extended_met: int = 0  # completed late against the original deadline but within the extended one
    days_total: int = 0

    @property
    def average_days(self) -> float | None:
        return round(self.days_total / self.completed, 1) if self.completed else None

    @property
    def on_time_rate(self) -> int | None:
        """Per cent of the completed tasks completed by their original deadline."""
        return round(100 * self.on_time / self.completed) if self.completed else None


@dataclass
class ChartBar:
    label: str
    y: int
    segments: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0


@dataclass
class Statistics:
    year: int
    years: list[int]
    units: list[StatRow]
    leaders: list[StatRow]
    total: StatRow
    chart: list[ChartBar]
    chart_height: int
    chart_scale: list[dict[str, Any]]
    legend: list[tuple[str, str, str]] = field(default_factory=list)


def available_years(tasks: QuerySet[SupervisedTask], today: dt.date) -> list[int]:
    years = set(tasks.order_by().values_list("year", flat=True).distinct())
    years.add(today.year)
    return sorted(years, reverse=True)


def _email_rounds(task_ids: set[int]) -> dict[int, int]:
    """Urging rounds the reminder job sent, per task (keys "urging:<task>:<deadline>:<round>", one per round however
    many people got it): supervision.selectors.urging_rounds_by_task, kept in the cache per state of the outbox."""
    rounds = urging_rounds_by_task()
    return {task_id: rounds[task_id] for task_id in task_ids if task_id in rounds}


def _rows(ids: Iterable[int], names: dict[int, str]) -> dict[int, StatRow]:
    return {i: StatRow(key=i, name=names.get(i, "")) for i in ids}


def statistics(tasks: QuerySet[SupervisedTask], *, year: int, today: dt.date | None = None) -> Statistics:
    """The statistics of `tasks` (already limited to what the user may see) assigned in `year`."""
    today = today or timezone.localdate()
    years = available_years(tasks, today)
    of_year = tasks.filter(year=year)
    rows = list(
        of_year.order_by().values_list(
            "pk",
            "lead_unit_id",
            "leader_id",
            "state",
            "assigned_on",
            "deadline",
            "original_deadline",
            "submitted_at",
            "completed_at",
        )
    )
    task_ids = {r[0] for r in rows}
    returns: dict[int, int] = defaultdict(int)
    for task_id, n in (
        TaskEvent.objects.filter(task__in=of_year.values("pk"), action=TaskAction.RETURN)
        .order_by()
        .values_list("task_id")
        .annotate(n=Count("pk"))
    ):
        returns[task_id] = n
    urged: dict[int, int] = defaultdict(int)
    for task_id, n in (
        Urging.objects.filter(task__in=of_year.values("pk"))
        .order_by()
        .values_list("task_id")
        .annotate(n=Count("pk"))
    ):
        urged[task_id] += n
    for task_id, n in _email_rounds(task_ids).items():
        urged[task_id] += n
    extended = set(
        ExtensionRequest.objects.filter(task__in=of_year.values("pk"), status=ExtensionStatus.APPROVED)
        .order_by()
        .values_list("task_id", flat=True)
        .distinct()
    )
    unit_names = dict(
        Organization.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "name").order_by()
    )
    leader_names = dict(
        Person.objects.filter(pk__in={r[2] for r in rows}).values_list("pk", "name").order_by()
    )
    units = _rows(sorted({r[1] for r in rows}), unit_names)
    leaders = _rows(sorted({r[2] for r in rows}), leader_names)
    total = StatRow(key=0, name=gettext("合计"))
    tz = timezone.get_current_timezone()
    for pk, unit_id, leader_id, state, assigned_on, deadline, original, submitted_at, completed_at in rows:
        for row in (units[unit_id], leaders[leader_id], total):
            row.tasks += 1
            row.returned += returns.get(pk, 0)
            row.urgings += urged.get(pk, 0)
            if pk in extended:
                row.extended += 1
            if state in DONE_STATES:
                row.completed += 1
                finished = (submitted_at or completed_at).astimezone(tz).date()
                if finished <= original:
                    row.on_time += 1
                else:
                    row.late += 1
                    if pk in extended and finished <= deadline:
                        row.extended_met += 1
                done_on = completed_at.astimezone(tz).date() if completed_at else finished
                row.days_total += max((done_on - assigned_on).days, 0)
            else:
                row.open += 1
                if state in OPEN_STATES and deadline < today:
                    row.overdue_open += 1
    unit_list = sorted(units.values(), key=lambda r: (-r.tasks, r.name))
    leader_list = sorted(leaders.values(), key=lambda r: (-r.tasks, r.name))
    chart, height, scale = _chart(unit_list)
    return Statistics(
        year=year,
        years=years,
        units=unit_list,
        leaders=leader_list,
        total=total,
        chart=chart,
        chart_height=height,
        chart_scale=scale,
        legend=legend(),
    )


# --- The chart: one horizontal stacked bar per unit, drawn as SVG on the server (no script, no CDN) --------------

CHART_LEFT = 130  # room for the unit's name
CHART_WIDTH = 300  # the bars' area; the viewBox is CHART_LEFT + CHART_WIDTH + 40 wide (small, so text stays legible on a phone)
BAR_HEIGHT = 18
ROW_HEIGHT = 28
CHART_TOP = 8


def legend() -> list[tuple[str, str, str]]:
    """The chart's segments: css class, colour (Bootstrap's success, orange, danger, secondary), label."""
    return [
        ("on-time", "#198754", gettext("按期办结")),
        ("late", "#fd7e14", gettext("逾期办结")),
        ("overdue", "#dc3545", gettext("在办已逾期")),
        ("open", "#adb5bd", gettext("在办未逾期")),
    ]


def _chart(rows: list[StatRow]) -> tuple[list[ChartBar], int, list[dict[str, Any]]]:
    widest = max((r.tasks for r in rows), default=0)
    unit = CHART_WIDTH / widest if widest else 0
    bars = []
    for i, row in enumerate(rows):
        bar = ChartBar(label=row.name, y=CHART_TOP + i * ROW_HEIGHT, total=row.tasks)
        x = float(CHART_LEFT)
        values = (row.on_time, row.late, row.overdue_open, row.open - row.overdue_open)
        for (css, colour, title), value in zip(legend(), values, strict=True):
            if value:
                bar.segments.append(
                    {
                        "css": css,
                        "colour": colour,
                        "x": round(x, 1),
                        "width": round(value * unit, 1),
                        "value": value,
                        "title": title,
                    }
                )
                x += value * unit
        if bar.segments:
            bars.append(bar)
    height = CHART_TOP + max(len(bars), 1) * ROW_HEIGHT + 24
    step = max(1, -(-widest // 5)) if widest else 1
    scale = (
        [{"x": round(CHART_LEFT + v * unit, 1), "value": v} for v in range(0, widest + 1, step)]
        if widest
        else []
    )
    return bars, height, scale
