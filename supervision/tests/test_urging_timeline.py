"""A long-overdue task's page (第四条（三）: urged again on every cadence until submitted): its timeline lists the latest
e-mail urging rounds and counts the older ones (“另有 N 次邮件催办”), with every round behind a link; the page costs
the same number of queries for 5 rounds as for 60."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from governance.models import ReminderDigest, ReminderSectionSent
from supervision import selectors
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def overdue(office, unit, leader):
    return walk(
        register(
            office,
            lead_unit=unit,
            leader=leader,
            title="整改校园安全隐患",
            assigned_on=dt.date(2024, 3, 1),
            deadline=dt.date(2024, 6, 30),
        ),
        "in_progress",
        office=office,
    )


def urge(task, rounds: int, people) -> None:
    """`rounds` e-mail urging rounds as the reminder job records them: one outbox row per person and round, the
    round's key naming the task and its deadline (selectors.urging_key), a week apart from 2024-07-01."""
    for n in range(1, rounds + 1):
        at = dt.datetime(2024, 7, 1, 8, 0, tzinfo=BEIJING) + dt.timedelta(weeks=n - 1)
        key = selectors.urging_key(task, n)
        for person in people:
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


def urging_titles(body: str) -> list[str]:
    return re.findall(r"邮件催办（第 (\d+) 次）", body)


def test_the_page_lists_the_latest_three_rounds_and_counts_the_others(
    client, office, overdue, leader, liaison
):
    urge(overdue, 8, [leader, liaison])
    client.force_login(office)
    body = client.get(reverse("supervision:task_detail", args=[overdue.pk])).content.decode()
    assert urging_titles(body) == ["6", "7", "8"]
    assert "另有 5 次邮件催办" in body
    assert "2024-07-01 — 2024-07-29" in body  # the first and the last of the rounds left out
    assert '<a href="?urgings=all#task-timeline">查看全部 8 次邮件催办</a>' in body
    assert "发送给：黄副校长、罗联络" in body


def test_the_link_lists_every_round_and_leads_back(client, office, overdue, leader):
    urge(overdue, 8, [leader])
    client.force_login(office)
    url = reverse("supervision:task_detail", args=[overdue.pk])
    body = client.get(url, {"urgings": "all"}).content.decode()
    assert urging_titles(body) == [str(n) for n in range(1, 9)]
    assert "另有" not in body
    assert f'<a class="fw-normal small" href="{url}#task-timeline">只看最近的邮件催办</a>' in body


def test_a_task_urged_three_times_or_fewer_lists_them_all_with_no_count(client, office, overdue, leader):
    urge(overdue, 3, [leader])
    client.force_login(office)
    body = client.get(reverse("supervision:task_detail", args=[overdue.pk])).content.decode()
    assert urging_titles(body) == ["1", "2", "3"]
    assert "另有" not in body
    assert "查看全部" not in body


def test_the_units_liaison_sees_the_same_timeline_and_another_unit_is_refused(
    client, overdue, leader, liaison, other_liaison
):
    urge(overdue, 5, [leader])
    url = reverse("supervision:task_detail", args=[overdue.pk])
    client.force_login(liaison.user)
    assert "另有 2 次邮件催办" in client.get(url).content.decode()
    assert urging_titles(client.get(url, {"urgings": "all"}).content.decode()) == ["1", "2", "3", "4", "5"]
    client.force_login(other_liaison.user)
    assert client.get(url, {"urgings": "all"}).status_code == 404


def test_the_page_costs_the_same_queries_for_5_rounds_as_for_60(
    client, office, overdue, leader, liaison, django_assert_max_num_queries
):
    urge(overdue, 5, [leader])
    client.force_login(office)
    url = reverse("supervision:task_detail", args=[overdue.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    queries = len(few.captured_queries)  # read now: the next request empties the connection's log
    for n in range(6, 61):  # 55 rounds more, to two people each
        at = dt.datetime(2024, 7, 1, 8, 0, tzinfo=BEIJING) + dt.timedelta(weeks=n - 1)
        key = selectors.urging_key(overdue, n)
        for person in (leader, liaison):
            digest = ReminderDigest.objects.create(
                person=person,
                to_email="x@example.edu.cn",
                subject="党委工作提醒",
                body_text="催办",
                sent_at=at,
            )
            ReminderSectionSent.objects.create(
                person=person, family="supervision", key=key, key_hash=f"{n}-{person.pk}", digest=digest
            )
    client.get(url)  # the outbox changed: its count is made again once
    with django_assert_max_num_queries(queries):
        body = client.get(url).content.decode()
    assert "另有 57 次邮件催办" in body
    with django_assert_max_num_queries(queries):
        body = client.get(url, {"urgings": "all"}).content.decode()
    assert len(urging_titles(body)) == 60
