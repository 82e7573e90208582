"""What the cross-app tests share: the autumn semester of 2026, the university under policy pack 001 and 文学院
under pack 000, and a clock stopped on the Wednesday the dashboard and overview tests look at.

A module may override a fixture of the same name, and build on this one by requesting it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from communication.tests.factories import make_college_team, make_university_team
from governance.tests.factories import AcademicYearFactory, SemesterFactory


@pytest.fixture
def frozen_wednesday():
    """Wednesday 25 November 2026, 10:00 in Beijing, the clock stopped. Modules that need it for every test list it
    in `pytestmark` with `pytest.mark.usefixtures("frozen_wednesday")`."""
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def semester(db):
    """The 2026—2027 autumn semester, 2026-08-31 — 2027-01-17, in the academic year 2026-08-24 — 2027-08-22."""
    year = AcademicYearFactory(name="2026—2027学年", start=dt.date(2026, 8, 24), end=dt.date(2027, 8, 22))
    return SemesterFactory(academic_year=year, start=dt.date(2026, 8, 31), end=dt.date(2027, 1, 17))


@pytest.fixture
def university(semester):
    """The university's team under pack 001: 林书记 (secretary), 周校长 (president), 吴副校长 (vice-president).
    Returns (university, people)."""
    return make_university_team()


@pytest.fixture
def college(university):
    """文学院's team under pack 000: 李书记, 王院长, 赵副院长, 钱副院长, 孙副书记. Returns (college, people)."""
    return make_college_team(university[0])
