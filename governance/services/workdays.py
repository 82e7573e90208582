"""Is a day a working day? Office-entered holidays first, then the chinesecalendar package, then plain weekdays.

chinesecalendar only knows years up to its release (1.11 covers 2004–2026) and raises NotImplementedError past
that. The site must never crash for a date: a year with neither office data nor package data falls back to
Monday–Friday, and `missing_years` tells the office to enter the State Council's notice for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import chinese_calendar

from governance.models import HolidayDate, HolidayYear


class Source(StrEnum):
    OFFICE = "office"  # entered by the office in the admin
    PACKAGE = "package"  # chinesecalendar
    FALLBACK = "fallback"  # no data: plain weekdays


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_workday: bool
    name: str
    source: Source


class WorkdayCalendar:
    """Answers workday questions, loading each year's office data once. Make one per request or job."""

    def __init__(self) -> None:
        self._office: dict[int, dict[dt.date, HolidayDate] | None] = {}

    def _office_year(self, year: int) -> dict[dt.date, HolidayDate] | None:
        if year not in self._office:
            if HolidayYear.objects.filter(year=year).exists():
                self._office[year] = {d.date: d for d in HolidayDate.objects.filter(year__year=year)}
            else:
                self._office[year] = None
        return self._office[year]

    def source_for_year(self, year: int) -> Source:
        if self._office_year(year) is not None:
            return Source.OFFICE
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            return Source.FALLBACK
        return Source.PACKAGE

    def day(self, day: dt.date) -> DayInfo:
        office = self._office_year(day.year)
        if office is not None:
            entry = office.get(day)
            if entry is not None:
                return DayInfo(day, entry.kind == HolidayDate.Kind.WORKDAY, entry.name, Source.OFFICE)
            return DayInfo(day, day.weekday() < 5, "", Source.OFFICE)
        try:
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return DayInfo(day, day.weekday() < 5, "", Source.FALLBACK)
        return DayInfo(
            day,
            not is_holiday,
            _holiday_name(name) if is_holiday or day.weekday() >= 5 else "",
            Source.PACKAGE,
        )

    def is_workday(self, day: dt.date) -> bool:
        return self.day(day).is_workday

    def next_workday(self, day: dt.date, *, include: bool = True, limit: int = 60) -> dt.date:
        """The first working day on or after `day` (after it, when include is False)."""
        current = day if include else day + dt.timedelta(days=1)
        for _step in range(limit):
            if self.is_workday(current):
                return current
            current += dt.timedelta(days=1)
        return day

    def previous_workday(self, day: dt.date, *, include: bool = True, limit: int = 60) -> dt.date:
        current = day if include else day - dt.timedelta(days=1)
        for _step in range(limit):
            if self.is_workday(current):
                return current
            current -= dt.timedelta(days=1)
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        days = []
        current = start
        while current <= end:
            if self.is_workday(current):
                days.append(current)
            current += dt.timedelta(days=1)
        return days


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(name: str | None) -> str:
    return _HOLIDAY_NAMES.get(name or "", name or "")


def is_workday(day: dt.date) -> bool:
    return WorkdayCalendar().is_workday(day)


def day_info(day: dt.date) -> DayInfo:
    return WorkdayCalendar().day(day)


def missing_years(years: Iterable[int]) -> list[int]:
    """Years among `years` that fall back to plain weekdays: the office should enter their holidays."""
    calendar = WorkdayCalendar()
    return sorted({y for y in years if calendar.source_for_year(y) == Source.FALLBACK})


def years_in_use(today: dt.date) -> list[int]:
    """The years whose holidays matter now: this one, and the next once its academic year or 60 days reach it."""
    from governance.models import AcademicYear

    years = {today.year, (today + dt.timedelta(days=60)).year}
    for start, end in AcademicYear.objects.filter(end__gte=today).values_list("start", "end")[:3]:
        years.update(range(start.year, end.year + 1))
    return sorted(years)
