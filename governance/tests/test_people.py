"""People and positions over time: who held a post on a given day, and the rules that keep history sane."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.models import Position, PositionKind
from governance.tests.factories import (
    LeadershipTeamFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

END_BEFORE_START = "任职结束日期不能早于开始日期。"


@pytest.fixture
def college():
    return OrganizationFactory(name="文学院", code="wxy")


@pytest.fixture
def handover(college):
    """文学院's secretary changed hands on 2025-07-01."""
    team = LeadershipTeamFactory(organization=college)
    old = PositionFactory(
        team=team,
        person=PersonFactory(name="王德厚", user=None),
        kind=PositionKind.SECRETARY,
        start=dt.date(2020, 7, 1),
        end=dt.date(2025, 6, 30),
    )
    new = PositionFactory(
        team=team,
        person=PersonFactory(name="李书涵", user=None),
        kind=PositionKind.SECRETARY,
        start=dt.date(2025, 7, 1),
    )
    return old, new


def test_the_old_secretary_is_the_holder_up_to_and_including_their_last_day(college, handover):
    assert Position.objects.holder(college, PositionKind.SECRETARY, on=dt.date(2025, 6, 30)).name == "王德厚"
    assert Position.objects.holder(college, PositionKind.SECRETARY, on=dt.date(2023, 1, 1)).name == "王德厚"


def test_the_new_secretary_is_the_holder_from_their_first_day(college, handover):
    assert Position.objects.holder(college, PositionKind.SECRETARY, on=dt.date(2025, 7, 1)).name == "李书涵"
    assert Position.objects.holder(college, PositionKind.SECRETARY, on=dt.date(2026, 11, 22)).name == "李书涵"


def test_nobody_held_the_post_before_the_first_appointment(college, handover):
    assert Position.objects.holder(college, PositionKind.SECRETARY, on=dt.date(2020, 6, 30)) is None


def test_the_holder_is_looked_up_in_the_organization_asked_about(college, handover):
    other = OrganizationFactory(name="理学院", code="lxy")
    assert Position.objects.holder(other, PositionKind.SECRETARY, on=dt.date(2025, 7, 1)) is None
    assert Position.objects.holder(college, PositionKind.PRESIDENT, on=dt.date(2025, 7, 1)) is None


def test_active_on_lists_exactly_the_positions_held_that_day(handover):
    old, new = handover
    assert list(Position.objects.active_on(dt.date(2025, 6, 30))) == [old]
    assert list(Position.objects.active_on(dt.date(2025, 7, 1))) == [new]
    assert not Position.objects.active_on(dt.date(2019, 1, 1)).exists()
    assert old.is_active_on(dt.date(2025, 6, 30))
    assert not old.is_active_on(dt.date(2025, 7, 1))


def test_a_position_ending_before_it_starts_is_refused_with_a_chinese_message():
    position = PositionFactory.build(
        person=PersonFactory(user=None),
        team=LeadershipTeamFactory(),
        start=dt.date(2025, 7, 1),
        end=dt.date(2025, 6, 30),
    )
    with pytest.raises(ValidationError) as excinfo:
        position.full_clean()
    assert excinfo.value.message_dict == {"end": [END_BEFORE_START]}
    assert not Position.objects.exists()


def test_a_position_may_end_on_the_day_it_starts():
    position = PositionFactory.build(
        person=PersonFactory(user=None),
        team=LeadershipTeamFactory(),
        start=dt.date(2025, 7, 1),
        end=dt.date(2025, 7, 1),
    )
    position.full_clean()


def test_the_database_refuses_a_position_ending_before_it_starts_even_without_full_clean():
    position = PositionFactory(person=PersonFactory(user=None))
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.filter(pk=position.pk).update(end=position.start - dt.timedelta(days=1))
    position.refresh_from_db()
    assert position.end is None


def test_the_check_constraint_carries_the_same_chinese_message():
    constraint = next(c for c in Position._meta.constraints if c.name == "position_end_not_before_start")
    assert constraint.violation_error_message == END_BEFORE_START


def test_two_secretaries_at_the_same_time_are_refused_naming_the_current_holder(college, handover):
    team = handover[1].team
    clash = PositionFactory.build(
        team=team,
        person=PersonFactory(name="赵某", user=None),
        kind=PositionKind.SECRETARY,
        start=dt.date(2026, 3, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert excinfo.value.messages == [
        "同一时间只能有一位党委书记：李书涵 自 2025-07-01 起任该职。请先填写其任职结束日期。"
    ]


def test_a_secretary_appointed_inside_a_past_term_is_refused_too(college, handover):
    team = handover[0].team
    clash = PositionFactory.build(
        team=team,
        person=PersonFactory(name="赵某", user=None),
        kind=PositionKind.SECRETARY,
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
    )
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert "王德厚 自 2020-07-01 起任该职" in excinfo.value.messages[0]


def test_a_successor_can_be_appointed_once_the_predecessor_has_an_end_date(college, handover):
    team = handover[1].team
    handover[1].end = dt.date(2026, 12, 31)
    handover[1].full_clean()
    handover[1].save()
    successor = PositionFactory.build(
        team=team,
        person=PersonFactory(name="赵某", user=None),
        kind=PositionKind.SECRETARY,
        start=dt.date(2027, 1, 1),
    )
    successor.full_clean()


def test_several_deputies_may_serve_at_the_same_time():
    team = LeadershipTeamFactory()
    PositionFactory(
        team=team,
        person=PersonFactory(user=None),
        kind=PositionKind.VICE_PRESIDENT,
        start=dt.date(2024, 1, 1),
    )
    second = PositionFactory.build(
        team=team,
        person=PersonFactory(user=None),
        kind=PositionKind.VICE_PRESIDENT,
        start=dt.date(2024, 9, 1),
    )
    second.full_clean()
