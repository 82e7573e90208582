"""Reads for supervision/: the task lists, a task's page and timeline, the home panels, calendar items and the urging
sections of the daily digest. Each runs a constant number of queries whatever the number of tasks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, StrIndex, Substr
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from governance.families import CalendarItem, DigestLine, DigestSection
from governance.html import format_html
from governance.links import pk_link_maker
from governance.models import Organization, Person, Position, ReminderSectionSent
from governance.roles import is_office
from governance.services.workdays import WorkdayCalendar
from supervision.conf import setting
from supervision.models import (
    OPEN_STATES,
    REPORTING_STATES,
    ExtensionRequest,
    ExtensionStatus,
    ProgressAttachment,
    ProgressReport,
    SupervisedTask,
    TaskAction,
    TaskColour,
    TaskEvent,
    TaskSource,
    TaskState,
    UnitContact,
    Urging,
    WarningNotice,
)
from supervision.permissions import tasks_visible_to, unit_ids_of, unit_ids_of_person

FAMILY = "supervision"
PANEL_ITEMS = 6


# --- Deadline colours -------------------------------------------------------------------------------------------


def workday_edge(today: dt.date, calendar: WorkdayCalendar | None = None) -> dt.date:
    """The last day that is still "within N working days" of `today` (N = SUPERVISION_AMBER_WORKDAYS, today counted
    when it is a working day): a deadline on or before it is amber. Holidays and make-up days (调休) count, through
    the core's workday service."""
    calendar = calendar or WorkdayCalendar()
    wanted = int(setting("SUPERVISION_AMBER_WORKDAYS"))
    day, found = today, 0
    for _step in range(wanted * 4 + 30):  # holidays last at most a week or so
        if calendar.is_workday(day):
            found += 1
            if found >= wanted:
                return day
        day += dt.timedelta(days=1)
    return day


def colour_condition(colour: str, today: dt.date, edge: dt.date) -> Q:
    """The SQL form of SupervisedTask.colour(): open tasks of that colour."""
    is_open = Q(state__in=OPEN_STATES)
    if colour == TaskColour.RED:
        return is_open & Q(deadline__lt=today)
    amber = Q(deadline__gte=today) & (Q(amber_from__lte=today) | Q(deadline__lte=edge))
    if colour == TaskColour.AMBER:
        return is_open & amber
    if colour == TaskColour.GREEN:
        return is_open & Q(deadline__gte=today) & ~amber
    return Q()


def days_left(task: SupervisedTask, today: dt.date) -> int:
    return (task.deadline - today).days


def with_colours(tasks: Sequence[SupervisedTask], today: dt.date, edge: dt.date) -> list[SupervisedTask]:
    """Each task with `.colour_code` ('red', 'amber', 'green' or '' when not open) and `.days_left`."""
    for task in tasks:
        task.colour_code = task.colour(today, edge)  # type: ignore[attr-defined]
        task.days_left = days_left(task, today)  # type: ignore[attr-defined]
        task.overdue_days = max(-task.days_left, 0)  # type: ignore[attr-defined]
    return list(tasks)


COLOUR_BADGES = {
    TaskColour.RED: "text-bg-danger",
    TaskColour.AMBER: "text-bg-warning",
    TaskColour.GREEN: "text-bg-success",
}


def badge_text(task: SupervisedTask) -> str:
    """The deadline badge's words (as supervision/includes/colour_badge.html says them) of a task from with_colours."""
    colour = task.colour_code  # type: ignore[attr-defined]
    if colour == TaskColour.RED:
        return gettext("逾期 %(days)s 天") % {"days": task.overdue_days}  # type: ignore[attr-defined]
    if colour == TaskColour.AMBER and task.days_left == 0:  # type: ignore[attr-defined]
        return gettext("今天到期")
    if colour in (TaskColour.AMBER, TaskColour.GREEN):
        return gettext("剩 %(days)s 天") % {"days": task.days_left}  # type: ignore[attr-defined]
    return ""


# --- Lists and the task's page ------------------------------------------------------------------------------------


LIST_FIELDS = (
    "id",
    "year",
    "sequence",
    "number",
    "title",
    "source",
    "state",
    "deadline",
    "amber_from",
    "lead_unit__name",
    "lead_unit__short_name",
    "leader__name",
)


def tasks_for_list(user: Any) -> QuerySet[SupervisedTask]:
    """The tasks the user may see, newest first; narrowed by supervision.filters.TaskFilter. The user's person and
    units are looked up first (cached on the user: the page's filters and its unit view read them anyway), so
    tasks_visible_to writes the rule with their ids rather than subqueries (quicker for Django to build)."""
    if not is_office(user):
        unit_ids_of(user)
    return (
        tasks_visible_to(user)
        .select_related("lead_unit", "leader")
        .prefetch_related(Prefetch("co_units", queryset=Organization.objects.order_by("order", "code")))
        # What a row shows (list_rows): a unit's tasks are gathered through three indexes and sorted, so narrow rows
        # sort faster (the ledger export asks for every field: `.defer(None)`).
        .only(*LIST_FIELDS)
        .order_by("-year", "-sequence")
    )


