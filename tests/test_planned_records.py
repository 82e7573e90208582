"""A record dated in the future does not count yet: a 碰头会 planned for Friday shows as planned, not as done, on
the leader's dashboard, the office's drill-down and the `obligations` command, until its date has come."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from communication.models import MeetingKind
from communication.tests.factories import MeetingFactory, office_user
from governance.engine.evidence import EvidenceRecord
from governance.engine.obligations import RuleSpec, Status, TeamInfo, Tenure, evaluate
from governance.engine.periods import Term
from governance.selectors.calendar import AcademicCalendar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]
D = dt.date
FRIDAY = D(
    2026, 11, 27
)  # the agreed day of 文学院's cycle 11-16 — 11-29 (000 四（四）); today is Wednesday 25th


@pytest.fixture
def planned(college):
    """文学院's 碰头会 for this cycle, entered by the office ahead of time for Friday."""
    organization, people = college
    return MeetingFactory(
        kind=MeetingKind.COORDINATION,
        organization=organization,
        title="领导班子工作碰头会",
        date=FRIDAY,
        chair=people[0],
        attendees=people[1:],
    )


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def dashboard_line(client, person, rule: str) -> tuple[str, str]:
    """The status and text of this cycle's (11-16 — 11-29) line for `rule` on the person's dashboard."""
    client.force_login(person.user)
    page = client.get(reverse("home")).content.decode()
    ((status, text),) = [
        (status, _text(body))
        for status, body in re.findall(
            rf'<li class="list-group-item obligation[^"]*" data-rule="{rule}" data-status="([^"]+)">(.*?)</li>',
            page,
            re.S,
        )
        if "11月16日—11月29日" in _text(body)
    ]
    return status, text


def test_a_meeting_planned_for_friday_shows_as_planned_not_done_on_the_leaders_dashboard(
    client, college, planned
):
    secretary = college[1][0]

    status, text = dashboard_line(client, secretary, "000-coordination-meeting")

    assert status == "due_soon"
    assert "完成 0/1次" in text
    assert "已安排： 11月27日 领导班子工作碰头会" in text
    assert "已计入" not in text


def test_once_its_date_has_come_the_planned_meeting_counts(client, college, planned):
    secretary = college[1][0]

    with time_machine.travel(dt.datetime(2026, 11, 27, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        status, text = dashboard_line(client, secretary, "000-coordination-meeting")

    assert status == "met"
    assert "完成 1/1次" in text
    assert "已计入： 领导班子工作碰头会（11月27日）" in text
    assert "已安排" not in text


def test_the_offices_drill_down_shows_the_planned_meeting(client, college, planned):
    organization = college[0]
    client.force_login(office_user(username="office-staff"))

    page = client.get(
        reverse("overview_cell") + f"?rule=000-coordination-meeting&team={organization.team.pk}"
    ).content.decode()

    (current,) = [_text(card) for card in page.split('class="card mb-3"')[1:] if "2026年11月16日" in card]
    assert current.startswith("> 即将到期 班子整体")
    assert "完成 0/1次" in current
    assert "已安排： 11月27日 领导班子工作碰头会" in current


def test_the_obligations_command_lists_planned_records_apart_from_the_evidence(college, planned):
    out = StringIO()
    call_command("obligations", "--org", "wxy", "--format", "json", stdout=out)
    (row,) = [
        r
        for r in json.loads(out.getvalue())
        if r["rule"] == "000-coordination-meeting" and r["period_start"] == "2026-11-16"
    ]

    assert (row["done"], row["status"], row["evidence"]) == (0, "due_soon", [])
    assert row["planned"] == [
        {
            "key": f"communication.meeting:{planned.pk}",
            "date": "2026-11-27",
            "title": "领导班子工作碰头会",
            "url": f"/communication/meetings/{planned.pk}/",
        }
    ]


def test_on_plain_values_hours_planned_for_next_week_do_not_add_to_a_sum():
    rule = RuleSpec(
        id=1, code="r", title="听课", clause_ref="004 第五条4", clause_citation="《办法》第五条4", subject="each_member",
        subject_positions=(), counterpart="none", counterpart_positions=(), evidence_source="src", evidence_params={},
        measure="sum", target=Decimal(4), unit="学时", period="semester", team_ids=(1,),
    )  # fmt: skip
    records = [
        EvidenceRecord(
            key=f"c:{d}", source="src", date=d, title="听课", people=frozenset({7}), amount=Decimal(2)
        )
        for d in (D(2026, 11, 20), D(2026, 12, 2))
    ]
    fall = Term("2026—2027学年第一学期", D(2026, 8, 31), D(2027, 1, 17))

    (ob,) = evaluate(
        [rule], teams={1: TeamInfo(1, 10, "班子")}, tenures=[Tenure(7, 1, "vice_president", D(2020, 1, 1), None)],
        evidence={"src": records}, events={}, excuses={}, start=D(2026, 11, 25), end=D(2026, 11, 25),
        today=D(2026, 11, 25), calendar=AcademicCalendar(semesters=(fall,), academic_years=(), anchor=D(2024, 1, 1)),
    )  # fmt: skip

    assert ob.done == Decimal(2)
    assert [r.date for r in ob.evidence] == [D(2026, 11, 20)]
    assert [r.date for r in ob.planned] == [D(2026, 12, 2)]
    assert ob.status == Status.ON_TRACK
