"""A unit reads the same on every outreach page: its full name (党委办公室, 体育与艺术学院), the one an activity's page, a
ledger and the issue forms show, never its short name (党办, 体艺学院) in one place and the full one in another."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from governance.models import Organization
from governance.tests.factories import OrganizationFactory, UniversityFactory
from outreach.tests.factories import link, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(db):
    university = UniversityFactory()
    return [
        OrganizationFactory(name=name, short_name=short, code=code, kind=kind, parent=university, order=order)
        for order, (name, short, code, kind) in enumerate(
            [
                ("党委办公室", "党办", "dangban", Organization.Kind.DEPARTMENT),
                ("校长办公室", "校办", "xiaoban", Organization.Kind.DEPARTMENT),
                ("体育与艺术学院", "体艺学院", "tiyi", Organization.Kind.COLLEGE),
            ]
        )
    ]


def _unit_labels(html: str) -> list[str]:
    """The labels of the form's unit checkboxes, as the user reads them."""
    return re.findall(r'<label for="id_units_\d+" class="form-check-label">\s*(.*?)\s*</label>', html)


def test_the_activity_forms_unit_checkboxes_use_the_full_names(client, office, leader, units):
    link(office, leader, units[2])
    client.force_login(leader.user)
    page = client.get(reverse("outreach:activity_create")).content.decode()
    # The linked unit first (preselected), then the others in the tree's order.
    assert _unit_labels(page) == ["体育与艺术学院", "党委办公室", "校长办公室"]


def test_the_correction_form_uses_the_full_names_too(client, leader, units):
    activity = record(leader.user, leader, units=[units[0]])
    client.force_login(leader.user)
    page = client.get(reverse("outreach:activity_update", args=[activity.pk])).content.decode()
    assert _unit_labels(page) == ["党委办公室", "校长办公室", "体育与艺术学院"]


def test_the_activity_list_and_page_name_a_unit_as_the_form_does(client, leader, units):
    activity = record(leader.user, leader, units=[units[2]], title="体育节筹备座谈")
    client.force_login(leader.user)
    for url in (reverse("outreach:activity_list"), activity.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "体育与艺术学院" in page, url
        assert "体艺学院" not in page, url
