"""Timing (三（三）: 常规性工作每季度公开；阶段性工作完成后立即公开): in the last weeks of a quarter with no routine
disclosure, and once a phase of work is past its follow-up date unpublished, the office's people
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


def _phase(office, **overrides):
    fields = {"title": "年度发展党员情况", "nature": Nature.PHASE, "follow_up_on": dt.date(2026, 11, 25)}
    fields.update(overrides)
    return propose(office, **fields)


def test_a_phase_of_work_past_its_follow_up_date_unpublished_reminds_the_office_once_by_email(
    office_person, office, approver, smtp_sink
):
    item = walk(_phase(office), ItemState.APPROVED, office=office, approver=approver)
    with _on(dt.date(2026, 11, 25)):
        call_command("send_reminders", "--on", "2026-11-25")
    assert smtp_sink.messages == []  # the follow-up day itself: the work may end today
    with _on(dt.date(2026, 11, 26)):
        call_command("send_reminders", "--on", "2026-11-26")
    assert [m["to"][0] for m in smtp_sink.messages] == ["bangongshi@example.edu.cn"]
    body = smtp_sink.bodies()[0]
    assert "阶段性工作完成后尚未公开（三（三））" in body
    assert "年度发展党员情况" in body
    assert "跟进日期 2026年11月25日 已过，事项仍为“已批准”" in body
    assert f"/disclosure/items/{item.pk}/" in body
    with _on(dt.date(2026, 11, 27)):
        call_command("send_reminders", "--on", "2026-11-27")
    assert len(smtp_sink.messages) == 1  # once per item


def test_a_published_phase_or_one_whose_date_is_to_come_is_not_reminded(office_person, office, approver):
    walk(_phase(office, title="已公开的阶段性工作"), ItemState.PUBLISHED, office=office, approver=approver)
    _phase(office, title="尚未到期", follow_up_on=dt.date(2026, 12, 5))
    assert digest_sections([], dt.date(2026, 11, 26)) == {}


def test_each_late_phase_is_its_own_section_so_a_new_one_does_not_repeat_the_old(office_person, office):
    first = _phase(office, title="第一项", follow_up_on=dt.date(2026, 11, 10))
    second = _phase(office, title="第二项", follow_up_on=dt.date(2026, 11, 12))
    keys = [s.key for s in digest_sections([], dt.date(2026, 11, 26))[office_person.pk]]
    assert keys == [f"phase:{first.pk}", f"phase:{second.pk}"]


def test_a_phase_of_work_cannot_be_registered_without_its_follow_up_date(office):
    from django.test import Client
    from django.urls import reverse

    from disclosure.models import DisclosureItem
    from governance.errors import DomainError

    with pytest.raises(DomainError, match="阶段性工作须填写跟进日期"):
        _phase(office, follow_up_on=None)
    client = Client()
    client.force_login(office)
    response = client.post(
        reverse("disclosure:item_create"),
        {
            "title": "换届选举情况",
            "category": "organization",
            "content": "换届选举工作已完成。",
            "nature": "phase",
            "scope": "members",
            "form": "bulletin",
            "publish_from": "2026-11-20",
        },
    )
    body = response.content.decode()
    assert "阶段性工作须填写跟进日期（三（三）：阶段性工作完成后立即公开）。" in body
    assert 'value="换届选举情况"' in body
    assert not DisclosureItem.objects.exists()
    # Other natures keep no follow-up date.
    item = propose(office, nature=Nature.TEMPORARY, follow_up_on=dt.date(2026, 12, 1))
    assert item.follow_up_on is None
