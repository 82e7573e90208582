"""Who may be named in a record (issue 7, hole 1): the office anyone; a leader only people who sat on a leadership
team with them on the record's date. A query string only preselects among those, and a forged form is refused by
the service with the name of whoever may not be named — the forged talk no longer turns another team's overdue
obligation to met.

Friday 20 November 2026 (communication/tests/conftest.py). 示例大学 (pack 001): 林书记, 周校长, 吴副校长; 文学院
(pack 000): 李书记, 王院长, 赵副院长, 钱副院长, 孙副书记. Week 46 (9—15 November) of 001 三（一） "校党委书记、校长原则上每周
沟通不少于1次" is overdue for 林书记."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from communication import services
from communication.models import (
    Absence,
    AgendaItem,
    Handover,
    Meeting,
    MeetingKind,
    Opinion,
    Talk,
    TalkChannel,
)
from communication.services import DomainError
from communication.tests.factories import (
    AgendaItemFactory,
    DemocraticLifeMeetingFactory,
    make_college_team,
    make_university_team,
    office_user,
)
from governance.models import Position
from governance.selectors.obligations import obligations_for_person
from governance.tests.factories import AcademicYearFactory, SemesterFactory

pytestmark = pytest.mark.django_db

WEEKLY = "001-secretary-president-weekly"
WEEK_46 = dt.date(2026, 11, 9)
IN_WEEK_46 = "2026-11-12"
NOTES = "沟通下周党委常委会议题安排。"
# What the forged talk is refused with: the two university leaders, named, and the talk's date.
FORGED_REFUSAL = "周校长、林书记在2026年11月12日不是您所在领导班子的成员，不能列入这条记录；其他班子的记录由其成员或党委办公室登记。"


@pytest.fixture
def teams(db):
    year = AcademicYearFactory(name="2026—2027学年", start=dt.date(2026, 8, 24), end=dt.date(2027, 8, 22))
    SemesterFactory(academic_year=year, start=dt.date(2026, 8, 31), end=dt.date(2027, 1, 17))
    university, (lin, zhou, wu) = make_university_team()
    college, (li, wang, zhao, qian, sun) = make_college_team(university)
    return {
        "university": university,
        "college": college,
        "lin": lin,
        "zhou": zhou,
        "wu": wu,
        "li": li,
        "wang": wang,
        "zhao": zhao,
        "qian": qian,
        "sun": sun,
    }


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def weekly_status(person, week_start: dt.date) -> str:
    (line,) = [
        ob
        for ob in obligations_for_person(
            person, today=dt.date(2026, 11, 20), start=week_start, end=week_start + dt.timedelta(days=6)
        ).obligations
        if ob.rule.code == WEEKLY and ob.period.start == week_start
    ]
    return str(line.status)


def forged_post(client, people):
    """The issue's request: a college secretary posts a talk between the university's secretary and president."""
    client.force_login(people["li"].user)
    return client.post(
        f"{reverse('communication:talk_create')}?with={people['zhou'].pk}&for={people['lin'].pk}&rule={WEEKLY}",
        {
            "participants": [people["lin"].pk, people["zhou"].pk],
            "date": IN_WEEK_46,
            "channel": TalkChannel.COMMUNICATION,
            "notes": NOTES,
        },
    )


# --- The scenario -----------------------------------------------------------------------------------------


def test_a_college_secretary_cannot_record_a_talk_between_the_university_secretary_and_president(
    client, teams
):
    response = forged_post(client, teams)

    assert response.status_code == 200
    assert FORGED_REFUSAL in _text(response)
    assert NOTES in response.content.decode()  # the input is kept
    assert not Talk.objects.exists()


def test_the_university_secretarys_overdue_week_stays_overdue_after_the_forged_post(client, teams):
    assert weekly_status(teams["lin"], WEEK_46) == "overdue"

    forged_post(client, teams)

    assert weekly_status(teams["lin"], WEEK_46) == "overdue"


def test_the_office_may_still_record_that_talk_for_anyone(client, teams):
    client.force_login(office_user(username="office-staff"))

    response = client.post(
        reverse("communication:talk_create"),
        {
            "participants": [teams["lin"].pk, teams["zhou"].pk],
            "date": IN_WEEK_46,
            "channel": TalkChannel.COMMUNICATION,
        },
    )

    assert response.status_code == 302
    assert set(Talk.objects.get().participants.all()) == {teams["lin"], teams["zhou"]}
    assert weekly_status(teams["lin"], WEEK_46) == "met"


def test_the_service_refuses_a_leader_naming_people_off_their_teams_whatever_page_calls_it(teams):
    with pytest.raises(DomainError) as refused:
        services.talk_record(
            recorded_by_user=teams["li"].user,
            participants=[teams["li"], teams["lin"], teams["zhou"]],
            date=dt.date(2026, 11, 12),
            formal=False,
            topics=[],
            notes="",
            channel=TalkChannel.COMMUNICATION,
        )

    assert refused.value.message_dict["participants"] == [FORGED_REFUSAL]
    assert not Talk.objects.exists()


# --- The query string only preselects -----------------------------------------------------------------------------


def test_a_link_naming_another_teams_leaders_preselects_and_offers_neither(client, teams):
    client.force_login(teams["li"].user)

    response = client.get(
        f"{reverse('communication:talk_create')}?with={teams['zhou'].pk}&for={teams['lin'].pk}&rule={WEEKLY}"
    )

    assert response.status_code == 200
    assert response.context["form"].initial["participants"] == []
    offered = [label for _value, label in response.context["form"].fields["participants"].choices]
    assert offered == ["孙副书记", "王院长", "赵副院长", "钱副院长"]
    assert "周校长" not in _text(response)


def test_a_link_naming_a_teammate_still_preselects_them(client, teams):
    client.force_login(teams["li"].user)

    response = client.get(
        f"{reverse('communication:talk_create')}?with={teams['wang'].pk}&for={teams['li'].pk}"
    )

    assert response.context["form"].initial["participants"] == [teams["wang"].pk]


# --- The record's date decides ------------------------------------------------------------------------------------


def test_a_leader_may_name_a_former_teammate_for_a_talk_from_when_they_were_on_the_team(teams):
    Position.objects.filter(person=teams["qian"]).update(end=dt.date(2026, 10, 31))
    li, qian = teams["li"], teams["qian"]

    talk = services.talk_record(
        recorded_by_user=li.user,
        participants=[li, qian],
        date=dt.date(2026, 10, 20),
        formal=False,
        topics=[],
        notes="",
    )
    with pytest.raises(DomainError) as refused:
        services.talk_record(
            recorded_by_user=li.user,
            participants=[li, qian],
            date=dt.date(2026, 11, 12),
            formal=False,
            topics=[],
            notes="",
        )

    assert set(talk.participants.all()) == {li, qian}
    assert refused.value.message_dict["participants"] == [
        "钱副院长在2026年11月12日不是您所在领导班子的成员，不能列入这条记录；其他班子的记录由其成员或党委办公室登记。"
    ]
    assert Talk.objects.count() == 1


def test_a_leader_cannot_link_a_talk_to_another_teams_democratic_life_meeting(teams):
    other = DemocraticLifeMeetingFactory(
        organization=teams["university"],
        chair=teams["lin"],
        date=dt.date(2026, 12, 20),
        preparation_start=dt.date(2026, 11, 1),
    )

    with pytest.raises(DomainError) as refused:
        services.talk_record(
            recorded_by_user=teams["li"].user,
            participants=[teams["li"], teams["wang"]],
            date=dt.date(2026, 11, 12),
            formal=False,
            topics=[],
            notes="",
            meeting=other,
        )

    assert refused.value.message_dict["meeting"] == ["只能关联本人参加或所在领导班子召开的民主生活会。"]
    assert not Talk.objects.exists()


# --- Absences: the people told, the approver, the people covering ---------------------------------------------------


def absence_data(people, **overrides) -> dict:
    data = {
        "person": people["zhao"].pk,
        "kind": "trip",
        "start": "2026-11-23",
        "end": "2026-11-25",
        "handover-TOTAL_FORMS": "1",
        "handover-INITIAL_FORMS": "0",
        "handover-MIN_NUM_FORMS": "0",
        "handover-MAX_NUM_FORMS": "10",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("notified", "lin", "林书记在2026年11月23日不是您所在领导班子的成员"),
        ("leave_approved_by", "zhou", "周校长在2026年11月23日不是您所在领导班子的成员"),
        ("handover-0-covering", "wu", "吴副校长在2026年11月23日不是您所在领导班子的成员"),
    ],
)
def test_a_leader_cannot_name_another_teams_leader_in_their_absence(client, teams, field, value, shown):
    client.force_login(teams["zhao"].user)
    extra = {"handover-0-duties": "代管本科教学"} if field.startswith("handover") else {}

    response = client.post(
        reverse("communication:absence_create"),
        absence_data(teams, **{field: teams[value].pk, "destination": "北京", **extra}),
    )

    assert response.status_code == 200
    assert shown in _text(response)
    assert "北京" in response.content.decode()
    assert not Absence.objects.exists()
    assert not Handover.objects.exists()


def test_a_leader_may_name_their_teammates_in_their_absence(client, teams):
    client.force_login(teams["zhao"].user)

    response = client.post(
        reverse("communication:absence_create"),
        absence_data(
            teams,
            notified=[teams["li"].pk],
            leave_approved_by=teams["li"].pk,
            **{"handover-0-covering": teams["qian"].pk, "handover-0-duties": "代管本科教学"},
        ),
    )

    assert response.status_code == 302
    absence = Absence.objects.get()
    assert list(absence.notified.all()) == [teams["li"]]
    assert absence.handovers.get().covering == teams["qian"]


def test_the_office_may_name_anyone_in_an_absence(teams):
    office = office_user(username="office-staff")

    absence = services.absence_record(
        created_by_user=office,
        person=teams["zhao"],
        kind="trip",
        start=dt.date(2026, 11, 23),
        end=dt.date(2026, 11, 25),
        notified=[teams["lin"]],
        handovers=[(teams["wu"], "代管学科建设")],
    )

    assert list(absence.notified.all()) == [teams["lin"]]


# --- Opinions and the office's own records --------------------------------------------------------------------------


def test_a_leader_cannot_record_another_leaders_opinion(teams):
    office = office_user(username="office-staff")
    item = AgendaItemFactory(
        organization=teams["college"], proposer=teams["li"], meeting_kind=MeetingKind.JOINT
    )
    services.agenda_item_open_consultation(item=item, by=office)
    opinion = Opinion.objects.get(item=item, person=teams["wang"])

    with pytest.raises(DomainError) as refused:
        services.opinion_record(item=item, person=teams["wang"], stance="agree", by=teams["zhao"].user)

    assert refused.value.messages == ["只能登记本人的意见；其他班子成员的意见由本人或党委办公室登记。"]
    opinion.refresh_from_db()
    assert opinion.is_pending


def test_a_leader_records_their_own_opinion(teams):
    office = office_user(username="office-staff")
    item = AgendaItemFactory(
        organization=teams["college"], proposer=teams["li"], meeting_kind=MeetingKind.JOINT
    )
    services.agenda_item_open_consultation(item=item, by=office)

    opinion = services.opinion_record(item=item, person=teams["wang"], stance="agree", by=teams["wang"].user)

    assert opinion.stance == "agree"


def test_a_leader_cannot_create_a_meeting_or_an_agenda_item_through_the_services(teams):
    li = teams["li"]

    with pytest.raises(DomainError) as meeting:
        services.meeting_create(
            created_by=li.user,
            organization=teams["college"],
            kind=MeetingKind.COORDINATION,
            title="碰头会",
            date=dt.date(2026, 11, 20),
            start_time=dt.time(9, 0),
            chair=li,
        )
    with pytest.raises(DomainError) as item:
        services.agenda_item_create(
            created_by=li.user,
            organization=teams["college"],
            title="议题",
            meeting_kind=MeetingKind.JOINT,
            proposer=li,
        )

    assert meeting.value.messages == ["会议由党委办公室登记（000 五（二）：党委办公室负责记录存档）。"]
    assert item.value.messages == ["只有党委办公室可以管理议题和会前征求意见。"]
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists()
