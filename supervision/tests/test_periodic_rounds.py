"""Periodic supervision as an engine rule (第三条（一）: 原则上每半年进行一次): the policy pack 003-supervision gives the
university's team a half-yearly rule counted by the rounds the office records (evidence source "supervision.round"),
each with its checklist of open key-work tasks; an unmet half year shows as not done; only the office records one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from governance.errors import DomainError
from governance.models import PositionKind
from governance.selectors.obligations import obligations_for_organization
from governance.services.policies import policy_load
from governance.tests.factories import (
    LeadershipTeamFactory,
    PersonFactory,
    PositionFactory,
    UniversityFactory,
)
from supervision import services
from supervision.models import SupervisionRound, TaskAction, TaskEvent
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db
RULE = "003-supervision-periodic-round"


@pytest.fixture
def university(db):
    university = UniversityFactory()
    team = LeadershipTeamFactory(organization=university)
    for name, kind in (("林书记", PositionKind.SECRETARY), ("周校长", PositionKind.PRESIDENT)):
        PositionFactory(person=PersonFactory(name=name), team=team, kind=kind)
    policy_load(name="003-supervision")
    return university


def _round_obligation(university, today):
    evaluation = obligations_for_organization(university, today=today)
    (found,) = [o for o in evaluation.obligations if o.rule.code == RULE]
    return found


def test_the_half_year_is_unmet_until_the_office_records_a_round(university, office, unit, leader):
    today = dt.date(2026, 11, 20)
    before = _round_obligation(university, today)
    assert (before.period.start, before.period.end) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert before.done == 0
    assert before.rule.clause_ref.endswith("第三条（一）")
    key_work = walk(register(office, lead_unit=unit, leader=leader), "in_progress", office=office)
    services.round_record(
        user=office,
        organization=university,
        held_on=dt.date(2026, 11, 18),
        title="2026年下半年定期督查",
        findings="年度重点工作总体按计划推进。",
        tasks=[key_work],
    )
    after = _round_obligation(university, today)
    assert after.done == 1
    assert [r.title for r in after.evidence] == ["2026年下半年定期督查"]
    assert (
        TaskEvent.objects.filter(task=key_work, action=TaskAction.URGE).get().note
        == "定期督查：2026年下半年定期督查"
    )


def test_only_the_office_records_a_round_and_it_needs_findings(university, office, leader):
    with pytest.raises(DomainError, match="定期督查由督查小组"):
        services.round_record(
            user=leader.user, organization=university, held_on=dt.date(2026, 11, 18), title="x", findings="y"
        )
    with pytest.raises(DomainError) as refused:
        services.round_record(
            user=office, organization=university, held_on=dt.date(2026, 11, 18), title="x", findings=" "
        )
    assert "请写明督查情况" in str(refused.value)
    assert not SupervisionRound.objects.exists()


def test_the_form_lists_open_key_work_tasks_and_keeps_the_date_in_the_rules_half_year(
    client, university, office, unit, leader
):
    task = walk(
        register(office, lead_unit=unit, leader=leader, title="折子工程一"), "in_progress", office=office
    )
    register(office, lead_unit=unit, leader=leader, title="领导批示事项", source="leader")
    client.force_login(office)
    url = reverse("supervision:round_create") + f"?rule={RULE}&period_start=2026-01-01&period_end=2026-06-30"
    page = client.get(url).content.decode()
    assert "折子工程一" in page
    assert "领导批示事项" not in page
    response = client.post(
        url, {"held_on": "2026-11-18", "title": "补登上半年", "findings": "已督查。", "tasks": [task.pk]}
    )
    assert "督查日期须在 2026-01-01 至 2026-06-30 之间" in response.content.decode()
    response = client.post(
        url, {"held_on": "2026-06-20", "title": "补登上半年", "findings": "已督查。", "tasks": [task.pk]}
    )
    assert response.status_code == 302
    assert list(SupervisionRound.objects.get().tasks.all()) == [task]
    assert "补登上半年" in client.get(reverse("supervision:round_list")).content.decode()


def test_units_people_and_leaders_cannot_open_the_rounds(client, university, liaison, leader):
    for user in (liaison.user, leader.user):
        client.force_login(user)
        assert client.get(reverse("supervision:round_list")).status_code == 403
        assert client.get(reverse("supervision:round_create")).status_code == 403
