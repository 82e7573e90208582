"""Who may see and do what with a supervised task. One module for the queryset (`tasks_visible_to`) and the predicates,
so lists, pages, attachments and history agree (tests/test_permissions.py checks they do).

- the office (督查小组 works in the 党委办公室): every task, every action of the office;
- the responsible leader (分管校领导, 第一条（一）): the tasks they are responsible for; approves registration of joint
  and multi-unit tasks (第四条（一）);
- a unit's head and liaisons (UnitContact): the tasks their unit leads or co-handles; the lead unit's people accept,
  report and submit; a co-unit's people add their part of the progress. Nobody of a unit reviews its own completion.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from governance.models import Person
from governance.roles import is_leader, is_office
from supervision.models import REPORTING_STATES, SupervisedTask, UnitContact
from supervision.roles import is_unit_person

_NO_PERSON = object()


def may_use(user: Any) -> bool:
    """Who has 督查督办 in the menu and its lists: the office, leaders and units' people."""
    return is_office(user) or is_leader(user) or is_unit_person(user)


def person_of(user: Any) -> Person | None:
    """The governance.Person of a login, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_supervision_person", _NO_PERSON)
    if cached is _NO_PERSON:
        cached = Person.objects.filter(user_id=user.pk).first()
        user._supervision_person = cached
    return cached  # type: ignore[return-value]


def unit_ids_of_person(person_id: int, day: dt.date) -> frozenset[int]:
    """The units a person answers for on `day` (as head or liaison). One query."""
    return frozenset(
        UnitContact.objects.active_on(day)
        .filter(person_id=person_id)
        .values_list("organization_id", flat=True)
    )


def unit_ids_of(user: Any) -> frozenset[int]:
    """The units the user answers for today (as head or liaison), cached on the user object."""
    cached = getattr(user, "_supervision_units", None)
    if cached is None:
        person = person_of(user)
        cached = frozenset() if person is None else unit_ids_of_person(person.pk, timezone.localdate())
        user._supervision_units = cached
    return cached


def tasks_visible_to(user: Any) -> QuerySet[SupervisedTask]:
    """The tasks `user` may open (`can_view`, tested to agree): the office all; a responsible leader theirs; a unit's
    head or liaison their units' as lead or co-unit. The person and their units are subqueries, not looked up first,
    so another family's page listing a few tasks (a meeting's, 第二条（三）) reads them in one query.

    The leader too is a subquery (`leader_id IN (the person of this login)`), not a join on the leader
    (`leader__user_id`): with a join SQLite scans every task and looks up its leader (5.5 ms at 20,000 tasks, a unit
    list's count and its page's ids both), while three `IN` conditions on indexed columns are one multi-index OR
    (0.1 ms). Person.user is unique, so it is the same rule.

    When the request has already looked the person and their units up (`unit_ids_of`, cached on the user: the list
    page and its filters read them anyway), the same rule is written with their ids instead: the same SQL plan, and
    Django builds the list's three queries on it (count, page ids, the leader filter's choices) 2 ms faster than
    with nested subqueries, a sixth of a unit's list (bench/results.md, supervision). No query more either way."""
    if is_office(user):
        return SupervisedTask.objects.all()
    if user is None or not getattr(user, "is_authenticated", False):
        return SupervisedTask.objects.none()
    # Set by unit_ids_of, which has read the person (person_of) and their units for this request.
    known_units: frozenset[int] | None = getattr(user, "_supervision_units", None)
    if known_units is not None:
        person = person_of(user)
        if person is None:
            return SupervisedTask.objects.none()
        condition = Q(leader_id=person.pk)
        if known_units:
            condition |= Q(lead_unit_id__in=known_units) | Q(
                pk__in=SupervisedTask.co_units.through.objects.filter(organization_id__in=known_units).values(
                    "supervisedtask_id"
                )
            )
        return SupervisedTask.objects.filter(condition)
    units = (
        UnitContact.objects.active_on(timezone.localdate())
        .filter(person__user_id=user.pk)
        .values("organization_id")
    )
    return SupervisedTask.objects.filter(
        Q(leader_id__in=Person.objects.filter(user_id=user.pk).values("pk"))
        | Q(lead_unit_id__in=units)
        | Q(
            pk__in=SupervisedTask.co_units.through.objects.filter(organization_id__in=units).values(
                "supervisedtask_id"
            )
        )
    )


def _co_unit_ids(task: SupervisedTask) -> set[int]:
    cached = getattr(task, "_prefetched_objects_cache", {}).get("co_units")
    if cached is not None:
        return {unit.pk for unit in cached}
    return set(task.co_units.values_list("pk", flat=True))


def can_view(user: Any, task: SupervisedTask) -> bool:
    if is_office(user):
        return True
    person = person_of(user)
    if person is None:
        return False
    if task.leader_id == person.pk:
        return True
    units = unit_ids_of(user)
    return bool(units) and (task.lead_unit_id in units or bool(units & _co_unit_ids(task)))


def is_lead_unit_person(user: Any, task: SupervisedTask) -> bool:
    return task.lead_unit_id in unit_ids_of(user)


def can_act_for_lead_unit(user: Any, task: SupervisedTask) -> bool:
    """Accept, submit: the lead unit's people, or the office on their behalf (a unit that answered on paper)."""
    return is_office(user) or is_lead_unit_person(user, task)


def reporting_units(user: Any, task: SupervisedTask) -> list[int]:
    """The units for which the user may report progress on `task`: the lead unit and the co-units they answer for
    (the office: any of them)."""
    units = [task.lead_unit_id, *sorted(_co_unit_ids(task))]
    if is_office(user):
        return units
    mine = unit_ids_of(user)
    return [unit for unit in units if unit in mine]


def can_report(user: Any, task: SupervisedTask) -> bool:
    return task.state in REPORTING_STATES and bool(reporting_units(user, task))


def can_approve_registration(user: Any, task: SupervisedTask) -> bool:
    """第四条（一）: the leader in charge (主管领导) approves; the office records an approval given on paper."""
    if is_office(user):
        return True
    person = person_of(user)
    return person is not None and task.leader_id == person.pk


def approves_on_behalf(user: Any, task: SupervisedTask) -> bool:
    """第四条（一）: the office entering the approval the responsible leader gave on paper, by phone or in person (the
    leader's own login approves in their own name)."""
    if not is_office(user):
        return False
    person = person_of(user)
    return person is None or person.pk != task.leader_id


def can_request_extension(user: Any, task: SupervisedTask) -> bool:
    """第五条: the lead unit asks its responsible leader, while it works on the task."""
    return task.state in REPORTING_STATES and can_act_for_lead_unit(user, task)


def can_decide_extension(user: Any, task: SupervisedTask) -> bool:
    """第五条: the responsible leader decides; the office may record the leader's written answer. A unit's people never
    decide their own request (a leader who is also a unit's head decides only as the task's leader)."""
    return can_approve_registration(user, task)
