"""An opinion given within the Party stays within the Party (003 三: 先党内、后党外; QA walk-through, issue 11): a Party
member leaves an opinion under his name on an item disclosed to Party members; once the committee has widened the
item to 社会, an anonymous visitor on a phone opens it from the public page and sees the item and the handling, but
neither the opinion nor his name; the Party member still sees his opinion with his name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from disclosure import services
from disclosure.models import ItemState, Scope
from disclosure.tests.factories import committee_member, office_user, party_member, propose, walk

pytestmark = pytest.mark.browser

TITLE = "2026年第三季度党费收缴管理情况"
OPINION = "建议按支部公布明细"


@pytest.fixture
def world(transactional_db, wednesday, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    office = office_user(username="bangongshi")
    approver = committee_member(name="林书记", username="linshuji").user
    party_member(username="dangyuan")
    item = walk(
        propose(office, title=TITLE, scope=Scope.MEMBERS),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    return {"office": office, "approver": approver, "item": item}


def test_a_party_members_named_opinion_is_not_shown_to_the_public_after_the_item_is_widened(
    page, browser, live_server, world, log_in, flash_message, console_errors
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("dangyuan")
    page.goto(f"{live_server.url}{world['item'].get_absolute_url()}")
    page.get_by_label("意见建议").fill(OPINION)
    page.get_by_role("button", name="提交意见").click()
    expect(flash_message("意见已提交")).to_be_visible()
    expect(page.locator(".feedback-entry")).to_contain_text("邵一鸣")

    item, office, approver = world["item"], world["office"], world["approver"]
    feedback = item.feedback.get()
    services.feedback_respond(feedback=feedback, user=office, response="下季度起按支部公布。")
    services.item_close_feedback(item=item, user=office, summary="已采纳：下季度起按支部公布党费明细。")
    services.scope_widen_request(item=item, user=office, scope=Scope.PUBLIC, reason="党内公开期间无异议。")
    services.scope_widen_decide(item=item, user=approver, approve=True, note="同意。")

    visitor = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    visitor.goto(f"{live_server.url}/disclosure/public/")
    visitor.get_by_role("link", name=TITLE).click()
    visitor.wait_for_load_state()
    expect(visitor.locator(".disclosure-scope")).to_have_text("公开范围：社会")
    expect(visitor.locator(".disclosure-handling")).to_contain_text("已采纳：下季度起按支部公布党费明细。")
    expect(visitor.locator(".feedback-entry")).to_have_count(0)
    expect(visitor.locator(".feedback-elsewhere")).to_contain_text(
        "另有 1 条意见是在较小的公开范围内提出的，只向该范围内的人员显示"
    )
    expect(visitor.locator("body")).not_to_contain_text("邵一鸣")
    expect(visitor.locator("body")).not_to_contain_text(OPINION)
    assert visitor.evaluate("document.documentElement.scrollWidth <= innerWidth")

    page.reload()
    page.wait_for_load_state()
    expect(page.locator(".feedback-entry")).to_contain_text("邵一鸣")
    expect(page.locator(".feedback-entry")).to_contain_text(OPINION)
    expect(page.locator(".feedback-scope")).to_have_text("在“全体党员”范围内提出，只向该范围显示")
    assert console_errors == []
