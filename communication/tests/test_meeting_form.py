"""Recording a meeting (issue 8): the attendees default to the organization's leadership team on the meeting's date,
listed first, with "按班子成员填入" in one click; everyone else is folded; attachments are added on the same form and
saved with the meeting, or not at all.

Friday 20 November 2026. 文学院 (pack 000): 李书记 (secretary), 王院长, 赵副院长, 钱副院长, 孙副书记; the university:
林书记, 周校长, 吴副校长."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communication.models import Meeting, MeetingAttachment
from communication.tests.factories import make_college_team, make_university_team, office_user
from governance.models import Position
from governance.tests.factories import SemesterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def university(db):
    SemesterFactory()
    return make_university_team(pack=None)


@pytest.fixture
def college(university):
    return make_college_team(university[0], pack=None)


@pytest.fixture
def office(db):
    return office_user(username="bangongshi")


def group(response, name: str) -> list[str]:
    """The names in one group of the attendees' picker: "team" or "others"."""
    body = response.content.decode()
    picker = re.search(
        r'<fieldset class="mb-3 people-picker" data-picker="attendees".*?</fieldset>', body, re.S
    )
    assert picker, "no attendees picker"
    part = re.search(rf'data-group="{name}".*?(?=data-group=|</fieldset>)', picker.group(0), re.S)
    return re.findall(r'data-name="([^"（]+)', part.group(0)) if part else []


def ticked(response, field: str = "attendees") -> set[str]:
    form = response.context["form"]
    values = {str(v) for v in (form[field].value() or [])}
    return {w.choice_label.split("（")[0] for w in form[field] if str(w.data["value"]) in values}


def meeting_data(college, **changes) -> dict:
    org, (secretary, dean, vice1, vice2, deputy) = college
    data = {
        "kind": "coordination",
        "organization": org.pk,
        "title": "领导班子工作碰头会",
        "date": "2026-11-20",
        "start_time": "09:00",
        "chair": secretary.pk,
        "attendees": [dean.pk, vice1.pk],
        "confidential": "on",
    }
    data.update(changes)
    return data


def test_the_attendees_default_to_the_team_on_the_meeting_date_the_chair_aside(client, college, office):
    org, _people = college
    client.force_login(office)
    response = client.get(reverse("communication:meeting_create"), {"organization": org.pk})
    assert ticked(response) == {"王院长", "赵副院长", "钱副院长", "孙副书记"}
    assert (
        response.context["form"].initial["chair"] == college[1][0].pk
    )  # 000 四（三）、四（四）: 党委书记主持
    assert group(response, "team") == ["李书记", "王院长", "赵副院长", "钱副院长", "孙副书记"]
    assert "林书记" in group(response, "others")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    assert "按班子成员填入 文学院领导班子（2026-11-20在任）" in text
    assert "<select multiple" not in response.content.decode()


def test_a_member_who_left_before_the_meeting_date_is_not_in_its_team(client, college, office):
    org, (_secretary, _dean, _vice1, _vice2, deputy) = college
    Position.objects.filter(person=deputy).update(end=dt.date(2026, 11, 10))
    client.force_login(office)
    response = client.get(reverse("communication:meeting_create"), {"organization": org.pk})
    assert "孙副书记" not in group(response, "team")
    assert "孙副书记" in group(response, "others")
    assert "孙副书记" not in ticked(response)


def test_one_click_fills_the_team_in_without_saving_and_keeps_what_was_typed(
    client, college, university, office
):
    org, _people = college
    _university, (linshuji, *_rest) = university
    client.force_login(office)
    response = client.post(
        reverse("communication:meeting_create"),
        meeting_data(college, title="", attendees=[linshuji.pk], place="文学院 301", fill_team="1"),
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()
    assert ticked(response) == {"林书记", "王院长", "赵副院长", "钱副院长", "孙副书记"}  # added to the choice
    body = response.content.decode()
    assert 'value="文学院 301"' in body
    assert "invalid-feedback" not in body  # not an attempt to save: no "请填写会议名称"


def test_one_click_follows_the_organization_and_date_chosen(client, college, university, office):
    university_org, _people = university
    client.force_login(office)
    response = client.post(
        reverse("communication:meeting_create"),
        meeting_data(college, organization=university_org.pk, chair="", attendees=[], fill_team="1"),
    )
    assert ticked(response) == {"林书记", "周校长", "吴副校长"}
    assert group(response, "team") == ["林书记", "周校长", "吴副校长"]


def test_the_page_script_gets_each_team_over_time(client, college, office):
    org, (secretary, *_rest) = college
    client.force_login(office)
    rosters = client.get(reverse("communication:meeting_create")).context["rosters"]
    assert rosters[org.pk][0] == (secretary.pk, "2024-01-01", None, "secretary")
    assert len(rosters[org.pk]) == 5


def test_attachments_are_saved_with_the_meeting_in_one_go(client, college, office):
    client.force_login(office)
    response = client.post(
        reverse("communication:meeting_create"),
        {
            **meeting_data(college),
            "attachments": [
                SimpleUploadedFile("议程.txt", b"agenda"),
                SimpleUploadedFile("纪要.txt", b"minutes"),
            ],
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert sorted(meeting.attachments.values_list("name", flat=True)) == ["纪要.txt", "议程.txt"]
    assert {a.uploaded_by for a in meeting.attachments.all()} == {office}
    assert meeting.attachments.get(name="议程.txt").file.read() == b"agenda"


def test_a_refused_attachment_saves_no_meeting_and_asks_to_choose_the_files_again(
    client, college, office, monkeypatch
):
    monkeypatch.setattr("communication.services.meetings.MAX_ATTACHMENT_BYTES", 5)
    client.force_login(office)
    response = client.post(
        reverse("communication:meeting_create"),
        {**meeting_data(college), "attachments": [SimpleUploadedFile("材料.txt", b"too long")]},
    )
    assert response.status_code == 200
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    assert "“材料.txt”超过 50 MB，附件不能超过 50 MB。" in text
    assert "附件尚未保存：改正上面的错误后，请重新选择附件文件再保存。" in text
    assert 'value="领导班子工作碰头会"' in response.content.decode()
    assert not Meeting.objects.exists()
    assert not MeetingAttachment.objects.exists()


def test_more_than_ten_files_at_once_are_refused(client, college, office):
    client.force_login(office)
    files = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(11)]
    response = client.post(
        reverse("communication:meeting_create"), {**meeting_data(college), "attachments": files}
    )
    assert "一次最多上传 10 个附件。" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_empty_file_is_refused_as_on_the_meeting_page(client, college, office):
    client.force_login(office)
    response = client.post(
        reverse("communication:meeting_create"),
        {**meeting_data(college), "attachments": [SimpleUploadedFile("空.txt", b"")]},
    )
    assert "所提交的是空文件。" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_edit_form_shows_the_meetings_own_attendees_and_asks_why(client, college, office):
    org, (secretary, dean, *_rest) = college
    client.force_login(office)
    client.post(reverse("communication:meeting_create"), meeting_data(college))
    meeting = Meeting.objects.get()
    response = client.get(reverse("communication:meeting_update", args=[meeting.pk]))
    assert ticked(response) == {"王院长", "赵副院长"}
    assert "change_reason" in response.context["form"].fields
    assert (
        'data-filled-in=""' in response.content.decode()
    )  # the page script leaves the recorded choice alone
