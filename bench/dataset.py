"""The benchmark's data set: a university with 20 colleges, five years of meetings and talks, built with bulk_create.

- 21 leadership teams (the university's and one per college) of 14 positions each; some positions change hands,
  several of them in the middle of a year (a secretary mid-semester, vice presidents on 1 July), so ~330 people.
- One login per person (leader and party-member groups) and one office login.
- Academic years 2022—2023 to 2026—2027 with two semesters each.
- Policy pack 001 for the university with its sub-units, and 000 for five colleges (c01–c05).
- 2021-09 to 2026-11: ~60,000 meetings (biweekly coordination meetings, a retreat a semester, a democratic life
  meeting a year — the 2026 one still ahead, its 四必谈 under way — and the rest party committee, joint,
  administrative and secretary's meetings) with ~7 attendees each, and ~150,000 talks between team members
  (a weekly secretary–president talk in most weeks, the rest random pairs, some formal, some with three people).

Everything is deterministic (one seeded random generator); primary keys are assigned here, so the M2M rows are
built without reading anything back. Simple-history rows are not written: bulk_create bypasses them, and no
measured page reads them.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from communication.models import Meeting, MeetingKind, Talk, TalkChannel, TalkTopic
from governance import roles
from governance.models import (
    AcademicYear,
    Area,
    LeadershipTeam,
    Organization,
    Person,
    Position,
    PositionKind,
    Semester,
)
from governance.services.policies import policy_load

# Bump when the data set changes: run.py rebuilds a database built by another version.
VERSION = 1
SEED = 20261120

DATA_START = dt.date(2021, 9, 1)
DATA_END = dt.date(2026, 11, 30)  # meetings are scheduled up to here; talks are recorded up to `today`
TENURE_START = dt.date(2020, 9, 1)
BIWEEKLY_ANCHOR = dt.date(2024, 1, 1)  # the settings' default

MEETINGS = 60_000
TALKS = 150_000
COLLEGES_WITH_000 = ("c01", "c02", "c03", "c04", "c05")
OFFICE_USERNAME = "bench-office"
UNIVERSITY_CODE = "bu"

COLLEGE_NAMES = (
    "文学院", "历史文化学院", "外国语学院", "数学与统计学院", "物理科学学院", "化学与化工学院", "生命科学学院",
    "计算机科学学院", "电子工程学院", "经济管理学院", "法学院", "马克思主义学院", "教育学部", "体育学院",
    "音乐学院", "美术学院", "新闻与传播学院", "环境学院", "医学院", "国际教育学院",
)  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌宇晨浩然欣怡子涵梓轩一鸣思远海燕春梅晓东立新"
)
AREAS = ("教学", "科研", "学生工作", "财务", "人事", "后勤", "国际交流", "组织", "宣传思想", "纪检监察")

# One team: (kind, title at a college, title at the university); 14 positions.
LAYOUT: tuple[tuple[str, str, str], ...] = (
    (PositionKind.SECRETARY, "党委书记", "党委书记"),
    (PositionKind.PRESIDENT, "院长", "校长"),
    (PositionKind.DEPUTY_SECRETARY, "党委副书记", "党委副书记"),
    (PositionKind.DEPUTY_SECRETARY, "党委副书记", "党委副书记"),
    (PositionKind.VICE_PRESIDENT, "副院长", "副校长"),
    (PositionKind.VICE_PRESIDENT, "副院长", "副校长"),
    (PositionKind.VICE_PRESIDENT, "副院长", "副校长"),
    (PositionKind.VICE_PRESIDENT, "副院长", "副校长"),
    (PositionKind.DISCIPLINE_SECRETARY, "纪委书记", "纪委书记"),
    (PositionKind.COMMITTEE_MEMBER, "党委委员", "党委常委"),
    (PositionKind.COMMITTEE_MEMBER, "党委委员", "党委常委"),
    (PositionKind.COMMITTEE_MEMBER, "党委委员", "党委常委"),
    (PositionKind.TEAM_MEMBER, "院长助理", "校长助理"),
    (PositionKind.TEAM_MEMBER, "院长助理", "校长助理"),
)
SECRETARY_SLOT, PRESIDENT_SLOT = 0, 1


def _changes(team_index: int) -> list[tuple[int, dt.date]]:
    """(slot, first day of the successor) for one team. Team 0 is the university's."""
    changes = [(10, dt.date(2023, 9, 1) if team_index % 2 == 0 else dt.date(2024, 1, 10))]
    if team_index % 4 == 1:
        changes.append((5, dt.date(2026, 7, 1)))  # mid calendar year
    if team_index % 5 == 2:
        changes.append((SECRETARY_SLOT, dt.date(2026, 3, 16)))  # mid semester
    if team_index % 6 == 3:
        changes.append((2, dt.date(2025, 10, 20)))
    return changes