def page_of(page: QuerySet[SupervisedTask]) -> list[SupervisedTask]:
    """A list page's tasks read in two steps: the page's ids first (the permission scope and the filters, sorted on
    the order columns alone), then those 50 rows with what they show. Sorting a unit's whole set of tasks — gathered
    through the lead-unit, leader and co-unit indexes, some 850 at 20,000 tasks — with every shown column took
    1.9 ms in SQLite; sorting the ids takes 0.8 and reading 50 rows by key 0.1 (bench/results.md, supervision)."""
    ids = list(page.values_list("pk", flat=True))
    by_id = {
        task.pk: task
        for task in SupervisedTask.objects.filter(pk__in=ids)
        .select_related("lead_unit", "leader")
        .only(*LIST_FIELDS)
        .order_by()
    }
    # The co-units' names only (list_rows joins them), not an Organization object each.
    co_units: dict[int, list[str]] = defaultdict(list)
    for task_id, name, short_name in (
        SupervisedTask.co_units.through.objects.filter(supervisedtask_id__in=ids)
        .order_by("organization__order", "organization__code")
        .values_list("supervisedtask_id", "organization__name", "organization__short_name")
    ):
        co_units[task_id].append(short_name or name)
    rows = []
    for pk in ids:
        if pk in by_id:
            task = by_id[pk]
            task.co_unit_names = "、".join(co_units.get(pk, ()))
            rows.append(task)
    return rows


# A row of the task list (task_list.html): its facts carry their column's name for a phone (supervision.css).
# Built with governance.html.format_html, as the template built it (every value escaped), byte for byte.
LIST_ROW = (
    '<tr class="task-row task-{colour}">\n'
    '          <td class="text-nowrap task-number">{number}</td>\n'
    '          <td class="task-title"><a href="{url}">{title}</a>\n'
    '            <div class="small text-body-secondary">{source}{co_units}</div></td>\n'
    '          <td class="task-fact task-unit" data-label="{label_unit}">{unit}</td>\n'
    '          <td class="text-nowrap task-fact task-leader" data-label="{label_leader}">{leader}</td>\n'
    '          <td class="text-nowrap task-fact task-deadline" data-label="{label_deadline}">{deadline}<br>{badge}</td>\n'
    '          <td class="text-nowrap task-state">{state}{urged}</td>\n'
    "        </tr>"
)


def _list_row(task: Any, labels: dict[str, str]) -> str:
    """A task's row (LIST_ROW) from what list_rows worked out."""
    return format_html(
        LIST_ROW,
        colour=task.colour_code or "done",
        number=task.number,
        url=task.url,
        title=task.title,
        source=task.source_label,
        co_units=format_html(" · {}：{}", labels["label_co"], task.co_unit_names)
        if task.co_unit_names
        else "",
        unit=task.lead_unit.display_name,
        leader=task.leader.name,
        label_unit=labels["label_unit"],
        label_leader=labels["label_leader"],
        label_deadline=labels["label_deadline"],
        deadline=task.deadline_text,
        badge=format_html('<span class="badge {}">{}</span>', task.badge_class, task.badge_text)
        if task.badge_text
        else "",
        state=task.state_label,
        urged=format_html('<div class="small text-danger">{}</div>', task.urged_text) if task.urged else "",
    )


def list_rows(tasks: Sequence[SupervisedTask], today: dt.date) -> list[SupervisedTask]:
    """A list page's tasks (from tasks_for_list), each with its colour (with_colours), its e-mail urging rounds
    (`urged`, `urged_text`) and what its row shows — link, state and source labels, deadline and badge — worked out
    once per page rather than by the template row by row (a get_FOO_display, a reverse and a blocktranslate a row cost
    a third of the page at 50 rows and 20,000 tasks: bench/results.md), and the row itself (`row`, LIST_ROW): a
    template's twenty-odd nodes a row were a quarter of a unit's list. Two queries: the outbox's newest row and, once
    per state of the outbox, its count (urgings_sent_count)."""
    rows = with_colours(tasks, today, workday_edge(today))
    urged = urgings_sent_count([t.pk for t in rows])
    states = {value: str(label) for value, label in TaskState.choices}
    sources = {value: str(label) for value, label in TaskSource.choices}
    url = pk_link_maker("supervision:task_detail")
    labels = {
        "label_unit": gettext("主办单位"),
        "label_leader": gettext("分管校领导"),
        "label_deadline": gettext("办理时限"),
        "label_co": gettext("协办"),
    }
    for task in rows:
        n = urged.get(task.pk, 0)
        task.urged = n  # type: ignore[attr-defined]
        task.urged_text = ngettext("已催办 %(n)s 次", "已催办 %(n)s 次", n) % {"n": n} if n else ""  # type: ignore[attr-defined]
        task.url = url(task.pk)  # type: ignore[attr-defined]
        task.state_label = states.get(task.state, task.state)  # type: ignore[attr-defined]
        task.source_label = sources.get(task.source, task.source)  # type: ignore[attr-defined]
        task.deadline_text = task.deadline.isoformat()  # type: ignore[attr-defined]
        task.badge_class = COLOUR_BADGES.get(task.colour_code, "")  # type: ignore[attr-defined]
        task.badge_text = badge_text(task)  # type: ignore[attr-defined]
        if not hasattr(task, "co_unit_names"):  # else page_of read the names
            # The prefetched co-units, read as permissions._co_unit_ids does (a `.all()` a row clones a queryset).
            co_units = getattr(task, "_prefetched_objects_cache", {}).get("co_units")
            if co_units is None:
                co_units = task.co_units.all()
            task.co_unit_names = "、".join(unit.display_name for unit in co_units)  # type: ignore[attr-defined]
        task.row = _list_row(task, labels)  # type: ignore[attr-defined]
    return rows


