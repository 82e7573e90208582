"""Fixtures for supervision/: a pinned today, the office, a unit with its liaison, another unit, a leader."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from supervision.tests.factories import DepartmentFactory, UnitContactFactory, office_user, university_leader

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today():
    """Friday 2026-11-20, 10:00 in Beijing."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


@pytest.fixture
def unit(db):
    return DepartmentFactory(name="教务处", code="jwc")


@pytest.fixture
def other_unit(db):
    return DepartmentFactory(name="科学研究处", code="kyc")


@pytest.fixture
def liaison(unit):
    """The unit's liaison (联络员): a login in the units' people group."""
    return UnitContactFactory(organization=unit, person__name="罗联络").person


@pytest.fixture
def other_liaison(other_unit):
    return UnitContactFactory(organization=other_unit, person__name="任联络").person


@pytest.fixture
def leader(db):
    return university_leader("黄副校长")
