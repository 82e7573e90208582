"""Class hours read as people write them (issue 10, QA #13): "2", not "2.0", and "1.5" when fractional — on the
activity's page, the list, the ledger and the correction form; the Excel export keeps them as numbers."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outreach.models import ActivityKind, hours_text
from outreach.tests.factories import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def observations(semester, leader):
    whole = record(
        leader.user, leader, kind=ActivityKind.CLASS_OBSERVATION, course="高等数学", class_hours=Decimal("2")
    )
    half = record(
        leader.user,
        leader,
        kind=ActivityKind.CLASS_OBSERVATION,
        course="大学英语",
        class_hours=Decimal("1.5"),
    )
    return whole, half


def test_hours_are_written_without_a_needless_decimal():
    assert [hours_text(Decimal(v)) for v in ("2.0", "1.5", "12.0", "0.5")] == ["2", "1.5", "12", "0.5"]
    assert hours_text(None) == ""


def test_the_activity_page_shows_2_not_2_0(client, leader, observations):
    whole, half = observations
    client.force_login(leader.user)
    page = client.get(whole.get_absolute_url()).content.decode()
    assert '<dd class="col-sm-9">2 学时（004 第五条4' in page
    assert "2.0" not in page
    assert "1.5 学时（004 第五条4" in client.get(half.get_absolute_url()).content.decode()


def test_the_list_and_the_ledger_show_2_and_1_5(client, leader, observations):
    client.force_login(leader.user)
    listed = client.get(reverse("outreach:activity_list")).content.decode()
    assert "2 学时" in listed
    assert "1.5 学时" in listed
    assert "2.0" not in listed
    ledger = client.get(reverse("outreach:ledger", args=[leader.pk])).content.decode()
    assert '<td class="text-end">2</td>' in ledger
    assert '<td class="text-end">1.5</td>' in ledger
    assert "2.0" not in ledger


def test_the_correction_form_opens_with_2(client, leader, observations):
    whole, _half = observations
    client.force_login(leader.user)
    page = client.get(reverse("outreach:activity_update", args=[whole.pk])).content.decode()
    assert 'name="class_hours" value="2"' in page


def test_the_excel_export_keeps_hours_as_numbers(client, leader, observations):
    client.force_login(leader.user)
    response = client.get(reverse("outreach:ledger_export", args=[leader.pk]))
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    hours = [r[7] for r in rows if r[2] == "听课"]
    assert sorted(hours) == [1.5, 2]
    assert all(isinstance(h, int | float) for h in hours)
    assert {r[0]: r[1] for r in rows if r[0]}["听课学时"] == 3.5