def pending_extension(task: SupervisedTask) -> ExtensionRequest | None:
    """The task's request waiting for the leader (read from the prefetched `extensions` of task_for_detail)."""
    return next((e for e in task.extensions.all() if e.status == ExtensionStatus.PENDING), None)


def task_for_detail(pk: int) -> SupervisedTask:
    return (
        SupervisedTask.objects.select_related("lead_unit", "leader", "approved_by", "meeting", "agenda_item")
        .prefetch_related(
            Prefetch("co_units", queryset=Organization.objects.order_by("order", "code")),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.select_related("unit", "recorded_by").prefetch_related(
                    "attachments"
                ),
            ),
            Prefetch(
                "extensions",
                queryset=ExtensionRequest.objects.select_related("decided_by", "recorded_by").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch("warnings", queryset=WarningNotice.objects.order_by("issued_on", "pk")),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    title: str
    who: str
    note: str = ""
    state: str = ""
    new_deadline: dt.date | None = None
    kind: str = "event"  # event, urging


def urging_key_prefix(task_id: int) -> str:
    return f"urging:{task_id}:"


def urging_key(task: SupervisedTask, round_number: int) -> str:
    """The digest section key of one urging round: new each round, and new again after a return (the deadline is
    part of it), so the core's outbox sends each exactly once."""
    return f"{urging_key_prefix(task.pk)}{task.deadline.isoformat()}:{round_number}"


# 第四条（三）: a task overdue for years is urged by e-mail on every cadence — hundreds of rounds (580 for one task of
# 2022 in the bench, a 265 KB page). Its page lists the latest rounds and counts the others; ?urgings=all lists all.
RECENT_URGING_ROUNDS = 3


@dataclass
class Timeline:
    """A task's timeline: its entries oldest first, and how many older e-mail urging rounds were left out."""

    entries: list[TimelineEntry]
    urging_rounds: int = 0  # every e-mail urging round the reminder job sent for the task
    hidden_urgings: int = 0
    hidden_from: dt.datetime | None = None  # the first and the last of those left out
    hidden_to: dt.datetime | None = None

    def __iter__(self):
        return iter(self.entries)


def timeline(task: SupervisedTask, *, recent_urgings: int | None = None) -> Timeline:
    """Every step of the task, the office's urgings and the urging emails the reminder job sent, oldest first; with
    `recent_urgings`, only that many of the latest e-mail rounds (the others counted in `hidden_urgings`). Two
    queries, three when the reminder job urged the task by e-mail (one more when the outbox changed since its count
    was cached), however many rounds there were."""
    entries = [
        TimelineEntry(
            at=e.at,
            title=e.get_action_display(),
            who=e.actor_name,
            note=e.note,
            state=e.get_to_state_display() if e.to_state else "",
            new_deadline=e.new_deadline,
        )
        for e in TaskEvent.objects.filter(task=task).order_by("at", "pk")
    ]
    sent: dict[str, list[tuple[dt.datetime, str]]] = defaultdict(list)
    # The outbox's keys have no index: its rows are read only for a task it urged (urging_rounds_by_task, cached), not
    # for every task's page (17 ms at 200,000 rows). Only what an entry shows: the key, the time, the person's name.
    urged = urging_rounds_by_task().get(task.pk, 0)
    outbox = (
        ReminderSectionSent.objects.filter(family=FAMILY, key__startswith=urging_key_prefix(task.pk))
        .order_by("created", "pk")
        .values_list("key", "created", "person__name")
        if urged
        else ()
    )
    for key, created, name in outbox:
        sent[key].append((created, name))
    rounds = sorted(sent.items(), key=lambda item: item[1][0][0])  # by the time each round went out
    shown = rounds if recent_urgings is None else rounds[max(len(rounds) - recent_urgings, 0) :]
    hidden = rounds[: len(rounds) - len(shown)]
    for key, rows in shown:
        round_number = key.rsplit(":", 1)[-1]
        entries.append(
            TimelineEntry(
                at=rows[0][0],
                title=gettext("邮件催办（第 %(round)s 次）") % {"round": round_number},
                who=gettext("系统"),
                note=gettext("发送给：%(names)s") % {"names": "、".join(name for _at, name in rows)},
                kind="urging",
            )
        )
    result = Timeline(entries=entries, urging_rounds=len(rounds), hidden_urgings=len(hidden))
    if hidden:
        result.hidden_from, result.hidden_to = hidden[0][1][0][0], hidden[-1][1][0][0]
        # Where the rounds left out stood: one line at the last of them, saying how many and when.
        entries.append(TimelineEntry(at=result.hidden_to, title="", who="", kind="urgings-hidden"))
    entries.sort(key=lambda e: e.at)  # every entry's time is an aware datetime
    return result


def attachment_for_download(pk: int) -> ProgressAttachment:
    return ProgressAttachment.objects.select_related("report__task").get(pk=pk)


def urgings_of(task: SupervisedTask) -> list[Urging]:
    return list(Urging.objects.filter(task=task).order_by("urged_on", "pk"))


# --- Home panels ----------------------------------------------------------------------------------------------


@dataclass
class LeaderPanel:
    """The tasks a leader is responsible for (第一条（一）: 第一责任人), by colour, and those awaiting their approval;
    and, for a leader who also answers for a unit as its head or liaison (a college's dean as the college's head),
    their units' tasks as the unit panel shows them (`unit`, 本单位的督办事项: 牵头单位负责落实)."""

    counts: dict[str, int] = field(default_factory=dict)
    tasks: list[SupervisedTask] = field(default_factory=list)
    awaiting_approval: list[SupervisedTask] = field(default_factory=list)
    total: int = 0
    extensions: list[SupervisedTask] = field(default_factory=list)  # with `.extension_to`, the date asked for
    unit: UnitPanel | None = None


def _count(tasks: Any, condition: Q) -> Coalesce:
    """How many of `tasks` (a queryset filtered on an OuterRef) meet `condition`, as a subquery."""
    counted = tasks.filter(condition).order_by().values("leader_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def leader_panel(person: Person, *, today: dt.date) -> LeaderPanel:
    """The leader's open tasks, counted by colour in SQL, and only those the panel shows read: the six most urgent
    (red, then amber, then green, each by deadline), those awaiting the leader's approval (第四条（一）) and the first six
    with an extension request waiting (第五条), each with the date asked for. Two queries (one when the leader has no
    open task) and the workday data, whatever the number of tasks (at 20,000 tasks a university leader answers for
    some 120 open ones).

    A leader who also answers for a unit (UnitContact: a college's dean or Party secretary as the college's head) lands
    on the leader's home, not the member home that shows units' people their units' tasks: the panel then carries the
    unit panel too (`unit`, read by the unit panel's own selector, units_panel: four queries more, whatever the number
    of tasks). Whether they answer for one is asked in the counts' query, so a leader who does not pays nothing."""
    edge = workday_edge(today)
    mine = SupervisedTask.objects.filter(leader_id=person.pk, state__in=OPEN_STATES)
    red = Q(deadline__lt=today)
    amber = Q(deadline__gte=today) & (Q(amber_from__lte=today) | Q(deadline__lte=edge))
    theirs = SupervisedTask.objects.filter(leader_id=OuterRef("pk"), state__in=OPEN_STATES)
    counts = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            total=_count(theirs, Q()),
            red=_count(theirs, red),
            amber=_count(theirs, amber),
            answers_for_unit=Exists(UnitContact.objects.active_on(today).filter(person_id=OuterRef("pk"))),
        )
        .values("total", "red", "amber", "answers_for_unit")
        .get()
    )
    pending = ExtensionRequest.objects.filter(task=OuterRef("pk"), status=ExtensionStatus.PENDING)
    co_units = SupervisedTask.co_units.through.objects.filter(supervisedtask_id=OuterRef("pk"))
    # 第四条（一）: a joint task, or one with co-units, waits for the leader's approval (SupervisedTask.needs_approval).
    awaiting_q = Q(state=TaskState.REGISTERED, approved_at__isnull=True) & (
        Q(kind="joint") | Q(Exists(co_units))
    )
    rank = Case(
        When(red, then=Value(0)), When(amber, then=Value(1)), default=Value(2), output_field=IntegerField()
    )
    most_urgent = mine.annotate(rank=rank).order_by("rank", "deadline", "pk").values("pk")[:PANEL_ITEMS]
    extended = mine.filter(Exists(pending)).order_by("deadline", "pk").values("pk")[:PANEL_ITEMS]
    shown = (
        mine.filter(Q(pk__in=most_urgent) | Q(pk__in=extended) | awaiting_q)
        if counts["total"]
        else mine.none()
    )
    rows = with_colours(
        list(
            shown.select_related("lead_unit")
            .only(
                "id",
                "number",
                "title",
                "deadline",
                "amber_from",
                "state",
                "kind",
                "approved_at",
                "lead_unit__name",
            )
            .annotate(
                extension_to=Subquery(pending.values("proposed_deadline")[:1]),
                awaiting=awaiting_q,
                rank=rank,
            )
            .order_by("deadline", "pk")
        ),
        today,
        edge,
    )
    total = counts["total"]
    return LeaderPanel(
        counts={
            TaskColour.RED.value: counts["red"],
            TaskColour.AMBER.value: counts["amber"],
            TaskColour.GREEN.value: total - counts["red"] - counts["amber"],
        },
        tasks=sorted(rows, key=lambda t: (t.rank, t.deadline, t.pk))[:PANEL_ITEMS],  # type: ignore[attr-defined]
        awaiting_approval=[t for t in rows if t.awaiting],  # type: ignore[attr-defined]
        total=total,
        extensions=[t for t in rows if t.extension_to is not None][:PANEL_ITEMS],  # type: ignore[attr-defined]
        unit=units_panel(unit_ids_of_person(person.pk, today), today=today, edge=edge)
        if counts["answers_for_unit"]
        else None,
    )


@dataclass
class UnitPanel:
    """A unit's head's or liaison's home (第一条（一）: 牵头单位负责落实，相关单位协同办理): the open tasks of their units
    by deadline colour, the most urgent with what each needs from them next, and how many wait for the office's
    review."""

    units: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    tasks: list[SupervisedTask] = field(default_factory=list)
    total: int = 0
    submitted: int = 0


# What a unit does next on a task (the unit panel's 下一步), by the step it leads to.
NEXT_REPLY, NEXT_REPORT, NEXT_SUBMIT, NEXT_REWORK, NEXT_CO_REPORT = (
    "reply",
    "report",
    "submit",
    "rework",
    "co_report",
)


def _next_step(task: SupervisedTask, units: frozenset[int], today: dt.date) -> tuple[str, str, str]:
    """(key, what, why) of the step a unit's people take next on an open task of theirs."""
    if task.lead_unit_id not in units:
        last = task.last_mine  # type: ignore[attr-defined]
        return (
            NEXT_CO_REPORT,
            gettext("报送协办进展"),
            gettext("贵单位协办（主办单位：%(lead)s），请报送本单位承担部分的进展（第一条（一））。%(last)s")
            % {
                "lead": task.lead_unit.name,
                "last": gettext("上次报送 %(day)s。") % {"day": last.isoformat()}
                if last
                else gettext("尚未报送。"),
            },
        )
    if task.state == TaskState.NOTIFIED:
        return (
            NEXT_REPLY,
            gettext("回复通知"),
            gettext("收到督查督办通知单后签收，按要求办理（第四条（三））。"),
        )
    if task.state == TaskState.RETURNED:
        return (
            NEXT_REWORK,
            gettext("补充退回意见"),
            gettext("督查小组退回：%(reason)s 请按意见补充办理后重新报结（第四条（四））。")
            % {"reason": task.return_reason or "—"},  # type: ignore[attr-defined]
        )
    if task.deadline < today:
        return (
            NEXT_SUBMIT,
            gettext("报结"),
            gettext("已逾期，正在催办：请尽快将办理结果报送督查小组（第四条（三））。"),
        )
    if task.report_cycle:
        # The cycles the engine's rule counts (SupervisedTask.report_cycles, 003-supervision-progress-report): this
        # one, and the next once this one has the lead unit's report.
        cycles = task.report_cycles(today, today + dt.timedelta(days=task.report_cycle))
        current = next((c for c in cycles if c.start <= today), None)
        if current is not None:
            last = task.last_lead  # type: ignore[attr-defined]
            if last is None or last < current.start:
                when = gettext("第 %(n)d 期（%(start)s—%(end)s）应在 %(end)s 前报送") % {
                    "n": current.number,
                    "start": current.start.isoformat(),
                    "end": current.end.isoformat(),
                }
            else:
                following = next((c for c in cycles if c.start > current.end), None)
                when = (
                    gettext("第 %(n)d 期已报送，下次应在 %(day)s 前报送")
                    % {"n": current.number, "day": following.end.isoformat()}
                    if following
                    else gettext("第 %(n)d 期已报送，办理完毕后报结") % {"n": current.number}
                )
            return (
                NEXT_REPORT,
                gettext("报送进展"),
                gettext("%(cycle)s报送一次（第五条），%(when)s。")
                % {"cycle": task.get_report_cycle_display(), "when": when},
            )
    return (
        NEXT_SUBMIT,
        gettext("报结"),
        gettext("办理完毕后，在办理时限前将办理结果报送督查小组（第四条（三））。"),
    )


def unit_panel(user: Any, *, today: dt.date) -> UnitPanel | None:
    """The member-home panel (governance member_panel) of a unit's head or liaison; None for anyone else (Party members
    and staff who answer for no unit see nothing). The tasks the unit has to act on — notified, in progress, returned
    — as lead (主办) or co-unit (协办), counted by colour in SQL; the most urgent read with their next step's facts
    (the lead unit's and the user's units' last progress report, the latest return's reasons, a pending extension) as
    subqueries. Six queries and the workday data whatever the number of tasks: the login's groups, their person,
    their units, the units' names, the counts, the rows."""
    from supervision.permissions import unit_ids_of
    from supervision.roles import is_unit_person

    if not is_unit_person(user):
        return None
    units = unit_ids_of(user)
    if not units:
        return None
    return units_panel(units, today=today)


def units_panel(units: frozenset[int], *, today: dt.date, edge: dt.date | None = None) -> UnitPanel:
    """The unit panel of whoever answers for `units` (unit_panel's, and a leader's who answers for a unit,
    leader_panel's): the units' names, the counts, the rows — three queries, and the workday data unless `edge` is
    given."""
    if edge is None:
        edge = workday_edge(today)
    co_tasks = SupervisedTask.co_units.through.objects.filter(organization_id__in=units).values(
        "supervisedtask_id"
    )
    mine = SupervisedTask.objects.filter(Q(lead_unit_id__in=units) | Q(pk__in=co_tasks))
    open_q = Q(state__in=REPORTING_STATES)
    red = Q(deadline__lt=today)
    amber = Q(deadline__gte=today) & (Q(amber_from__lte=today) | Q(deadline__lte=edge))
    counts = mine.aggregate(
        total=Count("pk", filter=open_q),
        red=Count("pk", filter=open_q & red),
        amber=Count("pk", filter=open_q & amber),
        submitted=Count("pk", filter=Q(state=TaskState.SUBMITTED)),
    )
    names = list(
        Organization.objects.filter(pk__in=units).order_by("order", "code").values_list("name", flat=True)
    )
    panel = UnitPanel(
        units=names,
        counts={
            TaskColour.RED.value: counts["red"],
            TaskColour.AMBER.value: counts["amber"],
            TaskColour.GREEN.value: counts["total"] - counts["red"] - counts["amber"],
        },
        total=counts["total"],
        submitted=counts["submitted"],
    )
    if not counts["total"]:
        return panel
    rank = Case(
        When(red, then=Value(0)), When(amber, then=Value(1)), default=Value(2), output_field=IntegerField()
    )
    reports = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-reported_on", "-pk")
    returns = TaskEvent.objects.filter(task=OuterRef("pk"), action=TaskAction.RETURN).order_by("-at", "-pk")
    pending = ExtensionRequest.objects.filter(task=OuterRef("pk"), status=ExtensionStatus.PENDING)
    rows = with_colours(
        list(
            mine.filter(open_q)
            .select_related("lead_unit")
            .only(
                "id",
                "number",
                "title",
                "state",
                "assigned_on",
                "deadline",
                "amber_from",
                "report_cycle",
                "notified_at",
                "lead_unit__name",
            )
            .annotate(
                rank=rank,
                last_lead=Subquery(
                    reports.filter(unit_id=OuterRef("lead_unit_id")).values("reported_on")[:1]
                ),
                last_mine=Subquery(reports.filter(unit_id__in=units).values("reported_on")[:1]),
                return_reason=Subquery(returns.values("note")[:1]),
                extension_to=Subquery(pending.values("proposed_deadline")[:1]),
            )
            .order_by("rank", "deadline", "pk")[:PANEL_ITEMS]
        ),
        today,
        edge,
    )
    for task in rows:
        task.is_lead = task.lead_unit_id in units  # type: ignore[attr-defined]
        task.next_key, task.next_step, task.next_detail = _next_step(task, units, today)  # type: ignore[attr-defined]
        task.badge_class = COLOUR_BADGES.get(task.colour_code, "")  # type: ignore[attr-defined]
        task.badge_text = badge_text(task)  # type: ignore[attr-defined]
    panel.tasks = rows
    return panel


def pending_extensions(*, leader_id: int | None = None) -> list[ExtensionRequest]:
    """Extension requests waiting for the responsible leader (第五条), oldest first; a leader's own when
    `leader_id` is given. One query."""
    qs = ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING)
    if leader_id is not None:
        qs = qs.filter(task__leader_id=leader_id)
    return list(
        qs.select_related("task__lead_unit", "task__leader")
        .only(
            "id",
            "proposed_deadline",
            "current_deadline",
            "created_at",
            "task__id",
            "task__number",
            "task__title",
            "task__lead_unit__name",
            "task__leader__name",
        )
        .order_by("created_at", "pk")[:PANEL_ITEMS]
    )


