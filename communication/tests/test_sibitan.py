"""000 四（二）“四必谈”: before a democratic life meeting every pair of the team talks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from communication import selectors, services
from communication.tests.factories import (
    COLLEGE_KINDS,
    CollegeFactory,
    DemocraticLifeMeetingFactory,
    LeaderFactory,
    TalkFactory,
    make_team,
)
from governance.models import PositionKind
from governance.tests.factories import LeadershipTeamFactory, PositionFactory

pytestmark = pytest.mark.django_db

AFTER_THE_MEETING = dt.datetime(2026, 12, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def setting():
    org = CollegeFactory(name="武术与表演学院")
    people = make_team(org, COLLEGE_KINDS, names=["王书记", "张院长", "李副院长", "赵副院长", "钱副书记"])
    secretary, dean, vice1, vice2, deputy = people
    meeting = DemocraticLifeMeetingFactory(
        organization=org, chair=secretary, date=dt.date(2026, 12, 20), preparation_start=dt.date(2026, 11, 1)
    )
    # Counted: inside [2026-11-01, 2026-12-20].
    TalkFactory(participants=[secretary, dean], date=dt.date(2026, 11, 5))
    TalkFactory(participants=[vice1, vice2, deputy], date=dt.date(2026, 11, 10))  # a group talk: three pairs
    TalkFactory(participants=[dean, vice1], date=dt.date(2026, 12, 20))  # on the meeting day
    # Not counted.
    TalkFactory(participants=[secretary, vice1], date=dt.date(2026, 10, 20))  # before the preparation started
    TalkFactory(participants=[dean, deputy], date=dt.date(2026, 12, 21))  # after the meeting
    TalkFactory(participants=[secretary, LeaderFactory(name="外院书记")], date=dt.date(2026, 11, 6))
    return meeting, people


@time_machine.travel(AFTER_THE_MEETING, tick=False)
def test_a_five_member_team_owes_ten_pairs_and_counts_talks_in_the_preparation(
    setting, django_assert_num_queries
):
    meeting, (secretary, dean, vice1, vice2, deputy) = setting
    with django_assert_num_queries(2):
        matrix = selectors.sibitan_matrix(meeting)
    assert matrix.required == 10
    assert matrix.done == 5
    assert [p.name for p in matrix.members] == ["王书记", "张院长", "李副院长", "赵副院长", "钱副书记"]
    assert matrix.main_leader_ids == {secretary.pk, dean.pk}
    assert [t.date for t in matrix.talks_between(secretary, dean)] == [dt.date(2026, 11, 5)]
    assert matrix.talks_between(vice2, deputy)
    assert matrix.talks_between(vice1, deputy)
    assert matrix.talks_between(secretary, vice1) == []  # talked before the preparation started
    assert matrix.talks_between(dean, deputy) == []  # talked after the meeting


@time_machine.travel(AFTER_THE_MEETING, tick=False)
def test_the_pairs_still_to_talk_are_what_the_reminder_sends(setting):
    meeting, _people = setting
    pairs = [(a.name, b.name) for a, b in services.sibitan_remind_pairs(meeting)]
    assert pairs == [
        ("王书记", "李副院长"),
        ("王书记", "赵副院长"),
        ("王书记", "钱副书记"),
        ("张院长", "赵副院长"),
        ("张院长", "钱副书记"),
    ]


def test_the_team_is_taken_on_the_meeting_date(setting):
    meeting, _people = setting
    team = LeadershipTeamFactory(organization=meeting.organization)
    PositionFactory(
        person=LeaderFactory(name="已离任"),
        team=team,
        kind=PositionKind.TEAM_MEMBER,
        end=dt.date(2026, 6, 30),
    )
    PositionFactory(
        person=LeaderFactory(name="新任委员"),
        team=team,
        kind=PositionKind.COMMITTEE_MEMBER,
        start=dt.date(2026, 12, 1),
    )
    matrix = selectors.sibitan_matrix(meeting)
    assert [p.name for p in matrix.members][-1] == "新任委员"
    assert "已离任" not in [p.name for p in matrix.members]
    assert matrix.required == 15


@time_machine.travel(AFTER_THE_MEETING, tick=False)
def test_the_matrix_query_count_does_not_grow_with_the_talks(setting, django_assert_max_num_queries):
    meeting, people = setting
    for day in range(1, 28):
        TalkFactory(participants=people[:3], date=dt.date(2026, 11, day))
    # The positions, the talks, then for each pair's state the 四必谈 rule and its excuses.
    with django_assert_max_num_queries(4):
        matrix = selectors.sibitan_matrix(meeting)
        matrix.rows()
        matrix.by_person()
    assert matrix.done == 6  # 王书记–李副院长 is the only new pair


def test_the_matrix_page_shows_the_grid_and_the_count(client, setting):
    meeting, (secretary, *_rest) = setting
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        client.force_login(secretary.user)
        response = client.get(reverse("communication:sibitan_matrix", args=[meeting.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    # The talk recorded for the meeting day (张院长–李副院长, 12-20) has not taken place on 11-25: planned, not done.
    assert "已谈 4 / 应谈 10" in body
    grid = body.split(
        '<table class="table table-bordered text-center align-middle bg-white sibitan-matrix">'
    )[1]
    grid = grid.split("</table>")[0]
    # Each pair appears twice in the grid; 25 days before the meeting those who have not talked are in progress,
    # not late (000 四（二）: the talks are due by the meeting).
    assert grid.count('data-status="met"') == 8
    assert grid.count('data-status="on_track"') == 12
    assert "11-05" in grid
    assert grid.count("已安排：12-20") == 2


def test_a_talk_recorded_for_a_later_day_is_planned_not_done_until_that_day(setting):
    """Issue 6 §2: a record dated in the future does not count yet, in the 四必谈 matrix as on the dashboard."""
    meeting, (_secretary, dean, vice1, _vice2, _deputy) = setting
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        before = selectors.sibitan_matrix(meeting)
    assert before.talks_between(dean, vice1) == []
    assert [t.date for t in before.planned_between(dean, vice1)] == [dt.date(2026, 12, 20)]
    assert before.done == 4
    assert (dean, vice1) in before.missing_pairs
    with time_machine.travel(dt.datetime(2026, 12, 20, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        on_the_day = selectors.sibitan_matrix(meeting)
    assert [t.date for t in on_the_day.talks_between(dean, vice1)] == [dt.date(2026, 12, 20)]
    assert on_the_day.done == 5


def test_a_leader_outside_the_team_cannot_open_the_matrix(client, setting):
    meeting, _people = setting
    (elsewhere,) = make_team(CollegeFactory(name="外院"), [PositionKind.SECRETARY])
    client.force_login(elsewhere.user)
    assert client.get(reverse("communication:sibitan_matrix", args=[meeting.pk])).status_code == 404
