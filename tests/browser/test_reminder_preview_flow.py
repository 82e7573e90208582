"""Before tomorrow's 08:00 run the office reads what it will send: from the office home it opens the preview, sees
who gets an email and its subject, opens a text body and the HTML body as a mail client shows it — on a desktop and a
phone — and nothing is recorded as sent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from communication.tests.factories import make_college_team, make_university_team, office_user
from governance.models import ReminderDigest, ReminderSent
from governance.services.schedules import ensure_periodic_tasks
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def teams(transactional_db, wednesday):
    """示例大学 (001) and 文学院 (000) with nothing recorded: the college's secretary is reminded of the missed
    coordination cycle of 2—15 November (000 四（四）)."""
    SemesterFactory()
    university, _people = make_university_team()
    make_college_team(university)
    ensure_periodic_tasks()
    office_user(username="bangongshi")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_office_reads_tomorrows_reminder_emails_before_they_are_sent(
    live_server, page, teams, log_in, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    log_in("bangongshi")
    page.get_by_role("link", name="下一次提醒邮件预览").click()

    expect(page.get_by_role("heading", name="提醒邮件预览")).to_be_visible()
    expect(page.locator(".reminder-run")).to_contain_text("下一次发送：2026年11月26日 08:00")
    expect(page.locator(".reminder-summary")).to_contain_text(re.compile(r"将发送 \d+ 封邮件"))
    email = page.locator("article.reminder-digest").filter(
        has=page.get_by_role("heading", name=re.compile("李书记"))
    )
    expect(email).to_have_count(1)
    expect(email.locator(".digest-subject")).to_contain_text("已逾期")
    expect(email.locator(".digest-items")).to_contain_text("领导班子工作碰头会")
    expect(email.locator(".digest-items")).to_contain_text(
        "依据《关于建立学院党政领导经常性沟通机制的暂行办法》四（四）"
    )

    email.get_by_text("纯文本正文").click()
    expect(email.locator(".digest-text pre")).to_contain_text("李书记同志：")
    email.get_by_text("HTML 正文（邮件客户端中的样子）").click()
    frame = email.frame_locator("iframe.digest-frame")
    expect(frame.get_by_text("李书记同志：")).to_be_visible()
    expect(frame.get_by_text("领导班子工作碰头会").first).to_be_visible()

    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert console_errors == []
    assert ReminderDigest.objects.count() == 0
    assert ReminderSent.objects.count() == 0