@dataclass
class OfficePanel:
    urgent: list[SupervisedTask]
    red: int
    amber: int
    submitted: list[SupervisedTask]
    submitted_total: int
    awaiting_approval: int
    extensions: list[ExtensionRequest] = field(default_factory=list)


def office_panel(*, today: dt.date) -> OfficePanel:
    """Red and amber tasks (the most overdue first, and how many of each), tasks awaiting review (已报结), and how many
    wait for a leader's approval. Three queries and the workday data, whatever the number of tasks: the colours are
    counted in SQL and only the tasks shown are read (at 20,000 tasks, a few hundred are overdue)."""
    edge = workday_edge(today)
    red_q, amber_q = (
        colour_condition(TaskColour.RED, today, edge),
        colour_condition(TaskColour.AMBER, today, edge),
    )
    urgent = with_colours(
        list(
            SupervisedTask.objects.filter(red_q | amber_q)
            .select_related("lead_unit")
            .only("id", "number", "title", "deadline", "amber_from", "state", "lead_unit__name")
            .order_by("deadline", "pk")[:PANEL_ITEMS]
        ),
        today,
        edge,
    )
    submitted_qs = SupervisedTask.objects.filter(state=TaskState.SUBMITTED)
    submitted = list(
        submitted_qs.select_related("lead_unit")
        .only("id", "number", "title", "deadline", "submitted_at", "state", "lead_unit__name")
        .order_by("submitted_at", "pk")[:PANEL_ITEMS]
    )
    counts = SupervisedTask.objects.aggregate(
        red=Count("pk", filter=red_q, distinct=True),
        amber=Count("pk", filter=amber_q, distinct=True),
        submitted=Count("pk", filter=Q(state=TaskState.SUBMITTED), distinct=True),
        awaiting=Count(
            "pk",
            filter=Q(state=TaskState.REGISTERED, approved_at__isnull=True)
            & (Q(kind="joint") | Q(co_units__isnull=False)),
            distinct=True,
        ),
    )
    return OfficePanel(
        urgent=urgent,
        red=counts["red"],
        amber=counts["amber"],
        submitted=submitted,
        submitted_total=counts["submitted"],
        awaiting_approval=counts["awaiting"],
        extensions=pending_extensions(),
    )


