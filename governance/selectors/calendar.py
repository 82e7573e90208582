"""Reads of the academic calendar, shaped for the period engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from governance.engine.periods import Period, PeriodKind, Term, period_of
from governance.models import AcademicYear, Semester


@dataclass(frozen=True)
class AcademicCalendar:
    semesters: tuple[Term, ...]
    academic_years: tuple[Term, ...]
    anchor: dt.date

    def period(self, kind: str, day: dt.date, *, anchor: dt.date | None = None) -> Period | None:
        return period_of(
            kind,
            day,
            anchor=anchor or self.anchor,
            semesters=self.semesters,
            academic_years=self.academic_years,
        )

    def periods_on(self, day: dt.date) -> dict[str, Period | None]:
        """Every kind of period containing `day`: week, two-week cycle, month, quarter, half year, semester,
        academic year and calendar year."""
        return {kind.value: self.period(kind, day) for kind in PeriodKind}


def academic_calendar() -> AcademicCalendar:
    """The whole calendar in two queries; it is small (a handful of rows per year)."""
    semesters = tuple(
        Term(str(s), s.start, s.end)
        for s in Semester.objects.select_related("academic_year").order_by("start")
    )
    years = tuple(Term(y.label, y.start, y.end) for y in AcademicYear.objects.order_by("start"))
    return AcademicCalendar(semesters=semesters, academic_years=years, anchor=settings.BIWEEKLY_ANCHOR)


def periods_on(day: dt.date) -> dict[str, Period | None]:
    return academic_calendar().periods_on(day)


def current_semester(day: dt.date) -> Semester | None:
    return Semester.objects.containing(day).select_related("academic_year").first()
