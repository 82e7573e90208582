"""What kind of contact a talk is matters (issue 6 §2.3). 001 三（一） asks the secretary and president to
communicate (沟通) every week, in any form; 001 三（六） asks for heart-to-heart talks (谈心交心) each semester: eight
weekly working exchanges are not eight heart-to-heart talks, but one heart-to-heart talk is also that week's 沟通.
Seed 000 counts heart-to-heart talks for 四（二） 四必谈 and 四（六）, and a formal one for 四（五）."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from communication.models import Talk, TalkChannel
from communication.tests.factories import TalkFactory
from governance.models import ObligationRule
from governance.services.policies import policy_load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]
D = dt.date
COMMUNICATION, TALK = TalkChannel.COMMUNICATION, TalkChannel.TALK


def rows(username: str, *period: str) -> list[dict]:
    out = StringIO()
    extra = ["--from", period[0], "--to", period[1]] if period else []
    call_command("obligations", "--user", username, *extra, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def pair_row(username: str, rule: str, counterpart: str, *period: str) -> list[dict]:
    return [
        r
        for r in rows(username, *period)
        if r["rule"] == rule and counterpart in (r["counterpart"], r["subject_username"])
    ]


def weekly_exchanges(secretary, president, weeks: int = 8) -> None:
    """A working exchange (沟通交流) every Tuesday for `weeks` weeks, the last on Tuesday 24 November."""
    for i in range(weeks):
        TalkFactory(
            participants=[secretary, president],
            date=D(2026, 11, 24) - dt.timedelta(weeks=i),
            channel=COMMUNICATION,
        )


def test_eight_weekly_working_exchanges_meet_the_weekly_rule_but_not_the_semesters_heart_to_heart_talk(
    university,
):
    _university, (secretary, president, _vice) = university
    weekly_exchanges(secretary, president)

    (semester,) = pair_row("linshuji", "001-main-leaders-member-talk", "zhouxiaozhang")
    weeks = pair_row(
        "linshuji", "001-secretary-president-weekly", "zhouxiaozhang", "2026-10-05", "2026-11-29"
    )

    assert (semester["done"], semester["status"]) == (0, "on_track")
    assert [(w["period_start"], w["status"]) for w in weeks] == [
        ("2026-10-05", "met"),
        ("2026-10-12", "met"),
        ("2026-10-19", "met"),
        ("2026-10-26", "met"),
        ("2026-11-02", "met"),
        ("2026-11-09", "met"),
        ("2026-11-16", "met"),
        ("2026-11-23", "met"),
    ]


def test_one_heart_to_heart_talk_meets_the_semester_rule_and_counts_for_that_weeks_communication(university):
    _university, (secretary, president, _vice) = university
    talk = TalkFactory(participants=[secretary, president], date=D(2026, 11, 24), channel=TALK)

    (semester,) = pair_row("linshuji", "001-main-leaders-member-talk", "zhouxiaozhang")
    (this_week,) = pair_row(
        "linshuji", "001-secretary-president-weekly", "zhouxiaozhang", "2026-11-23", "2026-11-29"
    )

    assert (semester["status"], [e["key"] for e in semester["evidence"]]) == (
        "met",
        [f"communication.talk:{talk.pk}"],
    )
    assert (this_week["status"], [e["key"] for e in this_week["evidence"]]) == (
        "met",
        [f"communication.talk:{talk.pk}"],
    )


def test_in_a_college_only_heart_to_heart_talks_count_for_the_yearly_talks_and_sibitan_and_only_formal_ones_for_the_main_leaders(
    college,
):
    _college, (secretary, dean, vice, *_rest) = college
    TalkFactory(participants=[secretary, dean], date=D(2026, 11, 2), channel=COMMUNICATION, formal=False)
    TalkFactory(participants=[secretary, vice], date=D(2026, 11, 3), channel=COMMUNICATION, formal=False)

    def status(rule: str, counterpart: str) -> str:
        (row,) = pair_row("lishuji", rule, counterpart)
        return row["status"]

    assert status("000-secretary-dean-formal-talk", "wangyuanzhang") != "met"
    assert status("000-main-leaders-member-talk", "zhaofuyuanzhang") != "met"

    TalkFactory(participants=[secretary, dean], date=D(2026, 11, 4), channel=TALK, formal=False)
    assert status("000-main-leaders-member-talk", "wangyuanzhang") == "met"
    assert status("000-secretary-dean-formal-talk", "wangyuanzhang") != "met"

    TalkFactory(participants=[secretary, dean], date=D(2026, 11, 5), channel=TALK, formal=True)
    assert status("000-secretary-dean-formal-talk", "wangyuanzhang") == "met"


def test_the_packs_say_which_kinds_each_rule_counts(university, college):
    params = dict(ObligationRule.objects.values_list("code", "evidence_params"))

    assert params["001-secretary-president-weekly"] == {"channel": ["communication", "talk"]}  # 三（一） 沟通
    assert params["001-main-leaders-member-talk"] == {"channel": "talk"}  # 三（六） 谈心交心
    assert params["001-member-mutual-talk"] == {"channel": "talk"}  # 三（六）
    assert params["000-secretary-dean-formal-talk"] == {
        "formal": True,
        "channel": "talk",
    }  # 四（五） 正式谈心
    assert params["000-main-leaders-member-talk"] == {"channel": "talk"}  # 四（六） 谈心
    assert params["000-sibitan"] == {"channel": "talk"}  # 四（二） 谈心谈话“四必谈”


def test_loading_a_pack_again_updates_rules_stored_before_the_kinds_were_set(university):
    university_org, _people = university
    ObligationRule.objects.filter(organization=university_org, evidence_source="communication.talk").update(
        evidence_params={}
    )

    result = policy_load(name="001")
    again = policy_load(name="001")

    assert sorted(result.updated) == [
        "001-main-leaders-member-talk",
        "001-member-mutual-talk",
        "001-secretary-president-weekly",
    ]
    assert ObligationRule.objects.get(code="001-main-leaders-member-talk").evidence_params == {
        "channel": "talk"
    }
    assert (again.created, again.updated) == ([], [])


def _checked(page: str, name: str) -> list[str]:
    return [
        re.search(r'value="([^"]*)"', tag)[1] if "value=" in tag else "on"
        for tag in re.findall(r"<input [^>]*>", page)
        if f'name="{name}"' in tag and re.search(r"\schecked\b", tag)
    ]


def test_each_rules_record_link_preselects_the_kind_it_counts(client, university):
    _university, (secretary, president, _vice) = university
    client.force_login(secretary.user)
    base = reverse("communication:talk_create") + f"?with={president.pk}&for={secretary.pk}&rule="

    weekly = client.get(base + "001-secretary-president-weekly").content.decode()
    semester = client.get(base + "001-main-leaders-member-talk").content.decode()

    assert _checked(weekly, "channel") == ["communication"]
    assert _checked(semester, "channel") == ["talk"]


def test_the_talk_form_explains_what_each_kind_counts_for(client, university):
    _university, (secretary, _president, _vice) = university
    client.force_login(secretary.user)

    page = client.get(reverse("communication:talk_create")).content.decode()

    assert "谈话类别" in page
    assert "“谈心谈话”指谈心交心、交流思想" in page
    assert "“沟通交流”指日常工作沟通" in page


def test_a_formal_talk_recorded_as_a_working_exchange_is_refused_with_the_input_kept(client, university):
    _university, (secretary, president, _vice) = university
    client.force_login(secretary.user)

    response = client.post(
        reverse("communication:talk_create"),
        {"participants": [president.pk], "date": "2026-11-24", "formal": "on", "channel": "communication",
         "notes": "交流下学期工作思路。"},
    )  # fmt: skip

    assert response.status_code == 200
    body = response.content.decode()
    assert "正式谈心属于谈心谈话，请将类别选为“谈心谈话”。" in body
    assert "交流下学期工作思路。" in body
    assert not Talk.objects.exists()
