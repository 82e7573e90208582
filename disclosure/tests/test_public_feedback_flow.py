"""Browser story (Playwright on Debian's Chromium): a visitor who never logs in opens an item disclosed to 社会 from the
public page, leaves an opinion with a name and an email (三（一）3), is told what happens next and given a reference
number; a member of staff reading the item sees the opinion but not who wrote it; the office sees the name and the
contact and answers, and the answer goes to the visitor's email and shows on the page. On a phone the form fits.

The browser fixtures are tests/browser's (this family's tests live under disclosure/)."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from disclosure.models import Feedback, ItemState, Scope
from disclosure.tests.factories import committee_member, office_user, propose, staff_member, walk
from governance.tests.factories import PASSWORD
from tests.browser.conftest import (  # noqa: F401 - fixtures
    browser_context_args,
    browser_type_launch_args,
    console_errors,
    wednesday,
)

pytestmark = pytest.mark.browser

TITLE = "校领导接待日安排"


@pytest.fixture
def world(transactional_db, wednesday):  # noqa: F811
    office = office_user(username="bangongshi", first_name="张敏")
    approver = committee_member(name="林书记", username="linshuji").user
    staff_member(username="jiaozhigong")
    return walk(
        propose(office, title=TITLE, scope=Scope.PUBLIC, content="<p>每月第一个周三下午。</p>"),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )


def _signed_in(browser, live_server, username: str, **kwargs):
    page = browser.new_page(locale="zh-CN", **kwargs)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/")
    return page


def test_a_visitor_leaves_an_opinion_without_logging_in_and_the_office_answers_by_email(
    page,
    live_server,
    world,
    browser,
    console_errors,  # noqa: F811
):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/disclosure/public/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    form = page.locator(".public-feedback-form")
    expect(form).to_contain_text("无须登录")
    typed = '<img src=x onerror="alert(1)">建议接待日增加晚间时段。'
    form.get_by_label("意见建议").fill(typed)
    form.get_by_label("姓名").fill("王先生")
    form.get_by_role("button", name="提交意见").click()  # no contact: refused, the rest kept
    expect(form).to_contain_text("请留下电话或电子邮箱")
    expect(form.get_by_label("意见建议")).to_have_value(typed)
    expect(form.get_by_label("姓名")).to_have_value("王先生")
    form.get_by_label("电话或电子邮箱").fill("wang@example.com")
    form.get_by_role("button", name="提交意见").click()
    thanks = page.locator(".public-feedback-thanks")
    expect(thanks).to_contain_text("感谢您的意见，已经收到。")
    reference = Feedback.objects.get().reference
    expect(thanks.locator(".feedback-reference")).to_have_text(reference)
    expect(thanks).to_contain_text("答复会发送到您留下的邮箱 wang@example.com")
    expect(page.locator(".feedback-entry")).to_contain_text("社会公众")
    expect(page.locator(".feedback-entry")).not_to_contain_text("王先生")
    assert Feedback.objects.get().text == "建议接待日增加晚间时段。"  # stored without the markup

    staff = _signed_in(browser, live_server, "jiaozhigong")
    staff.goto(f"{live_server.url}{world.get_absolute_url()}")
    expect(staff.locator(".feedback-entry")).to_contain_text("建议接待日增加晚间时段。")
    expect(staff.locator(".feedback-entry")).not_to_contain_text("王先生")
    expect(staff.locator(".feedback-entry")).not_to_contain_text("wang@example.com")

    office = _signed_in(browser, live_server, "bangongshi")
    office.goto(f"{live_server.url}{world.get_absolute_url()}")
    author = office.locator(".feedback-public-author")
    expect(author).to_contain_text("王先生")
    expect(author).to_contain_text("联系方式：wang@example.com")
    expect(author).to_contain_text(reference)
    office.locator(".response-form").get_by_label("答复").fill("下学期起增加晚间接待。")
    office.locator(".response-form").get_by_role("button", name="答复").click()
    expect(office.locator(".alert-dismissible").filter(has_text="已答复")).to_be_visible()
    assert mail.outbox[-1].to == ["wang@example.com"]
    assert reference in mail.outbox[-1].body

    page.goto(f"{live_server.url}{world.get_absolute_url()}")
    expect(page.locator(".feedback-response")).to_contain_text("下学期起增加晚间接待。")
    assert dialogs == []
    assert console_errors == []


def test_on_a_phone_the_public_form_fits_the_screen(page, live_server, world, console_errors):  # noqa: F811
    phone = page
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{live_server.url}{world.get_absolute_url()}")
    phone.wait_for_load_state()
    form = phone.locator(".public-feedback-form")
    expect(form.get_by_label("电话或电子邮箱")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    form.get_by_label("意见建议").fill("建议公布接待记录。")
    form.get_by_label("姓名").fill("李女士")
    form.get_by_label("电话或电子邮箱").fill("13812345678")
    form.get_by_role("button", name="提交意见").click()
    expect(phone.locator(".public-feedback-thanks")).to_contain_text("通过您留下的电话 13812345678 告知答复")
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert console_errors == []
