"""001 三（七）: a team member going away asks the main leader for leave and hands their work over (委托班子其他成员代管
相关工作). 钱副院长 reports a trip from the home page; a mistyped date and a handover without duties are refused
with the rest kept; the colleague who covers then finds the duties on their own home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from communication.models import Absence
from communication.tests.factories import make_college_team
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser
DUTIES = "代管本科教学和招生工作"


@pytest.fixture
def college(transactional_db, wednesday):
    SemesterFactory()
    return make_college_team()


def _covering_card(page: Page):
    return page.locator(".card").filter(has=page.get_by_text("我代管的工作", exact=True))


def test_a_vice_dean_reports_a_trip_with_a_handover_and_the_colleague_who_covers_sees_it(
    page, college, log_in, flash_message, console_errors
):
    log_in("qianfuyuanzhang")
    page.get_by_role("link", name="登记外出（出差、学习）").click()

    expect(page.get_by_role("heading", name="登记外出")).to_be_visible()
    page.get_by_label("外出类型").select_option(label="出差")
    page.get_by_label("开始日期").fill("2026-12-04")
    page.get_by_label("结束日期").fill("2026-12-01")
    page.get_by_label("地点", exact=True).fill("北京")
    page.get_by_label("事由").fill("参加全国高校中文学科建设研讨会")
    page.get_by_label("准假领导").select_option(label="李书记")
    page.get_by_label("代管人").first.select_option(label="赵副院长")
    page.get_by_role("button", name="保存").click()

    # Two mistakes, both named in Chinese where they are; nothing saved, nothing typed lost.
    expect(page.get_by_text("结束日期不能早于开始日期。")).to_be_visible()
    expect(page.get_by_text("请填写代管的工作。")).to_be_visible()
    expect(page.get_by_label("开始日期")).to_have_value("2026-12-04")
    expect(page.get_by_label("地点", exact=True)).to_have_value("北京")
    expect(page.get_by_label("事由")).to_have_value("参加全国高校中文学科建设研讨会")
    expect(page.get_by_label("准假领导").locator("option:checked")).to_have_text("李书记")
    expect(page.get_by_label("代管人").first.locator("option:checked")).to_have_text("赵副院长")
    assert Absence.objects.count() == 0

    page.get_by_label("结束日期").fill("2026-12-06")
    page.get_by_label("代管工作").first.fill(DUTIES)
    page.get_by_role("button", name="保存").click()

    expect(flash_message("外出报备已登记")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text="钱副院长")
    expect(row).to_contain_text("出差")
    expect(row).to_contain_text("北京")
    expect(row).to_contain_text(f"赵副院长：{DUTIES}")
    page.context.clear_cookies()

    log_in("zhaofuyuanzhang")
    card = _covering_card(page)
    expect(card).to_contain_text("钱副院长 出差（12月4日—12月6日）")
    expect(card).to_contain_text(DUTIES)
    assert console_errors == []
