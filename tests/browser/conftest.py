"""Playwright on Debian's Chromium against pytest-django's live server. Never downloads a browser.

Also what the stories share: the Wednesday they happen on, logging in through the login page, the console's
errors and the messages the site shows after an action."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from governance.tests.factories import PASSWORD

# Playwright's sync API keeps an event loop running in the main thread, which makes Django refuse ORM calls
# from the test body (creating the users and positions a story needs). Only the browser tests load this file.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Browsers on campus ask for Chinese; Django's LocaleMiddleware follows Accept-Language.
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def console_errors(page):
    """Errors the page logs, such as Content-Security-Policy violations; a clean page logs none."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def wednesday(settings):
    """Wednesday 25 November 2026, 10:00 in Beijing, for the live server's thread too (time-machine patches the
    process's clock). The clock ticks, and the cookies last as long as the browser, so the browser's real clock
    never sees them expire."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def log_in(page, live_server):
    """`log_in(username)`: open the site, log in on the login page it sends to, and land on the home page."""

    def log_in(username: str) -> None:
        page.goto(f"{live_server.url}/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page).to_have_url(f"{live_server.url}/")
        # The home page with its stylesheets: a test that measures the page right after logging in measures it styled.
        page.wait_for_load_state()

    return log_in


@pytest.fixture
def flash_message(page):
    """`flash_message(text)`: the message the site shows after an action, such as "已登记王院长的意见。"."""

    def flash_message(text: str):
        # The office also sees the calendar banner (no 2027 holidays yet), itself an alert.
        return page.locator(".alert-dismissible").filter(has_text=text)

    return flash_message
