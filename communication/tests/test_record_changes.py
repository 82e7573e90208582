"""Correcting a record (issue 8): whoever recorded a meeting, talk or absence, and the office, edit or delete it with a
reason kept in its audit history (修改记录); nobody else may, by the page or by the address. Edits pass the checks of
recording, keep what was typed when refused and save nothing half; the obligation pages follow.

Friday 20 November 2026. 文学院 (pack 000): 李书记, 王院长, 赵副院长, 钱副院长, 孙副书记; the university (pack 001):
林书记, 周校长, 吴副校长."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communication import services
from communication.models import Absence, Handover, Meeting, MeetingAttachment, MeetingKind, Talk
from communication.services import DomainError
from communication.tests.factories import (
    AgendaItemFactory,
    DemocraticLifeMeetingFactory,
    MeetingAttachmentFactory,
    make_college_team,
    make_university_team,
    office_user,
)
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.django_db

D = dt.date
WRONG_DATE = "谈话日期登记错了，应为11月12日"


def text(response) -> str:
    """The page's words, without tags."""
    body = response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def history_section(response) -> str:
    body = response.content.decode()
    found = re.search(r'<section class="card mb-3 record-history".*?</section>', body, re.S)
    assert found, "the page has no 修改记录 section"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


@pytest.fixture
def university(db):
    """The university under pack 001, in the 2026—2027 autumn semester: (university, [林书记, 周校长, 吴副校长])."""
    SemesterFactory()
    return make_university_team()


@pytest.fixture
def college(university):
    """文学院 under pack 000: (college, [李书记, 王院长, 赵副院长, 钱副院长, 孙副书记])."""
    return make_college_team(university[0])


@pytest.fixture
def office(db):
    return office_user(username="bangongshi", first_name="办公室")


@pytest.fixture
def talk(college):
    """李书记 recorded, on the 18th, a talk with 王院长 that took place on the 12th."""
    _college, (secretary, dean, *_rest) = college
    return services.talk_record(
        recorded_by_user=secretary.user,
        participants=[secretary, dean],
        date=D(2026, 11, 18),
        formal=False,
        topics=["work"],
        notes="谈学院下学期课程安排。",
    )


