"""The office may decline a leader's request to escalate an issue (004 第六条4: 必要时可作为议题提请学校党委会或校长办公会
研究解决; listing an agenda item is the office's decision, 001 三（三）): the leader in charge asks, with a reason; the
office is emailed, finds the request on the issue page and declines it with its reason (可由职能部门直接办理); the leader
is emailed, sees the answer on the issue page and asks again with more; the office then lists the item."""

from __future__ import annotations

import os

import pytest
from django.core import mail
from playwright.sync_api import expect

from governance import roles
from governance.models import PositionKind
from governance.tests.factories import SemesterFactory, UserFactory
from outreach import services
from outreach.tests.factories import college, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def issue(transactional_db, wednesday):
    SemesterFactory()
    college()
    UserFactory(username="office", groups=(roles.OFFICE,), is_staff=True, email="office@example.edu.cn")
    leader = university_leader("孙海涛", kind=PositionKind.VICE_PRESIDENT, username="sunhaitao")
    staff = UserFactory(username="jiaozhigong", groups=(roles.STAFF,))
    return services.mailbox_raise(
        by=staff, title="研究生公寓热水供应时间短", text="晚上十点后没有热水。", owner=leader
    )


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_office_declines_a_request_with_a_reason_the_leader_sees_it_and_asks_again(
    live_server, page, issue, log_in, flash_message, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    issue_url = f"{live_server.url}{issue.get_absolute_url()}"
    log_in("sunhaitao")
    page.goto(issue_url)
    page.get_by_label("列为议题，提请学校会议研究").check()
    page.get_by_label("提请的会议（列为议题时）").select_option(label="校长办公会")
    page.get_by_label("提请理由").fill("涉及多个学院的共性问题")
    page.get_by_role("button", name="向党委办公室提请").click()
    expect(flash_message("已向党委办公室提请")).to_be_visible()
    assert [m.subject for m in mail.outbox] == ["[党委办公室] 校领导提请上会：研究生公寓热水供应时间短"]
    assert mail.outbox[0].to == ["office@example.edu.cn"]
    assert console_errors == []

    page.context.clear_cookies()
    log_in("office")
    page.locator(".outreach-office-asks").get_by_role("link", name="研究生公寓热水供应时间短").click()
    expect(page.locator(".outreach-issue-asks")).to_contain_text("理由：涉及多个学院的共性问题")
    decline = page.locator(".outreach-decline")
    expect(decline.get_by_label("请党委办公室提请上会（校长办公会）")).to_be_checked()
    decline.get_by_role("button", name="不予提请").click()
    expect(page.get_by_text("请写明不予提请的理由。")).to_be_visible()  # refused, nothing recorded
    page.get_by_label("不予提请的理由").fill("可由后勤管理处直接办理，不属于校长办公会议事范围")
    page.get_by_role("button", name="不予提请").click()
    expect(flash_message("已答复：不予提请")).to_be_visible()
    expect(page.locator(".outreach-issue-asks")).to_have_count(0)
    expect(page.locator(".outreach-issue-events")).to_contain_text("党委办公室不予提请")
    expect(page.locator(".outreach-issue-events")).to_contain_text("可由后勤管理处直接办理")
    # Who declined whose request, not "孙海涛 → 孙海涛".
    expect(page.locator(".outreach-event-declined")).to_contain_text("不予提请 孙海涛 的提请")
    expect(page.locator(".outreach-event-asked")).to_contain_text("提请人：孙海涛")
    expect(page.locator(".outreach-issue-events")).not_to_contain_text("孙海涛 → 孙海涛")
    page.goto(f"{live_server.url}/")
    expect(page.locator(".outreach-office-asks")).to_have_count(0)  # no longer waiting on the office home
    assert mail.outbox[-1].subject == "[党委办公室] 党委办公室不予提请：研究生公寓热水供应时间短"
    assert "可由后勤管理处直接办理" in mail.outbox[-1].body
    assert console_errors == []

    page.context.clear_cookies()
    log_in("sunhaitao")
    page.goto(issue_url)
    answer = page.locator(".outreach-issue-declined")
    expect(answer).to_contain_text("党委办公室对提请的答复：不予提请")
    # The request (who asked, what, why) and the office's answer (who declined, why) apart.
    request = answer.locator(".outreach-declined-request")
    expect(request).to_contain_text("孙海涛")
    expect(request).to_contain_text("请党委办公室提请上会（校长办公会）")
    expect(request).to_contain_text("提请理由：涉及多个学院的共性问题")
    expect(request).not_to_contain_text("可由后勤管理处直接办理")
    reply = answer.locator(".outreach-declined-answer")
    expect(reply).to_contain_text("答复：不予提请")
    expect(reply).to_contain_text("不予提请的理由：可由后勤管理处直接办理，不属于校长办公会议事范围")
    expect(reply).not_to_contain_text("涉及多个学院")
    if os.environ.get("SHOTS_DIR"):
        answer.screenshot(path=f"{os.environ['SHOTS_DIR']}/decline_answer_{width}.png")
        page.locator(".outreach-issue-events").screenshot(
            path=f"{os.environ['SHOTS_DIR']}/decline_events_{width}.png"
        )
    page.get_by_label("列为议题，提请学校会议研究").check()
    page.get_by_label("提请理由").fill("已与后勤管理处协调，需学校统筹经费")
    page.get_by_role("button", name="向党委办公室提请").click()
    expect(flash_message("已向党委办公室提请")).to_be_visible()
    expect(page.locator(".outreach-issue-declined")).to_have_count(0)
    expect(page.locator(".outreach-issue-asks")).to_contain_text("已与后勤管理处协调")
    assert console_errors == []

    # The existing way on: the office lists the item from the form preset with the new request.
    page.context.clear_cookies()
    log_in("office")
    page.goto(issue_url)
    expect(page.get_by_label("提请理由")).to_have_value("已与后勤管理处协调，需学校统筹经费")
    page.get_by_role("button", name="列为议题").click()
    expect(flash_message("已列为议题")).to_be_visible()
    expect(page.locator(".outreach-issue-agenda")).to_contain_text("研究生公寓热水供应时间短")
    expect(page.locator(".outreach-issue-asks")).to_have_count(0)
    expect(page.locator(".outreach-decline")).to_have_count(0)
    assert console_errors == []