# --- Calendar feed ----------------------------------------------------------------------------------------------


def _unit_ids(person: Person, today: dt.date) -> list[int]:
    return list(
        UnitContact.objects.active_on(today).filter(person=person).values_list("organization_id", flat=True)
    )


def calendar_items(person: Person, start: dt.date, end: dt.date) -> list[CalendarItem]:
    """Deadlines of the open tasks the person answers for: as responsible leader, or for a unit that leads them.
    Two queries."""
    from django.utils import timezone

    units = _unit_ids(person, timezone.localdate())
    tasks = (
        SupervisedTask.objects.filter(state__in=OPEN_STATES, deadline__gte=start, deadline__lte=end)
        .filter(Q(leader_id=person.pk) | Q(lead_unit_id__in=units))
        .select_related("lead_unit")
        .only("id", "number", "title", "deadline", "lead_unit__name")
        .order_by("deadline", "pk")
    )
    url = pk_link_maker("supervision:task_detail")
    return [
        CalendarItem(
            uid=f"supervision-task-{task.pk}-deadline",
            start=task.deadline,
            summary=gettext("督办事项办理时限：%(number)s %(title)s")
            % {"number": task.number, "title": task.title},
            description=gettext("主办单位：%(unit)s") % {"unit": task.lead_unit.name},
            url=url(task.pk),
            categories=(gettext("督查督办"),),
        )
        for task in tasks
    ]


