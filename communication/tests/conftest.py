"""Fixtures for communication/: role users, a pinned today, private media in a temporary folder."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from communication.tests.factories import leader_user as make_leader_user
from communication.tests.factories import office_user as make_office_user

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today():
    """Friday 2026-11-20, Beijing time."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def office(db):
    return make_office_user(username="office-staff")


@pytest.fixture
def outsider(db):
    """A logged-in party member with no position and no person record."""
    from governance import roles
    from governance.tests.factories import UserFactory

    return UserFactory(username="teacher", groups=(roles.PARTY_MEMBERS,))


@pytest.fixture
def lone_leader(db):
    return make_leader_user(username="lone-leader")
