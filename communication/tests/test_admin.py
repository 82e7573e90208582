"""The office's admin for communication/: office only, notes only in the change form."""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from communication import services
from communication.models import AgendaItemStatus, MeetingKind, Opinion, OpinionStance, Talk, TalkChannel
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
from governance.tests.factories import PersonFactory

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


def _listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_the_talk_changelist_shows_every_rows_participants_with_as_many_queries_for_a_full_page_as_for_one(
    client, office, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse("admin:communication_talk_changelist")
    TalkFactory(participants=[PersonFactory(user=None), PersonFactory(user=None)])
    with django_assert_max_num_queries(20) as one_row:
        client.get(url)
    for i in range(25):
        people = [PersonFactory(user=None, name=f"甲{i}"), PersonFactory(user=None, name=f"乙{i}")]
        TalkFactory(participants=people, date=dt.date(2026, 10, 1) + dt.timedelta(days=i))
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        response = client.get(url)
    page = _listed(response)
    assert len(page) == 20
    body = response.content.decode()
    for talk in page:
        assert "、".join(sorted(p.name for p in talk.participants.all())) in body


def test_the_talk_changelist_lists_the_newest_talks_first_a_page_at_a_time(client, office):
    for i in range(25):
        TalkFactory(
            participants=[PersonFactory(user=None), PersonFactory(user=None)], date=dt.date(2026, 1, 1 + i)
        )
    same_day = [
        TalkFactory(participants=[PersonFactory(user=None)], date=dt.date(2026, 2, 1)) for _ in range(2)
    ]
    client.force_login(office)
    response = client.get(reverse("admin:communication_talk_changelist"))
    page = _listed(response)
    assert [t.pk for t in page[:2]] == [same_day[1].pk, same_day[0].pk]
    assert [t.date for t in page] == sorted((t.date for t in page), reverse=True)
    assert response.context["cl"].result_count == 27
    second = _listed(client.get(reverse("admin:communication_talk_changelist") + "?p=2"))
    assert len(page) + len(second) == 27
    assert max(t.date for t in second) <= min(t.date for t in page)


def test_searching_talks_by_a_participants_name_lists_each_matching_talk_once(client, office):
    wang = PersonFactory(user=None, name="王书记")
    wang_deputy = PersonFactory(user=None, name="王副书记")
    zhang = PersonFactory(user=None, name="张院长")
    both = TalkFactory(participants=[wang, wang_deputy])
    with_zhang = TalkFactory(participants=[wang, zhang])
    TalkFactory(participants=[zhang, PersonFactory(user=None, name="李院长")])
    client.force_login(office)
    url = reverse("admin:communication_talk_changelist")

    def found(q: str) -> list[int]:
        response = client.get(url, {"q": q})
        assert response.status_code == 200
        return sorted(t.pk for t in _listed(response))

    assert found("王") == sorted([both.pk, with_zhang.pk])
    assert found("副书记") == [both.pk]
    assert found("王 院长") == []  # every word in one participant's name, as Django's own search does
    assert found('"王副书记"') == [both.pk]
    assert found("赵") == []
    assert len(found("")) == 3


def test_the_talk_filters_narrow_the_list(client, office):
    formal = TalkFactory(participants=[PersonFactory(user=None)], formal=True)
    exchange = TalkFactory(participants=[PersonFactory(user=None)], channel=TalkChannel.COMMUNICATION)
    TalkFactory(participants=[PersonFactory(user=None)])
    client.force_login(office)
    url = reverse("admin:communication_talk_changelist")
    assert [t.pk for t in _listed(client.get(url, {"formal__exact": "1"}))] == [formal.pk]
    assert [t.pk for t in _listed(client.get(url, {"channel__exact": "communication"}))] == [exchange.pk]


def test_the_talk_changelist_still_offers_bulk_delete_of_the_ticked_talks(client, office, talk):
    other = TalkFactory(participants=[PersonFactory(user=None), PersonFactory(user=None)])
    client.force_login(office)
    url = reverse("admin:communication_talk_changelist")
    body = client.get(url).content.decode()
    for pk in (talk.pk, other.pk):
        assert f'<input type="checkbox" name="_selected_action" value="{pk}" class="action-select"' in body
    confirm = client.post(url, {"action": "delete_selected", "_selected_action": [talk.pk]})
    assert confirm.status_code == 200
    assert "post" in confirm.content.decode()
    done = client.post(url, {"action": "delete_selected", "_selected_action": [talk.pk], "post": "yes"})
    assert done.status_code == 302
    assert list(Talk.objects.values_list("pk", flat=True)) == [other.pk]


def test_the_meeting_changelist_filtered_to_one_college_lists_only_its_meetings_and_links_back_to_the_filter(
    client, office
):
    college, other_college = CollegeFactory(), CollegeFactory()
    ours = [MeetingFactory(organization=college, date=dt.date(2026, 11, d)) for d in (2, 9, 16)]
    MeetingFactory(organization=other_college)
    client.force_login(office)
    url = reverse("admin:communication_meeting_changelist")
    response = client.get(url, {"organization__id__exact": college.pk})
    assert [m.pk for m in _listed(response)] == [m.pk for m in reversed(ours)]
    change = reverse("admin:communication_meeting_change", args=[ours[0].pk])
    assert (
        f'href="{change}?_changelist_filters=organization__id__exact%3D{college.pk}"'
        in response.content.decode()
    )
    unfiltered = client.get(url).content.decode()
    assert f'href="{change}"' in unfiltered


def test_the_meeting_changelist_lists_the_newest_first_with_as_many_queries_for_a_full_page_as_for_one(
    client, office, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse("admin:communication_meeting_changelist")
    MeetingFactory()
    with django_assert_max_num_queries(20) as one_row:
        client.get(url)
    morning = MeetingFactory(date=dt.date(2026, 11, 25), start_time=dt.time(9, 0))
    afternoon = MeetingFactory(date=dt.date(2026, 11, 25), start_time=dt.time(15, 0))
    for d in range(1, 25):
        MeetingFactory(date=dt.date(2026, 10, d))
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        response = client.get(url)
    page = _listed(response)
    assert len(page) == 20
    assert [m.pk for m in page[:2]] == [afternoon.pk, morning.pk]
    assert [m.date for m in page] == sorted((m.date for m in page), reverse=True)


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


# The meeting list's date filter: the admin's own links plus a from/to range ---------------------------------------


@pytest.fixture
def autumn_meetings():
    """Meetings on 1 September, 2 and 16 November and 1 December 2026 (newest first in the list)."""
    return {
        day: MeetingFactory(title=f"{day:%m-%d} 的会议", date=day)
        for day in (dt.date(2026, 9, 1), dt.date(2026, 11, 2), dt.date(2026, 11, 16), dt.date(2026, 12, 1))
    }


def test_the_meeting_list_narrows_to_the_days_from_and_to_both_included(client, office, autumn_meetings):
    client.force_login(office)
    url = reverse("admin:communication_meeting_changelist")

    response = client.get(url, {"date__gte": "2026-11-02", "date__lte": "2026-11-16"})

    assert [m.date for m in _listed(response)] == [dt.date(2026, 11, 16), dt.date(2026, 11, 2)]
    page = response.content.decode()
    assert 'name="date__gte" value="2026-11-02"' in page
    assert 'name="date__lte" value="2026-11-16"' in page


def test_a_range_open_at_one_end_takes_everything_on_that_side(client, office, autumn_meetings):
    client.force_login(office)
    url = reverse("admin:communication_meeting_changelist")

    since = client.get(url, {"date__gte": "2026-11-16"})
    until = client.get(url, {"date__lte": "2026-11-02"})

    assert [m.date for m in _listed(since)] == [dt.date(2026, 12, 1), dt.date(2026, 11, 16)]
    assert [m.date for m in _listed(until)] == [dt.date(2026, 11, 2), dt.date(2026, 9, 1)]


def test_the_range_form_keeps_the_other_filters_and_the_search(client, office, autumn_meetings):
    college = CollegeFactory(name="理学院")
    kept = MeetingFactory(organization=college, title="理学院碰头会", date=dt.date(2026, 11, 10))
    MeetingFactory(organization=college, title="理学院碰头会", date=dt.date(2026, 10, 10))
    client.force_login(office)
    url = reverse("admin:communication_meeting_changelist")

    response = client.get(
        url, {"organization__id__exact": college.pk, "q": "碰头会", "date__gte": "2026-11-01"}
    )

    assert [m.pk for m in _listed(response)] == [kept.pk]
    form = re.search(
        r'<form method="get" class="date-range-filter">(.*?)</form>', response.content.decode(), re.S
    )[1]
    assert f'<input type="hidden" name="organization__id__exact" value="{college.pk}">' in form
    assert '<input type="hidden" name="q" value="碰头会">' in form


def test_the_admins_quick_date_links_still_work_and_replace_the_range(client, office, autumn_meetings):
    client.force_login(office)
    url = reverse("admin:communication_meeting_changelist")

    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        response = client.get(url, {"date__gte": "2026-09-01", "date__lte": "2026-09-30"})
        page = response.content.decode()
        this_month = re.search(r'<a href="([^"]+)">本月</a>', page)
        assert this_month, "the admin's own date links are offered"
        month = client.get(url + html.unescape(this_month[1]))

    assert "date__lte" not in html.unescape(this_month[1])
    assert [m.date for m in _listed(month)] == [dt.date(2026, 11, 16), dt.date(2026, 11, 2)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date__gte": "2026-13-01"}, "起始日期“2026-13-01”不是有效的日期，已忽略。"),
        ({"date__lte": "tomorrow"}, "截止日期“tomorrow”不是有效的日期，已忽略。"),
        ({"date__gte": "2026-12-01", "date__lte": "2026-11-01"}, "截止日期早于起始日期，没有符合的记录。"),
    ],
)
def test_a_wrong_day_is_said_in_chinese_and_never_an_error_page(
    client, office, autumn_meetings, params, message
):
    client.force_login(office)

    response = client.get(reverse("admin:communication_meeting_changelist"), params)

    assert response.status_code == 200
    assert message in [str(m) for m in response.context["messages"]]


def test_the_date_range_costs_no_more_queries_than_the_plain_list(
    client, office, autumn_meetings, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse("admin:communication_meeting_changelist")
    with django_assert_max_num_queries(20) as plain:
        client.get(url)

    with django_assert_max_num_queries(len(plain.captured_queries)):
        response = client.get(url, {"date__gte": "2026-11-01", "date__lte": "2026-11-30"})
    assert len(_listed(response)) == 2