# --- Urging (第四条（三）、第六条) in the daily digest --------------------------------------------------------------


def urging_round(task: SupervisedTask, today: dt.date) -> int:
    """Which urging is due today for an overdue open task: the first on the day after the deadline, then one more
    every SUPERVISION_URGING_CADENCE_DAYS days. 0 when not overdue."""
    overdue = (today - task.deadline).days
    if overdue <= 0 or not task.is_open:
        return 0
    cadence = max(int(setting("SUPERVISION_URGING_CADENCE_DAYS")), 1)
    return (overdue - 1) // cadence + 1


def urging_due_today(task: SupervisedTask, today: dt.date) -> bool:
    """Whether today is the first day of an urging round (a reminder job that missed that day still sends the
    round later: the outbox decides, by its key)."""
    overdue = (today - task.deadline).days
    cadence = max(int(setting("SUPERVISION_URGING_CADENCE_DAYS")), 1)
    return overdue > 0 and (overdue - 1) % cadence == 0


def digest_sections(people: Sequence[Person], today: dt.date) -> dict[int, list[DigestSection]]:
    """One section per overdue open task for each of its lead unit's heads and liaisons and its responsible leader,
    once per urging round (a new key every SUPERVISION_URGING_CADENCE_DAYS days), until the unit submits it. From the
    SUPERVISION_ESCALATE_AFTER-th round on, the leader's section says the task is escalated (第六条).

    Sent to these people whether or not they sit on a leadership team (`people` are the core's candidates; a unit's
    liaison usually is not one of them). Two queries."""
    tasks = list(
        SupervisedTask.objects.filter(state__in=OPEN_STATES, deadline__lt=today)
        .select_related("lead_unit")
        .only("id", "number", "title", "deadline", "state", "lead_unit_id", "lead_unit__name", "leader_id")
        .order_by("deadline", "pk")
    )
    if not tasks:
        return {}
    contacts: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id in (
        UnitContact.objects.active_on(today)
        .filter(organization_id__in={t.lead_unit_id for t in tasks})
        .values_list("organization_id", "person_id")
    ):
        contacts[unit_id].append(person_id)
    escalate_after = int(setting("SUPERVISION_ESCALATE_AFTER"))
    url = pk_link_maker("supervision:task_detail")
    sections: dict[int, list[DigestSection]] = defaultdict(list)
    for task in tasks:
        round_number = urging_round(task, today)
        overdue = (today - task.deadline).days
        deadline = date_format(task.deadline, "DATE_FORMAT")
        escalated = round_number >= escalate_after
        facts = {"unit": task.lead_unit.name, "deadline": deadline, "days": overdue}
        line = DigestLine(
            text=f"{task.number} {task.title}",
            url=url(task.pk),
            detail=gettext(
                "主办单位：%(unit)s；办理时限 %(deadline)s，已逾期 %(days)d 天，尚未报结。"
                "请抓紧办理并将办理结果反馈督查小组（第四条（三））。"
            )
            % facts,
        )
        # The responsible leader answers for the task (第一条（一）: 分管校领导是第一责任人) and is asked to urge the lead
        # unit, not to do its work; once escalated (第六条: 经催办仍不能按时完成), the line says so.
        if escalated:
            leader_detail = gettext(
                "主办单位：%(unit)s；办理时限 %(deadline)s，已逾期 %(days)d 天，经 %(round)d 次催办仍未报结。"
                "请督促主办单位（%(unit)s）抓紧办理（第六条）。"
            ) % {**facts, "round": round_number}
        else:
            leader_detail = (
                gettext(
                    "主办单位：%(unit)s；办理时限 %(deadline)s，已逾期 %(days)d 天，尚未报结。"
                    "请督促主办单位（%(unit)s）抓紧办理并将办理结果反馈督查小组（第一条（一）、第四条（三））。"
                )
                % facts
            )
        leader_line = DigestLine(text=line.text, url=line.url, detail=leader_detail)
        key = urging_key(task, round_number)
        unit_title = gettext("督办事项催办（第 %(round)d 次）") % {"round": round_number}
        for person_id in contacts.get(task.lead_unit_id, []):
            sections[person_id].append(DigestSection(family=FAMILY, title=unit_title, lines=(line,), key=key))
        if escalated:
            leader_title = gettext("督办事项经 %(round)d 次催办仍未报结（第六条）") % {"round": round_number}
        else:
            leader_title = gettext("您分管的督办事项已逾期（第 %(round)d 次催办）") % {"round": round_number}
        if task.leader_id not in contacts.get(task.lead_unit_id, []):
            sections[task.leader_id].append(
                DigestSection(family=FAMILY, title=leader_title, lines=(leader_line,), key=key)
            )
    return dict(sections)


