"""Issue 10's acceptance story for an issue raised on a reception day (校领导接待日, 004 第五条8): the duty leader records
what a visitor raised from the day's page, transfers it to the leader in charge (移交, 第六条3); the office escalates it
to a 校长办公会 agenda item (第六条4) — the leader in charge asks for it with a reason, the office finds the request on
its home and lists the item — and the issue shows the item and its state; the leader in charge answers, is
refused closing it before feedback (件件有回音), records the feedback and closes it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from governance import roles
from governance.models import PositionKind
from governance.tests.factories import SemesterFactory, UserFactory
from outreach.models import ReceptionSession
from outreach.tests.factories import college, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db, wednesday):
    SemesterFactory()
    college()
    UserFactory(username="office", groups=(roles.OFFICE,), is_staff=True)
    duty = university_leader("黄晓峰", username="fuxiaozhang")
    university_leader("孙海涛", kind=PositionKind.VICE_PRESIDENT, username="sunhaitao")
    return ReceptionSession.objects.create(
        date=dt.date(2026, 11, 23),
        start_time=dt.time(15),
        end_time=dt.time(17),
        leader=duty,
        place="行政楼 305 室",
    )


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_issue_raised_at_a_reception_day_is_transferred_escalated_answered_and_closed_after_feedback(
    live_server, page, people, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("fuxiaozhang")
    page.goto(f"{live_server.url}/outreach/reception/{people.pk}/")
    page.get_by_role("link", name="登记来访者提出的诉求").click()
    expect(page.get_by_text("2026-11-23 校领导接待日（当班：黄晓峰）来访者提出的诉求")).to_be_visible()
    page.get_by_label("诉求事项").fill("研究生公寓热水供应时间短")
    page.get_by_label("具体内容").fill("多个学院的研究生反映晚上十点后没有热水。")
    page.get_by_label("反映人").fill("研究生会代表")
    page.get_by_role("button", name="登记").click()
    expect(flash_message("已登记诉求：研究生公寓热水供应时间短。")).to_be_visible()
    expect(page.locator(".outreach-issue")).to_contain_text("2026-11-23 校领导接待日（黄晓峰）")
    issue_url = page.url
    page.get_by_label("移交给校领导").select_option(label="孙海涛")
    page.get_by_label("移交理由").fill("属于后勤保障工作")
    page.get_by_role("button", name="移交").click()
    expect(flash_message("已移交。")).to_be_visible()

    # The leader in charge cannot list an agenda item: they ask the office, with a reason (004 第六条4).
    page.context.clear_cookies()
    log_in("sunhaitao")
    page.goto(issue_url)
    expect(page.get_by_role("button", name="列为议题")).to_have_count(0)
    page.get_by_label("列为议题，提请学校会议研究").check()
    page.get_by_label("提请的会议（列为议题时）").select_option(label="校长办公会")
    page.get_by_role("button", name="向党委办公室提请").click()
    expect(page.get_by_text("请写明提请理由。")).to_be_visible()  # refused, the choice kept
    expect(page.get_by_label("提请的会议（列为议题时）")).to_have_value("administrative")
    page.get_by_label("提请理由").fill("涉及多个学院的共性问题")
    page.get_by_role("button", name="向党委办公室提请").click()
    expect(flash_message("已向党委办公室提请")).to_be_visible()
    expect(page.locator(".outreach-issue-asks")).to_contain_text("请党委办公室提请上会（校长办公会）")
    assert console_errors == []

    page.context.clear_cookies()
    log_in("office")
    expect(page.locator(".outreach-office-asks")).to_contain_text("研究生公寓热水供应时间短")
    page.locator(".outreach-office-asks").get_by_role("link", name="研究生公寓热水供应时间短").click()
    expect(page.locator(".outreach-issue-asks")).to_contain_text("理由：涉及多个学院的共性问题")
    expect(page.get_by_label("提请的会议")).to_have_value("administrative")
    expect(page.get_by_label("提请理由")).to_have_value("涉及多个学院的共性问题")
    page.get_by_role("button", name="列为议题").click()
    expect(flash_message("已列为议题")).to_be_visible()
    expect(page.locator(".outreach-issue-agenda")).to_contain_text("研究生公寓热水供应时间短")
    expect(page.locator(".outreach-issue-agenda")).to_contain_text("草拟")
    expect(page.locator(".outreach-issue-state")).to_have_text("待答复")
    expect(page.locator(".outreach-issue-asks")).to_have_count(0)  # done: no longer waiting
    assert console_errors == []

    page.context.clear_cookies()
    log_in("sunhaitao")
    page.goto(issue_url)
    expect(page.locator(".outreach-issue-agenda")).to_contain_text("校长办公会")
    page.locator("#id_answer-answer").fill("校长办公会研究决定：热水供应延长到晚上十二点。")
    page.get_by_role("button", name="答复", exact=True).click()
    expect(flash_message("已答复。")).to_be_visible()
    page.get_by_role("button", name="办结").click()
    expect(page.get_by_text("尚未向反映人反馈，不能办结（件件有回音）。")).to_be_visible()
    page.get_by_label("反馈方式").select_option(label="当面")
    page.get_by_label("反馈情况").fill("已当面告知研究生会代表")
    page.get_by_role("button", name="登记反馈").click()
    expect(flash_message("已登记反馈。")).to_be_visible()
    page.get_by_role("button", name="办结").click()
    expect(flash_message("已办结。")).to_be_visible()
    expect(page.locator(".outreach-issue-state")).to_have_text("已办结")
    assert console_errors == []
