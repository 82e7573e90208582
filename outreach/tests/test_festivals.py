"""The festivals of 003 二3 on the Gregorian calendar (元旦; 春节 and 重阳节 from the lunar calendar, lunardate)."""

from __future__ import annotations

import datetime as dt

import pytest

from outreach.models import Festival
from outreach.services import festival_date, festival_near, upcoming_festivals


@pytest.mark.parametrize(
    ("festival", "year", "expected"),
    [
        (Festival.NEW_YEAR, 2027, dt.date(2027, 1, 1)),
        (Festival.SPRING, 2026, dt.date(2026, 2, 17)),
        (Festival.SPRING, 2027, dt.date(2027, 2, 6)),
        (Festival.DOUBLE_NINTH, 2026, dt.date(2026, 10, 18)),
        (Festival.DOUBLE_NINTH, 2027, dt.date(2027, 10, 8)),
    ],
)
def test_each_festival_falls_on_its_date(festival, year, expected):
    assert festival_date(festival, year) == expected


def test_a_visit_a_week_before_spring_festival_is_for_spring_festival():
    assert festival_near(dt.date(2027, 1, 30)) == (Festival.SPRING, dt.date(2027, 2, 6))


def test_a_visit_in_midsummer_is_for_no_festival():
    assert festival_near(dt.date(2027, 7, 1)) is None


def test_the_coming_festivals_are_listed_in_order():
    assert upcoming_festivals(dt.date(2026, 11, 20), 3) == [
        (Festival.NEW_YEAR, dt.date(2027, 1, 1)),
        (Festival.SPRING, dt.date(2027, 2, 6)),
        (Festival.DOUBLE_NINTH, dt.date(2027, 10, 8)),
    ]