URGING_ROUNDS_CACHE_SECONDS = 3600


def urging_rounds_by_task() -> dict[int, int]:
    """How many urging rounds the reminder job sent by email, per task id (tasks never urged by email are absent): one
    per round key `urging:<task>:<deadline>:<round>`, however many people got it (第四条（三）).

    The core's outbox (ReminderSectionSent) has no index on its keys, so picking a page's tasks out of it reads every
    row, on every page (at 20,000 tasks, 200,000 rows: 0.3 s for the list — bench/results.md). Instead the whole count
    is made in one grouped query once per state of the outbox, named by its newest row (the reminder job only adds
    rows), and kept in the cache; an hour at most, in case rows were removed. One query when cached, two when not."""
    newest = ReminderSectionSent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    cache_key = f"supervision:urging-rounds:{newest}"
    found = cache.get(cache_key)
    if found is None:
        prefix = "urging:"
        rest = Substr("key", len(prefix) + 1)
        task_ref = Cast(Substr(rest, 1, StrIndex(rest, Value(":")) - 1), IntegerField())
        found = dict(
            ReminderSectionSent.objects.filter(family=FAMILY, key__startswith=prefix)
            .annotate(task_ref=task_ref)
            .values_list("task_ref")
            .annotate(rounds=Count("key", distinct=True))
            .order_by()
        )
        cache.set(cache_key, found, URGING_ROUNDS_CACHE_SECONDS)
    return found