@dataclass
class Tenure:
    person_id: int
    slot: int
    kind: str
    start: dt.date
    end: dt.date | None

    def active(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class TeamPlan:
    index: int
    org_id: int
    code: str
    short: str
    tenures: list[Tenure] = field(default_factory=list)

    def members_on(self, day: dt.date) -> list[Tenure]:
        return [t for t in self.tenures if t.active(day)]

    def holder(self, slot: int, day: dt.date) -> int:
        for t in self.tenures:
            if t.slot == slot and t.active(day):
                return t.person_id
        raise LookupError((self.code, slot, day))


@dataclass
class BuildReport:
    seconds: float = 0.0
    steps: list[tuple[str, float]] = field(default_factory=list)


class _Clock:
    def __init__(self, report: BuildReport, log: Callable[[str], None]) -> None:
        self.report, self.log, self.t = report, log, time.perf_counter()

    def step(self, name: str) -> None:
        now = time.perf_counter()
        self.report.steps.append((name, now - self.t))
        self.log(f"  {name}: {now - self.t:.1f} s")
        self.t = now


def _person_names(rng: random.Random, n: int) -> list[str]:
    names: set[str] = set()
    out = []
    while len(out) < n:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name not in names:
            names.add(name)
            out.append(name)
    return out


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _in_term(day: dt.date) -> bool:
    """Roughly term time (the calendar below): not mid-July to August, not late January to late February."""
    md = (day.month, day.day)
    return not ((7, 11) <= md <= (8, 31) or (1, 19) <= md <= (2, 23))


def _bulk(model, rows: list, batch_size: int | None = None) -> None:
    model.objects.bulk_create(rows, batch_size=batch_size)


def build(*, today: dt.date, scale: float = 1.0, log: Callable[[str], None] = print) -> BuildReport:
    """Fill an empty, migrated database. `scale` shrinks the meetings and talks (for a quick look only)."""
    report = BuildReport()
    clock = _Clock(report, log)
    started = time.perf_counter()
    rng = random.Random(SEED)
    with connection.cursor() as cursor:
        # A throwaway database: no fsync while loading (the file is rebuilt, not repaired, after a crash).
        cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        teams, person_ids = _organization_and_people(rng)
        clock.step(f"organizations, {len(teams)} teams, {len(person_ids)} people and their logins")
        _calendar()
        policy_load(name="001", include_sub_units=True)
        for code in COLLEGES_WITH_000:
            policy_load(name="000", organization=Organization.objects.get(code=code))
        clock.step("calendar 2022—2027 and policy packs (001 with sub-units, 000 for 5 colleges)")
    with transaction.atomic():
        n_meetings, n_attendees = _meetings(rng, teams, int(MEETINGS * scale))
        clock.step(f"{n_meetings:,} meetings, {n_attendees:,} attendee rows")
    with transaction.atomic():
        n_talks, n_participants = _talks(rng, teams, int(TALKS * scale), today)
        clock.step(f"{n_talks:,} talks, {n_participants:,} participant rows")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    report.seconds = time.perf_counter() - started
    return report


def _organization_and_people(rng: random.Random) -> tuple[list[TeamPlan], list[int]]:
    university = Organization.objects.create(
        name="滨江大学", short_name="滨大", code=UNIVERSITY_CODE, kind=Organization.Kind.UNIVERSITY, order=0
    )
    orgs = [university]
    for i, name in enumerate(COLLEGE_NAMES, start=1):
        orgs.append(
            Organization(
                name=name,
                short_name=name,
                code=f"c{i:02d}",
                kind=Organization.Kind.COLLEGE,
                parent=university,
                order=i * 10,
            )
        )
    Organization.objects.bulk_create(orgs[1:])
    orgs = [university, *Organization.objects.filter(kind=Organization.Kind.COLLEGE).order_by("order")]
    team_objs = [
        LeadershipTeam(
            organization=org,
            name="滨江大学领导班子" if org.pk == university.pk else f"{org.name}党政领导班子",
        )
        for org in orgs
    ]
    LeadershipTeam.objects.bulk_create(team_objs)
    team_id = dict(LeadershipTeam.objects.values_list("organization_id", "id"))
    areas = Area.objects.bulk_create([Area(name=a) for a in AREAS])

    plans: list[TeamPlan] = []
    people: list[Person] = []
    positions: list[Position] = []
    next_person = 1
    names = iter(_person_names(rng, 21 * (len(LAYOUT) + 4)))
    for index, org in enumerate(orgs):
        plan = TeamPlan(index, org.pk, org.code, org.short_name)
        changes = dict(_changes(index))
        for slot, (kind, college_title, university_title) in enumerate(LAYOUT):
            title = university_title if index == 0 else college_title
            holders = [(TENURE_START, changes.get(slot))]
            if slot in changes:
                holders.append((changes[slot], None))
            for n, (start, successor_from) in enumerate(holders):
                end = successor_from - dt.timedelta(days=1) if successor_from and n == 0 else None
                pid = next_person
                next_person += 1
                people.append(
                    Person(
                        id=pid,
                        name=next(names),
                        organization_id=org.pk,
                        title=f"{org.short_name}{title}",
                        email=f"p{pid:04d}@bench.example.edu.cn",
                    )
                )
                positions.append(
                    Position(
                        person_id=pid, team_id=team_id[org.pk], kind=kind, title=title, start=start, end=end,
                        order=(slot + 1) * 10,
                    )
                )  # fmt: skip
                plan.tenures.append(Tenure(pid, slot, kind, start, end))
        plans.append(plan)

    User = get_user_model()
    password = make_password("bench-not-a-login")
    users = [
        User(id=p.id, username=f"p{p.id:04d}", email=p.email, password=password, first_name=p.name)
        for p in people
    ]
    User.objects.bulk_create(users)
    office = User.objects.create(
        id=len(users) + 1, username=OFFICE_USERNAME, password=password, is_staff=True, first_name="党办"
    )
    for person in people:
        person.user_id = person.id
    Person.objects.bulk_create(people)
    Position.objects.bulk_create(positions)
    Position.areas.through.objects.bulk_create(
        [
            Position.areas.through(position_id=pos.pk, area_id=area.pk)
            for pos in Position.objects.filter(kind=PositionKind.VICE_PRESIDENT)
            for area in rng.sample(areas, 2)
        ]
    )
    groups = roles.ensure_groups()
    through = User.groups.through
    rows = [
        through(user_id=u.id, group_id=groups[g].pk)
        for u in users
        for g in (roles.LEADERS, roles.PARTY_MEMBERS)
    ]
    rows.append(through(user_id=office.pk, group_id=groups[roles.OFFICE].pk))
    through.objects.bulk_create(rows)
    return plans, [p.id for p in people]


def _calendar() -> None:
    for year in range(2022, 2027):
        ay = AcademicYear.objects.create(
            name=f"{year}—{year + 1}学年", start=dt.date(year, 9, 1), end=dt.date(year + 1, 8, 31)
        )
        Semester.objects.bulk_create(
            [
                Semester(academic_year=ay, term=Semester.Term.FIRST, start=dt.date(year, 9, 1),
                         end=dt.date(year + 1, 1, 18)),
                Semester(academic_year=ay, term=Semester.Term.SECOND, start=dt.date(year + 1, 2, 24),
                         end=dt.date(year + 1, 7, 10)),
            ]
        )  # fmt: skip


MEETING_TITLES = dict(MeetingKind.choices)
FILL_KINDS = (
    MeetingKind.PARTY_COMMITTEE,
    MeetingKind.JOINT,
    MeetingKind.ADMINISTRATIVE,
    MeetingKind.SECRETARY_SPECIAL,
)


def _meetings(rng: random.Random, teams: list[TeamPlan], total: int) -> tuple[int, int]:
    weekdays = _weekdays(DATA_START, DATA_END)
    meetings: list[Meeting] = []
    attendees: list[tuple[int, int]] = []
    pk = 0
    per_team = total // len(teams)

    def add(team: TeamPlan, kind: str, day: dt.date, everyone: bool, **extra) -> None:
        nonlocal pk
        members = team.members_on(day)
        chair_slot = PRESIDENT_SLOT if kind == MeetingKind.ADMINISTRATIVE else SECRETARY_SLOT
        chair = team.holder(chair_slot, day)
        others = [t.person_id for t in members if t.person_id != chair]
        chosen = others if everyone else rng.sample(others, rng.randint(4, min(9, len(others))))
        pk += 1
        meetings.append(
            Meeting(
                id=pk,
                kind=kind,
                organization_id=team.org_id,
                title=f"{team.short}{MEETING_TITLES[kind]}（{day:%Y年%m月%d日}）",
                date=day,
                start_time=dt.time(rng.choice((8, 9, 14, 15)), rng.choice((0, 30))),
                end_time=None,
                place=rng.choice(("行政楼第一会议室", "行政楼第二会议室", "学院会议室", "图书馆报告厅")),
                chair_id=chair,
                agenda=extra.pop("agenda", ""),
                **extra,
            )
        )
        attendees.extend((pk, pid) for pid in chosen)

    for team in teams:
        start_count = len(meetings)
        # Coordination meetings (000 四（四）/001 一（二）): the second Friday (college) or Monday (university) of
        # each two-week cycle in term time, nine cycles in ten.
        meeting_weekday = 0 if team.index == 0 else 4
        day = BIWEEKLY_ANCHOR - dt.timedelta(days=14 * 60)
        while day <= DATA_END:
            meeting_day = day + dt.timedelta(days=7 + meeting_weekday)
            if DATA_START <= meeting_day <= DATA_END and _in_term(meeting_day) and rng.random() < 0.9:
                add(team, MeetingKind.COORDINATION, meeting_day, everyone=True)
            day += dt.timedelta(days=14)
        for year in range(2021, 2027):
            # A retreat each semester (topics announced a week before), a democratic life meeting each November
            # with five weeks of 四必谈 before it: the 2026 one is still ahead on the benchmark's date.
            for month in (11, 5):
                retreat_day = dt.date(year if month == 11 else year + 1, month, 12 + team.index % 7)
                while retreat_day.weekday() >= 5:
                    retreat_day += dt.timedelta(days=1)
                if DATA_START <= retreat_day <= DATA_END:
                    add(team, MeetingKind.RETREAT, retreat_day, everyone=True, agenda="学科建设与年度重点工作",
                        topics_announced_on=retreat_day - dt.timedelta(days=7))  # fmt: skip
            dl_day = dt.date(year, 11, 24 + team.index % 5)
            while dl_day.weekday() >= 5:
                dl_day += dt.timedelta(days=1)
            if DATA_START <= dl_day <= DATA_END:
                add(team, MeetingKind.DEMOCRATIC_LIFE, dl_day, everyone=True,
                    preparation_start=dl_day - dt.timedelta(days=40))  # fmt: skip
        for _ in range(max(0, per_team - (len(meetings) - start_count))):
            add(team, rng.choice(FILL_KINDS), rng.choice(weekdays), everyone=False)

    _bulk(Meeting, meetings, batch_size=500)
    through = Meeting.attendees.through
    _bulk(through, [through(meeting_id=m, person_id=p) for m, p in attendees], batch_size=490)
    return len(meetings), len(attendees)


TOPICS = list(TalkTopic.values)


def _talks(rng: random.Random, teams: list[TeamPlan], total: int, today: dt.date) -> tuple[int, int]:
    days = [d for d in (DATA_START + dt.timedelta(days=i) for i in range((today - DATA_START).days + 1))]
    weekdays = [d for d in days if d.weekday() < 5]
    talks: list[Talk] = []
    participants: list[tuple[int, int]] = []
    pk = 0
    per_team = total // len(teams)

    def add(day: dt.date, people: Iterable[int], *, formal: bool, channel: str) -> None:
        nonlocal pk
        pk += 1
        talks.append(
            Talk(
                id=pk,
                date=day,
                formal=formal,
                channel=channel,
                topics=rng.sample(TOPICS, rng.randint(1, 3)),
                notes="交流了近期工作安排和班子建设情况。",
            )
        )
        participants.extend((pk, pid) for pid in people)

    for team in teams:
        start_count = len(talks)
        # The secretary and the president/dean talk in most weeks (001 三（一）: at least once a week).
        monday = DATA_START - dt.timedelta(days=DATA_START.weekday())
        while monday <= today:
            if rng.random() < 0.85:
                day = min(monday + dt.timedelta(days=rng.randint(0, 4)), today)
                if day >= DATA_START:
                    pair = (team.holder(SECRETARY_SLOT, day), team.holder(PRESIDENT_SLOT, day))
                    add(day, pair, formal=rng.random() < 0.05,
                        channel=TalkChannel.COMMUNICATION if rng.random() < 0.5 else TalkChannel.TALK)  # fmt: skip
            monday += dt.timedelta(days=7)
        while len(talks) - start_count < per_team:
            day = rng.choice(weekdays)
            members = [t.person_id for t in team.members_on(day)]
            people = rng.sample(members, 3 if rng.random() < 0.08 else 2)
            add(day, people, formal=rng.random() < 0.1,
                channel=TalkChannel.COMMUNICATION if rng.random() < 0.2 else TalkChannel.TALK)  # fmt: skip

    _bulk(Talk, talks, batch_size=500)
    through = Talk.participants.through
    _bulk(through, [through(talk_id=t, person_id=p) for t, p in participants], batch_size=490)
    return len(talks), len(participants)


def office_username() -> str:
    return OFFICE_USERNAME


def secretary_username(org_code: str, on: dt.date) -> str:
    """The login of `org_code`'s Party secretary on `on`."""
    person = Position.objects.holder(Organization.objects.get(code=org_code), PositionKind.SECRETARY, on)
    return person.user.username
