"""Graded warning notices: the office issues a 黄色预警通知单 when a task's deadline is near and a 红色预警督办单 once it is
overdue, each once per deadline, recorded on the task and printable; a green task needs none; only the office issues;
the notice is seen by those who see the task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from governance.errors import DomainError
from supervision import services
from supervision.models import TaskAction, TaskEvent, WarningLevel, WarningNotice
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db


def _task(office, unit, leader, deadline):
    return walk(
        register(office, lead_unit=unit, leader=leader, deadline=deadline), "in_progress", office=office
    )


def test_a_near_deadline_gets_a_yellow_notice_and_an_overdue_one_a_red_one(
    office, unit, leader, liaison, mailoutbox, django_capture_on_commit_callbacks
):
    near = _task(office, unit, leader, dt.date(2026, 11, 24))
    late = _task(office, unit, leader, dt.date(2026, 11, 16))
    with django_capture_on_commit_callbacks(execute=True):
        yellow = services.warning_issue(task=near, user=office, note="请于周五前报结")
        red = services.warning_issue(task=late, user=office)
    assert (yellow.level, yellow.deadline) == (WarningLevel.AMBER, dt.date(2026, 11, 24))
    assert red.level == WarningLevel.RED
    assert (
        TaskEvent.objects.filter(task=near, action=TaskAction.WARN).get().note
        == "黄色预警通知单：请于周五前报结"
    )
    subjects = {m.subject.split("：")[0].split("]")[-1].strip(): m.to for m in mailoutbox}
    assert sorted(subjects["红色预警督办单"]) == sorted([liaison.contact_email, leader.contact_email])
    assert subjects["黄色预警通知单"] == [liaison.contact_email]


def test_a_warning_is_issued_once_per_level_and_deadline(office, unit, leader):
    late = _task(office, unit, leader, dt.date(2026, 11, 16))
    services.warning_issue(task=late, user=office)
    with pytest.raises(DomainError, match="已发出过红色预警督办单"):
        services.warning_issue(task=late, user=office)
    assert WarningNotice.objects.count() == 1


def test_a_green_or_submitted_task_needs_no_warning_and_only_the_office_issues(office, unit, leader, liaison):
    green = _task(office, unit, leader, dt.date(2027, 3, 1))
    with pytest.raises(DomainError, match="现在不需要预警"):
        services.warning_issue(task=green, user=office)
    late = _task(office, unit, leader, dt.date(2026, 11, 16))
    with pytest.raises(DomainError, match="预警通知由督查小组"):
        services.warning_issue(task=late, user=liaison.user)
    done = services.task_submit(task=late, user=liaison.user, result="已办完。")
    with pytest.raises(DomainError, match="“已报结”状态的事项无需预警"):
        services.warning_issue(task=done, user=office)
    assert not WarningNotice.objects.exists()


def test_the_office_issues_it_on_the_page_and_the_printed_notice_reads_like_the_form(
    client, office, unit, leader, liaison, other_liaison
):
    late = _task(office, unit, leader, dt.date(2026, 11, 16))
    url = reverse("supervision:task_detail", args=[late.pk])
    client.force_login(liaison.user)
    assert 'value="warn"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "warn", "warn-note": ""}).status_code == 302
    assert not WarningNotice.objects.exists()
    client.force_login(office)
    response = client.post(url, {"action": "warn", "warn-note": "请说明逾期原因"}, follow=True)
    assert "已发出红色预警督办单" in response.content.decode()
    notice = WarningNotice.objects.get()
    printed = client.get(notice.get_absolute_url()).content.decode()
    assert "<h1>红色预警督办单</h1>" in printed
    assert "已逾期 4 天" in printed
    assert "请说明逾期原因" in printed
    client.force_login(liaison.user)
    assert client.get(notice.get_absolute_url()).status_code == 200
    client.force_login(other_liaison.user)
    assert client.get(notice.get_absolute_url()).status_code == 404
