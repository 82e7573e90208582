"""Period arithmetic (governance/engine/periods.py) on plain dates, and the calendar selector that feeds it."""

from __future__ import annotations

import datetime as dt

import pytest

from governance.engine.periods import (
    Period,
    PeriodKind,
    Term,
    biweek_of,
    calendar_year_of,
    half_year_of,
    month_of,
    period_of,
    periods_between,
    quarter_of,
    week_of,
)
from governance.models import Semester
from governance.selectors.calendar import academic_calendar, periods_on
from governance.tests.factories import AcademicYearFactory, SemesterFactory

D = dt.date
ANCHOR = D(2024, 1, 1)  # a Monday; the project's default BIWEEKLY_ANCHOR

FIRST_2026 = Term("2026—2027学年第一学期（秋季）", D(2026, 8, 31), D(2027, 1, 17))
SECOND_2026 = Term("2026—2027学年第二学期（春季）", D(2027, 2, 22), D(2027, 7, 4))
SEMESTERS = (FIRST_2026, SECOND_2026)
YEAR_2025 = Term("2025—2026学年", D(2025, 8, 25), D(2026, 8, 23))
YEAR_2026 = Term("2026—2027学年", D(2026, 8, 24), D(2027, 8, 22))
ACADEMIC_YEARS = (YEAR_2025, YEAR_2026)


def test_a_week_runs_monday_to_sunday_with_its_iso_number():
    assert week_of(D(2026, 11, 22)) == Period(
        D(2026, 11, 16), D(2026, 11, 22), PeriodKind.WEEK, "2026年第47周"
    )
    assert week_of(D(2026, 11, 16)).start == D(2026, 11, 16)


def test_the_week_across_new_year_keeps_one_label():
    # 2026 has an ISO week 53; 2027-01-01 belongs to it.
    assert week_of(D(2026, 12, 31)) == week_of(D(2027, 1, 1))
    assert week_of(D(2027, 1, 1)).label == "2026年第53周"
    assert week_of(D(2027, 1, 4)).label == "2027年第1周"


def test_two_week_cycles_are_counted_from_the_anchor_monday():
    assert biweek_of(ANCHOR, ANCHOR) == Period(D(2024, 1, 1), D(2024, 1, 14), PeriodKind.BIWEEK, "双周")
    assert biweek_of(D(2024, 1, 15), ANCHOR).start == D(2024, 1, 15)
    # An anchor in mid-week counts from that week's Monday.
    assert biweek_of(D(2024, 1, 10), D(2024, 1, 3)).start == D(2024, 1, 1)


def test_a_two_week_cycle_containing_new_years_eve_continues_into_the_next_year():
    cycle = biweek_of(D(2026, 12, 31), ANCHOR)
    assert (cycle.start, cycle.end) == (D(2026, 12, 28), D(2027, 1, 10))
    assert cycle.label == "双周"
    assert biweek_of(D(2027, 1, 10), ANCHOR) == cycle
    following = biweek_of(cycle.end + dt.timedelta(days=1), ANCHOR)
    assert following.start == cycle.start + dt.timedelta(days=14) == D(2027, 1, 11)


def test_two_week_cycles_before_the_anchor_line_up_with_those_after_it():
    assert biweek_of(D(2023, 12, 31), ANCHOR).start == D(2023, 12, 18)


def test_months_know_their_length_including_leap_february():
    assert month_of(D(2024, 2, 10)) == Period(D(2024, 2, 1), D(2024, 2, 29), PeriodKind.MONTH, "2024年2月")
    assert month_of(D(2026, 2, 10)).end == D(2026, 2, 28)
    assert month_of(D(2026, 12, 31)).end == D(2026, 12, 31)


def test_quarters_use_chinese_ordinals():
    assert quarter_of(D(2026, 11, 22)) == Period(
        D(2026, 10, 1), D(2026, 12, 31), PeriodKind.QUARTER, "2026年第四季度"
    )
    assert quarter_of(D(2026, 1, 1)).label == "2026年第一季度"
    assert quarter_of(D(2026, 6, 30)) == Period(
        D(2026, 4, 1), D(2026, 6, 30), PeriodKind.QUARTER, "2026年第二季度"
    )


def test_half_years_split_at_the_end_of_june():
    assert half_year_of(D(2026, 6, 30)) == Period(
        D(2026, 1, 1), D(2026, 6, 30), PeriodKind.HALF_YEAR, "2026年上半年"
    )
    assert half_year_of(D(2026, 7, 1)) == Period(
        D(2026, 7, 1), D(2026, 12, 31), PeriodKind.HALF_YEAR, "2026年下半年"
    )


def test_the_calendar_year_is_january_to_december():
    assert calendar_year_of(D(2026, 11, 22)) == Period(
        D(2026, 1, 1), D(2026, 12, 31), PeriodKind.CALENDAR_YEAR, "2026年"
    )


