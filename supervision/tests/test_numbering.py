"""立项编号 (第四条（一）): unique and gap-free per year, in the configured format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from governance.errors import DomainError
from supervision.models import SupervisedTask
from supervision.tests.factories import register

pytestmark = pytest.mark.django_db


def test_tasks_are_numbered_one_after_another_within_their_year(office, unit, leader):
    numbers = [register(office, lead_unit=unit, leader=leader, title=f"事项{i}").number for i in range(3)]
    assert numbers == ["督〔2026〕1号", "督〔2026〕2号", "督〔2026〕3号"]


def test_a_new_year_starts_again_at_one(office, unit, leader):
    register(office, lead_unit=unit, leader=leader)
    older = register(
        office, lead_unit=unit, leader=leader, assigned_on=dt.date(2025, 12, 1), deadline=dt.date(2026, 1, 31)
    )
    assert older.number == "督〔2025〕1号"


def test_the_number_format_comes_from_the_settings(office, unit, leader, settings):
    settings.SUPERVISION_NUMBER_FORMAT = "督办〔{year}〕{seq:03d}号"
    assert register(office, lead_unit=unit, leader=leader).number == "督办〔2026〕001号"


def test_a_refused_registration_leaves_no_gap(office, unit, leader):
    register(office, lead_unit=unit, leader=leader)
    with pytest.raises(DomainError):
        register(office, lead_unit=unit, leader=leader, title="")  # refused: no title
    with pytest.raises(DomainError):
        register(office, lead_unit=unit, leader=leader, co_units=[unit])  # refused after the checks
    assert register(office, lead_unit=unit, leader=leader).number == "督〔2026〕2号"


def test_a_registration_rolled_back_after_its_number_gives_the_number_back(office, unit, leader):
    def register_then_fail():
        with transaction.atomic():
            register(office, lead_unit=unit, leader=leader)
            raise RuntimeError("the surrounding transaction fails")

    with pytest.raises(RuntimeError):
        register_then_fail()
    assert SupervisedTask.objects.count() == 0
    assert register(office, lead_unit=unit, leader=leader).number == "督〔2026〕1号"
