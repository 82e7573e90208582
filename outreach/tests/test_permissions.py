"""Who sees what (004 第六条2: the 工作台账 is the office's and each leader's own): a leader sees the activities they
took part in, the office all, a member of staff none — by page and by URL, attachments and history included."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outreach.models import ActivityKind
from outreach.tests.factories import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(office, leader, other_leader):
    mine = record(
        leader.user, leader, title="黄晓峰的座谈", files=[SimpleUploadedFile("纪要.txt", "座谈纪要".encode())]
    )
    theirs = record(office, other_leader, kind=ActivityKind.RESEARCH, title="吴立群的调研")
    return mine, theirs


def _urls(activity):
    return [
        reverse("outreach:activity_detail", args=[activity.pk]),
        reverse("outreach:activity_update", args=[activity.pk]),
        reverse("outreach:activity_history", args=[activity.pk]),
        activity.attachments.get().get_absolute_url() if activity.attachments.exists() else None,
    ]


def test_a_leader_lists_only_the_activities_they_took_part_in(client, leader, activities):
    client.force_login(leader.user)
    page = client.get(reverse("outreach:activity_list")).content.decode()
    assert "黄晓峰的座谈" in page
    assert "吴立群的调研" not in page


def test_a_leader_opens_none_of_another_leaders_activity_pages(client, leader, activities):
    _mine, theirs = activities
    client.force_login(leader.user)
    for url in _urls(theirs):
        if url:
            assert client.get(url).status_code == 404, url


def test_the_office_lists_and_opens_every_activity(client, office, activities):
    client.force_login(office)
    page = client.get(reverse("outreach:activity_list")).content.decode()
    assert "黄晓峰的座谈" in page
    assert "吴立群的调研" in page
    for activity in activities:
        for url in _urls(activity):
            if url:
                assert client.get(url).status_code == 200, url


def test_a_member_of_staff_sees_no_ledger_and_no_activity(client, staff, activities):
    client.force_login(staff)
    assert client.get(reverse("outreach:activity_list")).status_code == 403
    assert client.get(reverse("outreach:activity_create")).status_code == 403
    for activity in activities:
        for url in _urls(activity):
            if url:
                assert client.get(url).status_code in (403, 404), url
    page = client.get(reverse("outreach:index")).content.decode()
    assert "联系点和联系基层活动的台账只有党委办公室和班子成员本人可见" in page


def test_a_fellow_participant_who_did_not_record_it_may_see_but_not_correct_it(
    client, office, leader, other_leader
):
    import datetime as dt

    from outreach.services import record_activity

    activity = record_activity(
        by=leader.user, leaders=[leader, other_leader], date=dt.date(2026, 11, 18), kind=ActivityKind.FORUM
    )
    client.force_login(other_leader.user)
    assert client.get(reverse("outreach:activity_detail", args=[activity.pk])).status_code == 200
    assert client.get(reverse("outreach:activity_update", args=[activity.pk])).status_code == 403
    response = client.post(
        reverse("outreach:activity_update", args=[activity.pk]),
        {"kind": ActivityKind.FORUM, "date": "2026-11-18", "leaders": [other_leader.pk], "reason": "改"},
    )
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, activities):
    mine, _theirs = activities
    for url in [reverse("outreach:activity_list"), *[u for u in _urls(mine) if u]]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_admin_pages_are_the_offices_only(client, leader, activities):
    mine, _theirs = activities
    client.force_login(leader.user)
    for url in (
        reverse("admin:outreach_activity_changelist"),
        reverse("admin:outreach_activity_history", args=[mine.pk]),
        reverse("admin:outreach_linkedcontact_changelist"),
    ):
        assert client.get(url).status_code in (302, 403), url
