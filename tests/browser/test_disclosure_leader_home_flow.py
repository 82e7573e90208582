"""A college leader's home shows what is disclosed to them (003 三（二）; QA walk-through, issue 11): a college secretary
is a Party member and a member of staff too, so among the leader's cards, on a phone, is 最新党务公开 with the items of
their scopes — one for 党政领导干部 among them — and a tap opens the item; an item still waiting for the committee's
approval is not there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from disclosure.models import ItemState, Scope
from disclosure.tests.factories import college_leader, committee_member, office_user, propose, walk

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, wednesday, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    office = office_user(username="bangongshi")
    approver = committee_member(name="林书记", username="linshuji").user
    college_leader(name="李书涵", username="wxy_shuji")
    for title, scope in (
        ("领导班子民主生活会召开情况", Scope.LEADERS),
        ("第三季度党费收缴管理情况", Scope.MEMBERS),
    ):
        walk(propose(office, title=title, scope=scope), ItemState.PUBLISHED, office=office, approver=approver)
    walk(
        propose(office, title="待审批的干部任前公示", scope=Scope.LEADERS),
        ItemState.PENDING,
        office=office,
        approver=approver,
    )


def test_a_college_leader_finds_the_latest_disclosures_on_their_home_and_opens_one(
    page, live_server, world, log_in, console_errors
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("wxy_shuji")
    panel = page.locator(".disclosure-member-panel")
    expect(panel.get_by_role("heading", name="最新党务公开")).to_be_visible()
    expect(panel.locator(".disclosure-latest-item")).to_have_count(2)
    expect(panel).to_contain_text("向党政领导干部公开")
    expect(panel).not_to_contain_text("待审批的干部任前公示")
    expect(page.locator(".leader-jump").get_by_role("link", name="党务公开")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    panel.get_by_role("link", name="领导班子民主生活会召开情况").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="领导班子民主生活会召开情况")).to_be_visible()
    expect(page.locator(".disclosure-scope")).to_have_text("公开范围：党政领导干部")
    assert console_errors == []
