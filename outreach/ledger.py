"""工作台账 (004 第六条2: 建立领导联系基层工作台账) per leader per academic year, and the assessment group's summary
across leaders (004 第六条1: 考核小组……按学年汇总和考核). Both count the same thing the same way: one grouped query of a
year's activities by (leader, kind, festival), with per-semester sums, then each rule of the packs that count
outreach activities (004-outreach, 003-outreach) compared with its target. So a leader's ledger, its Excel export and
their row in the summary always agree.

A rule whose period is the semester (004 第五条4 听课 ≥4 学时) is met when every semester of the year is; a rule counted
by calendar year (003 二1 专题调研) is shown here for the academic year (the unit the assessment uses, 第六条1) and says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import gettext as _

from governance.models import AcademicYear, ObligationRule, Organization, Person, Position, Semester
from outreach.models import Activity, ActivityKind, RaisedIssue

EVIDENCE_SOURCE = "outreach.activity"
MATCHED_PARAMS = (
    "kind",
    "festival",
)  # what an outreach rule's evidence params may name (outreach/evidence.py)


@dataclass(frozen=True)
class YearSpan:
    """An academic year: its first calendar year (the URL's ?year=), first and last day, name, semesters."""

    key: int
    start: dt.date
    end: dt.date
    name: str
    semesters: tuple[tuple[str, dt.date, dt.date], ...]


def year_key(today: dt.date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def year_span(key: int) -> YearSpan:
    """The academic year from the calendar (学年 in the admin), else 1 September to 31 August. Two queries."""
    year = AcademicYear.objects.filter(start__year=key).order_by("start").first()
    if year is None:
        start, end = dt.date(key, 9, 1), dt.date(key + 1, 8, 31)
        name = _("%(a)d—%(b)d学年") % {"a": key, "b": key + 1}
    else:
        start, end, name = year.start, year.end, year.name
    semesters = tuple(
        (s.get_term_display(), s.start, s.end)
        for s in Semester.objects.filter(start__lte=end, end__gte=start)
        .exclude(term=Semester.Term.SUMMER)
        .order_by("start")
    )
    return YearSpan(key=key, start=start, end=end, name=str(name), semesters=semesters)


@dataclass
class RuleLine:
    """One rule against a leader's year: done and required (for a semester rule, per semester)."""

    code: str
    title: str
    clause: str
    unit: str
    required: Decimal
    done: Decimal
    met: bool
    period: str
    note: str = ""
    semesters: list[tuple[str, Decimal, bool]] = field(default_factory=list)


@dataclass
class Tally:
    """A leader's year in numbers: activities by kind, 听课 hours, and the rules."""

    counts: dict[str, int] = field(default_factory=dict)
    hours: Decimal = Decimal(0)
    rules: list[RuleLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def met(self) -> int:
        return sum(1 for r in self.rules if r.met)

    def count_of(self, kind: str) -> int:
        return self.counts.get(kind, 0)


def _rules() -> list[ObligationRule]:
    """The rules counting outreach activities, one per code (a pack adopted by several organizations repeats them)."""
    seen: dict[str, ObligationRule] = {}
    for rule in (
        ObligationRule.objects.filter(evidence_source=EVIDENCE_SOURCE)
        .select_related("clause__regulation__reference")
        .order_by("code", "pk")
    ):
        seen.setdefault(rule.code, rule)
    return list(seen.values())


@dataclass(frozen=True)
class RuleSpec:
    """What a rule asks, read once per page (a rule's display labels cost more than its counting, times 300)."""

    code: str
    title: str
    clause: str
    unit: str
    target: Decimal
    period: str
    period_label: str
    measure_sum: bool
    params: tuple[tuple[str, Any], ...]
    subject: str
    positions: frozenset[str]
    organization_id: int


def _specs(rules: list[ObligationRule], span: YearSpan) -> list[RuleSpec]:
    specs = []
    for rule in rules:
        target = Decimal(rule.target)
        if rule.period == "semester" and span.semesters:
            label = _("每学期 %(t)s%(u)s") % {"t": _number(target), "u": rule.unit}
        else:
            label = str(rule.get_period_display())
        specs.append(
            RuleSpec(
                code=rule.code,
                title=rule.title,
                clause=rule.clause.reference,
                unit=rule.unit,
                target=target,
                period=rule.period,
                period_label=label,
                measure_sum=rule.measure == "sum",
                params=tuple((k, v) for k, v in (rule.evidence_params or {}).items() if k in MATCHED_PARAMS),
                subject=rule.subject,
                positions=frozenset(rule.subject_positions or []),
                organization_id=rule.organization_id,
            )
        )
    return specs


def _applies(rule: RuleSpec, kinds: set[str], organizations: set[int]) -> bool:
    if rule.subject == "team":
        return False  # a team's obligation, not a leader's
    if rule.organization_id not in organizations:
        return False
    if rule.subject == "position":
        return bool(rule.positions & kinds)
    return True


def _grouped(person_ids: list[int] | None, span: YearSpan) -> dict[int, list[dict[str, Any]]]:
    """One query: the year's activities (up to its last day) per leader by kind and festival, with counts and hours
    for the year and for each semester."""
    through = Activity.leaders.through
    rows = through.objects.filter(activity__date__gte=span.start, activity__date__lte=span.end)
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    annotations: dict[str, Any] = {"n": Count("activity_id"), "hours": Sum("activity__class_hours")}
    for i, (_label, start, end) in enumerate(span.semesters):
        in_term = Q(activity__date__gte=start, activity__date__lte=end)
        annotations[f"n{i}"] = Count("activity_id", filter=in_term)
        annotations[f"h{i}"] = Sum("activity__class_hours", filter=in_term)
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        rows.values("person_id", "activity__kind", "activity__festival")
        .annotate(**annotations)
        .order_by("person_id")
    ):
        result[row["person_id"]].append(row)
    return result


def _tally(
    groups: list[dict[str, Any]],
    rules: list[RuleSpec],
    span: YearSpan,
    kinds: set[str],
    organizations: set[int],
    calendar_note: str = "",
) -> Tally:
    tally = Tally()
    for row in groups:
        kind = row["activity__kind"]
        tally.counts[kind] = tally.counts.get(kind, 0) + row["n"]
        if kind == ActivityKind.CLASS_OBSERVATION:
            tally.hours += row["hours"] or Decimal(0)
    for rule in rules:
        if not _applies(rule, kinds, organizations):
            continue
        matching = [row for row in groups if all(row[f"activity__{k}"] == v for k, v in rule.params)]

        def amount(n: str, h: str, *, by_sum: bool = rule.measure_sum, rows: list = matching) -> Decimal:
            if by_sum:
                return sum((r[h] or Decimal(0) for r in rows), start=Decimal(0))
            return Decimal(sum(r[n] for r in rows))

        if rule.period == "semester" and span.semesters:
            semesters = []
            for i, (label, _start, _end) in enumerate(span.semesters):
                done = amount(f"n{i}", f"h{i}")
                semesters.append((label, done, done >= rule.target))
            tally.rules.append(
                RuleLine(
                    code=rule.code,
                    title=rule.title,
                    clause=rule.clause,
                    unit=rule.unit,
                    required=rule.target * len(semesters),
                    done=sum((s[1] for s in semesters), start=Decimal(0)),
                    met=all(s[2] for s in semesters),
                    period=rule.period_label,
                    semesters=semesters,
                )
            )
            continue
        done = amount("n", "hours")
        tally.rules.append(
            RuleLine(
                code=rule.code,
                title=rule.title,
                clause=rule.clause,
                unit=rule.unit,
                required=rule.target,
                done=done,
                met=done >= rule.target,
                period=rule.period_label,
                note=calendar_note if rule.period == "calendar_year" else "",
            )
        )
    return tally


def _calendar_note() -> str:
    return _("规则按自然年考核，此处为本学年的次数（004 第六条1 按学年汇总）")


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


def _positions(person_ids: list[int] | None, span: YearSpan) -> dict[int, tuple[set[str], set[int]]]:
    """Position kinds and team organizations each leader held at some time in the year. One query."""
    positions = Position.objects.overlapping(span.start, span.end)
    if person_ids is not None:
        positions = positions.filter(person_id__in=person_ids)
    held: dict[int, tuple[set[str], set[int]]] = defaultdict(lambda: (set(), set()))
    for person_id, kind, organization_id in positions.values_list(
        "person_id", "kind", "team__organization_id"
    ):
        held[person_id][0].add(kind)
        held[person_id][1].add(organization_id)
    return held


@dataclass
class Ledger:
    person: Person
    span: YearSpan
    activities: list[Activity]
    issues: list[RaisedIssue]
    tally: Tally

    @property
    def kind_rows(self) -> list[tuple[str, str, int]]:
        return [(k, str(label), self.tally.count_of(k)) for k, label in ActivityKind.choices]

    @property
    def hours_text(self) -> str:
        return _number(self.tally.hours)


def ledger(person: Person, span: YearSpan) -> Ledger:
    """A leader's year: every activity (with units and contact), every issue they handle raised in the year, the
    tally. Eight queries whatever the numbers."""
    through = Activity.leaders.through
    activities = list(
        Activity.objects.filter(
            pk__in=through.objects.filter(person_id=person.pk).values("activity_id"),
            date__gte=span.start,
            date__lte=span.end,
        )
        .select_related("contact")
        .prefetch_related(Prefetch("units", queryset=Organization.objects.order_by("order", "code")))
        .order_by("date", "pk")
    )
    issues = list(
        RaisedIssue.objects.filter(
            owner=person, created_at__date__gte=span.start, created_at__date__lte=span.end
        )
        .select_related("unit", "handling_unit")
        .order_by("created_at", "pk")
    )
    kinds, organizations = _positions([person.pk], span)[person.pk]
    specs = _specs(_rules(), span)
    tally = _tally(
        _grouped([person.pk], span).get(person.pk, []), specs, span, kinds, organizations, _calendar_note()
    )
    return Ledger(person=person, span=span, activities=activities, issues=issues, tally=tally)


# --- 考核小组的学年汇总 (004 第六条1) -------------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    person: Person
    tally: Tally

    @property
    def counts(self) -> list[int]:
        """The row's numbers in the order of ActivityKind (the summary's columns)."""
        return [self.tally.count_of(k) for k in ActivityKind.values]

    @property
    def hours_text(self) -> str:
        return _number(self.tally.hours)

    @property
    def rules(self) -> int:
        return len(self.tally.rules)

    @property
    def all_met(self) -> bool:
        return self.tally.met == len(self.tally.rules)

    @property
    def unmet(self) -> str:
        """The clauses of the rules not met (the row's "vs the requirements"), e.g. "004 第五条1、004 第五条5"."""
        return "、".join(dict.fromkeys(r.clause for r in self.tally.rules if not r.met))


@dataclass
class ChartBar:
    label: str
    y: int
    met: int
    unmet: int
    met_width: float
    unmet_width: float

    @property
    def rules(self) -> int:
        return self.met + self.unmet

    @property
    def unmet_x(self) -> float:
        return round(CHART_LEFT + self.met_width, 1)


@dataclass
class Summary:
    span: YearSpan
    rows: list[SummaryRow]
    kinds: list[tuple[str, str]]
    chart: list[ChartBar]
    chart_height: int
    widest: int


CHART_LEFT = 110
CHART_WIDTH = 320
ROW_HEIGHT = 24
BAR_HEIGHT = 16


def summary(span: YearSpan) -> Summary:
    """Every university leader who held a position in the year, their tally, and the chart (rules met and not met,
    one bar each). Five queries whatever the number of leaders and activities."""
    positions = Position.objects.overlapping(span.start, span.end).filter(
        team__organization__kind=Organization.Kind.UNIVERSITY
    )
    people = list(Person.objects.filter(pk__in=positions.values("person_id")).order_by("name", "pk"))
    ids = [p.pk for p in people]
    held = _positions(ids, span)
    grouped = _grouped(ids, span)
    specs = _specs(_rules(), span)
    note = _calendar_note()
    empty: tuple[set[str], set[int]] = (set(), set())
    rows = [
        SummaryRow(person=p, tally=_tally(grouped.get(p.pk, []), specs, span, *held.get(p.pk, empty), note))
        for p in people
    ]
    widest = max((len(r.tally.rules) for r in rows), default=0)
    scale = CHART_WIDTH / widest if widest else 0
    chart = [
        ChartBar(
            label=row.person.name,
            y=8 + i * ROW_HEIGHT,
            met=row.tally.met,
            unmet=len(row.tally.rules) - row.tally.met,
            met_width=round(row.tally.met * scale, 1),
            unmet_width=round((len(row.tally.rules) - row.tally.met) * scale, 1),
        )
        for i, row in enumerate(rows)
    ]
    return Summary(
        span=span,
        rows=rows,
        kinds=[(k, str(label)) for k, label in ActivityKind.choices],
        chart=chart,
        chart_height=8 + max(len(chart), 1) * ROW_HEIGHT + 8,
        widest=widest,
    )
