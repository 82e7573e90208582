"""Timing (三（三）: 常规性工作每季度公开): in the last weeks of a quarter with no routine disclosure, the office's people
get it in their daily reminder email once (through a real SMTP server), citing 三（三）; a published item whose window
is closing with unanswered opinions is reminded too (三（一）3)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from disclosure import services
from disclosure.models import ItemState, Nature
from disclosure.tests.factories import propose, walk
from disclosure.timing import digest_sections, quarter_of
from governance.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_person(office):
    return PersonFactory(name="张敏", user=office, email="bangongshi@example.edu.cn")


def _on(day: dt.date):
    return time_machine.travel(
        dt.datetime.combine(day, dt.time(8, 0), tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


def test_quarters_run_from_their_first_to_their_last_day():
    assert quarter_of(dt.date(2026, 12, 20)) == (4, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert quarter_of(dt.date(2026, 2, 28)) == (1, dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_a_quarter_without_routine_disclosure_reminds_the_office_once_by_email(office_person, smtp_sink):
    with _on(dt.date(2026, 12, 20)):
        call_command("send_reminders", "--on", "2026-12-20")
    assert [m["to"][0] for m in smtp_sink.messages] == ["bangongshi@example.edu.cn"]
    body = smtp_sink.bodies()[0]
    assert "2026年第4季度还没有公开常规性工作" in body
    assert "三（三）" in body
    with _on(dt.date(2026, 12, 21)):
        call_command("send_reminders", "--on", "2026-12-21")
    assert len(smtp_sink.messages) == 1  # the same quarter is not reminded again


def test_no_reminder_early_in_the_quarter_or_once_routine_work_is_disclosed(office_person, office, approver):
    assert digest_sections([], dt.date(2026, 11, 20)) == {}
    walk(propose(office, nature=Nature.ROUTINE), ItemState.PUBLISHED, office=office, approver=approver)
    assert digest_sections([], dt.date(2026, 12, 20)) == {}


def test_temporary_work_does_not_count_as_the_quarters_routine_disclosure(office_person, office, approver):
    walk(propose(office, nature=Nature.TEMPORARY), ItemState.PUBLISHED, office=office, approver=approver)
    sections = digest_sections([], dt.date(2026, 12, 20))
    assert [s.key for s in sections[office_person.pk]] == ["routine:2026Q4"]


def test_a_closing_window_with_unanswered_opinions_is_reminded(office_person, office, approver, member):
    item = propose(office, nature=Nature.ROUTINE, publish_until=dt.date(2026, 11, 22))
    item = walk(item, ItemState.PUBLISHED, office=office, approver=approver)
    services.feedback_leave(item=item, user=member, text="建议按支部公布。")
    (section,) = digest_sections([], dt.date(2026, 11, 20))[office_person.pk]
    assert section.key == f"feedback:{item.pk}"
    assert "还有 1 条意见未答复" in section.lines[0].detail
