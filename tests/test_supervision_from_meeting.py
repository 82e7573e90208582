"""“转为督办事项” (issue 9): the office finds it on a meeting's page and on an agenda item's page, and it opens the
registration form prefilled from that meeting or decision (第二条（三）: 会议决议、决定); leaders do not see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communication.tests.factories import AgendaItemFactory, MeetingFactory, office_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]


def test_the_office_turns_a_meeting_or_a_decision_into_a_supervised_task(client, university, college):
    university_org, people = university
    meeting = MeetingFactory(organization=university_org, chair=people[0], attendees=[people[1]])
    item = AgendaItemFactory(
        organization=university_org, proposer=people[1], title="启用学生服务大厅", decision="同意启用。"
    )
    client.force_login(office_user(username="office-x"))
    to_task = reverse("supervision:task_create")
    page = client.get(reverse("communication:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'href="{to_task}?meeting={meeting.pk}"' in page
    page = client.get(reverse("communication:agenda_item_detail", args=[item.pk])).content.decode()
    assert f'href="{to_task}?agenda_item={item.pk}"' in page
    form = client.get(f"{to_task}?agenda_item={item.pk}").content.decode()
    assert "启用学生服务大厅" in form


def test_a_leader_does_not_see_the_link(client, university):
    university_org, people = university
    meeting = MeetingFactory(organization=university_org, chair=people[0], attendees=[people[1]])
    client.force_login(people[0].user)
    page = client.get(reverse("communication:meeting_detail", args=[meeting.pk])).content.decode()
    assert "转为督办事项" not in page
