"""The office adopts a policy pack for 文学院, whose team has no rules yet (issue 8): from the overview it opens the
adoption page, picks pack 000, names the college's own regulation, previews the rules, confirms, and finds them on the
overview — citing the college's regulation, with the real institution's one only as 参照. At desktop width and on a
phone (390 px), with no page wider than the window."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from communication.tests.factories import make_college_team, make_university_team, office_user
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser

OWN_TITLE = "中共示例大学文学院委员会关于建立学院党政领导经常性沟通机制的暂行办法"
OWN_NUMBER = "示大文党发〔2026〕4号"
SOURCE = "武术与表演学院党委《关于建立学院党政领导经常性沟通机制的暂行办法》"


@pytest.fixture
def college(transactional_db, wednesday):
    """文学院's team, no rules; the university's team under pack 001."""
    SemesterFactory()
    university, _people = make_university_team()
    college, _people = make_college_team(university, pack=None)
    office_user(username="bangongshi")
    return college


def no_sideways_scroll(page: Page) -> None:
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    width = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert width <= 0, f"{page.url} is {width}px wider than the window"


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_the_office_adopts_a_pack_for_a_college_naming_its_own_regulation(
    page, college, log_in, flash_message, console_errors, viewport
):
    page.set_viewport_size(viewport)
    log_in("bangongshi")
    page.goto(page.url.rstrip("/") + "/overview/?org=wxy")

    empty = page.locator(".no-rules")
    expect(empty).to_contain_text("文学院还没有启用的义务规则。")
    no_sideways_scroll(page)
    empty.get_by_role("link", name="采用制度规则包").click()

    expect(page.get_by_role("heading", name="采用制度规则包", exact=True)).to_be_visible()
    expect(page.get_by_label("采用单位")).to_have_value("wxy")
    no_sideways_scroll(page)

    # Previewing without naming the regulation: the office is asked for it and keeps what it chose.
    page.get_by_label("规则包").select_option("000")
    page.get_by_role("button", name="预览将建立的规则").click()
    expect(
        page.get_by_text("请填写本单位制度的名称，如《中共江城大学委员会领导班子议事沟通制度》。")
    ).to_be_visible()
    expect(page.get_by_label("规则包")).to_have_value("000")

    page.get_by_label("本单位制度名称").fill(OWN_TITLE)
    page.get_by_label("文号").fill(OWN_NUMBER)
    page.get_by_label("印发日期").fill("2026-09-15")
    page.get_by_role("button", name="预览将建立的规则").click()

    preview = page.locator(".policy-preview")
    expect(preview.get_by_role("heading")).to_have_text("预览：文学院采用“学院党政领导经常性沟通机制（000）”")
    expect(preview).to_contain_text("将新增 5 条规则。")
    expect(preview).to_contain_text(f"《{OWN_TITLE}》（{OWN_NUMBER}，2026年9月15日）")
    coordination = preview.locator("[data-rule='000-coordination-meeting']")
    expect(coordination.locator(".rule-cycle")).to_have_text(
        "每两周，周五，仅学期内，遇节假日提前到前一个工作日"
    )
    expect(coordination.locator(".rule-threshold")).to_have_text("不少于 1 次")
    expect(coordination.locator(".rule-clause")).to_contain_text(f"《{OWN_TITLE}》四（四）")
    expect(coordination.locator(".reference-note")).to_have_text(f"参照：{SOURCE}四（四）")
    expect(preview.locator(".rule-status")).to_have_text(["将新增"] * 5)
    no_sideways_scroll(page)

    preview.get_by_role("button", name="确认采用").click()

    expect(page).to_have_url(re.compile(r"/overview/\?org=wxy$"))
    expect(
        flash_message(f"已为文学院采用规则包“学院党政领导经常性沟通机制（000）”，规则依据《{OWN_TITLE}》。")
    ).to_be_visible()
    expect(page.locator(".no-rules")).to_have_count(0)
    # The new rules' cells: a column on a desktop, a line of each leader's card on a phone.
    expect(page.locator("a[href*='rule=000-coordination-meeting']")).to_be_visible()
    expect(page.locator("a[href*='rule=000-secretary-dean-formal-talk']").first).to_be_visible()
    cited = page.locator(".cited-regulations")
    expect(cited).to_contain_text(f"《{OWN_TITLE}》（{OWN_NUMBER}）")
    expect(cited.locator(".reference-note")).to_have_text(f"参照：{SOURCE}")
    no_sideways_scroll(page)

    # Adopting it again changes nothing, and says so.
    page.goto(page.url.split("/overview/")[0] + "/policies/adopt/?org=wxy")
    page.get_by_label("规则包").select_option("000")
    page.get_by_label("本单位制度名称").fill(OWN_TITLE)
    page.get_by_label("文号").fill(OWN_NUMBER)
    page.get_by_label("印发日期").fill("2026-09-15")
    page.get_by_role("button", name="预览将建立的规则").click()
    expect(page.locator(".policy-preview")).to_contain_text("5 条已存在，不会改动")
    expect(page.locator(".rule-status")).to_have_text(["已存在，不变"] * 5)
    assert console_errors == []
