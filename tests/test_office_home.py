"""The office's home page answers "what needs me today" before the admin shortcuts: which teams have requirements
overdue or due soon (linking to their part of the overview), which agenda items may not go to their meeting yet and
why (000 四（一）), and the meetings of the coming week."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communication import services
from communication.models import MeetingKind, OpinionStance
from communication.tests.factories import (
    COLLEGE_KINDS,
    CollegeFactory,
    MeetingFactory,
    make_college_team,
    make_team,
    office_user,
)
from governance.models import ObligationRule
from governance.services.policies import policy_load
from governance.tests.factories import SemesterFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]
D = dt.date


@pytest.fixture
def office():
    return office_user(username="office-staff")


@pytest.fixture
def college():
    """文学院 under pack 000 on Wednesday 25 November 2026: its coordination meeting (四（四）, every other Friday) was
    held on 20 November but not in the cycle of 2—15 November; no talk between its main leaders and the members
    (四（六）, each calendar year) has been recorded, with the year ending in five weeks."""
    SemesterFactory()
    college, people = make_college_team()
    MeetingFactory(
        kind=MeetingKind.COORDINATION,
        organization=college,
        title="工作碰头会（11月20日）",
        date=D(2026, 11, 20),
        chair=people[0],
        attendees=people[1:],
    )
    return college, people


def _section(page: str, css_class: str) -> str:
    found = re.search(
        rf'<div class="card h-100 {css_class}">(.*?)</div>\s*</div>\s*(?=<div class="col">|</div>)',
        page,
        re.S,
    )
    assert found, f"no {css_class} card"
    return found[1]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_sees_each_teams_overdue_and_due_soon_requirements_with_a_link_to_its_overview(
    client, office, college
):
    client.force_login(office)

    card = _section(home(client), "attention-obligations")

    # Overdue: the missed 2—15 November cycle. Due soon: the seven pairs of 四（六） (李书记 and 王院长 each with the
    # other members, their own pair counted once), due by 31 December.
    assert _text(card).startswith("制度落实 1 项已逾期 7 项即将到期 文学院领导班子 1 项已逾期 7 项即将到期")
    assert f'<a href="{reverse("overview")}?org=wxy">文学院领导班子</a>' in card


def test_the_office_is_told_when_no_team_has_anything_late(client, office, college):
    for rule in ObligationRule.objects.all():  # saved one by one, so the cached page knows the data changed
        rule.is_active = False
        rule.save()
    client.force_login(office)

    card = _section(home(client), "attention-obligations")

    assert "各领导班子当前周期没有逾期或即将到期的要求。" in _text(card)
    assert "项已逾期" not in card


def test_the_office_sees_which_agenda_items_may_not_go_to_their_meeting_and_why(client, office, college):
    organization, (secretary, dean, *_rest) = college
    waiting = services.agenda_item_create(
        created_by=office,
        organization=organization,
        title="2027年学院经费预算",
        meeting_kind=MeetingKind.JOINT,
        proposer=secretary,
    )
    services.agenda_item_open_consultation(item=waiting, by=office)
    held = services.agenda_item_create(
        created_by=office,
        organization=organization,
        title="科级干部调整",
        meeting_kind=MeetingKind.JOINT,
        proposer=secretary,
    )
    services.agenda_item_open_consultation(item=held, by=office)
    services.opinion_record(
        item=held, person=dean, stance=OpinionStance.DISAGREE, comment="人选需再斟酌", by=office
    )
    client.force_login(office)

    card = _text(_section(home(client), "attention-agenda"))

    assert card.startswith("尚不能上会的议题 2 ")
    assert "2027年学院经费预算 待征求意见 待听取：王院长、赵副院长、钱副院长" in card
    assert "科级干部调整 暂缓上会（意见不一致） 意见不一致：王院长：不同意" in card


def test_the_office_sees_the_meetings_of_the_coming_week_only(client, office, college):
    organization, people = college
    for title, day in (
        ("党政联席会（11月27日）", D(2026, 11, 27)),
        ("党政联席会（12月9日）", D(2026, 12, 9)),
    ):
        MeetingFactory(
            kind=MeetingKind.JOINT, organization=organization, title=title, date=day, chair=people[0]
        )
    client.force_login(office)

    card = _text(_section(home(client), "attention-meetings"))

    assert "党政联席会（11月27日） 11月27日" in card
    assert "12月9日" not in card
    assert card.startswith("未来 7 天的会议 1 ")


def test_a_leader_does_not_get_the_offices_panel(client, college):
    client.force_login(college[1][0].user)

    page = home(client)

    assert "今日关注" not in page
    assert "尚不能上会的议题" not in page


def test_the_office_home_runs_as_many_queries_for_three_teams_and_many_records_as_for_one(
    client, office, college
):
    organization, people = college
    item = services.agenda_item_create(
        created_by=office,
        organization=organization,
        title="议题",
        meeting_kind=MeetingKind.JOINT,
        proposer=people[0],
    )
    services.agenda_item_open_consultation(item=item, by=office)
    MeetingFactory(organization=organization, date=D(2026, 11, 26), chair=people[0])
    client.force_login(office)
    with CaptureQueriesContext(connection) as one_team:
        home(client)

    for code in ("lsxy", "sxy"):
        other = CollegeFactory(code=code, parent=college[0].parent)
        people = make_team(other, COLLEGE_KINDS)
        policy_load(name="000", organization=other)
        for i in range(6):
            MeetingFactory(organization=other, date=D(2026, 11, 26) + dt.timedelta(days=i), chair=people[0])
            item = services.agenda_item_create(
                created_by=office,
                organization=other,
                title=f"议题{i}",
                meeting_kind=MeetingKind.JOINT,
                proposer=people[0],
            )
            services.agenda_item_open_consultation(item=item, by=office)
    with CaptureQueriesContext(connection) as three_teams:
        page = home(client)

    assert _text(_section(page, "attention-agenda")).startswith("尚不能上会的议题 13 ")
    assert _text(_section(page, "attention-meetings")).startswith("未来 7 天的会议 13 ")
    assert len(three_teams) == len(one_team)
