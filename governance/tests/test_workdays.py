"""Working days: the office's own holiday table first, then the chinesecalendar package, then plain weekdays."""

from __future__ import annotations

import datetime as dt

import pytest

from governance.models import HolidayDate
from governance.services.workdays import DayInfo, Source, WorkdayCalendar, day_info, is_workday, missing_years
from governance.tests.factories import HolidayDateFactory, HolidayYearFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def office_2027():
    """The office entered the State Council's 2027 notice: New Year's Day off, a Saturday worked for 春节."""
    year = HolidayYearFactory(year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知")
    HolidayDateFactory(year=year, date=D(2027, 1, 1), kind=HolidayDate.Kind.HOLIDAY, name="元旦")
    HolidayDateFactory(year=year, date=D(2027, 2, 20), kind=HolidayDate.Kind.WORKDAY, name="春节")
    return year


def test_a_2026_make_up_saturday_is_a_workday():
    assert D(2026, 2, 14).weekday() == 5
    assert is_workday(D(2026, 2, 14))
    assert day_info(D(2026, 2, 14)) == DayInfo(D(2026, 2, 14), True, "春节", Source.PACKAGE)


def test_a_2026_statutory_holiday_is_not_a_workday_and_is_named_in_chinese():
    assert not is_workday(D(2026, 10, 1))
    assert day_info(D(2026, 10, 1)) == DayInfo(D(2026, 10, 1), False, "国庆节", Source.PACKAGE)


def test_an_ordinary_2026_weekday_is_a_workday_without_a_name():
    assert day_info(D(2026, 11, 20)) == DayInfo(D(2026, 11, 20), True, "", Source.PACKAGE)


def test_a_2027_date_without_data_falls_back_to_weekdays_instead_of_crashing():
    assert day_info(D(2027, 1, 1)) == DayInfo(D(2027, 1, 1), True, "", Source.FALLBACK)  # a Friday
    assert not is_workday(D(2027, 1, 2))  # a Saturday
    assert WorkdayCalendar().source_for_year(2027) == Source.FALLBACK


def test_missing_years_reports_2027_but_not_the_years_the_package_knows():
    assert missing_years([2025, 2026, 2027]) == [2027]


def test_the_offices_2027_entries_take_precedence_over_the_weekday_fallback(office_2027):
    assert day_info(D(2027, 1, 1)) == DayInfo(D(2027, 1, 1), False, "元旦", Source.OFFICE)
    assert day_info(D(2027, 2, 20)) == DayInfo(D(2027, 2, 20), True, "春节", Source.OFFICE)
    # Days the office did not list are ordinary weekdays and weekends.
    assert day_info(D(2027, 1, 4)) == DayInfo(D(2027, 1, 4), True, "", Source.OFFICE)
    assert not is_workday(D(2027, 1, 9))


def test_once_the_office_enters_2027_it_is_no_longer_missing(office_2027):
    assert missing_years([2026, 2027]) == []
    assert WorkdayCalendar().source_for_year(2027) == Source.OFFICE


def test_an_entered_year_without_any_dates_still_counts_as_entered():
    HolidayYearFactory(year=2027)
    assert missing_years([2027]) == []


def test_office_entries_override_the_package_for_a_year_it_covers():
    year = HolidayYearFactory(year=2026, notice="学校补充通知")
    HolidayDateFactory(year=year, date=D(2026, 11, 20), kind=HolidayDate.Kind.HOLIDAY, name="校庆")
    HolidayDateFactory(year=year, date=D(2026, 10, 1), kind=HolidayDate.Kind.HOLIDAY, name="国庆节")

    assert day_info(D(2026, 11, 20)) == DayInfo(D(2026, 11, 20), False, "校庆", Source.OFFICE)
    assert not is_workday(D(2026, 10, 1))
    # The office's table is the whole truth for that year: the package's make-up Saturday no longer applies.
    assert not is_workday(D(2026, 2, 14))


def test_next_workday_skips_the_national_day_holiday():
    assert WorkdayCalendar().next_workday(D(2026, 10, 1)) == D(2026, 10, 8)


def test_next_workday_includes_the_day_itself_unless_told_not_to():
    calendar = WorkdayCalendar()
    assert calendar.next_workday(D(2026, 11, 20)) == D(2026, 11, 20)
    assert calendar.next_workday(D(2026, 11, 20), include=False) == D(2026, 11, 23)


def test_next_workday_lands_on_a_make_up_saturday():
    assert WorkdayCalendar().next_workday(D(2026, 2, 13), include=False) == D(2026, 2, 14)


def test_previous_workday_skips_the_spring_festival_holiday():
    calendar = WorkdayCalendar()
    assert calendar.previous_workday(D(2026, 2, 23)) == D(2026, 2, 14)
    assert calendar.previous_workday(D(2026, 10, 7)) == D(2026, 9, 30)


def test_next_workday_in_2027_uses_the_offices_holidays(office_2027):
    assert WorkdayCalendar().next_workday(D(2026, 12, 31), include=False) == D(2027, 1, 4)


def test_workdays_between_counts_only_working_days():
    days = WorkdayCalendar().workdays_between(D(2026, 9, 28), D(2026, 10, 11))
    assert days == [
        D(2026, 9, 28),
        D(2026, 9, 29),
        D(2026, 9, 30),
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),
    ]


def test_one_calendar_reads_each_years_office_data_once(office_2027, django_assert_num_queries):
    calendar = WorkdayCalendar()
    with django_assert_num_queries(2):
        calendar.workdays_between(D(2027, 1, 1), D(2027, 3, 31))
