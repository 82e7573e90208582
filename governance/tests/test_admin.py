"""The office's admin: every core model opens, forms refuse bad input in Chinese, lists stay cheap."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Position, PositionKind
from governance.tests.factories import (
    AreaFactory,
    ClauseFactory,
    HolidayDateFactory,
    LeadershipTeamFactory,
    LeaderUserFactory,
    OfficeUserFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SemesterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("governance", "communication", "outreach", "disclosure", "supervision")
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
GOVERNANCE_MODELS = sorted(
    (m for m in admin.site._registry if m._meta.app_label == "governance"), key=lambda m: m._meta.model_name
)


@pytest.fixture
def office_user(db):
    return OfficeUserFactory(username="office")


def leader_account(**kwargs):
    return LeaderUserFactory(username="shuji", **kwargs)


@pytest.fixture
def office_client(client, office_user):
    """The office group exactly as migrate leaves it: no per-model permissions, the admin lets it in anyway."""
    client.force_login(office_user, backend=MODEL_BACKEND)
    return client


def test_the_office_can_create_accounts_but_not_grant_superuser_status(office_client):
    page = office_client.get(reverse("admin:auth_user_change", args=[UserFactory().pk])).content.decode()
    assert 'name="is_active"' in page
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.fixture
def some_of_everything():
    """One row of each core model, so changelists render real rows, not the empty state."""
    PositionFactory(person=PersonFactory(user=None))
    SemesterFactory()
    HolidayDateFactory()
    ClauseFactory()


@pytest.mark.parametrize("model", GOVERNANCE_MODELS, ids=lambda m: m._meta.model_name)
def test_the_office_can_open_every_governance_changelist_with_a_chinese_title(
    office_client, some_of_everything, model
):
    url = reverse(f"admin:governance_{model._meta.model_name}_changelist")

    response = office_client.get(url)

    assert response.status_code == 200
    # Records of what was done (提醒邮件) are read, not changed: their list is "选择…查看".
    name = model._meta.verbose_name
    assert title_of(response).startswith((f"选择 {name} 来修改", f"选择{name}查看"))
    assert "党委办公室管理后台" in title_of(response)


def test_the_core_models_are_all_in_the_admin():
    names = {m._meta.model_name for m in GOVERNANCE_MODELS}
    assert {
        "organization",
        "leadershipteam",
        "area",
        "person",
        "position",
        "academicyear",
        "semester",
        "holidayyear",
        "holidaydate",
        "regulation",
        "clause",
        "officealert",
    } <= names


def test_the_office_can_open_the_add_forms_of_people_and_positions(office_client):
    for name in ("person", "position", "organization", "academicyear", "holidayyear"):
        assert office_client.get(reverse(f"admin:governance_{name}_add")).status_code == 200


def test_the_position_form_refuses_an_end_before_the_start_and_keeps_what_was_typed(office_client):
    person = PersonFactory(name="李书涵", user=None)
    team = LeadershipTeamFactory(organization=OrganizationFactory(name="文学院", code="wxy"))

    response = office_client.post(
        reverse("admin:governance_position_add"),
        {
            "person": person.pk,
            "team": team.pk,
            "kind": PositionKind.SECRETARY,
            "title": "党委书记（主持工作）",
            "start": "2025-07-01",
            "end": "2025-06-30",
            "order": "1",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("任职结束日期不能早于开始日期。") == 1
    assert 'value="党委书记（主持工作）"' in html
    assert 'value="2025-07-01"' in html
    assert 'value="2025-06-30"' in html
    assert re.search(rf'<option value="{person.pk}" selected>李书涵</option>', html)
    assert not Position.objects.exists()


def test_the_position_form_saves_a_valid_position(office_client):
    person = PersonFactory(name="李书涵", user=None)
    team = LeadershipTeamFactory()

    response = office_client.post(
        reverse("admin:governance_position_add"),
        {
            "person": person.pk,
            "team": team.pk,
            "kind": PositionKind.SECRETARY,
            "start": "2025-07-01",
            "order": "1",
        },
    )

    assert response.status_code == 302
    assert Position.objects.get().person == person


def test_the_office_can_search_people_while_filling_in_a_position(office_client):
    PersonFactory(name="李书涵", user=None)

    response = office_client.get(
        "/admin/autocomplete/",
        {"app_label": "governance", "model_name": "position", "field_name": "person", "term": "李"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["李书涵"]


def test_the_office_can_read_a_positions_change_history(office_client):
    position = PositionFactory(person=PersonFactory(name="王德厚", user=None), kind=PositionKind.SECRETARY)
    position.end = dt.date(2025, 6, 30)
    position.save()

    response = office_client.get(reverse("admin:governance_position_history", args=[position.pk]))

    assert response.status_code == 200
    assert "王德厚" in response.content.decode()


def test_a_leader_cannot_open_the_admin(client):
    leader = leader_account()
    client.force_login(leader, backend=MODEL_BACKEND)

    response = client.get("/admin/")

    # The portal's page saying the admin is the office's (issue 8), not the admin's login form.
    assert response.status_code == 403
    assert "管理后台只供党委办公室使用" in response.content.decode()


def test_a_leader_marked_as_staff_still_cannot_open_the_admin(client):
    leader = leader_account(is_staff=True)
    client.force_login(leader, backend=MODEL_BACKEND)

    assert client.get(reverse("admin:governance_position_changelist")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("admin:governance_person_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_positions(count: int, *, prefix: str) -> None:
    """`count` vice-presidents, each in a different college's team, each in charge of two areas."""
    areas = [AreaFactory(name="教学"), AreaFactory(name="科研")]
    for i in range(count):
        team = LeadershipTeamFactory(
            organization=OrganizationFactory(name=f"{prefix}学院{i}", code=f"{prefix}{i}")
        )
        position = PositionFactory(
            team=team,
            person=PersonFactory(name=f"{prefix}副院长{i}", user=UserFactory(username=f"{prefix}u{i}")),
            kind=PositionKind.VICE_PRESIDENT,
            start=dt.date(2024, 9, 1),
        )
        position.areas.set(areas)


def test_the_position_list_costs_no_more_queries_for_30_rows_than_for_1(
    office_client, django_assert_max_num_queries
):
    url = reverse("admin:governance_position_changelist")
    add_positions(1, prefix="a")
    one_row = queries_for(office_client, url)
    add_positions(29, prefix="b")

    with django_assert_max_num_queries(one_row):
        response = office_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "a副院长0" in html
    assert "b副院长28" in html
    assert one_row <= 15


def test_the_person_list_costs_no_more_queries_for_30_rows_than_for_1(
    office_client, django_assert_max_num_queries
):
    url = reverse("admin:governance_person_changelist")
    add_positions(1, prefix="a")
    one_row = queries_for(office_client, url)
    add_positions(29, prefix="b")

    with django_assert_max_num_queries(one_row):
        response = office_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "a副院长0" in html
    assert "b副院长28" in html
    assert one_row <= 15
