"""Recording an outreach activity (a leader, from a phone, in under a minute), the list with its filters, an activity's
page, correcting it with a reason and its history (修改记录), attachments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outreach.models import Activity, ActivityKind, ContactKind, Festival
from outreach.services import assign_contact
from outreach.tests.factories import link, record

pytestmark = pytest.mark.django_db


def test_the_quick_form_opens_with_today_the_leader_and_their_linked_unit_chosen(
    client, office, leader, unit, other_unit
):
    link(office, leader, unit)
    client.force_login(leader.user)
    form = client.get(reverse("outreach:activity_create")).context["form"]
    assert form.initial["date"] == dt.date(2026, 11, 20)
    assert form.initial["leaders"] == [leader.pk]
    assert form.initial["units"] == [unit.pk]
    assert form.initial["kind"] == ActivityKind.FORUM


def test_a_leader_records_a_forum_with_three_fields_and_lands_on_its_page(client, office, leader, unit):
    link(office, leader, unit)
    client.force_login(leader.user)
    response = client.post(
        reverse("outreach:activity_create"),
        {
            "kind": ActivityKind.FORUM,
            "date": "2026-11-20",
            "leaders": [leader.pk],
            "units": [unit.pk],
            "participants": "12",
        },
        follow=True,
    )
    activity = Activity.objects.get()
    assert response.redirect_chain[-1][0] == activity.get_absolute_url()
    page = response.content.decode()
    assert "已登记：座谈。" in page
    assert "文学院" in page
    assert activity.recorded_by == leader.user
    assert activity.organization == leader.positions.get().team.organization


def test_class_observation_without_hours_or_course_is_refused_with_the_input_kept(client, leader, unit):
    client.force_login(leader.user)
    response = client.post(
        reverse("outreach:activity_create"),
        {
            "kind": ActivityKind.CLASS_OBSERVATION,
            "date": "2026-11-20",
            "leaders": [leader.pk],
            "teacher": "张老师",
            "notes": "课堂互动好",
        },
    )
    page = response.content.decode()
    assert "听课须填写学时（004 第五条4：每学期不少于4学时）。" in page
    assert "听课须填写课程名称（004 第五条4：做好听课记录）。" in page
    assert 'value="张老师"' in page
    assert "课堂互动好" in page
    assert not Activity.objects.exists()


def test_a_festival_visit_opened_in_late_november_preselects_new_year(client, leader):
    client.force_login(leader.user)
    # 重阳节 (18 October 2026) is past; 元旦 is 42 days ahead: visits are made in the weeks before a festival.
    form = client.get(reverse("outreach:activity_create") + "?kind=festival_visit").context["form"]
    assert form.initial["festival"] == Festival.NEW_YEAR


def test_a_leader_cannot_record_an_activity_only_for_someone_else(client, leader, other_leader):
    client.force_login(leader.user)
    response = client.post(
        reverse("outreach:activity_create"),
        {"kind": ActivityKind.FORUM, "date": "2026-11-20", "leaders": [other_leader.pk]},
    )
    assert "您只能登记自己参加的活动；为其他班子成员登记请联系党委办公室。" in response.content.decode()
    assert not Activity.objects.exists()


def test_the_office_records_for_any_leader(client, office, leader):
    client.force_login(office)
    client.post(
        reverse("outreach:activity_create"),
        {
            "kind": ActivityKind.RETIREE_BRIEFING,
            "date": "2026-11-19",
            "leaders": [leader.pk],
            "participants": "60",
        },
    )
    assert list(Activity.objects.get().leaders.all()) == [leader]


def test_a_talk_with_a_non_party_figure_names_the_leaders_own_contact(client, office, leader):
    contact = assign_contact(
        by=office,
        leader=leader,
        kind=ContactKind.NON_PARTY_FIGURE,
        name="钱无党（无党派代表人士）",
        start=dt.date(2026, 9, 1),
    )
    client.force_login(leader.user)
    form = client.get(reverse("outreach:activity_create") + "?kind=non_party_talk").context["form"]
    assert form.initial["contact"] == contact.pk
    client.post(
        reverse("outreach:activity_create"),
        {
            "kind": ActivityKind.NON_PARTY_TALK,
            "date": "2026-11-20",
            "leaders": [leader.pk],
            "contact": contact.pk,
        },
    )
    assert Activity.objects.get().contact == contact


def test_the_recorder_corrects_an_activity_and_the_reason_shows_in_its_history(client, leader, unit):
    activity = record(leader.user, leader, units=[unit], participants=10)
    client.force_login(leader.user)
    response = client.post(
        reverse("outreach:activity_update", args=[activity.pk]),
        {
            "kind": ActivityKind.FORUM,
            "date": "2026-11-18",
            "leaders": [leader.pk],
            "units": [unit.pk],
            "participants": "18",
            "reason": "人数登记有误",
        },
        follow=True,
    )
    assert "已修改，修改原因已记入修改记录。" in response.content.decode()
    history = client.get(reverse("outreach:activity_history", args=[activity.pk])).content.decode()
    assert "人数登记有误" in history
    assert "参加人数" in history


def test_a_correction_without_a_reason_changes_nothing(client, leader):
    activity = record(leader.user, leader, participants=10)
    client.force_login(leader.user)
    response = client.post(
        reverse("outreach:activity_update", args=[activity.pk]),
        {"kind": ActivityKind.FORUM, "date": "2026-11-18", "leaders": [leader.pk], "participants": "18"},
    )
    assert "请写明修改原因，它会记入修改记录。" in response.content.decode()
    activity.refresh_from_db()
    assert activity.participants == 10


def test_attachments_are_stored_privately_and_downloaded_by_those_who_see_the_activity(
    client, leader, other_leader
):
    client.force_login(leader.user)
    client.post(
        reverse("outreach:activity_create"),
        {
            "kind": ActivityKind.RESEARCH,
            "date": "2026-11-20",
            "leaders": [leader.pk],
            "files": [SimpleUploadedFile("调研提纲.txt", "调研提纲".encode())],
        },
    )
    attachment = Activity.objects.get().attachments.get()
    assert attachment.file.url is None
    response = client.get(attachment.get_absolute_url())
    assert b"".join(response.streaming_content).decode() == "调研提纲"
    client.force_login(other_leader.user)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_the_list_filters_by_kind_and_unit(client, office, leader, unit, other_unit, semester):
    record(office, leader, units=[unit], title="文学院座谈")
    record(office, leader, units=[other_unit], kind=ActivityKind.RESEARCH, title="理学院调研")
    client.force_login(leader.user)
    url = reverse("outreach:activity_list")
    page = client.get(url, {"kind": ActivityKind.RESEARCH}).content.decode()
    assert "理学院调研" in page
    assert "文学院座谈" not in page
    page = client.get(url, {"unit": unit.pk}).content.decode()
    assert "文学院座谈" in page
    assert "理学院调研" not in page
    page = client.get(url, {"year": semester.academic_year.pk}).content.decode()
    assert "文学院座谈" in page


def test_the_list_asks_as_many_queries_whatever_the_number_of_activities(
    client, office, leader, other_leader, unit, other_unit, django_assert_max_num_queries
):
    record(office, leader, units=[unit])
    client.force_login(office)
    url = reverse("outreach:activity_list")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(6):
        record(office, other_leader if n % 2 else leader, units=[unit, other_unit], participants=n)
    record(office, leader, kind=ActivityKind.CLASS_OBSERVATION, course="高等数学", class_hours=Decimal(2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_leaders_panel_asks_as_many_queries_whatever_the_number_of_activities(
    office, leader, unit, other_unit, django_assert_max_num_queries
):
    from outreach.selectors import leader_panel

    link(office, leader, unit)
    record(office, leader, units=[unit])
    with django_assert_max_num_queries(10) as few:
        panel = leader_panel(leader, today=dt.date(2026, 11, 20))
        [list(a.units.all()) for a in panel.recent]
    link(office, leader, other_unit)
    for _n in range(8):
        record(
            office,
            leader,
            units=[unit, other_unit],
            kind=ActivityKind.CLASS_OBSERVATION,
            course="课",
            class_hours=Decimal(1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        panel = leader_panel(leader, today=dt.date(2026, 11, 20))
        [list(a.units.all()) for a in panel.recent]
    assert panel.hours == Decimal(8)
