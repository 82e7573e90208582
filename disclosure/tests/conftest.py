"""Fixtures for disclosure/: a pinned today, private files in a temporary folder, and one person of each kind — the
office, a committee member, a college leader, a Party member, a member of staff."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from disclosure.tests.factories import (
    college_leader,
    committee_member,
    office_user,
    party_member,
    staff_member,
)


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
    return office_user(username="bangongshi", email="bangongshi@example.edu.cn")


@pytest.fixture
def approver(db):
    """A committee member (校党委): on the university's leadership team."""
    return committee_member().user


@pytest.fixture
def leader(db):
    """A college leader: 党政领导干部, not on the university's team."""
    return college_leader().user


@pytest.fixture
def member(db):
    return party_member()


@pytest.fixture
def staff(db):
    return staff_member()
