"""factory-boy factories for communication/, on top of the governance factories."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from communication.models import (
    Absence,
    AbsenceKind,
    AgendaItem,
    AgendaItemStatus,
    Handover,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    Opinion,
    OpinionStance,
    Talk,
    TalkChannel,
)
from governance import roles
from governance.models import Organization, PositionKind
from governance.services.policies import policy_load
from governance.tests.factories import (
    LeadershipTeamFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    UniversityFactory,
    UserFactory,
)

TEAM_START = dt.date(2024, 1, 1)


# Role users through UserFactory's post-generation `groups` hook (the governance role factories set `groups` as a
# class attribute, which reaches the model constructor instead of the hook).
def leader_user(**kwargs):
    return UserFactory(groups=(roles.LEADERS, roles.PARTY_MEMBERS), **kwargs)


def office_user(**kwargs):
    kwargs.setdefault("is_staff", True)
    return UserFactory(groups=(roles.OFFICE,), **kwargs)


class LeaderFactory(PersonFactory):
    """A person with a leader's login."""

    user = factory.SubFactory(UserFactory, groups=(roles.LEADERS, roles.PARTY_MEMBERS))


class CollegeFactory(OrganizationFactory):
    kind = Organization.Kind.COLLEGE


def make_team(organization, kinds, *, start: dt.date = TEAM_START, names=None, areas=None):
    """Put one new leader per position kind on `organization`'s team; return the people in the same order.

    `areas` maps an index in `kinds` to the Areas that leader is in charge of (分管)."""
    team = LeadershipTeamFactory(organization=organization)
    people = []
    for i, kind in enumerate(kinds):
        person = LeaderFactory(name=names[i]) if names else LeaderFactory()
        position = PositionFactory(person=person, team=team, kind=kind, start=start, order=i)
        if areas and i in areas:
            position.areas.set(areas[i])
        people.append(person)
    return people


COLLEGE_KINDS = [
    PositionKind.SECRETARY,
    PositionKind.PRESIDENT,
    PositionKind.VICE_PRESIDENT,
    PositionKind.VICE_PRESIDENT,
    PositionKind.DEPUTY_SECRETARY,
]
UNIVERSITY_KINDS = [PositionKind.SECRETARY, PositionKind.PRESIDENT, PositionKind.VICE_PRESIDENT]

# The two teams most stories are told with, and the login of each of their leaders.
UNIVERSITY_TEAM = {"林书记": "linshuji", "周校长": "zhouxiaozhang", "吴副校长": "wufuxiaozhang"}
COLLEGE_TEAM = {
    "李书记": "lishuji",
    "王院长": "wangyuanzhang",
    "赵副院长": "zhaofuyuanzhang",
    "钱副院长": "qianfuyuanzhang",
    "孙副书记": "sunfushuji",
}


def _named_team(organization, kinds, logins: dict[str, str]) -> list:
    people = make_team(organization, kinds, names=list(logins))
    for person in people:
        person.user.username = logins[person.name]
        person.user.save(update_fields=["username"])
    return people


def make_university_team(*, pack: str | None = "001") -> tuple[Organization, list]:
    """示例大学 with 林书记 (secretary), 周校长 (president) and 吴副校长 (vice-president), logins as in UNIVERSITY_TEAM,
    under policy pack 001 (None: no rules). Returns (university, people)."""
    university = UniversityFactory()
    people = _named_team(university, UNIVERSITY_KINDS, UNIVERSITY_TEAM)
    if pack:
        policy_load(name=pack)
    return university, people


def make_college_team(parent=None, *, pack: str | None = "000") -> tuple[Organization, list]:
    """文学院 (code wxy) under `parent` (a new university if None) with 李书记, 王院长, 赵副院长, 钱副院长 and 孙副书记,
    logins as in COLLEGE_TEAM, under policy pack 000 for the college. Returns (college, people)."""
    college = CollegeFactory(name="文学院", code="wxy", parent=parent or UniversityFactory())
    people = _named_team(college, COLLEGE_KINDS, COLLEGE_TEAM)
    if pack:
        policy_load(name=pack, organization=college)
    return college, people


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    kind = MeetingKind.COORDINATION
    organization = factory.SubFactory(CollegeFactory)
    title = factory.LazyAttribute(lambda m: f"{MeetingKind(m.kind).label}")
    date = dt.date(2026, 11, 20)
    start_time = dt.time(9, 0)
    place = "行政楼会议室"
    chair = factory.SubFactory(LeaderFactory)
    confidential = True

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.set(extracted)

    @factory.post_generation
    def observers(self, create, extracted, **kwargs):
        if create and extracted:
            self.observers.set(extracted)


class DemocraticLifeMeetingFactory(MeetingFactory):
    kind = MeetingKind.DEMOCRATIC_LIFE
    title = "2026年度领导班子民主生活会"
    date = dt.date(2026, 12, 20)
    preparation_start = dt.date(2026, 11, 1)


class MeetingAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = MeetingAttachment

    meeting = factory.SubFactory(MeetingFactory)
    name = "会议材料"
    file = factory.django.FileField(filename="材料.txt", data=b"confidential minutes")


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"议题{n}")
    organization = factory.SubFactory(CollegeFactory)
    meeting_kind = MeetingKind.JOINT
    proposer = factory.SubFactory(LeaderFactory)
    status = AgendaItemStatus.DRAFT

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class OpinionFactory(DjangoModelFactory):
    class Meta:
        model = Opinion

    item = factory.SubFactory(AgendaItemFactory)
    person = factory.SubFactory(LeaderFactory)
    required = True
    stance = OpinionStance.PENDING


class TalkFactory(DjangoModelFactory):
    class Meta:
        model = Talk
        skip_postgeneration_save = True

    date = dt.date(2026, 11, 10)
    formal = False
    channel = TalkChannel.TALK
    topics = factory.LazyFunction(lambda: ["work"])
    notes = "谈话要点：保密内容。"

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)


class AbsenceFactory(DjangoModelFactory):
    class Meta:
        model = Absence
        skip_postgeneration_save = True

    person = factory.SubFactory(LeaderFactory)
    kind = AbsenceKind.TRIP
    start = dt.date(2026, 11, 23)
    end = dt.date(2026, 11, 27)
    destination = "北京"

    @factory.post_generation
    def notified(self, create, extracted, **kwargs):
        if create and extracted:
            self.notified.set(extracted)


class HandoverFactory(DjangoModelFactory):
    class Meta:
        model = Handover

    absence = factory.SubFactory(AbsenceFactory)
    covering = factory.SubFactory(LeaderFactory)
    duties = "代管教学工作"
