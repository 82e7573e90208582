"""校领导接待日 (004 第五条8): the rota for a semester every other Monday 15:00—17:00 in the duty leader's office; a
Monday that is a holiday moves to the next workday of its week (or is dropped when the week has none), a make-up
workday is never a reception day; swaps keep the schedule consistent; the public schedule needs no login and shows
only who is on duty and where; the duty leader records the day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from governance.models import HolidayDate
from governance.tests.factories import (
    AcademicYearFactory,
    HolidayDateFactory,
    HolidayYearFactory,
    SemesterFactory,
)
from outreach import services
from outreach.models import ReceptionDuty, ReceptionSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_day():
    """2026's National Day as the office entered it: 1—7 October off, Sunday 27 September and Saturday 10 October
    worked (调休)."""
    year = HolidayYearFactory(year=2026)
    for day in range(1, 8):
        HolidayDateFactory(year=year, date=dt.date(2026, 10, day), name="国庆节")
    for day in (dt.date(2026, 9, 27), dt.date(2026, 10, 10)):
        HolidayDateFactory(year=year, date=day, kind=HolidayDate.Kind.WORKDAY, name="国庆节调休")


@pytest.fixture
def autumn(db):
    """An autumn semester whose rota falls on Monday 5 October (the semester starts on Monday 7 September)."""
    return SemesterFactory(
        academic_year=AcademicYearFactory(name="2026—2027学年（测试）"),
        start=dt.date(2026, 9, 7),
        end=dt.date(2026, 11, 15),
    )


@pytest.fixture
def roster(leader, other_leader):
    ReceptionDuty.objects.create(leader=leader, place="行政楼 305 室", order=1)
    ReceptionDuty.objects.create(leader=other_leader, place="行政楼 307 室", order=2)


def test_the_autumn_rota_moves_the_national_day_monday_and_never_uses_a_holiday(
    office, autumn, roster, national_day
):
    sessions, dropped = services.rota_generate(by=office, semester=autumn)
    days = [(s.date, s.moved_from) for s in sessions]
    assert days == [
        (dt.date(2026, 9, 7), None),
        (dt.date(2026, 9, 21), None),
        (
            dt.date(2026, 10, 8),
            dt.date(2026, 10, 5),
        ),  # Monday 5 October is a holiday: the week's next workday
        (dt.date(2026, 10, 19), None),
        (dt.date(2026, 11, 2), None),
    ]
    assert dropped == []
    assert all(s.start_time == dt.time(15) and s.end_time == dt.time(17) for s in sessions)
    assert [s.leader.name for s in sessions] == ["黄晓峰", "吴立群", "黄晓峰", "吴立群", "黄晓峰"]
    assert sessions[1].place == "行政楼 307 室"
    # Saturday 10 October is worked (调休) but is no reception day: the rota follows Mondays only.
    assert not ReceptionSession.objects.filter(date=dt.date(2026, 10, 10)).exists()


def test_a_monday_whose_week_has_no_workday_left_is_dropped(office, autumn, roster):
    year = HolidayYearFactory(year=2026)
    for day in range(5, 10):
        HolidayDateFactory(year=year, date=dt.date(2026, 10, day), name="假日")
    sessions, dropped = services.rota_generate(by=office, semester=autumn)
    assert dropped == [dt.date(2026, 10, 5)]
    assert dt.date(2026, 10, 5) not in [s.date for s in sessions]


def test_the_office_generates_from_its_page_once_per_semester(client, office, roster):
    later = SemesterFactory(
        academic_year=AcademicYearFactory(name="2027学年（测试）"),
        start=dt.date(2026, 11, 23),
        end=dt.date(2026, 12, 31),
    )
    client.force_login(office)
    url = reverse("outreach:reception_rota")
    page = client.post(
        url, {"action": "generate", "generate-semester": later.pk}, follow=True
    ).content.decode()
    assert "已排定 3 个接待日。" in page
    page = client.post(url, {"action": "generate", "generate-semester": later.pk}).content.decode()
    assert "已有接待日安排；如需调整请交换当班领导。" in page
    assert ReceptionSession.objects.count() == 3


def test_an_empty_roster_is_refused_with_what_to_do(office, autumn):
    with pytest.raises(Exception, match="轮值名单是空的"):
        services.rota_generate(by=office, semester=autumn)


def test_reception_days_gone_by_cannot_be_swapped(office, autumn, roster, national_day):
    sessions, _dropped = services.rota_generate(by=office, semester=autumn)
    first, second = (
        sessions[-2],
        sessions[-1],
    )  # 19 October (吴立群) and 2 November (黄晓峰); today is 20 November
    with pytest.raises(Exception, match="已过去的接待日不能交换"):
        services.sessions_swap(by=office, first=first, second=second)


def test_a_swap_exchanges_leaders_and_places_and_keeps_the_dates(
    client, office, leader, other_leader, roster
):
    later = SemesterFactory(
        academic_year=AcademicYearFactory(name="2027学年（测试）"),
        start=dt.date(2026, 11, 23),
        end=dt.date(2026, 12, 31),
    )
    sessions, _dropped = services.rota_generate(by=office, semester=later)
    first, second = sessions[0], sessions[1]
    client.force_login(office)
    client.post(
        reverse("outreach:reception_rota"),
        {"action": "swap", "swap-first": first.pk, "swap-second": second.pk},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.date, first.leader, first.place) == (dt.date(2026, 11, 23), other_leader, "行政楼 307 室")
    assert (second.date, second.leader, second.place) == (dt.date(2026, 12, 7), leader, "行政楼 305 室")
    assert first.history.first().history_change_reason == "交换当班领导"


def test_the_public_schedule_needs_no_login_and_shows_only_duty_and_place(client, office, leader, roster):
    session = ReceptionSession.objects.create(
        date=dt.date(2026, 11, 23),
        start_time=dt.time(15),
        end_time=dt.time(17),
        leader=leader,
        place="行政楼 305 室",
        summary="SECRET-SUMMARY",
        visitors=7,
    )
    page = client.get(reverse("outreach:reception_schedule")).content.decode()
    assert "黄晓峰" in page
    assert "行政楼 305 室" in page
    assert "15:00—17:00" in page
    assert "SECRET-SUMMARY" not in page
    assert client.get(reverse("outreach:reception_session", args=[session.pk])).status_code == 302


def test_the_public_schedule_asks_as_many_queries_whatever_the_number_of_days(
    client, office, roster, django_assert_max_num_queries
):
    later = SemesterFactory(
        academic_year=AcademicYearFactory(name="2027学年（测试）"),
        start=dt.date(2026, 11, 23),
        end=dt.date(2027, 1, 17),
    )
    url = reverse("outreach:reception_schedule")
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    services.rota_generate(by=office, semester=later)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_duty_leader_records_a_held_day_and_no_other_leader_opens_it(client, leader, other_leader):
    held = ReceptionSession.objects.create(
        date=dt.date(2026, 11, 16), start_time=dt.time(15), end_time=dt.time(17), leader=leader, place="305"
    )
    coming = ReceptionSession.objects.create(
        date=dt.date(2026, 11, 30), start_time=dt.time(15), end_time=dt.time(17), leader=leader, place="305"
    )
    client.force_login(leader.user)
    client.post(
        reverse("outreach:reception_session", args=[held.pk]), {"visitors": "3", "summary": "反映食堂问题"}
    )
    held.refresh_from_db()
    assert (held.visitors, held.summary) == (3, "反映食堂问题")
    page = client.post(
        reverse("outreach:reception_session", args=[coming.pk]), {"visitors": "3"}
    ).content.decode()
    assert "接待日还没到" in page
    client.force_login(other_leader.user)
    assert client.get(reverse("outreach:reception_session", args=[held.pk])).status_code == 404
