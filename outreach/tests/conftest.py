"""Fixtures for outreach/: a pinned today (Friday 2026-11-20), private media in a temporary folder, the office, two
university leaders, a college, a member of staff."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from governance.tests.factories import SemesterFactory
from outreach.tests.factories import college, office_user, staff_user, university_leader

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def semester(db):
    return SemesterFactory()


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


@pytest.fixture
def unit(db):
    return college()


@pytest.fixture
def other_unit(db):
    return college("理学院", "lxy")


@pytest.fixture
def leader(db):
    return university_leader("黄晓峰")


@pytest.fixture
def other_leader(db):
    return university_leader("吴立群")


@pytest.fixture
def staff(db):
    return staff_user(username="jiaozhigong")
