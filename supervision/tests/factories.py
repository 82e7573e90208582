"""factory-boy factories for supervision/, on top of the governance factories. A task is registered through the
service (its number and first event are the service's), then walked through the workflow with `walk`."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from governance import roles
from governance.models import Organization, PositionKind
from governance.tests.factories import (
    LeadershipTeamFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    UniversityFactory,
    UserFactory,
)
from supervision import services
from supervision.models import SupervisedTask, TaskSource, UnitContact, UnitRole
from supervision.roles import UNIT_PEOPLE


def office_user(**kwargs):
    kwargs.setdefault("is_staff", True)
    return UserFactory(groups=(roles.OFFICE,), **kwargs)


class DepartmentFactory(OrganizationFactory):
    kind = Organization.Kind.DEPARTMENT
    name = factory.Sequence(lambda n: f"第{n}职能部门")
    code = factory.Sequence(lambda n: f"dept{n}")


class UnitPersonFactory(PersonFactory):
    user = factory.SubFactory(UserFactory, groups=(UNIT_PEOPLE, roles.STAFF))


class UnitContactFactory(DjangoModelFactory):
    class Meta:
        model = UnitContact

    organization = factory.SubFactory(DepartmentFactory)
    person = factory.SubFactory(UnitPersonFactory)
    role = UnitRole.LIAISON
    start = dt.date(2024, 1, 1)


def university_leader(name: str = "分管校领导"):
    """A vice president on the university's team (分管校领导) with a leader's login."""
    team = LeadershipTeamFactory(organization=UniversityFactory())
    person = PersonFactory(name=name)
    PositionFactory(person=person, team=team, kind=PositionKind.VICE_PRESIDENT)
    return person


def register(
    office, *, lead_unit, leader, assigned_on=dt.date(2026, 11, 2), deadline=dt.date(2026, 12, 31), **kwargs
):
    values = {
        "title": "修订本科人才培养方案",
        "source": TaskSource.WORK_PLAN,
        "kind": "special",
        "matter": "完成全校本科专业人才培养方案修订。",
    }
    values.update(kwargs)
    return services.task_register(
        registered_by=office,
        assigned_on=assigned_on,
        lead_unit=lead_unit,
        leader=leader,
        deadline=deadline,
        **values,
    )


ORDER = ["registered", "notified", "in_progress", "submitted", "completed", "archived"]


def walk(task: SupervisedTask, to: str, *, office, unit_user=None) -> SupervisedTask:
    """Move a task along the usual path to state `to` (the office acting for the unit when no unit user is given)."""
    actor = unit_user or office
    steps = ORDER[: ORDER.index(to) + 1]
    if "notified" in steps:
        if task.needs_approval and task.approved_at is None:
            task = services.task_approve(task=task, user=office)
        task = services.task_notify(task=task, user=office, method="notice")
    if "in_progress" in steps:
        task = services.task_accept(task=task, user=actor)
    if "submitted" in steps:
        task = services.task_submit(task=task, user=actor, result="已办理完毕。")
    if "completed" in steps:
        task = services.task_complete(task=task, user=office)
    if "archived" in steps:
        task = services.task_archive(task=task, user=office)
    return task
