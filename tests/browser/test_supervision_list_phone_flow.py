"""The task list on a phone (390 px) and on a desktop (1280 px), as the lead unit's liaison and the office see it:
on a phone each task is a card — its number and state on top, the matter, then the lead unit, the responsible leader
and the deadline with its colour badge, each named — with no column header wrapping a character a line and nothing
scrolling sideways; on a desktop the same tasks are a table with its headers. A long-overdue task's page lists its
latest e-mail urging rounds, counts the others and shows them all behind a link (第四条（三）)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from playwright.sync_api import Page, expect

from communication.tests.factories import make_university_team
from governance.models import ReminderDigest, ReminderSectionSent
from governance.tests.factories import PASSWORD, SemesterFactory
from supervision import selectors, services
from supervision.tests.factories import DepartmentFactory, UnitContactFactory, office_user

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, wednesday):
    """Two tasks of 教务处 on Wednesday 25 November 2026: one a week overdue (urged by e-mail five times), one due
    next year; 学生工作处 co-handles the first."""
    SemesterFactory()
    _university, people = make_university_team(pack=None)
    office = office_user(username="bangongshi")
    unit = DepartmentFactory(name="教务处", code="jwc")
    co_unit = DepartmentFactory(name="学生工作处", code="xgc")
    liaison = UnitContactFactory(
        organization=unit, person__name="罗联络", person__user__username="jwc_lianluo"
    )
    leader = people[2]

    def task(title: str, deadline: dt.date, **kwargs):
        registered = services.task_register(
            registered_by=office,
            title=title,
            source="work_plan",
            kind="special",
            assigned_on=dt.date(2026, 9, 1),
            lead_unit=unit,
            leader=leader,
            matter=f"{title}。",
            deadline=deadline,
            **kwargs,
        )
        if registered.needs_approval:
            registered = services.task_approve(task=registered, user=office)
        notified = services.task_notify(task=registered, user=office, method="notice")
        return services.task_accept(task=notified, user=office)

    overdue = task("完成新生入学教育方案并组织实施", dt.date(2026, 11, 18), co_units=[co_unit])
    task("修订本科生学籍管理规定", dt.date(2027, 3, 31))
    for n in range(1, 6):  # five e-mail urging rounds, as the reminder job records them, a week apart
        at = dt.datetime(2026, 10, 19, 0, 0, tzinfo=dt.UTC) + dt.timedelta(weeks=n - 1)
        key = selectors.urging_key(overdue, n)
        for person in (leader, liaison.person):
            digest = ReminderDigest.objects.create(
                person=person,
                to_email="x@example.edu.cn",
                subject="党委工作提醒",
                body_text="催办",
                sent_at=at,
            )
            row = ReminderSectionSent.objects.create(
                person=person,
                family="supervision",
                key=key,
                key_hash=hashlib.sha1(f"supervision:{key}".encode(), usedforsecurity=False).hexdigest(),
                digest=digest,
            )
            ReminderSectionSent.objects.filter(pk=row.pk).update(created=at)
    return {"overdue": overdue}


def _login(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/")


def _fits(page: Page) -> None:
    page.wait_for_load_state()  # measured before its stylesheets arrive, a page is wider
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url}: {width} > {inner}"


@pytest.mark.parametrize("username", ["jwc_lianluo", "bangongshi"])
def test_on_a_phone_each_task_is_a_card_with_its_key_facts(
    page, live_server, world, console_errors, username
):
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server, username)
    page.goto(f"{live_server.url}/supervision/")
    _fits(page)
    expect(page.locator(".supervision-tasks thead")).to_be_hidden()
    card = page.locator("tr.task-row").filter(has_text="完成新生入学教育方案并组织实施")
    number = card.locator(".task-number")
    expect(number).to_have_text(world["overdue"].number)
    expect(card.locator(".task-state")).to_contain_text("办理中")
    expect(card.get_by_role("link", name="完成新生入学教育方案并组织实施")).to_be_visible()
    expect(card).to_contain_text("协办：学生工作处")
    for cls, label, text in (
        ("task-unit", "主办单位", "教务处"),
        ("task-deadline", "办理时限", "2026-11-18"),
    ):
        cell = card.locator(f".{cls}")
        expect(cell).to_be_visible()
        expect(cell).to_contain_text(text)
        shown = cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert shown == f'"{label}："', shown
    expect(card.locator(".task-leader")).to_be_visible()
    expect(card.locator(".badge")).to_have_text("逾期 7 天")
    # The card spans the screen: the matter reads on one or two lines, not a character a line.
    title_box = card.locator(".task-title a").bounding_box()
    card_box = card.bounding_box()
    assert title_box["height"] < 45, title_box  # one line here (a character a line was 8 lines tall)
    assert card_box["width"] > 340, card_box
    assert card_box["x"] >= 0, card_box
    assert card_box["x"] + card_box["width"] <= 390, card_box
    assert number.bounding_box()["y"] < title_box["y"]  # the number heads the card
    assert console_errors == []


def test_on_a_desktop_the_tasks_are_a_table_with_its_headers(page, live_server, world, console_errors):
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server, "bangongshi")
    page.goto(f"{live_server.url}/supervision/")
    _fits(page)
    headers = page.locator(".supervision-tasks thead th")
    expect(headers).to_have_text(["立项编号", "督办事项", "主办单位", "分管校领导", "办理时限", "状态"])
    row = page.locator("tr.task-row").filter(has_text="完成新生入学教育方案并组织实施")
    boxes = [row.locator(f".{cls}").bounding_box() for cls in ("task-number", "task-title", "task-unit")]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]  # one line of cells side by side
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert console_errors == []


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_long_overdue_tasks_page_counts_its_older_urgings_and_shows_them_on_request(
    page, live_server, world, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900})
    _login(page, live_server, "bangongshi")
    page.goto(f"{live_server.url}/supervision/tasks/{world['overdue'].pk}/")
    timeline = page.locator(".task-timeline")
    expect(timeline.get_by_text("另有 2 次邮件催办")).to_be_visible()
    expect(timeline.locator("li", has_text="邮件催办（第")).to_have_count(3)
    _fits(page)
    timeline.get_by_role("link", name="查看全部 5 次邮件催办").click()
    expect(page).to_have_url(
        f"{live_server.url}/supervision/tasks/{world['overdue'].pk}/?urgings=all#task-timeline"
    )
    expect(timeline.locator("li", has_text="邮件催办（第")).to_have_count(5)
    expect(timeline.get_by_text("另有")).to_have_count(0)
    _fits(page)
    page.get_by_role("link", name="只看最近的邮件催办").click()
    expect(timeline.locator("li", has_text="邮件催办（第")).to_have_count(3)
    assert console_errors == []
