"""What the communication family hands the core through its registration (communication/family.py): its menu entry,
its panels, the meetings in a calendar feed, and the agenda items awaiting an opinion in the daily reminder email."""

from __future__ import annotations

import datetime as dt

import pytest

from communication.family import FAMILY
from communication.models import AgendaItemStatus, MeetingKind
from communication.tests.factories import AgendaItemFactory, OpinionFactory, make_college_team
from governance import families
from governance.models import ReminderSectionSent
from governance.services.reminders import reminders_collect, reminders_plan

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


def test_the_family_is_registered_with_its_sources_and_panels():
    registered = families.get("communication")
    assert registered is FAMILY
    assert registered.leader_panel is not None
    assert registered.office_panel is not None
    from governance.engine import evidence

    assert evidence.get_source("communication.talk").label == "谈心谈话"
    assert evidence.get_event_source("communication.meeting")


def test_a_leader_is_reminded_once_of_the_agenda_items_awaiting_their_opinion(settings):
    settings.SITE_URL = "https://portal.example.edu.cn"
    college, (secretary, dean, *_rest) = make_college_team()
    item = AgendaItemFactory(
        title="学院年度预算调整",
        organization=college,
        proposer=dean,
        meeting_kind=MeetingKind.JOINT,
        status=AgendaItemStatus.CONSULTING,
    )
    opinion = OpinionFactory(item=item, person=secretary, reason="党政联席会议题须听取书记意见")
    AgendaItemFactory(title="尚未征求意见的草稿", organization=college, proposer=dean)

    secretary.email = "lin.shuji@example.edu.cn"
    secretary.save(update_fields=["email"])

    plan = reminders_plan(today=TODAY)
    (entry,) = [e for e in plan.recipients if e.person == secretary]
    (section,) = entry.sections
    assert section.title == "待您发表意见的议题（会前沟通）"
    (line,) = section.lines
    assert line.text == "学院年度预算调整"
    assert line.url == f"/communication/opinions/{opinion.pk}/"
    assert "党政联席会议题须听取书记意见" in line.detail

    reminders_collect(today=TODAY, queue=False)
    assert ReminderSectionSent.objects.filter(person=secretary, family="communication").count() == 1
    again = reminders_plan(today=TODAY)
    assert all(not e.sections for e in again.recipients if e.person == secretary)
