"""`obligations` and `send_reminders` warn, on stderr and in Chinese, when a date they evaluate falls in a year
without holiday data (chinesecalendar 1.11 stops at 2026): weekday rules then fall back to Monday–Friday, and the
office should enter the year's 节假日年度 in the admin."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from communication.tests.factories import make_college_team
from governance.tests.factories import AcademicYearFactory, HolidayYearFactory, SemesterFactory

pytestmark = pytest.mark.django_db
WARNING_2027 = (
    "提醒：系统尚无2027年的法定节假日安排，暂按周一至周五计算工作日，遇节假日提前或顺延的约定日期可能不准。"
    "国务院办公厅发布通知后，请在管理后台“节假日年度”中录入（/admin/governance/holidayyear/add/）。"
)


@pytest.fixture
def college(db):
    """文学院 under pack 000 in the autumn semester 2026-08-31 — 2027-01-17, and the spring semester of 2026."""
    year = AcademicYearFactory(name="2026—2027学年", start=dt.date(2026, 8, 24), end=dt.date(2027, 8, 22))
    SemesterFactory(academic_year=year, start=dt.date(2026, 8, 31), end=dt.date(2027, 1, 17))
    spring = AcademicYearFactory(name="2025—2026学年", start=dt.date(2025, 8, 25), end=dt.date(2026, 8, 23))
    SemesterFactory(academic_year=spring, term="second", start=dt.date(2026, 2, 23), end=dt.date(2026, 7, 5))
    return make_college_team()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_obligations_warns_on_stderr_when_the_semester_it_evaluates_runs_into_2027(college):
    out, err = run("obligations", "--org", "wxy", "--on", "2026-11-25", "--format", "json")

    assert err.strip() == WARNING_2027
    assert WARNING_2027 not in out  # the JSON on stdout stays parseable


def test_obligations_over_a_span_in_2026_only_prints_no_warning(college):
    _out, err = run("obligations", "--org", "wxy", "--from", "2026-03-02", "--to", "2026-04-30")

    assert err == ""


def test_obligations_says_nothing_once_the_office_entered_2027(college):
    HolidayYearFactory(year=2027)

    _out, err = run("obligations", "--org", "wxy", "--on", "2026-11-25")

    assert err == ""


def test_send_reminders_warns_on_stderr_too(college):
    out, err = run("send_reminders", "--dry-run", "--on", "2026-11-25")

    assert err.strip() == WARNING_2027
    assert "提醒预览" in out
