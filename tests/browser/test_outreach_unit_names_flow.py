"""A leader opens the activity form and finds the units by the names every other page uses (党委办公室, 校长办公室,
体育与艺术学院 — not 党办, 校办, 体艺学院), their linked unit ticked; on a phone the long names stay on the screen,
each beside its checkbox, and the recorded activity's page names the unit the same way."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from governance.models import Organization
from governance.tests.factories import OrganizationFactory, SemesterFactory, UniversityFactory
from outreach.services import assign_contact
from outreach.tests.factories import office_user, university_leader

pytestmark = pytest.mark.browser

UNITS = [
    ("党委办公室", "党办", "dangban", Organization.Kind.DEPARTMENT),
    ("校长办公室", "校办", "xiaoban", Organization.Kind.DEPARTMENT),
    ("马克思主义学院", "马院", "mayuan", Organization.Kind.COLLEGE),
    ("体育与艺术学院", "体艺学院", "tiyi", Organization.Kind.COLLEGE),
]


@pytest.fixture
def leader(transactional_db, wednesday):
    SemesterFactory()
    university = UniversityFactory()
    units = [
        OrganizationFactory(name=name, short_name=short, code=code, kind=kind, parent=university, order=i)
        for i, (name, short, code, kind) in enumerate(UNITS)
    ]
    person = university_leader("黄晓峰", username="fuxiaozhang")
    assign_contact(
        by=office_user(username="bangongshi"),
        leader=person,
        kind="unit",
        organization=units[3],
        start=dt.date(2026, 9, 1),
    )
    return person


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_leader_picks_units_by_their_full_names_on_a_phone_too(
    live_server, page, leader, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("fuxiaozhang")
    page.goto(f"{live_server.url}/outreach/activities/new/")
    page.wait_for_load_state()
    boxes = page.locator(".outreach-units .form-check-label")
    expect(boxes).to_have_text(["体育与艺术学院", "党委办公室", "校长办公室", "马克思主义学院"])
    expect(page.get_by_label("体育与艺术学院")).to_be_checked()
    # Every label on the screen and on one line beside its checkbox; nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    for i in range(boxes.count()):
        label = boxes.nth(i).bounding_box()
        box = page.locator(".outreach-units .form-check-input").nth(i).bounding_box()
        assert label is not None
        assert box is not None
        assert label["x"] + label["width"] <= width
        assert label["height"] < 2 * box["height"] + 8  # one line
    folder = os.environ.get("OUTREACH_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/unit-names-form-{width}.png", full_page=True)

    page.get_by_label("党委办公室").check()
    page.get_by_role("button", name="登记").click()
    expect(flash_message("已登记：座谈。")).to_be_visible()
    expect(page.locator(".outreach-activity")).to_contain_text("党委办公室、体育与艺术学院")
    page.get_by_role("link", name="返回活动列表").click()
    expect(page.locator(".outreach-activities")).to_contain_text("党委办公室、体育与艺术学院")
    expect(page.locator(".outreach-activities")).not_to_contain_text("体艺学院")
    if folder:
        page.screenshot(path=f"{folder}/unit-names-list-{width}.png", full_page=True)
    assert console_errors == []
