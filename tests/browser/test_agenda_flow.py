"""The office takes a college's agenda item through pre-meeting consultation (000 四（一）: 党政联席会议题会前听取院长、
副院长的意见；意见不一致的议题暂缓上会) to its meeting: who is still to be heard, a disagreement that holds it back,
the consensus reached, and the item put on the 党政联席会 once everyone has agreed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from communication import services
from communication.models import MeetingKind
from communication.tests.factories import MeetingFactory, make_college_team, office_user
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser
TITLE = "2027年学院教学科研经费预算安排"
REGULATION = "《关于建立学院党政领导经常性沟通机制的暂行办法》"


@pytest.fixture
def item(transactional_db, wednesday):
    """文学院 (pack 000) proposes its budget to Friday's 党政联席会; the office opened the consultation."""
    SemesterFactory()
    college, (secretary, *_rest) = make_college_team()
    office = office_user(username="bangongshi")
    MeetingFactory(
        kind=MeetingKind.JOINT,
        organization=college,
        title="党政联席会",
        date=dt.date(2026, 11, 27),
        start_time=dt.time(15, 0),
        chair=secretary,
    )
    item = services.agenda_item_create(
        created_by=office,
        organization=college,
        title=TITLE,
        meeting_kind=MeetingKind.JOINT,
        proposer=secretary,
        description="含实验室建设、学科竞赛和教师培训经费。",
    )
    services.agenda_item_open_consultation(item=item, by=office)
    return item


def _opinion_card(page: Page, name: str):
    return page.locator(".card").filter(has=page.locator(".card-header", has_text=name))


def _record_opinion(page: Page, name: str, stance: str, comment: str = "") -> None:
    card = _opinion_card(page, name)
    card.get_by_label(stance, exact=True).check()
    if comment:
        card.get_by_label("具体意见").fill(comment)
    card.get_by_role("button", name="登记意见").click()


