"""The tasks a user may open, as a list or another family's page reads them (permissions.tasks_visible_to): the same as
each task's own page lets in (can_view), whether the request has looked the person and their units up already (the
list: their ids in the query) or not (a meeting's task links: subqueries, one query)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from governance.roles import is_office
from governance.tests.factories import UserFactory
from supervision.permissions import can_view, tasks_visible_to, unit_ids_of
from supervision.tests.factories import DepartmentFactory, UnitContactFactory, register, university_leader

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The login as a new request finds it: nothing looked up yet."""
    return get_user_model().objects.get(pk=user.pk)


def test_each_user_sees_in_a_list_exactly_the_tasks_whose_page_they_may_open(
    office, unit, other_unit, liaison, other_liaison, leader
):
    third_unit = DepartmentFactory(name="人事处", code="rsc")
    other_leader = university_leader("周副校长")
    former = UnitContactFactory(
        organization=unit, person__name="前任联络员", start=dt.date(2024, 1, 1), end=dt.date(2026, 6, 30)
    ).person
    head_of_two = UnitContactFactory(organization=unit, person__name="两处负责人", role="head").person
    UnitContactFactory(organization=third_unit, person=head_of_two, role="head")
    no_person = UserFactory(username="no-person")
    tasks = [
        register(office, lead_unit=unit, leader=leader, title="教务处牵头"),
        register(
            office, lead_unit=other_unit, leader=leader, title="科研处牵头，教务处协办", co_units=[unit]
        ),
        register(office, lead_unit=other_unit, leader=other_leader, title="科研处独办"),
        register(office, lead_unit=third_unit, leader=other_leader, title="人事处牵头"),
    ]
    users = [office, liaison.user, other_liaison.user, leader.user, other_leader.user, former.user]
    users += [head_of_two.user, no_person]
    for user in users:
        expected = {task.title for task in tasks if can_view(_fresh(user), task)}
        in_one_query = _fresh(user)
        assert {t.title for t in tasks_visible_to(in_one_query)} == expected, user.username
        looked_up = _fresh(user)
        unit_ids_of(looked_up)
        assert {t.title for t in tasks_visible_to(looked_up)} == expected, user.username
    assert {t.title for t in tasks_visible_to(_fresh(liaison.user))} == {
        "教务处牵头",
        "科研处牵头，教务处协办",
    }
    assert {t.title for t in tasks_visible_to(_fresh(former.user))} == set()
    assert {t.title for t in tasks_visible_to(_fresh(head_of_two.user))} == {
        "教务处牵头",
        "科研处牵头，教务处协办",
        "人事处牵头",
    }


def test_another_familys_page_reads_a_users_tasks_in_one_query(
    office, unit, liaison, leader, django_assert_num_queries
):
    register(office, lead_unit=unit, leader=leader, title="教务处牵头")
    user = _fresh(liaison.user)
    is_office(user)  # the roles (the login's groups), which every page has read by then
    with django_assert_num_queries(1):
        assert [t.title for t in tasks_visible_to(user)] == ["教务处牵头"]