def urgings_sent_count(task_ids: Sequence[int]) -> dict[int, int]:
    """How many urging rounds went out by email for each of these tasks (the list, the ledger). See
    urging_rounds_by_task."""
    if not task_ids:
        return {}
    rounds = urging_rounds_by_task()
    return {task_id: rounds[task_id] for task_id in task_ids if task_id in rounds}


# --- Which pages a change touches (governance.services.freshness) ------------------------------------------------


def organizations_touched_by_task(task: SupervisedTask) -> set[int]:
    """The teams of the responsible leader (their home panel) and of the lead and co-units' heads and liaisons who sit
    on a team (a college's dean answering for the college: the 本单位的督办事项 on their leader's home), and the lead
    unit. One query."""
    units = Q(organization_id=task.lead_unit_id) | Q(
        organization_id__in=SupervisedTask.co_units.through.objects.filter(supervisedtask_id=task.pk).values(
            "organization_id"
        )
    )
    contacts = UnitContact.objects.filter(units).values("person_id")
    found = set(
        Position.objects.filter(Q(person_id=task.leader_id) | Q(person_id__in=contacts))
        .values_list("team__organization_id", flat=True)
        .distinct()
        .order_by()
    )
    found.add(task.lead_unit_id)
    return found


def organizations_touched_by_child(record: Any) -> set[int]:
    """A progress report, event or urging changes what its task's pages show."""
    task = SupervisedTask.objects.filter(pk=record.task_id).only("id", "leader_id", "lead_unit_id").first()
    return organizations_touched_by_task(task) if task else set()


def organizations_touched_by_round(record: Any) -> set[int]:
    """A periodic supervision round counts for its university's team (the engine's rule 第三条（一）)."""
    return {record.organization_id}