def talk_post(talk, **changes) -> dict:
    data = {
        "participants": [p.pk for p in talk.participants.all() if p.user_id != talk.recorded_by_id],
        "date": f"{talk.date:%Y-%m-%d}",
        "channel": talk.channel,
        "topics": talk.topics,
        "notes": talk.notes,
        "change_reason": WRONG_DATE,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Talks: who may --------------------------------------------------------------------------------------------------


def test_a_leader_fixes_the_date_of_their_talk_with_a_reason_and_the_history_shows_who_what_when_and_why(
    client, college, talk
):
    _college, (secretary, *_rest) = college
    client.force_login(secretary.user)
    page = client.get(reverse("communication:talk_detail", args=[talk.pk]))
    assert f'href="/communication/talks/{talk.pk}/edit/"' in page.content.decode()

    form = client.get(reverse("communication:talk_update", args=[talk.pk]))
    assert form.status_code == 200
    assert form.context["form"].initial["date"] == D(2026, 11, 18)  # prefilled, the same form as recording
    assert "修改原因" in text(form)
    response = client.post(
        reverse("communication:talk_update", args=[talk.pk]), talk_post(talk, date="2026-11-12")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("communication:talk_detail", args=[talk.pk])
    talk.refresh_from_db()
    assert talk.date == D(2026, 11, 12)
    assert talk.recorded_by == secretary.user  # still who entered it; the history says who changed it
    detail = client.get(response["Location"])
    assert "谈心谈话已修改，修改原因已记入修改记录。" in text(detail)
    history = history_section(detail)
    assert f"修改 李书记 2026-11-20 10:00 原因：{WRONG_DATE} 谈话日期： 2026-11-18 → 2026-11-12" in history
    assert history.endswith("登记 李书记 2026-11-20 10:00")
    latest = talk.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (WRONG_DATE, secretary.user)


def test_the_office_corrects_a_talk_a_leader_recorded(client, college, talk, office):
    _college, (secretary, dean, vice, *_rest) = college
    client.force_login(office)
    assert "修改" in text(client.get(reverse("communication:talk_detail", args=[talk.pk])))
    response = client.post(
        reverse("communication:talk_update", args=[talk.pk]),
        talk_post(talk, participants=[secretary.pk, dean.pk, vice.pk], change_reason="漏登了赵副院长"),
    )
    assert response.status_code == 302
    assert set(talk.participants.all()) == {secretary, dean, vice}
    history = history_section(client.get(response["Location"]))
    assert (
        "修改 办公室 2026-11-20 10:00 原因：漏登了赵副院长 参与人： 李书记、王院长 → 李书记、王院长、赵副院长"
        in history
    )


def test_a_participant_who_did_not_record_the_talk_sees_no_buttons_and_is_refused_by_address(
    client, college, talk
):
    _college, (_secretary, dean, *_rest) = college
    rows = talk.history.count()
    client.force_login(dean.user)
    detail = client.get(reverse("communication:talk_detail", args=[talk.pk]))
    assert detail.status_code == 200
    assert "/edit/" not in detail.content.decode()
    assert "/delete/" not in detail.content.decode()
    assert "修改记录" in text(detail)  # the history: for whoever may see the talk
    for name in ("communication:talk_update", "communication:talk_delete"):
        assert client.get(reverse(name, args=[talk.pk])).status_code == 403
        assert (
            client.post(reverse(name, args=[talk.pk]), talk_post(talk, date="2026-11-12")).status_code == 403
        )
    talk.refresh_from_db()
    assert talk.date == D(2026, 11, 18)
    assert talk.history.count() == rows


def test_someone_who_may_not_see_the_talk_does_not_learn_it_exists(client, college, university, talk):
    _college, (*_team, deputy) = college
    _university, (linshuji, *_rest) = university
    for user in (deputy.user, linshuji.user):
        client.force_login(user)
        for name in ("communication:talk_update", "communication:talk_delete"):
            assert client.get(reverse(name, args=[talk.pk])).status_code == 404
            assert client.post(reverse(name, args=[talk.pk]), {"change_reason": "x"}).status_code == 404
    assert Talk.objects.filter(pk=talk.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in_from_the_edit_and_delete_pages(client, college, talk):
    for name in ("communication:talk_update", "communication:talk_delete"):
        response = client.post(reverse(name, args=[talk.pk]), {"change_reason": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Talk.objects.filter(pk=talk.pk).exists()


def test_a_leader_who_left_the_leaders_group_no_longer_changes_what_they_recorded(client, college, talk):
    _college, (secretary, *_rest) = college
    secretary.user.groups.clear()
    user = get_user_model().objects.get(pk=secretary.user_id)  # the groups as they are now
    client.force_login(user)
    assert client.get(reverse("communication:talk_update", args=[talk.pk])).status_code == 403
    with pytest.raises(DomainError) as refused:
        services.talk_delete(talk=talk, deleted_by=user, change_reason="重复登记")
    assert refused.value.messages == ["只有登记这次谈心谈话的人和党委办公室可以删除它。"]


# --- Talks: the checks of recording, a reason, nothing half-saved ------------------------------------------------------


def test_a_change_without_a_reason_is_refused_in_chinese_and_keeps_what_was_typed(client, college, talk):
    _college, (secretary, *_rest) = college
    rows = talk.history.count()
    client.force_login(secretary.user)
    response = client.post(
        reverse("communication:talk_update", args=[talk.pk]),
        talk_post(talk, date="2026-11-12", notes="补充：谈到教研室调整。", change_reason="  "),
    )
    assert response.status_code == 200
    assert "请填写修改原因。" in text(response)
    assert "补充：谈到教研室调整。" in response.content.decode()
    assert 'value="2026-11-12"' in response.content.decode()
    talk.refresh_from_db()
    assert (talk.date, talk.notes) == (D(2026, 11, 18), "谈学院下学期课程安排。")
    assert talk.history.count() == rows


def test_a_wrong_date_gets_the_same_message_as_when_recording(client, college, talk):
    _college, (secretary, *_rest) = college
    client.force_login(secretary.user)
    url = reverse("communication:talk_update", args=[talk.pk])
    future = client.post(url, talk_post(talk, date="2026-11-27", notes="改过的要点"))
    assert "谈话日期不能晚于今天。" in text(future)
    assert "改过的要点" in future.content.decode()
    ancient = client.post(url, talk_post(talk, date="1999-12-31"))
    assert "日期须在2000年1月1日至2031年11月20日之间。" in text(ancient)
    talk.refresh_from_db()
    assert talk.date == D(2026, 11, 18)


def test_a_leader_may_not_name_someone_of_another_team_when_correcting(client, college, university, talk):
    _college, (secretary, *_rest) = college
    _university, (linshuji, *_rest) = university
    client.force_login(secretary.user)
    response = client.post(
        reverse("communication:talk_update", args=[talk.pk]), talk_post(talk, participants=[linshuji.pk])
    )
    assert "林书记在2026年11月18日不是您所在领导班子的成员，不能列入这条记录" in text(response)
    assert set(talk.participants.values_list("name", flat=True)) == {"李书记", "王院长"}


def test_a_reason_longer_than_the_history_keeps_is_refused(college, talk):
    _college, (secretary, dean, *_rest) = college
    with pytest.raises(DomainError) as refused:
        services.talk_update(
            talk=talk,
            changed_by=secretary.user,
            change_reason="原" * 101,
            participants=[secretary, dean],
            date=D(2026, 11, 12),
            formal=False,
            topics=["work"],
            notes=talk.notes,
        )
    assert refused.value.message_dict == {"change_reason": ["原因最多 100 个字（现有 101 个字）。"]}


def test_saving_without_changing_anything_says_so_and_writes_no_history(client, college, talk):
    _college, (secretary, *_rest) = college
    rows = talk.history.count()
    client.force_login(secretary.user)
    response = client.post(reverse("communication:talk_update", args=[talk.pk]), talk_post(talk))
    assert "没有需要保存的修改。" in text(response)
    assert talk.history.count() == rows


def test_the_history_says_the_notes_changed_without_quoting_them(client, college, talk):
    _college, (secretary, dean, *_rest) = college
    client.force_login(secretary.user)
    client.post(
        reverse("communication:talk_update", args=[talk.pk]),
        talk_post(talk, notes="新的要点：保密内容。", change_reason="补记要点"),
    )
    client.force_login(dean.user)
    history = history_section(client.get(reverse("communication:talk_detail", args=[talk.pk])))
    assert "谈话要点：内容已修改" in history
    assert "谈学院下学期课程安排" not in history
    assert "保密内容" not in history


def test_deleting_a_talk_asks_for_a_reason_and_the_history_keeps_it(client, college, talk):
    _college, (secretary, *_rest) = college
    client.force_login(secretary.user)
    url = reverse("communication:talk_delete", args=[talk.pk])
    confirm = client.get(url)
    assert "删除谈心谈话" in text(confirm)
    assert "2026-11-18" in text(confirm)
    assert "李书记、王院长" in text(confirm)
    refused = client.post(url, {"change_reason": ""})
    assert "请填写删除原因。" in text(refused)
    assert Talk.objects.filter(pk=talk.pk).exists()

    response = client.post(url, {"change_reason": "与11月12日的记录重复"})
    assert response["Location"] == reverse("communication:talk_list")
    assert not Talk.objects.filter(pk=talk.pk).exists()
    deleted = Talk.history.filter(id=talk.pk).latest()
    assert (deleted.history_type, deleted.history_change_reason, deleted.history_user) == (
        "-",
        "与11月12日的记录重复",
        secretary.user,
    )
    assert deleted.notes == "谈学院下学期课程安排。"
    assert "谈心谈话记录已删除，删除原因已记入审计历史。" in text(client.get(response["Location"]))


# --- Talks: the obligation pages follow -----------------------------------------------------------------------------


def weekly(client) -> str:
    """The status of 林书记's weekly talk with 周校长 (001 三（一）) for last week (16—22 Nov is this week)."""
    body = client.get(reverse("home")).content.decode()
    found = re.findall(
        r'<li class="[^"]*obligation[^"]*" data-rule="001-secretary-president-weekly"[^>]*>', body
    )
    return " ".join(sorted(re.search(r'data-status="([a-z_]+)"', tag).group(1) for tag in found))


def test_the_dashboard_counts_a_corrected_talk_in_the_week_it_now_falls_in(client, university):
    _university, (linshuji, zhou, wu) = university
    talk = services.talk_record(
        recorded_by_user=linshuji.user,
        participants=[linshuji, zhou],
        date=D(2026, 11, 16),
        formal=False,
        topics=["work"],
        notes="",
        channel="communication",
    )
    client.force_login(linshuji.user)
    assert weekly(client) == "met overdue"  # this week (16—22 Nov) met; last week (9—15 Nov) overdue
    services.talk_update(
        talk=talk,
        changed_by=linshuji.user,
        change_reason="实为上周五的沟通",
        participants=[linshuji, zhou],
        date=D(2026, 11, 13),
        formal=False,
        topics=["work"],
        notes="",
        channel="communication",
    )
    assert "overdue" not in weekly(client)  # last week met, no longer shown; this week not yet
    assert "met" not in weekly(client)


def test_the_dashboard_follows_a_change_of_participants(client, university):
    _university, (linshuji, zhou, wu) = university
    talk = services.talk_record(
        recorded_by_user=linshuji.user,
        participants=[linshuji, wu],
        date=D(2026, 11, 13),
        formal=False,
        topics=["work"],
        notes="",
        channel="communication",
    )
    client.force_login(linshuji.user)
    assert "overdue" in weekly(client)
    client.post(
        reverse("communication:talk_update", args=[talk.pk]),
        {
            "participants": [zhou.pk],
            "date": "2026-11-13",
            "channel": "communication",
            "topics": ["work"],
            "change_reason": "谈话对象登记错了，应为周校长",
        },
    )
    assert set(talk.participants.all()) == {linshuji, zhou}
    assert "overdue" not in weekly(client)


# --- Meetings -------------------------------------------------------------------------------------------------------


@pytest.fixture
def meeting(college, office):
    org, (secretary, dean, vice1, vice2, deputy) = college
    return services.meeting_create(
        created_by=office,
        organization=org,
        kind=MeetingKind.COORDINATION,
        title="领导班子碰头会",
        date=D(2026, 11, 13),
        start_time=dt.time(9, 0),
        chair=secretary,
        attendees=[dean, vice1, vice2],
        minutes="会议纪要：保密内容。",
    )


def meeting_post(meeting, **changes) -> dict:
    data = {
        "kind": meeting.kind,
        "organization": meeting.organization_id,
        "title": meeting.title,
        "date": f"{meeting.date:%Y-%m-%d}",
        "start_time": f"{meeting.start_time:%H:%M}",
        "place": meeting.place,
        "chair": meeting.chair_id,
        "attendees": [p.pk for p in meeting.attendees.all()],
        "minutes": meeting.minutes,
        "confidential": "on" if meeting.confidential else None,
        "change_reason": "会议改在周四召开，孙副书记也参加了",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_office_corrects_a_meetings_date_and_attendees_in_one_history_entry(
    client, college, meeting, office
):
    _org, (_secretary, dean, vice1, vice2, deputy) = college
    client.force_login(office)
    form = client.get(reverse("communication:meeting_update", args=[meeting.pk]))
    assert form.context["form"].initial["attendees"] == [dean.pk, vice1.pk, vice2.pk]
    response = client.post(
        reverse("communication:meeting_update", args=[meeting.pk]),
        meeting_post(meeting, date="2026-11-12", attendees=[dean.pk, vice1.pk, vice2.pk, deputy.pk]),
    )
    assert response["Location"] == reverse("communication:meeting_detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.date == D(2026, 11, 12)
    assert set(meeting.attendees.all()) == {dean, vice1, vice2, deputy}
    history = history_section(client.get(response["Location"]))
    assert (
        "修改 办公室 2026-11-20 10:00 原因：会议改在周四召开，孙副书记也参加了 "
        "会议日期： 2026-11-13 → 2026-11-12 "
        "参会人员： 王院长、赵副院长、钱副院长 → 孙副书记、王院长、赵副院长、钱副院长"
    ) in history
    assert history.count("修改 办公室") == 1


def test_a_leader_who_attended_sees_the_history_but_may_not_change_the_meeting(client, college, meeting):
    _org, (secretary, dean, *_rest) = college
    for user in (secretary.user, dean.user):
        client.force_login(user)
        detail = client.get(reverse("communication:meeting_detail", args=[meeting.pk]))
        assert "修改记录" in text(detail)
        assert "/edit/" not in detail.content.decode()
        for name in ("communication:meeting_update", "communication:meeting_delete"):
            assert client.get(reverse(name, args=[meeting.pk])).status_code == 403
            assert client.post(reverse(name, args=[meeting.pk]), meeting_post(meeting)).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk, date=D(2026, 11, 13)).exists()


def test_a_leader_of_another_team_gets_404_on_the_meetings_edit_and_delete_pages(client, university, meeting):
    _university, (linshuji, *_rest) = university
    client.force_login(linshuji.user)
    for name in ("communication:meeting_update", "communication:meeting_delete"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404


def test_minutes_and_attachments_changes_stay_with_those_who_may_read_them(client, college, meeting, office):
    """001 三（八）: a team member who did not attend sees the meeting and its history, not its records' changes."""
    _org, (_secretary, dean, *_rest, deputy) = college
    client.force_login(office)
    client.post(
        reverse("communication:meeting_update", args=[meeting.pk]),
        {
            **meeting_post(meeting, minutes="会议纪要：修订后的保密内容。", change_reason="补充纪要和附件"),
            "attachments": [SimpleUploadedFile("纪要附件.txt", b"minutes")],
        },
    )
    client.force_login(dean.user)
    attended = history_section(client.get(reverse("communication:meeting_detail", args=[meeting.pk])))
    assert "会议纪要：内容已修改" in attended
    assert "附件： — → 纪要附件.txt" in attended
    assert "保密内容" not in attended
    client.force_login(deputy.user)
    outside = history_section(client.get(reverse("communication:meeting_detail", args=[meeting.pk])))
    assert "原因：补充纪要和附件" in outside
    assert "会议纪要" not in outside
    assert "纪要附件" not in outside


def test_a_refused_attachment_saves_nothing_of_the_correction(client, college, meeting, office, monkeypatch):
    rows = meeting.history.count()
    monkeypatch.setattr("communication.services.meetings.MAX_ATTACHMENT_BYTES", 10)
    client.force_login(office)
    response = client.post(
        reverse("communication:meeting_update", args=[meeting.pk]),
        {
            **meeting_post(meeting, title="改过的会议名称"),
            "attachments": [SimpleUploadedFile("小.txt", b"ok"), SimpleUploadedFile("大.txt", b"x" * 11)],
        },
    )
    assert response.status_code == 200
    assert "“大.txt”超过 50 MB，附件不能超过 50 MB。" in text(response)
    assert "附件尚未保存：改正上面的错误后，请重新选择附件文件再保存。" in text(response)
    assert 'value="改过的会议名称"' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "领导班子碰头会"
    assert not MeetingAttachment.objects.exists()
    assert meeting.history.count() == rows


def test_a_meeting_keeps_its_kind_and_organization_while_agenda_items_are_on_it(college, meeting, office):
    org, (secretary, *_rest) = college
    AgendaItemFactory(
        organization=org, meeting=meeting, meeting_kind=MeetingKind.COORDINATION, title="学院年度预算"
    )
    with pytest.raises(DomainError) as refused:
        services.meeting_update(
            meeting=meeting,
            changed_by=office,
            change_reason="类型登记错了",
            organization=org,
            kind=MeetingKind.JOINT,
            title=meeting.title,
            date=meeting.date,
            start_time=meeting.start_time,
            chair=secretary,
        )
    assert refused.value.message_dict == {
        "kind": [
            "本次会议已安排议题“学院年度预算”，会议类型和召开单位不能修改；如确需修改，请先将议题安排到其他会议。"
        ]
    }
    with pytest.raises(DomainError) as refused:
        services.meeting_delete(meeting=meeting, deleted_by=office, change_reason="重复登记")
    assert refused.value.messages == [
        "本次会议已安排议题“学院年度预算”，不能删除；如确需删除，请先将议题安排到其他会议。"
    ]
    meeting.refresh_from_db()
    assert meeting.kind == MeetingKind.COORDINATION


def test_the_office_deletes_a_meeting_with_a_reason_and_its_history_and_its_attachments_history_stay(
    client, college, meeting, office
):
    attachment = MeetingAttachmentFactory(meeting=meeting, name="会议材料")
    client.force_login(office)
    url = reverse("communication:meeting_delete", args=[meeting.pk])
    confirm = text(client.get(url))
    assert "删除会议" in confirm
    assert "领导班子碰头会" in confirm
    assert "会议的 1 个附件一并删除" in confirm
    response = client.post(url, {"change_reason": "误登记，当天会议未召开"})
    assert response["Location"] == reverse("communication:meeting_list")
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    last = Meeting.history.filter(id=meeting.pk).latest()
    assert (last.history_type, last.history_change_reason, last.history_user) == (
        "-",
        "误登记，当天会议未召开",
        office,
    )
    gone = MeetingAttachment.history.filter(id=attachment.pk).latest()
    assert (gone.history_type, gone.history_change_reason) == ("-", "误登记，当天会议未召开")


def test_deleting_a_democratic_life_meeting_keeps_its_preparation_talks(college, office):
    org, (secretary, dean, *_rest) = college
    life = DemocraticLifeMeetingFactory(organization=org, chair=secretary, attendees=[dean])
    talk = services.talk_record(
        recorded_by_user=secretary.user,
        participants=[secretary, dean],
        date=D(2026, 11, 12),
        formal=True,
        topics=["thought"],
        notes="",
        meeting=life,
    )
    services.meeting_delete(meeting=life, deleted_by=office, change_reason="日期未定，先删除")
    talk.refresh_from_db()
    assert talk.democratic_life_meeting is None
    assert talk.history.latest().history_change_reason == "日期未定，先删除"


def test_a_democratic_life_meeting_may_not_leave_its_counted_talks_outside_its_preparation(college, office):
    org, (secretary, dean, *_rest) = college
    life = DemocraticLifeMeetingFactory(organization=org, chair=secretary, attendees=[dean])
    services.talk_record(
        recorded_by_user=secretary.user,
        participants=[secretary, dean],
        date=D(2026, 11, 12),
        formal=True,
        topics=["thought"],
        notes="",
        meeting=life,
    )
    with pytest.raises(DomainError) as refused:
        services.meeting_update(
            meeting=life,
            changed_by=office,
            change_reason="会前谈心谈话开始日期登记错了",
            organization=org,
            kind=life.kind,
            title=life.title,
            date=life.date,
            start_time=life.start_time,
            chair=secretary,
            attendees=[dean],
            preparation_start=D(2026, 11, 15),
        )
    assert refused.value.message_dict["preparation_start"] == [
        "已计入“四必谈”的谈心谈话中有 1 次（2026-11-12）不在修改后的会前谈心谈话期间（2026-11-15 至 2026-12-20）内，"
        "请核对日期。"
    ]


# --- Absences -------------------------------------------------------------------------------------------------------


@pytest.fixture
def absence(college):
    """钱副院长 reported a trip to Beijing, 王院长 covering the teaching."""
    _org, (secretary, dean, _vice1, vice2, _deputy) = college
    return services.absence_record(
        created_by_user=vice2.user,
        person=vice2,
        kind="trip",
        start=D(2026, 11, 23),
        end=D(2026, 11, 25),
        destination="北京",
        reason="参加教育部会议",
        notified=[secretary],
        leave_approved_by=secretary,
        handovers=[(dean, "本科教学")],
    )


def absence_post(absence, **changes) -> dict:
    handovers = list(absence.handovers.all())
    data = {
        "person": absence.person_id,
        "kind": absence.kind,
        "start": f"{absence.start:%Y-%m-%d}",
        "end": f"{absence.end:%Y-%m-%d}",
        "destination": absence.destination,
        "reason": absence.reason,
        "notified": [p.pk for p in absence.notified.all()],
        "leave_approved_by": absence.leave_approved_by_id,
        "handover-TOTAL_FORMS": "2",
        "handover-INITIAL_FORMS": str(len(handovers)),
        "handover-MIN_NUM_FORMS": "0",
        "handover-MAX_NUM_FORMS": "10",
        "change_reason": "行程延长一天",
    }
    for i, h in enumerate(handovers):
        data[f"handover-{i}-covering"] = h.covering_id
        data[f"handover-{i}-duties"] = h.duties
    data.update(changes)
    return data


def test_a_leader_corrects_their_absence_and_its_handovers(client, college, absence):
    _org, (_secretary, dean, vice1, vice2, _deputy) = college
    client.force_login(vice2.user)
    detail = client.get(reverse("communication:absence_detail", args=[absence.pk]))
    assert "钱副院长 出差" in text(detail)
    assert "王院长 ：本科教学" in text(detail)
    response = client.post(
        reverse("communication:absence_update", args=[absence.pk]),
        absence_post(
            absence, end="2026-11-26", **{"handover-1-covering": vice1.pk, "handover-1-duties": "科研"}
        ),
    )
    assert response["Location"] == reverse("communication:absence_detail", args=[absence.pk])
    absence.refresh_from_db()
    assert absence.end == D(2026, 11, 26)
    assert [(h.covering, h.duties) for h in absence.handovers.order_by("pk")] == [
        (dean, "本科教学"),
        (vice1, "科研"),
    ]
    history = history_section(client.get(response["Location"]))
    assert (
        "修改 钱副院长 2026-11-20 10:00 原因：行程延长一天 结束日期： 2026-11-25 → 2026-11-26 "
        "工作交接： 王院长：本科教学 → 王院长：本科教学；赵副院长：科研"
    ) in history


def test_a_refused_absence_correction_keeps_the_input_and_changes_nothing(client, college, absence):
    _org, (*_team, vice2, _deputy) = college
    client.force_login(vice2.user)
    response = client.post(
        reverse("communication:absence_update", args=[absence.pk]),
        absence_post(absence, start="2026-11-27", destination="上海"),
    )
    assert "结束日期不能早于开始日期。" in text(response)
    assert 'value="上海"' in response.content.decode()
    absence.refresh_from_db()
    assert (absence.start, absence.destination) == (D(2026, 11, 23), "北京")


def test_those_who_see_an_absence_but_did_not_report_it_may_not_change_it(client, college, absence):
    _org, (secretary, dean, *_rest) = college
    for user in (secretary.user, dean.user):  # approved it; covers for it
        client.force_login(user)
        assert client.get(reverse("communication:absence_detail", args=[absence.pk])).status_code == 200
        for name in ("communication:absence_update", "communication:absence_delete"):
            assert client.get(reverse(name, args=[absence.pk])).status_code == 403
            assert client.post(reverse(name, args=[absence.pk]), absence_post(absence)).status_code == 403
    assert Absence.objects.filter(pk=absence.pk, end=D(2026, 11, 25)).exists()


def test_the_office_deletes_an_absence_and_its_handovers_with_a_reason(client, college, absence, office):
    client.force_login(office)
    url = reverse("communication:absence_delete", args=[absence.pk])
    assert "1 项工作交接一并删除" in text(client.get(url))
    response = client.post(url, {"change_reason": "行程取消"})
    assert response["Location"] == reverse("communication:absence_list")
    assert not Absence.objects.exists()
    assert not Handover.objects.exists()
    assert Absence.history.filter(id=absence.pk).latest().history_change_reason == "行程取消"
    assert Handover.history.latest().history_change_reason == "行程取消"


# --- The history's cost ---------------------------------------------------------------------------------------------


def test_the_history_costs_the_same_queries_however_long_it_is(client, college, talk, office):
    _college, (secretary, dean, vice, *_rest) = college
    client.force_login(office)
    url = reverse("communication:talk_detail", args=[talk.pk])
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for day in range(1, 9):
        services.talk_update(
            talk=talk,
            changed_by=office,
            change_reason=f"第{day}次更正",
            participants=[secretary, dean] if day % 2 else [secretary, dean, vice],
            date=D(2026, 11, day),
            formal=False,
            topics=["work"],
            notes=f"要点{day}",
        )
    with CaptureQueriesContext(connection) as long:
        response = client.get(url)
    assert history_section(response).count("修改 办公室") == 8
    assert len(long.captured_queries) == len(short.captured_queries)


def test_a_change_made_in_the_admin_shows_in_the_history_without_a_reason(client, college, talk, office):
    """The admin saves the record, then each many-to-many field, a moment apart and without a reason: one entry."""
    _college, (secretary, dean, vice, *_rest) = college
    talk.formal = True
    talk._history_user = office
    talk.save()
    talk.participants.add(vice)
    client.force_login(office)
    history = history_section(client.get(reverse("communication:talk_detail", args=[talk.pk])))
    assert history.count("修改 办公室") == 1
    assert (
        "原因：未填写（管理后台修改） 参与人： 李书记、王院长 → 李书记、王院长、赵副院长 正式谈心： 否 → 是"
    ) in history
