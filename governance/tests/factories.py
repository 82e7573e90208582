"""factory-boy factories for the core. Other apps' factories build on these."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from governance import roles
from governance.models import (
    AcademicYear,
    Area,
    Clause,
    HolidayDate,
    HolidayYear,
    LeadershipTeam,
    Organization,
    Person,
    Position,
    PositionKind,
    Regulation,
    Semester,
)

PASSWORD = "Demo-pass-2026"  # noqa: S105 - test fixture password


def role_groups(*default: str) -> factory.PostGeneration:
    """Add the user to groups: `default` unless the caller passes groups=(...). Saves, so the password sticks."""

    def add(user, create, extracted, **kwargs):
        if not create:
            return
        names = default if extracted is None else extracted
        user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in names))
        user.save()

    return factory.PostGeneration(add)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.edu.cn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    groups = role_groups()


class OfficeUserFactory(UserFactory):
    is_staff = True
    groups = role_groups(roles.OFFICE)


class LeaderUserFactory(UserFactory):
    groups = role_groups(roles.LEADERS, roles.PARTY_MEMBERS)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"第{n}学院")
    code = factory.Sequence(lambda n: f"org{n}")
    kind = Organization.Kind.COLLEGE
    parent = factory.LazyFunction(
        lambda: OrganizationFactory(
            name="示例大学", code="uni", kind=Organization.Kind.UNIVERSITY, parent=None
        )
    )


class UniversityFactory(OrganizationFactory):
    name = "示例大学"
    code = "uni"
    kind = Organization.Kind.UNIVERSITY
    parent = None


class LeadershipTeamFactory(DjangoModelFactory):
    class Meta:
        model = LeadershipTeam
        django_get_or_create = ("organization",)

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.LazyAttribute(lambda t: f"{t.organization.name}领导班子")


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"分管领域{n}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"人员{n}")
    user = factory.SubFactory(LeaderUserFactory)
    email = factory.LazyAttribute(lambda p: p.user.email if p.user else "")


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(LeadershipTeamFactory)
    kind = PositionKind.TEAM_MEMBER
    start = dt.date(2024, 1, 1)
    end = None


class AcademicYearFactory(DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("name",)

    name = "2026—2027学年"
    start = dt.date(2026, 8, 24)
    end = dt.date(2027, 8, 22)


class SemesterFactory(DjangoModelFactory):
    class Meta:
        model = Semester
        django_get_or_create = ("academic_year", "term")

    academic_year = factory.SubFactory(AcademicYearFactory)
    term = Semester.Term.FIRST
    start = dt.date(2026, 8, 31)
    end = dt.date(2027, 1, 17)


class HolidayYearFactory(DjangoModelFactory):
    class Meta:
        model = HolidayYear
        django_get_or_create = ("year",)

    year = 2027


class HolidayDateFactory(DjangoModelFactory):
    class Meta:
        model = HolidayDate

    year = factory.SubFactory(HolidayYearFactory)
    date = dt.date(2027, 1, 1)
    kind = HolidayDate.Kind.HOLIDAY
    name = "元旦"


class RegulationFactory(DjangoModelFactory):
    class Meta:
        model = Regulation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:03d}")
    title = factory.Sequence(lambda n: f"示例制度{n}")


class ClauseFactory(DjangoModelFactory):
    class Meta:
        model = Clause

    regulation = factory.SubFactory(RegulationFactory)
    number = factory.Sequence(lambda n: f"第{n}条")
    text = "示例条文。"
