"""factory-boy factories for outreach/, on top of the governance factories. Activities are recorded through the
service, as a leader or the office would."""

from __future__ import annotations

import datetime as dt

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
from outreach import services
from outreach.models import ActivityKind, ContactKind


def office_user(**kwargs):
    kwargs.setdefault("is_staff", True)
    return UserFactory(groups=(roles.OFFICE,), **kwargs)


def staff_user(**kwargs):
    return UserFactory(groups=(roles.STAFF,), **kwargs)


def college(name: str = "文学院", code: str = "wxy") -> Organization:
    return OrganizationFactory(
        name=name, code=code, kind=Organization.Kind.COLLEGE, parent=UniversityFactory()
    )


def university_leader(name: str = "黄副校长", kind: str = PositionKind.VICE_PRESIDENT, **user):
    """A member of the university's team with a leader's login."""
    team = LeadershipTeamFactory(organization=UniversityFactory())
    person = PersonFactory(name=name, **({"user__username": user["username"]} if user else {}))
    PositionFactory(person=person, team=team, kind=kind, start=dt.date(2024, 1, 1))
    return person


def link(office, leader, unit, start=dt.date(2026, 9, 1), **kwargs):
    return services.assign_contact(
        by=office, leader=leader, kind=ContactKind.UNIT, organization=unit, start=start, **kwargs
    )


def record(by, leader, *, date=dt.date(2026, 11, 18), kind=ActivityKind.FORUM, units=(), **kwargs):
    return services.record_activity(
        by=by, leaders=[leader], units=list(units), date=date, kind=kind, **kwargs
    )
