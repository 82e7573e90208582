"""A held-back agenda item seen by those it concerns (issue 8). 000 四（一）: 党政联席会议题应在会前听取院长、副院长的
意见；意见不一致的议题暂缓上会，待进一步交换意见、取得共识后再提交会议讨论.

文学院's secretary proposes next year's research-award rules to the 党政联席会; 王院长 disagreed, so the item is held
back. On his phone he finds it among his opinions as 可修改意见, reads why it is held back and what the others said,
and — after talking it over with the secretary — revises his opinion; the old one stays in the item's history. The
office then finds the item ready, sees there is no 党政联席会 on the books yet, records one from the link the page
gives, and puts the item on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from communication import services
from communication.models import MeetingKind, OpinionStance
from communication.tests.factories import make_college_team, office_user
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser
TITLE = "文学院科研奖励办法修订"
DEAN_SAYS = "奖励标准调整幅度过大，建议先征求教师意见。"
REVISED = "与李书记交换意见后，同意分两年调整到位。"
REGULATION = "《关于建立学院党政领导经常性沟通机制的暂行办法》"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def held_back(transactional_db, wednesday):
    """The item, consulted on; 赵副院长 and 钱副院长 agreed, 王院长 disagreed. No 党政联席会 is recorded yet."""
    SemesterFactory()
    college, (secretary, dean, vice1, vice2, _deputy) = make_college_team()
    office = office_user(username="bangongshi")
    item = services.agenda_item_create(
        created_by=office,
        organization=college,
        title=TITLE,
        meeting_kind=MeetingKind.JOINT,
        proposer=secretary,
        description="拟调整论文、项目和获奖的奖励标准。",
    )
    services.agenda_item_open_consultation(item=item, by=office)
    for person in (vice1, vice2):
        services.opinion_record(
            item=item, person=person, stance=OpinionStance.AGREE, comment="同意。", by=person.user
        )
    services.opinion_record(
        item=item, person=dean, stance=OpinionStance.DISAGREE, comment=DEAN_SAYS, by=dean.user
    )
    return item


def _fits(page: Page, width: int) -> None:
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_dissenting_dean_revises_on_his_phone_and_the_office_puts_the_item_on_a_meeting(
    live_server, page, held_back, log_in, flash_message, console_errors
):
    page.set_viewport_size(PHONE)
    log_in("wangyuanzhang")

    # His home says there is nothing new to answer, and that one item waits on his disagreement.
    panel = page.locator(".card").filter(has=page.get_by_text("待我发表意见的议题", exact=True))
    expect(panel).to_contain_text("没有等待您意见的议题。")
    expect(panel.locator(".opinion-revisable")).to_contain_text(TITLE)
    expect(panel.locator(".opinion-revisable .badge")).to_have_text("可修改意见")

    page.goto(f"{live_server.url}/communication/opinions/")
    expect(page.get_by_text("目前没有等待您发表意见的议题。")).to_be_visible()
    entry = page.locator(".opinions-revisable li").filter(has_text=TITLE)
    expect(entry.locator(".badge")).to_have_text("可修改意见")
    expect(entry).to_contain_text(f"您的意见：不同意——{DEAN_SAYS}")
    expect(entry).to_contain_text("暂缓上会：意见不一致（王院长：不同意）")
    _fits(page, PHONE["width"])

    # Why it is held back, on the item itself.
    entry.get_by_role("link", name="查看议题").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading.locator(".badge")).to_have_text("暂缓上会（意见不一致）")
    expect(page.get_by_role("status")).to_have_text(
        f"该议题尚有意见不一致（王院长：不同意），按{REGULATION}四（一）“意见不一致的议题暂缓上会”，"
        "请进一步交换意见、取得共识后再提交会议。"
    )
    mine = page.locator(".card.opinion-mine")
    expect(mine).to_contain_text(DEAN_SAYS)
    expect(mine).to_contain_text("该意见使议题暂缓上会，待进一步交换意见、取得共识。")
    expect(
        page.get_by_text("取得共识、安排上会和会议决定由党委办公室登记；您可以登记或修改本人的意见。")
    ).to_be_visible()
    expect(page.get_by_role("button", name="安排上会")).to_have_count(0)
    expect(page.get_by_role("button", name="已取得共识")).to_have_count(0)
    _fits(page, PHONE["width"])

    # He revises from his list of opinions, with the others' opinions in view.
    page.go_back()
    page.locator(".opinions-revisable li").filter(has_text=TITLE).get_by_role("link", name="修改意见").click()
    expect(page.get_by_role("status")).to_contain_text("该议题尚有意见不一致（王院长：不同意）")
    others = page.locator(".other-opinions")
    expect(others).to_contain_text("赵副院长")
    expect(others).to_contain_text("钱副院长")
    expect(page.locator(".current-opinion")).to_contain_text(f"不同意：{DEAN_SAYS}")
    expect(page.get_by_label("不同意", exact=True)).to_be_checked()
    _fits(page, PHONE["width"])

    page.get_by_label("同意", exact=True).check()
    page.get_by_label("具体意见").fill(REVISED)
    page.get_by_role("button", name="修改意见").click()

    expect(flash_message("您的意见已修改，原意见保留在修改记录中。")).to_be_visible()
    expect(page.locator(".opinions-revisable")).to_have_count(0)

    # The item, from his agenda list: ready now, his earlier opinion kept in its history.
    page.get_by_role("link", name="我参与的议题").click()
    row = page.locator("tr").filter(has_text=TITLE)
    expect(row.locator(".badge")).to_have_text("可以上会")
    row.get_by_role("link", name=TITLE).click()
    expect(heading.locator(".badge")).to_have_text("可以上会")
    expect(page.get_by_role("status")).to_have_count(0)
    mine = page.locator(".card.opinion-mine")
    expect(mine.locator(".card-header .badge")).to_have_text("同意")
    mine.get_by_text("修改记录（此前意见 1 条）").click()
    expect(mine.locator(".opinion-versions li")).to_contain_text(f"不同意：{DEAN_SAYS}")
    _fits(page, PHONE["width"])
    page.context.clear_cookies()

    # The office: the item is ready, but no 党政联席会 is on the books.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/communication/agenda/")
    expect(page.locator(".card.border-warning li").filter(has_text=TITLE)).to_have_count(0)
    page.locator("tr").filter(has_text=TITLE).get_by_role("link", name=TITLE).click()
    expect(heading.locator(".badge")).to_have_text("可以上会")
    dean = page.locator(".card").filter(has=page.locator(".card-header", has_text="王院长"))
    dean.get_by_text("修改记录（此前意见 1 条）").click()
    expect(dean.locator(".opinion-versions")).to_contain_text(DEAN_SAYS)
    expect(page.locator(".no-meeting")).to_contain_text(
        "文学院还没有登记今天及以后的党政联席会，暂无可安排的会议。请先登记会议，保存后回到本页安排上会。"
    )

    page.get_by_role("link", name="登记党政联席会").click()
    expect(page.get_by_role("heading", name="登记会议")).to_be_visible()
    expect(page.get_by_label("召开单位")).to_have_value(str(held_back.organization_id))
    expect(page.get_by_label("会议类型")).to_have_value("joint")
    page.get_by_label("会议日期").fill("2026-11-27")
    page.get_by_label("开始时间").fill("15:00")
    page.get_by_role("button", name="保存").click()

    # Back on the item, the new meeting is offered.
    expect(flash_message("会议已登记。")).to_be_visible()
    expect(heading).to_contain_text(TITLE)
    page.get_by_label("上会会议").select_option(label="2026-11-27 党政联席会")
    page.get_by_role("button", name="安排上会").click()

    expect(flash_message("议题已安排上会。")).to_be_visible()
    expect(heading.locator(".badge")).to_have_text("已安排上会")
    expect(page.get_by_role("link", name="2026-11-27 党政联席会")).to_be_visible()
    assert console_errors == []
