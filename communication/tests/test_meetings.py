"""Meetings: their rules (000 四（二）、四（三）), confidential records (001 三（八）) and private attachments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communication import services
from communication.models import Meeting, MeetingAttachment, MeetingKind
from communication.services import DomainError
from communication.tests.factories import (
    COLLEGE_KINDS,
    CollegeFactory,
    LeaderFactory,
    MeetingAttachmentFactory,
    MeetingFactory,
    make_team,
)
from governance.tests.factories import OfficeUserFactory

pytestmark = pytest.mark.django_db

MINUTES = "会议纪要：研究了干部调整事项。"


@pytest.fixture
def team():
    org = CollegeFactory(name="武术与表演学院")
    return org, make_team(org, COLLEGE_KINDS, names=["王书记", "张院长", "李副院长", "赵副院长", "钱副书记"])


def create(office, org, chair, **kwargs):
    fields = {
        "created_by": office,
        "organization": org,
        "kind": MeetingKind.COORDINATION,
        "title": "工作碰头会",
        "date": dt.date(2026, 11, 27),
        "start_time": dt.time(9, 0),
        "chair": chair,
    }
    fields.update(kwargs)
    return services.meeting_create(**fields)


# --- Rules --------------------------------------------------------------------------------------------------------


def test_a_retreat_needs_topics_announced_before_the_meeting(team, office):
    org, (secretary, *_) = team
    with pytest.raises(DomainError) as refused:
        create(office, org, secretary, kind=MeetingKind.RETREAT, title="务虚会")
    assert refused.value.message_dict == {
        "agenda": ["务虚会须事先设置议题（000 四（三）“议题设置和预告制度”），请填写议题。"],
        "topics_announced_on": ["务虚会议题须提前预告（000 四（三）），请填写预告日期。"],
    }
    with pytest.raises(DomainError) as refused:
        create(
            office,
            org,
            secretary,
            kind=MeetingKind.RETREAT,
            agenda="学院发展规划",
            topics_announced_on=dt.date(2026, 11, 27),
        )
    assert refused.value.message_dict["topics_announced_on"] == [
        "务虚会议题须在会议召开前预告（000 四（三）），预告日期应早于会议日期。"
    ]
    assert not Meeting.objects.exists()
    meeting = create(
        office,
        org,
        secretary,
        kind=MeetingKind.RETREAT,
        agenda="学院发展规划",
        topics_announced_on=dt.date(2026, 11, 13),
    )
    assert meeting.confidential is True


def test_a_democratic_life_meeting_needs_the_start_of_its_talks(team, office):
    org, (secretary, *_) = team
    with pytest.raises(DomainError) as refused:
        create(office, org, secretary, kind=MeetingKind.DEMOCRATIC_LIFE, title="民主生活会")
    assert refused.value.message_dict["preparation_start"] == [
        "民主生活会须填写会前谈心谈话的开始日期（000 四（二））。"
    ]


def test_a_meeting_cannot_end_before_it_starts(team, office):
    org, (secretary, *_) = team
    with pytest.raises(DomainError) as refused:
        create(office, org, secretary, end_time=dt.time(8, 30))
    assert refused.value.message_dict["end_time"] == ["结束时间必须晚于开始时间。"]


def test_the_office_records_a_meeting_from_the_form_and_a_refusal_keeps_the_input(client, team, office):
    org, (secretary, dean, *_) = team
    client.force_login(office)
    data = {
        "kind": MeetingKind.RETREAT,
        "organization": org.pk,
        "title": "2026年秋季学期务虚会",
        "date": "2026-11-27",
        "start_time": "14:30",
        "chair": secretary.pk,
        "attendees": [secretary.pk, dean.pk],
        "confidential": "on",
    }
    response = client.post(reverse("communication:meeting_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "务虚会须事先设置议题" in body
    assert "2026年秋季学期务虚会" in body
    data.update(agenda="学院“十五五”规划", topics_announced_on="2026-11-13")
    response = client.post(reverse("communication:meeting_create"), data)
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("communication:meeting_detail", args=[meeting.pk])
    assert set(meeting.attendees.all()) == {secretary, dean}
    assert meeting.recorded_by == office


def test_the_meeting_form_prefills_kind_organization_and_chair(client, team, office):
    org, (secretary, *_) = team
    client.force_login(office)
    response = client.get(f"{reverse('communication:meeting_create')}?kind=coordination&for={secretary.pk}")
    initial = response.context["form"].initial
    assert (initial["kind"], initial["organization"], initial["chair"]) == (
        "coordination",
        org.pk,
        secretary.pk,
    )


def test_only_the_office_records_meetings(client, team):
    _org, (secretary, *_) = team
    client.force_login(secretary.user)
    assert client.get(reverse("communication:meeting_create")).status_code == 403


# --- Confidential records -----------------------------------------------------------------------------------------


@pytest.fixture
def confidential_meeting(team):
    org, (secretary, dean, vice1, *_) = team
    meeting = MeetingFactory(organization=org, chair=secretary, attendees=[secretary, dean], minutes=MINUTES)
    attachment = MeetingAttachmentFactory(meeting=meeting, name="干部调整方案")
    return meeting, attachment


def test_an_attendee_reads_the_minutes_and_downloads_the_attachment(client, team, confidential_meeting):
    _org, (_secretary, dean, *_) = team
    meeting, attachment = confidential_meeting
    client.force_login(dean.user)
    body = client.get(reverse("communication:meeting_detail", args=[meeting.pk])).content.decode()
    assert MINUTES in body
    assert "干部调整方案" in body
    response = client.get(reverse("communication:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"confidential minutes"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_team_member_who_did_not_attend_sees_the_meeting_but_not_its_records(
    client, team, confidential_meeting
):
    _org, (_secretary, _dean, vice1, *_) = team
    meeting, attachment = confidential_meeting
    client.force_login(vice1.user)
    response = client.get(reverse("communication:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert MINUTES not in body
    assert "干部调整方案" not in body
    assert "会议纪要和附件仅参会、列席人员和党委办公室可见" in body
    assert client.get(reverse("communication:attachment_download", args=[attachment.pk])).status_code == 404


def test_a_leader_of_another_organization_cannot_open_the_meeting(client, confidential_meeting):
    meeting, attachment = confidential_meeting
    (elsewhere,) = make_team(CollegeFactory(name="外院"), COLLEGE_KINDS[:1])
    client.force_login(elsewhere.user)
    assert client.get(reverse("communication:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("communication:attachment_download", args=[attachment.pk])).status_code == 404


def test_anonymous_visitors_cannot_download(client, confidential_meeting):
    _meeting, attachment = confidential_meeting
    response = client.get(reverse("communication:attachment_download", args=[attachment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_attachments_live_in_private_storage_without_a_public_url(confidential_meeting):
    _meeting, attachment = confidential_meeting
    path = Path(attachment.file.path)
    assert path.is_file()
    assert Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
    assert Path(settings.STATIC_ROOT) not in path.parents
    assert attachment.file.url is None


def test_the_office_uploads_an_attachment_on_the_meeting_page(client, team, office):
    org, (secretary, *_) = team
    meeting = MeetingFactory(organization=org, chair=secretary)
    client.force_login(office)
    upload = SimpleUploadedFile("议程.txt", "议程内容".encode(), content_type="text/plain")
    response = client.post(
        reverse("communication:meeting_detail", args=[meeting.pk]), {"file": upload, "name": ""}
    )
    assert response.status_code == 302
    attachment = MeetingAttachment.objects.get(meeting=meeting)
    assert attachment.name == "议程.txt"
    assert attachment.uploaded_by == office


def test_a_leader_cannot_upload_attachments(client, team, confidential_meeting):
    _org, (secretary, *_) = team
    meeting, _attachment = confidential_meeting
    client.force_login(secretary.user)
    upload = SimpleUploadedFile("x.txt", b"x")
    assert (
        client.post(reverse("communication:meeting_detail", args=[meeting.pk]), {"file": upload}).status_code
        == 403
    )


def test_the_meeting_list_runs_a_constant_number_of_queries(client, team, django_assert_max_num_queries):
    org, (secretary, *others) = team
    client.force_login(secretary.user)
    MeetingFactory(organization=org, chair=secretary)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("communication:meeting_list"))
    for i in range(30):
        MeetingFactory(organization=org, chair=others[i % 4], attendees=others, date=dt.date(2026, 10, 1 + i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("communication:meeting_list"))
    assert response.content.decode().count("查看") == 31


def test_a_leader_sees_the_meetings_of_their_own_team_only(client, team):
    org, (secretary, *_) = team
    MeetingFactory(organization=org, chair=secretary, title="本院碰头会")
    MeetingFactory(organization=CollegeFactory(), chair=LeaderFactory(), title="外院碰头会")
    client.force_login(secretary.user)
    body = client.get(reverse("communication:meeting_list")).content.decode()
    assert "本院碰头会" in body
    assert "外院碰头会" not in body


def test_a_meeting_without_minutes_says_so_and_the_office_is_told_it_can_add_them(client, team):
    org, (secretary, dean, *_) = team
    meeting = MeetingFactory(organization=org, chair=secretary, attendees=[secretary, dean], minutes="")
    url = reverse("communication:meeting_detail", args=[meeting.pk])

    client.force_login(dean.user)
    body = client.get(url).content.decode()
    assert "尚未登记会议纪要。" in body
    assert "会后可点“修改”补登纪要" not in body  # an attendee cannot change it

    client.force_login(OfficeUserFactory())
    assert "尚未登记会议纪要。 会后可点“修改”补登纪要。" in client.get(url).content.decode()
