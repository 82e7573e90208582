"""Bounds (issue 7, holes 3 and 5): a formset builds at most ten forms whatever TOTAL_FORMS says; every text has a
length that fits its use and every date lies between 2000-01-01 and five years from today, each refused with a
Chinese message and nothing saved — through the pages and through the services alike.

Friday 20 November 2026 (communication/tests/conftest.py): the latest date a record may bear is 20 November 2031."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from communication import services
from communication.models import Absence, AgendaItem, Handover, Meeting, MeetingKind, Opinion, Talk
from communication.services import DomainError
from communication.tests.factories import AgendaItemFactory, CollegeFactory, make_team, office_user
from governance.models import PositionKind

pytestmark = pytest.mark.django_db

DATE_RANGE = "日期须在2000年1月1日至2031年11月20日之间。"


def too_long(limit: int) -> str:
    return f"不能超过 {limit} 个字（现有 {limit + 1} 个字）。"


@pytest.fixture
def team():
    org = CollegeFactory(name="文学院", code="wxy")
    people = make_team(
        org,
        [
            PositionKind.SECRETARY,
            PositionKind.PRESIDENT,
            PositionKind.VICE_PRESIDENT,
            PositionKind.VICE_PRESIDENT,
        ],
        names=["李书记", "王院长", "赵副院长", "钱副院长"],
    )
    return org, people


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def nothing_saved() -> bool:
    return not any(m.objects.exists() for m in (Talk, Meeting, Absence, Handover))


# --- Hole 3: the handover formset ----------------------------------------------------------------------------------


def absence_post(person, total: int, **fields) -> dict:
    data = {
        "person": person.pk,
        "kind": "trip",
        "start": "2026-11-23",
        "end": "2026-11-25",
        "handover-TOTAL_FORMS": str(total),
        "handover-INITIAL_FORMS": "0",
        "handover-MIN_NUM_FORMS": "0",
        "handover-MAX_NUM_FORMS": "10",
    }
    data.update(fields)
    return data


def test_an_absence_posted_with_1010_handover_forms_is_refused_in_chinese_and_builds_ten(client, team):
    _org, (_li, _wang, zhao, qian) = team
    client.force_login(zhao.user)
    # As the issue posted it: the management form claims 1010 rows (Django's 1000-field cap leaves the rest empty).
    rows = {
        f"handover-{i}-{k}": v for i in range(400) for k, v in (("covering", qian.pk), ("duties", "代管"))
    }

    response = client.post(reverse("communication:absence_create"), absence_post(zhao, 1010, **rows))

    assert response.status_code == 200
    assert "工作交接：最多填写 10 项。" in _text(response)
    assert len(response.context["formset"].forms) == 10
    assert nothing_saved()


def test_eleven_handovers_are_refused_and_ten_are_kept(client, team):
    _org, (_li, _wang, zhao, qian) = team
    client.force_login(zhao.user)
    rows = {
        f"handover-{i}-{k}": v for i in range(11) for k, v in (("covering", qian.pk), ("duties", f"工作{i}"))
    }

    refused = client.post(reverse("communication:absence_create"), absence_post(zhao, 11, **rows))
    ten = {k: v for k, v in rows.items() if not k.startswith("handover-10-")}
    kept = client.post(reverse("communication:absence_create"), absence_post(zhao, 10, **ten))

    assert "工作交接：最多填写 10 项。" in _text(refused)
    assert kept.status_code == 302
    assert Handover.objects.count() == 10


def test_the_service_takes_at_most_ten_handovers(team, office):
    _org, (_li, _wang, zhao, qian) = team

    with pytest.raises(DomainError) as refused:
        services.absence_record(
            created_by_user=office,
            person=zhao,
            kind="trip",
            start=dt.date(2026, 11, 23),
            end=dt.date(2026, 11, 25),
            handovers=[(qian, f"工作{i}") for i in range(11)],
        )

    assert refused.value.message_dict["handovers"] == ["工作交接最多登记 10 项。"]
    assert nothing_saved()


# --- Hole 5: lengths ----------------------------------------------------------------------------------------------


def test_talk_notes_of_100000_characters_are_refused_on_the_form(client, team):
    _org, (li, wang, *_rest) = team
    client.force_login(li.user)

    response = client.post(
        reverse("communication:talk_create"),
        {"participants": [wang.pk], "date": "2026-11-19", "channel": "talk", "notes": "谈" * 100_000},
    )

    assert response.status_code == 200
    assert "不能超过 10000 个字（现有 100000 个字）。" in _text(response)
    assert 'maxlength="10000"' in response.content.decode()
    assert nothing_saved()


def test_talk_notes_of_10000_characters_are_kept(client, team):
    _org, (li, wang, *_rest) = team
    client.force_login(li.user)

    client.post(
        reverse("communication:talk_create"),
        {"participants": [wang.pk], "date": "2026-11-19", "channel": "talk", "notes": "谈" * 10_000},
    )

    assert len(Talk.objects.get().notes) == 10_000


def test_the_talk_service_refuses_notes_past_the_limit(team):
    _org, (li, wang, *_rest) = team

    with pytest.raises(DomainError) as refused:
        services.talk_record(
            recorded_by_user=li.user,
            participants=[li, wang],
            date=dt.date(2026, 11, 19),
            formal=False,
            topics=[],
            notes="谈" * 10_001,
        )

    assert refused.value.message_dict["notes"] == [too_long(10_000)]
    assert nothing_saved()


def meeting_post(org, chair, **fields) -> dict:
    data = {
        "kind": MeetingKind.COORDINATION,
        "organization": org.pk,
        "title": "领导班子工作碰头会",
        "date": "2026-11-20",
        "start_time": "09:00",
        "chair": chair.pk,
        "confidential": "on",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("field", "limit"), [("minutes", 20_000), ("agenda", 5_000), ("title", 200), ("place", 100)]
)
def test_a_meetings_texts_past_their_limits_are_refused(client, team, office, field, limit):
    org, (li, *_rest) = team
    client.force_login(office)

    response = client.post(
        reverse("communication:meeting_create"), meeting_post(org, li, **{field: "会" * (limit + 1)})
    )

    assert response.status_code == 200
    assert too_long(limit) in _text(response)
    assert nothing_saved()


def test_the_meeting_service_refuses_minutes_past_the_limit(team, office):
    org, (li, *_rest) = team

    with pytest.raises(DomainError) as refused:
        services.meeting_create(
            created_by=office,
            organization=org,
            kind=MeetingKind.COORDINATION,
            title="碰头会",
            date=dt.date(2026, 11, 20),
            start_time=dt.time(9, 0),
            chair=li,
            minutes="会" * 20_001,
        )

    assert refused.value.message_dict["minutes"] == [too_long(20_000)]
    assert nothing_saved()


@pytest.mark.parametrize(("field", "limit"), [("reason", 500), ("destination", 200)])
def test_an_absences_texts_past_their_limits_are_refused(client, team, field, limit):
    _org, (_li, _wang, zhao, _qian) = team
    client.force_login(zhao.user)

    response = client.post(
        reverse("communication:absence_create"), absence_post(zhao, 0, **{field: "出" * (limit + 1)})
    )

    assert too_long(limit) in _text(response)
    assert nothing_saved()


def test_a_handovers_duties_past_1000_characters_are_refused(client, team):
    _org, (_li, _wang, zhao, qian) = team
    client.force_login(zhao.user)

    response = client.post(
        reverse("communication:absence_create"),
        absence_post(zhao, 1, **{"handover-0-covering": qian.pk, "handover-0-duties": "管" * 1001}),
    )

    assert too_long(1000) in _text(response)
    assert nothing_saved()


def test_an_agenda_items_description_and_an_opinions_comment_past_their_limits_are_refused(team, office):
    org, (li, wang, *_rest) = team

    with pytest.raises(DomainError) as description:
        services.agenda_item_create(
            created_by=office,
            organization=org,
            title="议题",
            meeting_kind=MeetingKind.JOINT,
            proposer=li,
            description="议" * 5001,
        )
    item = AgendaItemFactory(organization=org, proposer=li, meeting_kind=MeetingKind.JOINT)
    services.agenda_item_open_consultation(item=item, by=office)
    with pytest.raises(DomainError) as comment:
        services.opinion_record(item=item, person=wang, stance="comment", comment="意" * 2001, by=wang.user)

    assert description.value.message_dict["description"] == [too_long(5000)]
    assert comment.value.message_dict["comment"] == [too_long(2000)]
    assert AgendaItem.objects.get() == item
    assert Opinion.objects.get(item=item, person=wang).is_pending


def test_an_opinion_comment_past_its_limit_is_refused_on_the_leaders_form(client, team, office):
    org, (li, wang, *_rest) = team
    item = AgendaItemFactory(organization=org, proposer=li, meeting_kind=MeetingKind.JOINT)
    services.agenda_item_open_consultation(item=item, by=office)
    opinion = Opinion.objects.get(item=item, person=wang)
    client.force_login(wang.user)

    response = client.post(
        reverse("communication:opinion_respond", args=[opinion.pk]),
        {"stance": "comment", "comment": "意" * 2001},
    )

    assert too_long(2000) in _text(response)
    opinion.refresh_from_db()
    assert opinion.is_pending


# --- Hole 5: dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2031-11-21", "9999-12-31"])
def test_a_talk_dated_out_of_range_is_refused(client, team, day):
    _org, (li, wang, *_rest) = team
    client.force_login(li.user)

    response = client.post(
        reverse("communication:talk_create"), {"participants": [wang.pk], "date": day, "channel": "talk"}
    )

    assert response.status_code == 200
    assert DATE_RANGE in _text(response)
    assert nothing_saved()


def test_the_talk_service_refuses_a_talk_dated_0001_01_01(team):
    _org, (li, wang, *_rest) = team

    with pytest.raises(DomainError) as refused:
        services.talk_record(
            recorded_by_user=li.user,
            participants=[li, wang],
            date=dt.date(1, 1, 1),
            formal=False,
            topics=[],
            notes="",
        )

    assert refused.value.message_dict["date"] == [DATE_RANGE]
    assert nothing_saved()


@pytest.mark.parametrize(
    ("field", "day"), [("end", "9999-12-31"), ("start", "0001-01-01"), ("end", "2031-11-21")]
)
def test_an_absence_out_of_range_is_refused(client, team, field, day):
    _org, (_li, _wang, zhao, _qian) = team
    client.force_login(zhao.user)

    response = client.post(reverse("communication:absence_create"), absence_post(zhao, 0, **{field: day}))

    assert response.status_code == 200
    assert DATE_RANGE in _text(response)
    assert nothing_saved()


def test_the_absence_service_refuses_an_absence_ending_9999_12_31(team, office):
    _org, (_li, _wang, zhao, _qian) = team

    with pytest.raises(DomainError) as refused:
        services.absence_record(
            created_by_user=office,
            person=zhao,
            kind="secondment",
            start=dt.date(2026, 11, 23),
            end=dt.date(9999, 12, 31),
        )

    assert refused.value.message_dict["end"] == [DATE_RANGE]
    assert nothing_saved()


def test_an_absence_up_to_five_years_ahead_is_kept(team, office):
    _org, (_li, _wang, zhao, _qian) = team

    services.absence_record(
        created_by_user=office,
        person=zhao,
        kind="secondment",
        start=dt.date(2026, 12, 1),
        end=dt.date(2031, 11, 20),
    )

    assert Absence.objects.get().end == dt.date(2031, 11, 20)


@pytest.mark.parametrize("field", ["date", "topics_announced_on", "preparation_start"])
def test_a_meetings_dates_out_of_range_are_refused(client, team, office, field):
    org, (li, *_rest) = team
    client.force_login(office)

    response = client.post(
        reverse("communication:meeting_create"), meeting_post(org, li, **{field: "0001-01-01"})
    )

    assert response.status_code == 200
    assert DATE_RANGE in _text(response)
    assert nothing_saved()


def test_the_meeting_service_refuses_a_meeting_in_2099(team, office):
    org, (li, *_rest) = team

    with pytest.raises(DomainError) as refused:
        services.meeting_create(
            created_by=office,
            organization=org,
            kind=MeetingKind.COORDINATION,
            title="碰头会",
            date=dt.date(2099, 1, 2),
            start_time=dt.time(9, 0),
            chair=li,
        )

    assert refused.value.message_dict["date"] == [DATE_RANGE]
    assert nothing_saved()
