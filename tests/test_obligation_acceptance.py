"""Issue acceptance: policy packs 000 and 001 over real meetings and talks, checked through the `obligations`
command's JSON — the same figures the dashboard shows."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from communication.models import MeetingKind
from communication.tests.factories import (
    COLLEGE_KINDS,
    CollegeFactory,
    MeetingFactory,
    TalkFactory,
    make_team,
)
from governance.models import ObligationRule, PositionKind
from governance.services.policies import PolicyPackError, policy_load
from governance.tests.factories import UniversityFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def college(semester):
    """文学院 under pack 000 in the autumn semester (tests/conftest.py), its leaders with their login names."""
    college = CollegeFactory(name="文学院", code="wxy", parent=UniversityFactory())
    people = make_team(college, COLLEGE_KINDS, names=["李书记", "王院长", "赵副院长", "钱副院长", "孙副书记"])
    for person, username in zip(
        people, ["wxy_shuji", "wxy_yuanzhang", "wxy_zhao", "wxy_qian", "wxy_sun"], strict=True
    ):
        person.user.username = username
        person.user.save()
    policy_load(name="000", organization=college)
    return college, people


def obligations(*args: str) -> list[dict]:
    out = StringIO()
    call_command("obligations", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_pack_000_reproduces_the_regulation_numbers(college):
    college, _people = college
    rules = {
        r.code: r
        for r in ObligationRule.objects.filter(organization=college).select_related("clause__regulation")
    }
    assert rules["000-coordination-meeting"].period == "biweek"
    assert rules["000-coordination-meeting"].weekday == 4  # 四（四）: 每两周一次，一般安排在周五
    assert rules["000-retreat-meeting"].period == "semester"  # 四（三）: 每学期召开一次
    assert (
        rules["000-secretary-dean-formal-talk"].period,
        rules["000-secretary-dean-formal-talk"].target,
    ) == ("semester", 1)
    assert rules["000-main-leaders-member-talk"].period == "calendar_year"  # 四（六）: 每年至少1次
    assert rules["000-sibitan"].period == "before_event"  # 四（二）: 民主生活会前“四必谈”
    assert rules["000-secretary-dean-formal-talk"].clause.reference == "000 四（五）"


def test_loading_a_pack_twice_changes_nothing(college):
    college, _people = college
    before = list(ObligationRule.objects.order_by("pk").values())
    result = policy_load(name="000", organization=college)
    assert result.created == []
    assert result.updated == []
    assert list(ObligationRule.objects.order_by("pk").values()) == before


def test_a_malformed_pack_is_refused_with_its_line_and_reason(college, tmp_path):
    college, _people = college
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'code: "bad"\ntitle: 坏的规则包\nregulation: "000"\nlevel: college\nrules:\n'
        "  - code: bad-rule\n    title: 碰头会\n    clause: 四（四）\n    subject: team\n"
        "    evidence: {source: communication.meeting}\n    period: fortnight\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyPackError) as excinfo:
        policy_load(name=str(bad), organization=college)
    assert excinfo.value.line == 11
    assert "period“fortnight”无效" in str(excinfo.value)
    assert not ObligationRule.objects.filter(code="bad-rule").exists()
    with pytest.raises(CommandError, match="第11行"):
        call_command("load_policy", str(bad), "--org", "wxy")


def test_a_semester_of_alternate_friday_meetings_with_one_missed_cycle_shows_exactly_one_overdue_period(
    college,
):
    college, people = college
    secretary = people[0]
    fridays = [D(2026, 9, 4) + dt.timedelta(weeks=2 * i) for i in range(10)]
    for i, friday in enumerate(fridays):
        if i != 4:
            MeetingFactory(
                kind=MeetingKind.COORDINATION,
                organization=college,
                date=friday,
                chair=secretary,
                attendees=people,
            )
    rows = [
        r
        for r in obligations(
            "--org", "wxy", "--from", "2026-08-31", "--to", "2027-01-17", "--on", "2027-01-20"
        )
        if r["rule"] == "000-coordination-meeting"
    ]
    overdue = [r for r in rows if r["status"] == "overdue"]
    assert len(overdue) == 1
    assert overdue[0]["period_start"] <= fridays[4].isoformat() <= overdue[0]["period_end"]
    assert overdue[0]["clause"] == "000 四（四）"
    assert {r["status"] for r in rows} == {"met", "overdue"}


def test_secretary_and_dean_without_a_formal_talk_see_it_due_soon_near_the_end_and_overdue_after(college):
    college, people = college
    secretary, dean = people[0], people[1]
    TalkFactory(participants=[secretary, dean], date=D(2026, 10, 9), formal=False)  # informal: does not count
    for username in ("wxy_shuji", "wxy_yuanzhang"):
        (near_end,) = [
            r
            for r in obligations("--user", username, "--on", "2027-01-05")
            if r["rule"] == "000-secretary-dean-formal-talk"
        ]
        assert near_end["status"] == "due_soon"
        assert near_end["counterpart"] in ("wxy_shuji", "wxy_yuanzhang")
        (after,) = [
            r
            for r in obligations("--user", username, "--on", "2027-01-25")
            if r["rule"] == "000-secretary-dean-formal-talk"
        ]
        assert after["status"] == "overdue"
        assert after["period_end"] == "2027-01-17"
    mid = [
        r
        for r in obligations("--user", "wxy_shuji", "--on", "2026-10-15")
        if r["rule"] == "000-secretary-dean-formal-talk"
    ]
    assert mid[0]["status"] == "on_track"


def test_pack_001_secretary_president_talks_in_weeks_one_two_and_four_leave_week_three_overdue(semester):
    university = UniversityFactory()
    secretary, president, vice = make_team(
        university, [PositionKind.SECRETARY, PositionKind.PRESIDENT, PositionKind.VICE_PRESIDENT]
    )
    secretary.user.username = "shuji"
    secretary.user.save()
    policy_load(name="001")
    weeks = [D(2026, 9, 7) + dt.timedelta(weeks=i) for i in range(4)]
    for i in (0, 1, 3):
        TalkFactory(participants=[secretary, president], date=weeks[i] + dt.timedelta(days=1))
    rows = [
        r
        for r in obligations(
            "--user", "shuji", "--from", "2026-09-07", "--to", "2026-10-04", "--on", "2026-10-05"
        )
        if r["rule"] == "001-secretary-president-weekly"
    ]
    assert [r["status"] for r in rows] == ["met", "met", "overdue", "met"]
    assert rows[2]["period_start"] == "2026-09-21"
    assert rows[0]["evidence"][0]["key"].startswith("communication.talk:")
    assert rows[2]["clause"] == "001 三（一）"


def test_a_secretary_who_takes_office_mid_semester_owes_only_the_rest_of_it(college):
    from governance.models import Position

    college, people = college
    old_secretary, dean = people[0], people[1]
    Position.objects.filter(person=old_secretary).update(end=D(2026, 10, 31))
    (new_secretary,) = make_team(college, [PositionKind.SECRETARY], start=D(2026, 11, 1))
    TalkFactory(participants=[new_secretary, dean], date=D(2026, 10, 20), formal=True)  # before taking office
    rows = obligations("--org", "wxy", "--on", "2026-11-15")
    (new_row,) = [
        r
        for r in rows
        if r["rule"] == "000-secretary-dean-formal-talk"
        and new_secretary.name in (r["subject"], r["counterpart_name"])
    ]
    assert new_row["done"] == 0
    assert new_row["status"] == "on_track"


def test_the_command_refuses_bad_input_in_chinese(college):
    with pytest.raises(CommandError, match="找不到用户“nobody”"):
        call_command("obligations", "--user", "nobody")
    with pytest.raises(CommandError, match="格式不对"):
        call_command("obligations", "--user", "wxy_shuji", "--on", "2026-13-01")
    with pytest.raises(CommandError, match="不能早于"):
        call_command("obligations", "--user", "wxy_shuji", "--from", "2026-10-01", "--to", "2026-09-01")