def test_the_semester_and_academic_year_come_from_the_terms_given():
    day = D(2026, 11, 22)
    assert period_of(PeriodKind.SEMESTER, day, semesters=SEMESTERS) == Period(
        D(2026, 8, 31), D(2027, 1, 17), PeriodKind.SEMESTER, "2026—2027学年第一学期（秋季）"
    )
    assert period_of(PeriodKind.ACADEMIC_YEAR, day, academic_years=ACADEMIC_YEARS) == Period(
        D(2026, 8, 24), D(2027, 8, 22), PeriodKind.ACADEMIC_YEAR, "2026—2027学年"
    )


def test_a_day_in_the_summer_break_is_in_no_semester_but_still_in_an_academic_year():
    summer = D(2027, 7, 20)
    assert period_of(PeriodKind.SEMESTER, summer, semesters=SEMESTERS) is None
    assert period_of(PeriodKind.ACADEMIC_YEAR, summer, academic_years=ACADEMIC_YEARS).label == "2026—2027学年"


def test_a_day_the_calendar_does_not_cover_has_no_academic_year():
    assert period_of(PeriodKind.ACADEMIC_YEAR, D(2028, 1, 1), academic_years=ACADEMIC_YEARS) is None


def test_a_two_week_cycle_needs_an_anchor():
    with pytest.raises(ValueError, match="anchor"):
        period_of(PeriodKind.BIWEEK, D(2026, 11, 22))


def test_a_period_knows_its_days_and_how_many_are_left():
    period = month_of(D(2026, 11, 22))
    assert period.days == 30
    assert D(2026, 11, 30) in period
    assert D(2026, 12, 1) not in period
    assert period.days_left(D(2026, 11, 22)) == 8
    assert period.days_left(D(2026, 11, 30)) == 0
    assert period.days_left(D(2026, 12, 2)) == -2
    assert period.overlaps(D(2026, 11, 30), D(2026, 12, 5))
    assert not period.overlaps(D(2026, 12, 1), D(2026, 12, 5))


def test_periods_between_lists_every_overlapping_period_in_order():
    months = periods_between(PeriodKind.MONTH, D(2026, 11, 15), D(2027, 2, 1))
    assert [p.label for p in months] == ["2026年11月", "2026年12月", "2027年1月", "2027年2月"]
    cycles = periods_between(PeriodKind.BIWEEK, D(2026, 12, 20), D(2027, 1, 12), anchor=ANCHOR)
    assert [(p.start, p.end) for p in cycles] == [
        (D(2026, 12, 14), D(2026, 12, 27)),
        (D(2026, 12, 28), D(2027, 1, 10)),
        (D(2027, 1, 11), D(2027, 1, 24)),
    ]


def test_periods_between_skips_breaks_between_semesters():
    found = periods_between(PeriodKind.SEMESTER, D(2026, 7, 1), D(2027, 12, 31), semesters=SEMESTERS)
    assert [p.label for p in found] == [FIRST_2026.name, SECOND_2026.name]


def test_periods_between_stops_when_no_later_semester_is_known():
    assert periods_between(PeriodKind.SEMESTER, D(2027, 7, 10), D(2027, 12, 31), semesters=SEMESTERS) == []


@pytest.mark.django_db
def test_periods_on_a_day_gives_all_eight_kinds_from_the_offices_calendar():
    year = AcademicYearFactory(name="2026—2027学年", start=D(2026, 8, 24), end=D(2027, 8, 22))
    SemesterFactory(academic_year=year, term=Semester.Term.FIRST, start=D(2026, 8, 31), end=D(2027, 1, 17))
    SemesterFactory(academic_year=year, term=Semester.Term.SECOND, start=D(2027, 2, 22), end=D(2027, 7, 4))

    periods = periods_on(D(2026, 12, 31))

    assert {kind: (p.start, p.end, p.label) for kind, p in periods.items()} == {
        "week": (D(2026, 12, 28), D(2027, 1, 3), "2026年第53周"),
        "biweek": (D(2026, 12, 28), D(2027, 1, 10), "双周"),
        "month": (D(2026, 12, 1), D(2026, 12, 31), "2026年12月"),
        "quarter": (D(2026, 10, 1), D(2026, 12, 31), "2026年第四季度"),
        "half_year": (D(2026, 7, 1), D(2026, 12, 31), "2026年下半年"),
        "semester": (D(2026, 8, 31), D(2027, 1, 17), "2026—2027学年第一学期（秋季）"),
        "academic_year": (D(2026, 8, 24), D(2027, 8, 22), "2026—2027学年"),
        "calendar_year": (D(2026, 1, 1), D(2026, 12, 31), "2026年"),
    }


@pytest.mark.django_db
def test_periods_on_a_day_in_the_winter_break_has_no_semester(django_assert_num_queries):
    year = AcademicYearFactory(name="2026—2027学年", start=D(2026, 8, 24), end=D(2027, 8, 22))
    SemesterFactory(academic_year=year, term=Semester.Term.FIRST, start=D(2026, 8, 31), end=D(2027, 1, 17))

    with django_assert_num_queries(2):
        calendar = academic_calendar()
    periods = calendar.periods_on(D(2027, 2, 1))

    assert periods["semester"] is None
    assert periods["academic_year"].label == "2026—2027学年"
