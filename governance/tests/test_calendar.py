"""The academic calendar the office enters: academic years and their semesters must fit together."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from governance.models import AcademicYear, Semester
from governance.selectors.calendar import current_semester
from governance.tests.factories import AcademicYearFactory, SemesterFactory

pytestmark = pytest.mark.django_db

D = dt.date


def messages(instance) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.messages


@pytest.fixture
def year_2026():
    return AcademicYearFactory(name="2026—2027学年", start=D(2026, 8, 24), end=D(2027, 8, 22))


@pytest.fixture
def first_semester(year_2026):
    return SemesterFactory(
        academic_year=year_2026, term=Semester.Term.FIRST, start=D(2026, 8, 31), end=D(2027, 1, 17)
    )


def test_a_semester_inside_its_academic_year_is_accepted(year_2026, first_semester):
    Semester(
        academic_year=year_2026, term=Semester.Term.SECOND, start=D(2027, 2, 22), end=D(2027, 7, 4)
    ).full_clean()


def test_a_semester_reaching_outside_its_academic_year_is_refused(year_2026):
    semester = Semester(
        academic_year=year_2026, term=Semester.Term.SECOND, start=D(2027, 2, 22), end=D(2027, 9, 1)
    )
    assert messages(semester) == ["学期必须在所属学年（2026-08-24 至 2027-08-22）之内。"]


def test_a_semester_starting_before_its_academic_year_is_refused(year_2026):
    semester = Semester(
        academic_year=year_2026, term=Semester.Term.FIRST, start=D(2026, 8, 17), end=D(2027, 1, 17)
    )
    assert messages(semester) == ["学期必须在所属学年（2026-08-24 至 2027-08-22）之内。"]


def test_overlapping_semesters_are_refused_naming_the_other_one(year_2026, first_semester):
    semester = Semester(
        academic_year=year_2026, term=Semester.Term.SECOND, start=D(2027, 1, 10), end=D(2027, 7, 4)
    )
    assert messages(semester) == [
        "该学期与“2026—2027学年第一学期（秋季）”（2026-08-31 至 2027-01-17）的日期重叠。"
    ]


def test_a_semester_ending_before_it_starts_is_refused(year_2026):
    semester = Semester(
        academic_year=year_2026, term=Semester.Term.FIRST, start=D(2027, 1, 17), end=D(2026, 8, 31)
    )
    with pytest.raises(ValidationError) as excinfo:
        semester.full_clean()
    assert excinfo.value.message_dict == {"end": ["学期结束日期必须晚于开始日期。"]}


def test_the_same_term_twice_in_one_year_is_refused(year_2026, first_semester):
    again = Semester(
        academic_year=year_2026, term=Semester.Term.FIRST, start=D(2027, 2, 22), end=D(2027, 7, 4)
    )
    assert messages(again) == ["包含 学年 和 学期 的 学期 已经存在。"]


def test_overlapping_academic_years_are_refused(year_2026):
    year = AcademicYear(name="2027—2028学年", start=D(2027, 8, 1), end=D(2028, 8, 20))
    assert messages(year) == ["该学年与“2026—2027学年”的日期重叠。"]


def test_back_to_back_academic_years_are_accepted(year_2026):
    AcademicYear(name="2025—2026学年", start=D(2025, 8, 25), end=D(2026, 8, 23)).full_clean()
    AcademicYear(name="2027—2028学年", start=D(2027, 8, 23), end=D(2028, 8, 20)).full_clean()


def test_an_academic_year_ending_before_it_starts_is_refused():
    year = AcademicYear(name="2026—2027学年", start=D(2027, 8, 22), end=D(2026, 8, 24))
    with pytest.raises(ValidationError) as excinfo:
        year.full_clean()
    assert excinfo.value.message_dict == {"end": ["学年结束日期必须晚于开始日期。"]}


def test_editing_a_semester_does_not_clash_with_itself(first_semester):
    first_semester.end = D(2027, 1, 24)
    first_semester.full_clean()


def test_the_current_semester_is_the_one_containing_the_day_and_none_in_the_winter_break(
    year_2026, first_semester
):
    assert current_semester(D(2026, 11, 22)) == first_semester
    assert current_semester(D(2027, 2, 1)) is None
    assert str(first_semester) == "2026—2027学年第一学期（秋季）"
