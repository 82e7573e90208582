"""An excuse (免于考核) is only for a period the rule really has, dated from 2000 to five years ahead (issue 7, hole 5):
the office is told in Chinese why another day is refused, and nothing is saved — through the service, the
overview's drill-down and the model's own checks (the admin).

Friday 20 November 2026. 示例大学 (pack 001): weekly 001 三（一）; 文学院 (pack 000): the coordination meeting every two
weeks of term (000 四（四）, cycles 2—15 and 16—29 November) and the 四必谈 before its democratic life meeting."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from communication.tests.factories import (
    DemocraticLifeMeetingFactory,
    make_college_team,
    make_university_team,
    office_user,
)
from governance.models import ObligationExcuse, ObligationRule
from governance.services.obligations import obligation_excuse
from governance.tests.factories import AcademicYearFactory, SemesterFactory

pytestmark = pytest.mark.django_db

DATE_RANGE = "日期须在2000年1月1日至2031年11月20日之间。"


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def teams(db):
    year = AcademicYearFactory(name="2026—2027学年", start=dt.date(2026, 8, 24), end=dt.date(2027, 8, 22))
    SemesterFactory(academic_year=year, start=dt.date(2026, 8, 31), end=dt.date(2027, 1, 17))
    university, university_people = make_university_team()
    college, college_people = make_college_team(university)
    return {
        "university": (university, university_people),
        "college": (college, college_people),
    }


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


def excuse(rule_code: str, organization, day: dt.date, by, **people):
    return obligation_excuse(
        rule=ObligationRule.objects.get(code=rule_code),
        period_start=day,
        team=organization.team,
        person=people.get("person"),
        counterpart=people.get("counterpart"),
        reason="会议日均为法定节假日",
        by=by,
    )


def test_a_week_of_the_weekly_rule_may_be_excused(teams, office):
    university, (lin, zhou, _wu) = teams["university"]

    excuse(
        "001-secretary-president-weekly",
        university,
        dt.date(2026, 11, 16),
        office,
        person=lin,
        counterpart=zhou,
    )

    assert ObligationExcuse.objects.get().period_start == dt.date(2026, 11, 16)


def test_a_wednesday_is_no_start_of_a_week_and_is_refused(teams, office):
    university, (lin, zhou, _wu) = teams["university"]

    with pytest.raises(ValidationError) as refused:
        excuse(
            "001-secretary-president-weekly",
            university,
            dt.date(2026, 11, 18),
            office,
            person=lin,
            counterpart=zhou,
        )

    assert refused.value.messages == [
        "“党委书记与校长沟通”没有自2026年11月18日开始的周期，不能登记免于考核。"
    ]
    assert not ObligationExcuse.objects.exists()


@pytest.mark.parametrize(
    "day", [dt.date(1, 1, 1), dt.date(1999, 12, 27), dt.date(2040, 1, 2), dt.date(9999, 12, 27)]
)
def test_a_period_out_of_range_is_refused_even_on_a_monday(teams, office, day):
    university, (lin, zhou, _wu) = teams["university"]

    with pytest.raises(ValidationError) as refused:
        excuse("001-secretary-president-weekly", university, day, office, person=lin, counterpart=zhou)

    assert refused.value.messages == [DATE_RANGE]
    assert not ObligationExcuse.objects.exists()


def test_the_coordination_meeting_is_excused_by_its_two_week_cycles_only(teams, office):
    college, _people = teams["college"]

    excuse("000-coordination-meeting", college, dt.date(2026, 11, 2), office)
    with pytest.raises(ValidationError) as refused:
        excuse("000-coordination-meeting", college, dt.date(2026, 11, 9), office)

    assert refused.value.messages == ["“领导班子工作碰头会”没有自2026年11月9日开始的周期，不能登记免于考核。"]
    assert [e.period_start for e in ObligationExcuse.objects.all()] == [dt.date(2026, 11, 2)]


def test_the_sibitan_is_excused_from_the_start_of_its_meetings_preparation_only(teams, office):
    college, (li, wang, *_rest) = teams["college"]
    DemocraticLifeMeetingFactory(
        organization=college, chair=li, date=dt.date(2026, 12, 20), preparation_start=dt.date(2026, 11, 1)
    )

    excuse("000-sibitan", college, dt.date(2026, 11, 1), office, person=li, counterpart=wang)
    with pytest.raises(ValidationError):
        excuse("000-sibitan", college, dt.date(2026, 11, 2), office, person=li, counterpart=wang)

    assert [e.period_start for e in ObligationExcuse.objects.all()] == [dt.date(2026, 11, 1)]


def test_the_model_refuses_a_period_the_rule_does_not_have_as_the_admin_would_save_it(teams, office):
    university, (lin, zhou, _wu) = teams["university"]
    row = ObligationExcuse(
        rule=ObligationRule.objects.get(code="001-secretary-president-weekly"),
        period_start=dt.date(2026, 11, 18),
        team=university.team,
        person=lin,
        counterpart=zhou,
        reason="出访",
    )

    with pytest.raises(ValidationError) as refused:
        row.full_clean()

    assert refused.value.message_dict["period_start"] == [
        "“党委书记与校长沟通”没有自2026年11月18日开始的周期，不能登记免于考核。"
    ]


def test_the_drill_down_tells_the_office_why_and_saves_nothing(client, teams, office):
    college, _people = teams["college"]
    team = college.team
    client.force_login(office)
    url = f"{reverse('overview_cell')}?{urlencode({'team': team.pk, 'rule': '000-coordination-meeting'})}"

    response = client.post(
        url,
        {
            "team": team.pk,
            "rule": "000-coordination-meeting",
            "period_start": "2026-11-09",
            "reason": "节假日",
        },
        follow=True,
    )

    assert (
        "“领导班子工作碰头会”没有自2026年11月9日开始的周期，不能登记免于考核。" in response.content.decode()
    )
    assert not ObligationExcuse.objects.exists()
