"""The write matrix (issue 7, guard): each role tries to create, change and delete what it must not — another team's
talk, 文学院's meeting, agenda item, opinion, absence and excuse, the office-only pages and the admin — and the
database is unchanged, row for row (history included); the office's same requests do write, so no refusal here is
vacuous.

Wednesday 25 November 2026. 文学院 (pack 000): 李书记, 王院长, 赵副院长, 钱副院长, 孙副书记; 示例大学: 林书记, 周校长,
吴副校长; 外国语学院: 外院书记 alone. "Another team's talk" is one between 林书记 and 周校长 for every role below.

What each role gets: L = 302 to the login page; A = 302 to the admin's login page (anonymous) or 403 with the portal's
"the admin is the office's" page (signed in: governance/admin_gate.py, issue 8); 200 = the form again, the refusal
on it:

| action                                   | anonymous | 教职工 | 党员 | 外院书记 (another team) | 赵副院长 (the team, is_staff ticked) | office  |
|------------------------------------------|-----------|--------|------|-------------------------|--------------------------------------|---------|
| record a talk between 林书记 and 周校长     | L         | 403    | 403  | 200, names refused      | 200, names refused                   | saved   |
| record a meeting of 文学院                 | L         | 403    | 403  | 403                     | 403                                  | saved   |
| upload an attachment to its meeting      | L         | 403    | 403  | 403                     | 403                                  | saved   |
| create an agenda item                    | L         | 403    | 403  | 403                     | 403                                  | saved   |
| add a consultee to its agenda item       | L         | 403    | 403  | 403                     | 403                                  | saved   |
| record 王院长's opinion                   | L         | 404    | 404  | 404                     | 404                                  | saved   |
| report 钱副院长's absence                 | L         | 403    | 403  | 200, not themself       | 200, not themself                    | saved   |
| excuse its coordination meeting          | L         | 403    | 403  | 403                     | 403                                  | saved   |
| change a talk, meeting, agenda item, absence or excuse in the admin | A | A | A | A     | A                                    | (form)  |
| delete one of them in the admin          | A         | A      | A    | A                       | A                                    | deleted |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communication import services
from communication.models import MeetingKind, Opinion
from communication.tests.factories import (
    AbsenceFactory,
    AgendaItemFactory,
    CollegeFactory,
    MeetingFactory,
    TalkFactory,
    make_team,
    office_user,
)
from governance import roles
from governance.models import ObligationExcuse, ObligationRule, PositionKind
from governance.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]

ROLES = ["anonymous", "staff", "party_member", "other_team_leader", "team_leader"]
L, A = "login", "admin login"

# action -> what each role gets (the table above)
EXPECTED: dict[str, dict[str, Any]] = {
    "talk.create": {
        "anonymous": L,
        "staff": 403,
        "party_member": 403,
        "other_team_leader": 200,
        "team_leader": 200,
    },
    "meeting.create": {
        "anonymous": L,
        "staff": 403,
        "party_member": 403,
        "other_team_leader": 403,
        "team_leader": 403,
    },
    "meeting.attach": {
        "anonymous": L,
        "staff": 403,
        "party_member": 403,
        "other_team_leader": 403,
        "team_leader": 403,
    },
    "agenda.create": {
        "anonymous": L,
        "staff": 403,
        "party_member": 403,
        "other_team_leader": 403,
        "team_leader": 403,
    },
    "agenda.consultee": {
        "anonymous": L,
        "staff": 403,
        "party_member": 403,
        "other_team_leader": 403,
        "team_leader": 403,
    },
    "opinion.record": {
        "anonymous": L,
        "staff": 404,
        "party_member": 404,
        "other_team_leader": 404,
        "team_leader": 404,
    },
    "absence.create": {
        "anonymous": L,
        "staff": 403,
        "party_member": 403,
        "other_team_leader": 200,
        "team_leader": 200,
    },
    "excuse.create": {
        "anonymous": L,
        "staff": 403,
        "party_member": 403,
        "other_team_leader": 403,
        "team_leader": 403,
    },
}
ADMIN_MODELS = {
    "talk": "communication_talk",
    "meeting": "communication_meeting",
    "agenda_item": "communication_agendaitem",
    "absence": "communication_absence",
    "excuse": "governance_obligationexcuse",
}
for _name in ADMIN_MODELS:
    # Anonymous: the admin's login page. Anyone else signed in who is not the office: the portal's 403 page saying the
    # admin is the office's (governance/admin_gate.py, issue 8).
    EXPECTED[f"admin.{_name}.change"] = {**dict.fromkeys(ROLES, 403), "anonymous": A}
    EXPECTED[f"admin.{_name}.delete"] = {**dict.fromkeys(ROLES, 403), "anonymous": A}


@dataclass
class World:
    college: Any
    lin: Any
    zhou: Any
    li: Any
    wang: Any
    zhao: Any
    qian: Any
    sun: Any
    outsider_leader: Any
    talk: Any
    meeting: Any
    item: Any
    opinion: Opinion
    absence: Any
    excuse: ObligationExcuse
    office: Any


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def world(university, college) -> World:
    _university, (lin, zhou, _wu) = university
    college_org, (li, wang, zhao, qian, sun) = college
    (outsider_leader,) = make_team(
        CollegeFactory(name="外国语学院", code="wgy"), [PositionKind.SECRETARY], names=["外院书记"]
    )
    office = office_user(username="office-staff")
    item = AgendaItemFactory(organization=college_org, proposer=li, meeting_kind=MeetingKind.JOINT)
    services.agenda_item_open_consultation(item=item, by=office)
    return World(
        college=college_org,
        lin=lin,
        zhou=zhou,
        li=li,
        wang=wang,
        zhao=zhao,
        qian=qian,
        sun=sun,
        outsider_leader=outsider_leader,
        talk=TalkFactory(participants=[li, wang], date=dt.date(2026, 11, 20), notes="谈话要点"),
        meeting=MeetingFactory(organization=college_org, chair=li, date=dt.date(2026, 11, 20)),
        item=item,
        opinion=Opinion.objects.get(item=item, person=wang),
        absence=AbsenceFactory(person=qian),
        excuse=ObligationExcuse.objects.create(
            rule=ObligationRule.objects.get(code="000-coordination-meeting"),
            period_start=dt.date(2026, 11, 16),
            team=college_org.team,
            reason="全院参加巡视反馈会",
        ),
        office=office,
    )


def login_as(client, role: str, w: World) -> None:
    users = {
        "anonymous": None,
        "staff": lambda: UserFactory(username="teacher", groups=(roles.STAFF,)),
        "party_member": lambda: UserFactory(username="member", groups=(roles.PARTY_MEMBERS,)),
        "other_team_leader": lambda: w.outsider_leader.user,
        "team_leader": lambda: _with_staff_flag(w.zhao.user),
        "office": lambda: w.office,
    }
    make = users[role]
    if make is not None:
        client.force_login(make())


def _with_staff_flag(user):
    # As if someone ticked "staff status" by mistake: the admin still asks for the office.
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


# Each action: the URL it posts to and what it posts.
Request = tuple[str, dict[str, Any]]


def _meeting_data(w: World) -> dict[str, Any]:
    return {
        "kind": MeetingKind.COORDINATION,
        "organization": w.college.pk,
        "title": "领导班子工作碰头会",
        "date": "2026-11-27",
        "start_time": "09:00",
        "chair": w.li.pk,
        "confidential": "on",
    }


def _absence_data(w: World) -> dict[str, Any]:
    return {
        "person": w.qian.pk,
        "kind": "trip",
        "start": "2026-12-01",
        "end": "2026-12-03",
        "handover-TOTAL_FORMS": "0",
        "handover-INITIAL_FORMS": "0",
        "handover-MIN_NUM_FORMS": "0",
        "handover-MAX_NUM_FORMS": "10",
    }


def _excuse_url(w: World) -> str:
    return f"{reverse('overview_cell')}?{urlencode({'team': w.college.team.pk, 'rule': '000-coordination-meeting'})}"


ACTIONS: dict[str, Callable[[World], Request]] = {
    "talk.create": lambda w: (  # the issue's own request: the link names the pair, the form names them again
        f"{reverse('communication:talk_create')}?with={w.zhou.pk}&for={w.lin.pk}",
        {"participants": [w.lin.pk, w.zhou.pk], "date": "2026-11-24", "channel": "communication"},
    ),
    "meeting.create": lambda w: (reverse("communication:meeting_create"), _meeting_data(w)),
    "meeting.attach": lambda w: (
        reverse("communication:meeting_detail", args=[w.meeting.pk]),
        {"file": SimpleUploadedFile("纪要.txt", b"minutes"), "name": "纪要"},
    ),
    "agenda.create": lambda w: (
        reverse("communication:agenda_item_create"),
        {
            "title": "议题",
            "organization": w.college.pk,
            "meeting_kind": MeetingKind.JOINT,
            "proposer": w.li.pk,
        },
    ),
    "agenda.consultee": lambda w: (
        reverse("communication:agenda_item_detail", args=[w.item.pk]),
        {"action": "consultee", "person": w.sun.pk, "reason": "补充征求"},
    ),
    "opinion.record": lambda w: (
        reverse("communication:opinion_respond", args=[w.opinion.pk]),
        {"stance": "agree"},
    ),
    "absence.create": lambda w: (reverse("communication:absence_create"), _absence_data(w)),
    "excuse.create": lambda w: (
        _excuse_url(w),
        {
            "team": w.college.team.pk,
            "rule": "000-coordination-meeting",
            "period_start": "2026-11-02",
            "reason": "会议日均为法定节假日",
        },
    ),
}


def _admin_object(w: World, name: str):
    return {
        "talk": w.talk,
        "meeting": w.meeting,
        "agenda_item": w.item,
        "absence": w.absence,
        "excuse": w.excuse,
    }[name]


for _name, _prefix in ADMIN_MODELS.items():
    ACTIONS[f"admin.{_name}.change"] = lambda w, n=_name, p=_prefix: (
        reverse(f"admin:{p}_change", args=[_admin_object(w, n).pk]),
        {"notes": "改过的要点", "title": "改过的名称", "reason": "改过的理由", "destination": "改过的地点"},
    )
    ACTIONS[f"admin.{_name}.delete"] = lambda w, n=_name, p=_prefix: (
        reverse(f"admin:{p}_delete", args=[_admin_object(w, n).pk]),
        {"post": "yes"},
    )


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of communication (its m2m tables and history included) and of the excuses, in order."""
    models = [
        *apps.get_app_config("communication").get_models(include_auto_created=True),
        ObligationExcuse,
        ObligationExcuse.history.model,
    ]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


CASES = [(action, role) for action in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a}-{r}" for a, r in CASES])
def test_a_role_that_must_not_write_leaves_the_database_unchanged(client, world, action, role):
    url, data = ACTIONS[action](world)
    login_as(client, role, world)
    before = snapshot()

    response = client.post(url, data)

    expected = EXPECTED[action][role]
    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif expected == A:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected
    assert snapshot() == before


OFFICE_WRITES = [a for a in EXPECTED if not a.endswith(".change")]


@pytest.mark.parametrize("action", OFFICE_WRITES)
def test_the_offices_same_request_does_write(client, world, action):
    url, data = ACTIONS[action](world)
    login_as(client, "office", world)
    before = snapshot()

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot() != before


def test_the_refusals_name_what_was_refused(client, world):
    login_as(client, "team_leader", world)
    url, data = ACTIONS["talk.create"](world)

    page = client.post(url, data).content.decode()

    assert "周校长、林书记在2026年11月24日不是您所在领导班子的成员" in page
