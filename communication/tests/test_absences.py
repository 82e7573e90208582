"""Absence and handover (001 三（七））."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from communication import selectors, services
from communication.models import Absence, AbsenceKind, Handover
from communication.services import DomainError
from communication.tests.factories import (
    AbsenceFactory,
    CollegeFactory,
    HandoverFactory,
    make_team,
)
from governance.models import PositionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    org = CollegeFactory()
    return make_team(
        org,
        [
            PositionKind.SECRETARY,
            PositionKind.PRESIDENT,
            PositionKind.VICE_PRESIDENT,
            PositionKind.VICE_PRESIDENT,
        ],
        names=["王书记", "张院长", "李副院长", "赵副院长"],
    )


def test_an_absence_cannot_end_before_it_starts_and_nothing_is_saved(team):
    _secretary, _dean, vice1, vice2 = team
    with pytest.raises(DomainError) as refused:
        services.absence_record(
            created_by_user=vice1.user,
            person=vice1,
            kind=AbsenceKind.TRIP,
            start=dt.date(2026, 11, 25),
            end=dt.date(2026, 11, 23),
            handovers=[(vice2, "代管教学工作")],
        )
    assert refused.value.message_dict["end"] == ["结束日期不能早于开始日期。"]
    assert not Absence.objects.exists()
    assert not Handover.objects.exists()


def test_a_leader_reports_their_trip_with_leave_and_a_handover(team):
    secretary, _dean, vice1, vice2 = team
    absence = services.absence_record(
        created_by_user=vice1.user,
        person=vice1,
        kind=AbsenceKind.STUDY,
        start=dt.date(2026, 11, 23),
        end=dt.date(2026, 12, 5),
        destination="中央党校",
        leave_approved_by=secretary,
        handovers=[(vice2, "代管教学工作")],
    )
    assert absence.leave_approved_by == secretary
    assert [(h.covering, h.duties) for h in absence.handovers.all()] == [(vice2, "代管教学工作")]


def test_a_leader_cannot_report_someone_elses_absence(team):
    _secretary, _dean, vice1, vice2 = team
    with pytest.raises(DomainError) as refused:
        services.absence_record(
            created_by_user=vice1.user,
            person=vice2,
            kind=AbsenceKind.TRIP,
            start=dt.date(2026, 11, 23),
            end=dt.date(2026, 11, 24),
        )
    assert refused.value.message_dict["person"] == ["只能登记本人的外出报备。"]


def test_nobody_covers_for_themselves(team, office):
    _secretary, _dean, vice1, _vice2 = team
    with pytest.raises(DomainError) as refused:
        services.absence_record(
            created_by_user=office,
            person=vice1,
            kind=AbsenceKind.TRIP,
            start=dt.date(2026, 11, 23),
            end=dt.date(2026, 11, 24),
            handovers=[(vice1, "自己")],
        )
    assert refused.value.message_dict["handovers"] == ["代管人不能是外出人员本人。"]


def test_the_covering_leader_sees_current_and_upcoming_absences_only(team):
    secretary, dean, vice1, vice2 = team
    current = AbsenceFactory(person=vice1, start=dt.date(2026, 11, 18), end=dt.date(2026, 11, 22))
    upcoming = AbsenceFactory(person=dean, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 3))
    past = AbsenceFactory(person=secretary, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 6))
    for absence in (current, upcoming, past):
        HandoverFactory(absence=absence, covering=vice2, duties=f"代管{absence.person.name}的工作")
    HandoverFactory(absence=AbsenceFactory(person=dean, start=dt.date(2026, 11, 25)), covering=secretary)
    covered = list(selectors.absences_covered_by(vice2))
    assert covered == [current, upcoming]
    assert selectors.duties_by_absence(covered, vice2)[current.pk] == ["代管李副院长的工作"]


def test_the_covering_leader_sees_it_on_the_absence_page(client, team):
    _secretary, dean, vice1, vice2 = team
    absence = AbsenceFactory(
        person=vice1, start=dt.date(2026, 11, 23), end=dt.date(2026, 11, 27), destination="北京"
    )
    HandoverFactory(absence=absence, covering=vice2, duties="代管科研工作")
    client.force_login(vice2.user)
    body = client.get(reverse("communication:absence_list")).content.decode()
    assert "我代管的工作" in body
    assert "代管科研工作" in body
    assert "即将外出" in body
    client.force_login(dean.user)
    body = client.get(reverse("communication:absence_list")).content.decode()
    assert "代管科研工作" not in body


def test_a_leader_reports_an_absence_from_the_form(client, team):
    secretary, _dean, vice1, vice2 = team
    client.force_login(vice1.user)
    data = {
        "person": vice1.pk,
        "kind": AbsenceKind.TRIP,
        "start": "2026-11-23",
        "end": "2026-11-21",
        "destination": "上海",
        "leave_approved_by": secretary.pk,
        "handover-TOTAL_FORMS": "2",
        "handover-INITIAL_FORMS": "0",
        "handover-MIN_NUM_FORMS": "0",
        "handover-MAX_NUM_FORMS": "10",
        "handover-0-covering": vice2.pk,
        "handover-0-duties": "代管学生工作",
        "handover-1-covering": "",
        "handover-1-duties": "",
    }
    response = client.post(reverse("communication:absence_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "结束日期不能早于开始日期。" in body
    assert "代管学生工作" in body
    data["end"] = "2026-11-25"
    response = client.post(reverse("communication:absence_create"), data)
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert absence.person == vice1
    assert absence.recorded_by == vice1.user
    assert absence.handovers.get().covering == vice2


def test_the_absence_list_runs_a_constant_number_of_queries(
    client, team, office, django_assert_max_num_queries
):
    secretary, dean, vice1, vice2 = team
    client.force_login(office)
    HandoverFactory(absence=AbsenceFactory(person=vice1), covering=vice2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("communication:absence_list"))
    for person in [secretary, dean, vice1, vice2] * 5:
        absence = AbsenceFactory(person=person, notified=[secretary, dean])
        HandoverFactory(absence=absence, covering=vice2 if person != vice2 else vice1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("communication:absence_list"))