def test_the_office_takes_an_item_from_consultation_through_a_disagreement_to_its_meeting(
    live_server, page, item, log_in, flash_message, console_errors
):
    log_in("bangongshi")
    page.goto(f"{live_server.url}/communication/agenda/")
    waiting = page.locator(".card.border-warning li").filter(has_text=TITLE)
    expect(waiting).to_contain_text("待征求意见")
    expect(waiting).to_contain_text("待听取：王院长、赵副院长、钱副院长")

    waiting.get_by_role("link", name=TITLE).click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(TITLE)
    expect(heading.locator(".badge")).to_have_text("待征求意见")
    expect(page.get_by_role("status")).to_have_text(
        f"该议题尚未听取王院长、赵副院长、钱副院长的意见，按{REGULATION}四（一），议题应在会前听取意见后再提交会议。"
    )
    for name in ("王院长", "赵副院长", "钱副院长"):
        card = _opinion_card(page, name)
        expect(card.locator(".card-header .badge")).to_have_text("待征求")
        expect(card).to_contain_text("000 四（一）：党政联席会议题应在会前听取院长、副院长的意见")

    # Too early: the meeting will not take it yet.
    page.get_by_label("上会会议").select_option(label="2026-11-27 党政联席会")
    page.get_by_role("button", name="安排上会").click()
    expect(page.locator(".alert-danger")).to_contain_text("该议题尚未听取王院长、赵副院长、钱副院长的意见")
    expect(heading.locator(".badge")).to_have_text("待征求意见")

    # The dean disagrees; without saying why, the office is asked for it.
    _record_opinion(page, "王院长", "不同意")
    expect(_opinion_card(page, "王院长")).to_contain_text("不同意或提出意见建议时，请填写具体意见。")
    _record_opinion(page, "王院长", "不同意", "实验室建设经费占比过高，建议压缩后再议。")

    expect(flash_message("已登记王院长的意见。")).to_be_visible()
    expect(heading.locator(".badge")).to_have_text("暂缓上会（意见不一致）")
    expect(page.get_by_role("status")).to_contain_text(
        f"该议题尚有意见不一致（王院长：不同意），按{REGULATION}四（一）“意见不一致的议题暂缓上会”，"
        "请进一步交换意见、取得共识后再提交会议。"
    )
    dean = _opinion_card(page, "王院长")
    expect(dean).to_have_class(re.compile(r"\bborder-danger\b"))
    expect(dean.locator(".card-header .badge")).to_have_text("不同意")

    # The secretary and the dean talk it over; the office records the consensus, then the dean agrees.
    dean.get_by_label("取得共识情况").fill("11月24日李书记与王院长再次沟通，实验室建设经费压缩至三成。")
    dean.get_by_role("button", name="已取得共识").click()
    expect(flash_message("已登记取得共识情况。")).to_be_visible()
    expect(_opinion_card(page, "王院长")).to_contain_text(
        "已取得共识（2026-11-25）：11月24日李书记与王院长再次沟通，实验室建设经费压缩至三成。"
    )
    expect(heading.locator(".badge")).to_have_text("待征求意见")
    _record_opinion(page, "王院长", "同意")
    _record_opinion(page, "赵副院长", "同意")
    expect(page.get_by_role("status")).to_have_text(
        f"该议题尚未听取钱副院长的意见，按{REGULATION}四（一），议题应在会前听取意见后再提交会议。"
    )
    _record_opinion(page, "钱副院长", "提出意见建议", "学科竞赛经费请单列。")

    expect(heading.locator(".badge")).to_have_text("可以上会")
    expect(page.get_by_role("status")).to_have_count(0)
    for name, stance in (("王院长", "同意"), ("赵副院长", "同意"), ("钱副院长", "提出意见建议")):
        expect(_opinion_card(page, name).locator(".card-header .badge")).to_have_text(stance)

    page.get_by_label("上会会议").select_option(label="2026-11-27 党政联席会")
    page.get_by_role("button", name="安排上会").click()

    expect(flash_message("议题已安排上会。")).to_be_visible()
    expect(heading.locator(".badge")).to_have_text("已安排上会")
    expect(page.get_by_role("link", name="2026-11-27 党政联席会")).to_be_visible()
    page.goto(f"{live_server.url}/communication/agenda/")
    expect(page.locator(".card.border-warning")).to_have_count(0)
    expect(page.locator("tr").filter(has_text=TITLE)).to_contain_text("已安排上会")
    assert console_errors == []


def test_a_vice_dean_answers_from_the_home_page_and_a_disagreement_holds_the_item_back(
    live_server, page, item, log_in, flash_message, console_errors
):
    log_in("zhaofuyuanzhang")  # 赵副院长, one of the three to be heard

    waiting = page.locator(".card").filter(has=page.get_by_text("待我发表意见的议题", exact=True))
    expect(waiting.locator(".card-header .badge")).to_have_text("1")
    expect(waiting).to_contain_text("000 四（一）：党政联席会议题应在会前听取院长、副院长的意见")
    waiting.get_by_role("link", name=TITLE).click()

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    page.get_by_label("不同意", exact=True).check()
    page.get_by_role("button", name="提交意见").click()
    # Disagreeing without saying why is refused; the choice made stays chosen.
    expect(page.get_by_text("不同意或提出意见建议时，请填写具体意见。")).to_be_visible()
    expect(page.get_by_label("不同意", exact=True)).to_be_checked()

    page.get_by_label("具体意见").fill("教师培训经费偏少，建议调整后再上会。")
    page.get_by_role("button", name="提交意见").click()

    expect(flash_message("您的意见已登记。")).to_be_visible()
    expect(page.get_by_text("目前没有等待您发表意见的议题。")).to_be_visible()
    page.get_by_role("link", name="我的首页").click()
    expect(waiting).to_contain_text("没有等待您意见的议题。")
    page.context.clear_cookies()

    # The office sees the item held back, with who disagreed.
    log_in("bangongshi")
    page.goto(f"{live_server.url}/communication/agenda/")
    held = page.locator(".card.border-warning li").filter(has_text=TITLE)
    expect(held.locator(".badge")).to_have_text("暂缓上会（意见不一致）")
    expect(held).to_contain_text("赵副院长：不同意")
    assert console_errors == []
