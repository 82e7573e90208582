"""The lead unit's progress reports on a long task as an engine rule (003 第五条, the pack's
003-supervision-progress-report): each report cycle shows on the home of the unit's head and liaisons (the member
home, above the supervision panel), overdue once it has ended without a report of the lead unit on that task, done
once one is made; another unit's people do not see it; the daily digest reminds its owners once per state, and
`send_reminders --dry-run` lists it."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.services.policies import policy_load
from governance.services.reminders import reminders_collect
from governance.tasks import send_digest
from supervision import services
from supervision.models import SupervisedTask
from supervision.tests.conftest import TODAY
from supervision.tests.factories import UnitContactFactory, register, walk

pytestmark = pytest.mark.django_db
SITE = "https://portal.example.edu.cn"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _long_task(office, unit, leader, title="推进专业认证", notified=dt.date(2026, 10, 23)) -> SupervisedTask:
    """A task reported every two weeks (第五条), notified on `notified`: on Friday 2026-11-20 its second cycle
    (11-06 — 11-19) has ended and its third (11-20 — 12-03) has begun."""
    task = walk(
        register(
            office,
            lead_unit=unit,
            leader=leader,
            title=title,
            assigned_on=dt.date(2026, 10, 20),
            deadline=dt.date(2027, 3, 31),
            report_cycle=14,
        ),
        "in_progress",
        office=office,
    )
    at = dt.datetime.combine(notified, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    SupervisedTask.objects.filter(pk=task.pk).update(notified_at=at)
    task.refresh_from_db()
    return task


@pytest.fixture
def adopted(leader):
    """The university (the leader's) adopts the supervision pack, as the demo and the office do."""
    policy_load(name="003-supervision")


def test_the_liaisons_home_shows_the_missed_cycle_as_overdue_and_the_current_one_with_a_report_link(
    client, adopted, office, unit, leader, liaison
):
    task = _long_task(office, unit, leader)
    client.force_login(liaison.user)
    page = _text(client.get(reverse("home")))
    assert "我的工作要求" in page
    assert page.index("我的工作要求") < page.index("本单位的督办事项")  # above the family's panel
    assert (
        f"已逾期 督办事项定期反馈进展 {task.number} 推进专业认证（第 2 期进展反馈）（11月6日—11月19日） · 完成 0/1次"
        in page
    )
    assert "第五条" in page
    assert (
        f"{task.number} 推进专业认证（第 3 期进展反馈）（11月20日—12月3日） · 完成 0/1次 · 12月3日前完成"
        in page
    )
    html = client.get(reverse("home")).content.decode()
    # 去报送 goes to the task's report form for the current cycle only: a report made today counts in it, not in
    # the cycle already missed.
    assert html.count(f'href="/supervision/tasks/{task.pk}/#progress-report">去报送</a>') == 1


def test_a_report_of_the_lead_unit_turns_its_cycle_done_and_counts_for_that_task_only(
    client, adopted, office, unit, other_unit, leader, liaison
):
    task = _long_task(office, unit, leader)
    other = _long_task(office, unit, leader, title="修订学籍管理办法")  # same unit, same dates
    co_handled = _long_task(office, other_unit, leader, title="联合申报教学成果奖")
    co_handled.co_units.add(unit)
    client.force_login(liaison.user)
    response = client.post(
        reverse("supervision:task_detail", args=[task.pk]),
        {"action": "report", "report-unit": unit.pk, "report-text": "已完成自评报告初稿。"},
    )
    assert response.status_code == 302
    # A report made in time for the second cycle (on 11-18) turns that one done too.
    services.progress_report(
        task=task, user=liaison.user, unit=unit, text="召开专题会议。", reported_on=dt.date(2026, 11, 18)
    )
    # The unit's part of another unit's task (协办) is not its report as a lead unit.
    services.progress_report(task=co_handled, user=liaison.user, unit=unit, text="协办部分已完成。")
    page = _text(client.get(reverse("home")))
    assert "已完成 1 项" in page
    assert f"已完成 督办事项定期反馈进展 {task.number} 推进专业认证（第 3 期进展反馈）" in page
    # The second cycle, made good by the report of 11-18, leaves the view (an ended cycle stays only while unmet).
    assert "推进专业认证（第 2 期进展反馈）" not in page
    # The other task of the same unit, on the same dates, is still owed.
    assert f"已逾期 督办事项定期反馈进展 {other.number} 修订学籍管理办法（第 2 期进展反馈）" in page
    assert f"{other.number} 修订学籍管理办法（第 3 期进展反馈）（11月20日—12月3日） · 完成 0/1次" in page
    assert "联合申报教学成果奖（第" not in page  # another unit's task: its own people's


def test_another_units_head_does_not_see_the_cycle(
    client, adopted, office, unit, other_unit, leader, liaison
):
    _long_task(office, unit, leader)
    head = UnitContactFactory(organization=other_unit, role="head", person__name="钱处长").person
    client.force_login(head.user)
    page = _text(client.get(reverse("home")))
    assert "推进专业认证（第" not in page
    assert "我的工作要求" not in page


def test_a_cycle_is_owed_by_those_in_post_on_its_last_day(client, adopted, office, unit, leader, liaison):
    """The liaison who took over on 11-10 owes the second cycle (ending 11-19), not the first (ending 11-05)."""
    task = _long_task(office, unit, leader)
    newcomer = UnitContactFactory(
        organization=unit, person__name="新联络", start=dt.date(2026, 11, 10)
    ).person
    services.progress_report(
        task=task, user=liaison.user, unit=unit, text="第一期。", reported_on=dt.date(2026, 10, 30)
    )
    client.force_login(newcomer.user)
    page = _text(client.get(reverse("home")))
    assert "推进专业认证（第 2 期进展反馈）" in page
    assert "推进专业认证（第 1 期进展反馈）" not in page


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    ids: list[int] = []
    monkeypatch.setattr(send_digest, "delay", ids.append)
    return ids


def test_the_daily_digest_reminds_the_units_people_of_the_missed_cycle_once(
    adopted, office, unit, leader, liaison, smtp_sink, queued, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    task = _long_task(office, unit, leader)
    out = StringIO()
    call_command("send_reminders", "--on", TODAY.isoformat(), "--dry-run", stdout=out)
    assert f"督办事项定期反馈进展：{task.number} 推进专业认证（第 2 期进展反馈）" in out.getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        reminders_collect(today=TODAY)
    while queued:
        assert send_digest.apply(args=(queued.pop(0),)).successful()
    mine = [m for m in smtp_sink.messages if m["to"][0] == liaison.email]
    assert len(mine) == 1
    body = mine[0]["message"].get_body(("plain",)).get_content()
    assert f"督办事项定期反馈进展：{task.number} 推进专业认证（第 2 期进展反馈）（教务处）" in body
    assert "已逾期 1 天" in body
    assert "第五条" in body

    # The next day: the same cycle, in the same state, is not sent again.
    with django_capture_on_commit_callbacks(execute=True):
        reminders_collect(today=TODAY + dt.timedelta(days=1))
    while queued:
        send_digest.apply(args=(queued.pop(0),))
    assert len([m for m in smtp_sink.messages if m["to"][0] == liaison.email]) == 1


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx.captured_queries)


def test_the_home_of_a_liaison_takes_as_many_queries_with_ten_long_tasks_as_with_one(
    client, adopted, office, unit, leader, liaison, django_assert_max_num_queries
):
    _long_task(office, unit, leader)
    client.force_login(liaison.user)
    _home_queries(client)  # the rules and the calendar, read once per data stamp
    one = _home_queries(client)
    for i in range(9):
        _long_task(office, unit, leader, title=f"专项工作{i}")
    _home_queries(client)  # the writes moved the data stamp: the rules are read again, once
    with django_assert_max_num_queries(one):
        assert "专项工作8（第 3 期进展反馈）" in client.get(reverse("home")).content.decode()
