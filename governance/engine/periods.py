"""Period arithmetic on plain dates: no database here, so it is tested directly.

A period is a closed date range [start, end] with a label in the active language. Semesters and academic years come from the
office's academic calendar; callers pass them in as `Term` values (see governance.selectors.calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _


class PeriodKind(StrEnum):
    WEEK = "week"
    BIWEEK = "biweek"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    SEMESTER = "semester"
    ACADEMIC_YEAR = "academic_year"
    CALENDAR_YEAR = "calendar_year"


PERIOD_KIND_LABELS = {
    PeriodKind.WEEK: _("每周"),
    PeriodKind.BIWEEK: _("每两周"),
    PeriodKind.MONTH: _("每月"),
    PeriodKind.QUARTER: _("每季度"),
    PeriodKind.HALF_YEAR: _("每半年"),
    PeriodKind.SEMESTER: _("每学期"),
    PeriodKind.ACADEMIC_YEAR: _("每学年"),
    PeriodKind.CALENDAR_YEAR: _("每年"),
}

# The labels are built in the active language (zh-hans unless a user switched): "2026年第48周", "Week 48, 2026".
QUARTER_LABELS = (
    _("%(year)s年第一季度"),
    _("%(year)s年第二季度"),
    _("%(year)s年第三季度"),
    _("%(year)s年第四季度"),
)


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def days_left(self, today: dt.date) -> int:
        """Whole days from today to the period's last day (0 on the last day, negative after it)."""
        return (self.end - today).days

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.start <= end and start <= self.end


@dataclass(frozen=True)
class Term:
    """A semester or academic year from the office's calendar."""

    name: str
    start: dt.date
    end: dt.date


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_of(day: dt.date) -> Period:
    start = monday_of(day)
    iso_year, iso_week, _weekday = day.isocalendar()
    return Period(
        start,
        start + dt.timedelta(days=6),
        PeriodKind.WEEK,
        gettext("%(year)s年第%(week)s周") % {"year": iso_year, "week": iso_week},
    )


def biweek_of(day: dt.date, anchor: dt.date) -> Period:
    """The two-week cycle containing `day`, cycles counted from the Monday of `anchor`'s week.

    Cycles run on across year boundaries: the anchor, not the calendar year, decides where a cycle starts. Its label
    is just "双周": pages and emails show a period's dates beside its label, as they do for every period.
    """
    base = monday_of(anchor)
    index = (day - base).days // 14
    start = base + dt.timedelta(days=14 * index)
    end = start + dt.timedelta(days=13)
    return Period(start, end, PeriodKind.BIWEEK, gettext("双周"))


def month_of(day: dt.date) -> Period:
    start = day.replace(day=1)
    nxt = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(
        start,
        nxt - dt.timedelta(days=1),
        PeriodKind.MONTH,
        pgettext("month period", "%(year)s年%(month)s月") % {"year": day.year, "month": day.month},
    )


def quarter_of(day: dt.date) -> Period:
    q = (day.month - 1) // 3
    start = dt.date(day.year, 3 * q + 1, 1)
    end = month_of(dt.date(day.year, 3 * q + 3, 1)).end
    return Period(start, end, PeriodKind.QUARTER, str(QUARTER_LABELS[q]) % {"year": day.year})


def half_year_of(day: dt.date) -> Period:
    if day.month <= 6:
        return Period(
            dt.date(day.year, 1, 1),
            dt.date(day.year, 6, 30),
            PeriodKind.HALF_YEAR,
            gettext("%(year)s年上半年") % {"year": day.year},
        )
    return Period(
        dt.date(day.year, 7, 1),
        dt.date(day.year, 12, 31),
        PeriodKind.HALF_YEAR,
        gettext("%(year)s年下半年") % {"year": day.year},
    )


def calendar_year_of(day: dt.date) -> Period:
    return Period(
        dt.date(day.year, 1, 1),
        dt.date(day.year, 12, 31),
        PeriodKind.CALENDAR_YEAR,
        pgettext("calendar year period", "%(year)s年") % {"year": day.year},
    )


def term_of(day: dt.date, terms: Sequence[Term], kind: str) -> Period | None:
    for term in terms:
        if term.start <= day <= term.end:
            return Period(term.start, term.end, kind, term.name)
    return None


def period_of(
    kind: str,
    day: dt.date,
    *,
    anchor: dt.date | None = None,
    semesters: Sequence[Term] = (),
    academic_years: Sequence[Term] = (),
) -> Period | None:
    """The period of `kind` that contains `day`; None for a semester/academic year the calendar lacks
    (e.g. a date in the summer break falls in no semester)."""
    match PeriodKind(kind):
        case PeriodKind.WEEK:
            return week_of(day)
        case PeriodKind.BIWEEK:
            if anchor is None:
                raise ValueError("a two-week cycle needs an anchor date")
            return biweek_of(day, anchor)
        case PeriodKind.MONTH:
            return month_of(day)
        case PeriodKind.QUARTER:
            return quarter_of(day)
        case PeriodKind.HALF_YEAR:
            return half_year_of(day)
        case PeriodKind.CALENDAR_YEAR:
            return calendar_year_of(day)
        case PeriodKind.SEMESTER:
            return term_of(day, semesters, PeriodKind.SEMESTER)
        case PeriodKind.ACADEMIC_YEAR:
            return term_of(day, academic_years, PeriodKind.ACADEMIC_YEAR)


def periods_between(
    kind: str,
    start: dt.date,
    end: dt.date,
    *,
    anchor: dt.date | None = None,
    semesters: Sequence[Term] = (),
    academic_years: Sequence[Term] = (),
) -> list[Period]:
    """Every period of `kind` overlapping [start, end], in order."""
    found: list[Period] = []
    day = start
    while day <= end:
        period = period_of(kind, day, anchor=anchor, semesters=semesters, academic_years=academic_years)
        if period is None:
            # No semester contains this day: skip to the next term that starts after it, if any.
            terms = semesters if kind == PeriodKind.SEMESTER else academic_years
            later = sorted(t.start for t in terms if t.start > day)
            if not later:
                break
            day = later[0]
            continue
        found.append(period)
        day = period.end + dt.timedelta(days=1)
    return found
