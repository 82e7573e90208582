"""The office's admin for communication/: office only, notes only in the change form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communication import services
from communication.models import AgendaItemStatus, MeetingKind, Opinion, OpinionStance
from communication.tests.factories import (
    AbsenceFactory,
    AgendaItemFactory,
    CollegeFactory,
    HandoverFactory,
    LeaderFactory,
    MeetingAttachmentFactory,
    MeetingFactory,
    TalkFactory,
    leader_user,
    make_team,
)
from governance.models import PositionKind

pytestmark = pytest.mark.django_db

NOTES = "只在修改页可见的谈话要点"


@pytest.fixture
def talk():
    return TalkFactory(participants=[LeaderFactory(name="王书记"), LeaderFactory(name="张院长")], notes=NOTES)


@pytest.mark.parametrize("model", ["meeting", "agendaitem", "talk", "absence"])
def test_the_office_opens_each_changelist(client, office, model, talk):
    MeetingAttachmentFactory()
    AgendaItemFactory()
    HandoverFactory(absence=AbsenceFactory())
    client.force_login(office)
    assert client.get(reverse(f"admin:communication_{model}_changelist")).status_code == 200


def test_the_talk_changelist_never_shows_notes_but_the_change_form_does(client, office, talk):
    client.force_login(office)
    changelist = client.get(reverse("admin:communication_talk_changelist")).content.decode()
    assert "王书记" in changelist
    assert NOTES not in changelist
    change = client.get(reverse("admin:communication_talk_change", args=[talk.pk])).content.decode()
    assert NOTES in change
    history = client.get(reverse("admin:communication_talk_history", args=[talk.pk]))
    assert history.status_code == 200


def test_a_leader_with_a_staff_flag_cannot_open_a_talk_or_its_history(client, talk):
    leader = leader_user(username="staff-leader", is_staff=True)
    client.force_login(leader)
    for url in (
        reverse("admin:communication_talk_change", args=[talk.pk]),
        reverse("admin:communication_talk_history", args=[talk.pk]),
        reverse("admin:communication_talk_changelist"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert NOTES not in response.content.decode()


def test_the_talk_changelist_runs_a_constant_number_of_queries(client, office, django_assert_max_num_queries):
    client.force_login(office)
    TalkFactory(participants=[LeaderFactory(), LeaderFactory()])
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("admin:communication_talk_changelist"))
    for _ in range(30):
        TalkFactory(participants=[LeaderFactory(), LeaderFactory()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("admin:communication_talk_changelist"))


def test_editing_opinions_in_the_admin_keeps_the_items_status_in_step(client, office):
    org = CollegeFactory()
    secretary, dean = make_team(org, [PositionKind.SECRETARY, PositionKind.PRESIDENT])
    item = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.JOINT, proposer=secretary)
    services.agenda_item_open_consultation(item=item, by=office)
    opinion = Opinion.objects.get(item=item)
    client.force_login(office)
    url = reverse("admin:communication_agendaitem_change", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "title": item.title,
        "organization": org.pk,
        "meeting_kind": MeetingKind.JOINT,
        "meeting": "",
        "proposer": secretary.pk,
        "description": "",
        "decision": "",
        "opinions-TOTAL_FORMS": "1",
        "opinions-INITIAL_FORMS": "1",
        "opinions-MIN_NUM_FORMS": "0",
        "opinions-MAX_NUM_FORMS": "1000",
        "opinions-0-id": opinion.pk,
        "opinions-0-item": item.pk,
        "opinions-0-person": dean.pk,
        "opinions-0-required": "on",
        "opinions-0-reason": opinion.reason,
        "opinions-0-stance": OpinionStance.DISAGREE,
        "opinions-0-comment": "再议",
        "opinions-0-resolution_note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.HELD_BACK


def test_the_meeting_admin_links_attachments_to_the_private_download(client, office):
    attachment = MeetingAttachmentFactory(meeting=MeetingFactory())
    client.force_login(office)
    body = client.get(
        reverse("admin:communication_meeting_change", args=[attachment.meeting.pk])
    ).content.decode()
    assert reverse("communication:attachment_download", args=[attachment.pk]) in body
