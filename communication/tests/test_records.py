"""Every communication record says who entered it and when, keeps it when that login goes, and has an audit
history — including its many-to-many people — from one base (governance.models.RecordedModel)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from communication import services
from communication.models import Absence, AgendaItem, Meeting, MeetingKind, Talk
from communication.tests.factories import COLLEGE_KINDS, CollegeFactory, make_team, office_user
from governance.models import RecordedModel

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def college():
    org = CollegeFactory(name="武术与表演学院")
    return org, make_team(org, COLLEGE_KINDS, names=["王书记", "张院长", "李副院长", "赵副院长", "钱副书记"])


@pytest.mark.parametrize("model", [Talk, Meeting, AgendaItem, Absence])
def test_each_record_says_who_entered_it_when_and_when_it_last_changed(model):
    assert issubclass(model, RecordedModel)
    labels = {
        name: str(model._meta.get_field(name).verbose_name)
        for name in ("recorded_by", "created_at", "updated_at")
    }
    assert labels == {"recorded_by": "登记人", "created_at": "登记时间", "updated_at": "更新时间"}
    assert model.history.model.__name__ == f"Historical{model.__name__}"


def test_each_service_records_who_entered_the_record(college):
    org, (secretary, dean, vice1, *_rest) = college
    office = office_user(username="office-staff")
    meeting = services.meeting_create(
        created_by=office,
        organization=org,
        kind=MeetingKind.COORDINATION,
        title="工作碰头会",
        date=dt.date(2026, 11, 27),
        start_time=dt.time(9, 0),
        chair=secretary,
        attendees=[dean],
    )
    item = services.agenda_item_create(
        created_by=office, organization=org, title="议题", meeting_kind=MeetingKind.JOINT, proposer=secretary
    )
    talk = services.talk_record(
        recorded_by_user=secretary.user,
        participants=[secretary, dean],
        date=dt.date(2026, 11, 19),
        formal=True,
        topics=["work"],
        notes="谈话要点",
    )
    absence = services.absence_record(
        created_by_user=vice1.user,
        person=vice1,
        kind="trip",
        start=dt.date(2026, 11, 23),
        end=dt.date(2026, 11, 25),
        leave_approved_by=secretary,
    )
    assert (meeting.recorded_by, item.recorded_by, talk.recorded_by, absence.recorded_by) == (
        office,
        office,
        secretary.user,
        vice1.user,
    )


def test_a_record_keeps_its_dates_and_loses_only_the_name_when_the_login_that_entered_it_is_deleted(college):
    _org, (secretary, dean, vice1, *_rest) = college
    office = office_user(username="temporary-clerk")
    absence = services.absence_record(
        created_by_user=office,
        person=vice1,
        kind="trip",
        start=dt.date(2026, 11, 23),
        end=dt.date(2026, 11, 25),
    )
    office.delete()
    absence.refresh_from_db()
    assert absence.recorded_by is None
    assert absence.created_at is not None


def test_an_absence_now_knows_when_it_last_changed(college):
    _org, (_secretary, _dean, vice1, *_rest) = college
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=BEIJING), tick=False):
        absence = services.absence_record(
            created_by_user=vice1.user,
            person=vice1,
            kind="trip",
            start=dt.date(2026, 11, 23),
            end=dt.date(2026, 11, 25),
        )
    with time_machine.travel(dt.datetime(2026, 11, 21, 15, 30, tzinfo=BEIJING), tick=False):
        absence.destination = "南宁"
        absence.save()
    absence.refresh_from_db()
    assert absence.created_at == dt.datetime(2026, 11, 20, 9, 0, tzinfo=BEIJING)
    assert absence.updated_at == dt.datetime(2026, 11, 21, 15, 30, tzinfo=BEIJING)


def test_the_history_keeps_who_took_part_as_well_as_the_fields(college):
    org, (secretary, dean, vice1, *_rest) = college
    office = office_user(username="office-staff")
    meeting = services.meeting_create(
        created_by=office,
        organization=org,
        kind=MeetingKind.COORDINATION,
        title="工作碰头会",
        date=dt.date(2026, 11, 27),
        start_time=dt.time(9, 0),
        chair=secretary,
        attendees=[dean],
    )
    meeting.attendees.add(vice1)
    latest = meeting.history.latest()
    assert {row.person_id for row in latest.attendees.all()} == {dean.pk, vice1.pk}
    assert latest.recorded_by_id == office.pk
    talk = services.talk_record(
        recorded_by_user=secretary.user,
        participants=[secretary, dean],
        date=dt.date(2026, 11, 19),
        formal=True,
        topics=["work"],
        notes="谈话要点",
    )
    assert {row.person_id for row in talk.history.latest().participants.all()} == {secretary.pk, dean.pk}
    assert talk.history.latest().notes == talk.notes
