"""Statistics for the annual assessment (第六条: 学校将各单位督查任务落实办理情况列入二级单位年度考核指标体系): per lead
unit and per responsible leader, for the tasks assigned in a year — tasks, completed on time (against the deadline
first given, `original_deadline`), completed late, still open (and of those overdue), returns (第四条（四）), urgings
(第四条（三）: the office's logged ones and the reminder job's email rounds), extensions approved (第五条, counted
separately: a task completed within its extended deadline is still late against the original one), and the
average days from assignment to completion.

A read (a selector): seven queries whatever the number of tasks (six when no task was ever urged by e-mail); the
database counts per lead unit and leader, Python sums those groups per unit, per leader and in total."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
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


class LocalDate(Func):
    """The date, in the site's time zone (Beijing), of an aware datetime column — worked out by the database.

    PostgreSQL: `AT TIME ZONE`. SQLite stores UTC text: its own `date(…, '+480 minutes')` when the zone's offset is
    the same all year (Asia/Shanghai: no summer time since 1991), else Django's TruncDate (a Python function a row,
    exact but slow: reading 4,000 tasks' datetimes and converting them in Python was half of the statistics page)."""

    output_field = DateField()

    def __init__(self, expression: Any, *, year: int) -> None:
        super().__init__(expression)
        self.year = year

    def _tz(self) -> dt.tzinfo:
        return timezone.get_current_timezone()

    def as_sql(self, compiler, connection, **extra_context):
        return TruncDate(self.source_expressions[0], tzinfo=self._tz()).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) AT TIME ZONE %s)::date", (*params, str(self._tz()))

    def as_sqlite(self, compiler, connection, **extra_context):
        tz = self._tz()
        winter, summer = (dt.datetime(self.year, m, 1, tzinfo=tz).utcoffset() for m in (1, 7))
        if winter != summer or winter is None:
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{int(winter.total_seconds() // 60):+d} minutes')", params


class DaysBetween(Func):
    """Whole days from one date to a later one (negative when earlier), in the database."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL: date - date is an integer
        (later, l_params), (earlier, e_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"(({later}) - ({earlier}))", (*l_params, *e_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        (later, l_params), (earlier, e_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)", (*l_params, *e_params)


def _by_unit_and_leader(queryset: QuerySet, unit: str, leader: str, **sums: Any) -> list[tuple]:
    return list(queryset.order_by().values_list(unit, leader).annotate(**sums).order_by())


def statistics(tasks: QuerySet[SupervisedTask], *, year: int, today: dt.date | None = None) -> Statistics:
    """The statistics of `tasks` (already limited to what the user may see) assigned in `year`.

    Counted by the database per (lead unit, responsible leader) pair — a few hundred groups rather than 4,000 task
    rows with their dates converted in Python (bench/results.md, supervision) — and summed here per unit, per leader
    and in total. The finishing date is the submission's (else the completion's) in Beijing time, compared with the
    original deadline (第五条: an extension does not make a late task on time); the days to complete run from the
    assignment to the completion."""
    today = today or timezone.localdate()
    years = available_years(tasks, today)
    of_year = tasks.filter(year=year)
    done = Q(state__in=DONE_STATES)
    finished = LocalDate(Coalesce("submitted_at", "completed_at"), year=year)
    done_on = LocalDate(Coalesce("completed_at", "submitted_at"), year=year)
    late_q = done & Q(finished_on__gt=F("original_deadline"))
    with_dates = of_year.annotate(
        finished_on=finished, days=Greatest(DaysBetween(done_on, F("assigned_on")), Value(0))
    )
    groups = _by_unit_and_leader(
        with_dates,
        "lead_unit_id",
        "leader_id",
        tasks=Count("pk"),
        completed=Count("pk", filter=done),
        on_time=Count("pk", filter=done & Q(finished_on__lte=F("original_deadline"))),
        late=Count("pk", filter=late_q),
        days_total=Sum("days", filter=done),
        open=Count("pk", filter=~done),
        overdue_open=Count("pk", filter=Q(state__in=OPEN_STATES, deadline__lt=today)),
    )
    # 第五条: tasks with an approved extension, and those of them late against the original deadline but finished
    # within the extended one — a separate count over those few tasks, not a subquery for each of the year's.
    extended = _by_unit_and_leader(
        with_dates.filter(
            Exists(ExtensionRequest.objects.filter(task=OuterRef("pk"), status=ExtensionStatus.APPROVED))
        ),
        "lead_unit_id",
        "leader_id",
        n=Count("pk"),
        met=Count("pk", filter=late_q & Q(finished_on__lte=F("deadline"))),
    )
    year_tasks = of_year.values("pk")
    returns = _by_unit_and_leader(
        TaskEvent.objects.filter(task__in=year_tasks, action=TaskAction.RETURN),
        "task__lead_unit_id",
        "task__leader_id",
        n=Count("pk"),
    )
    logged = _by_unit_and_leader(
        Urging.objects.filter(task__in=year_tasks), "task__lead_unit_id", "task__leader_id", n=Count("pk")
    )
    # The reminder job's e-mail rounds, per task (cached, supervision.selectors.urging_rounds_by_task): the year's
    # tasks among them are few (those urged), read by key.
    rounds = urging_rounds_by_task()
    emailed = (
        list(of_year.filter(pk__in=list(rounds)).order_by().values_list("lead_unit_id", "leader_id", "pk"))
        if rounds
        else []
    )
    unit_names = dict(
        Organization.objects.filter(pk__in={g[0] for g in groups}).values_list("pk", "name").order_by()
    )
    leader_names = dict(
        Person.objects.filter(pk__in={g[1] for g in groups}).values_list("pk", "name").order_by()
    )
    units = _rows(sorted({g[0] for g in groups}), unit_names)
    leaders = _rows(sorted({g[1] for g in groups}), leader_names)
    total = StatRow(key=0, name=gettext("合计"))

    def rows_of(unit_id: int, leader_id: int) -> tuple[StatRow, ...]:
        return tuple(r for r in (units.get(unit_id), leaders.get(leader_id), total) if r is not None)

    for unit_id, leader_id, n, completed, on_time, late, days, open_, overdue in groups:
        for row in rows_of(unit_id, leader_id):
            row.tasks += n
            row.completed += completed
            row.on_time += on_time
            row.late += late
            row.days_total += days or 0
            row.open += open_
            row.overdue_open += overdue
    for unit_id, leader_id, n, met in extended:
        for row in rows_of(unit_id, leader_id):
            row.extended += n
            row.extended_met += met
    for unit_id, leader_id, n in returns:
        for row in rows_of(unit_id, leader_id):
            row.returned += n
    for unit_id, leader_id, n in logged:
        for row in rows_of(unit_id, leader_id):
            row.urgings += n
    for unit_id, leader_id, pk in emailed:
        for row in rows_of(unit_id, leader_id):
            row.urgings += rounds[pk]
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
