"""Demo data: a fictional university (江城大学) with colleges, branches, leadership teams, people, an academic
calendar, demo logins and the shipped regulations.

Everything is keyed on natural keys and saved only when a value differs, so running the seed twice changes
nothing — not even the audit history (django-simple-history writes a row on every save). Demo passwords are
set only when a user is created, so a password someone changed survives a re-run.

The shipped regulations are other, real institutions' (the policy packs were modelled on them). The fictional
university does not cite them as its own: it adopts each under a fictional title of its own (江城大学…, with a 文号
and a date), and the real one is kept only as the 参照 its own was modelled on (DEMO_POLICIES, _adopt_shipped).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone

from governance import roles
from governance.families import DemoContext, demo_order
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
from governance.services.regulations import RegulationLoadResult, regulations_load_all

if TYPE_CHECKING:
    from governance.services.policies import OwnRegulation

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented demo password, set only on accounts the seed creates
EMAIL_DOMAIN = "example.edu.cn"
UNIVERSITY_CODE = "jcu"

M = TypeVar("M", bound=models.Model)


# The fictional institution ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    short_name: str = ""
    order: int = 0
    team: str = ""  # the leadership team's name; empty: the organization has no team of its own


# fmt: off
ORGANIZATIONS: tuple[OrgSpec, ...] = (
    # No short name: every page says 江城大学 (a list that shows short names said "江大" where the others did not).
    OrgSpec("jcu", "江城大学", Organization.Kind.UNIVERSITY, None, "", 0, "江城大学领导班子"),
    OrgSpec("dwbgs", "党委办公室", Organization.Kind.DEPARTMENT, "jcu", "党办", 10),
    OrgSpec("xzbgs", "校长办公室", Organization.Kind.DEPARTMENT, "jcu", "校办", 11),
    OrgSpec("wxy", "文学院", Organization.Kind.COLLEGE, "jcu", "文学院", 20, "文学院党政领导班子"),
    OrgSpec("lxy", "理学院", Organization.Kind.COLLEGE, "jcu", "理学院", 21, "理学院党政领导班子"),
    OrgSpec("tyxy", "体育与艺术学院", Organization.Kind.COLLEGE, "jcu", "体艺学院", 22, "体育与艺术学院党政领导班子"),
    OrgSpec("wxy-jg", "文学院中文系教工党支部", Organization.Kind.BRANCH, "wxy", "中文系教工支部", 1),
    OrgSpec("wxy-xs", "文学院本科生党支部", Organization.Kind.BRANCH, "wxy", "本科生支部", 2),
    OrgSpec("lxy-jg", "理学院数学系教工党支部", Organization.Kind.BRANCH, "lxy", "数学系教工支部", 1),
    OrgSpec("lxy-yjs", "理学院研究生党支部", Organization.Kind.BRANCH, "lxy", "研究生支部", 2),
    OrgSpec("tyxy-ty", "体育系教工党支部", Organization.Kind.BRANCH, "tyxy", "体育系教工支部", 1),
    OrgSpec("tyxy-ys", "艺术系教工党支部", Organization.Kind.BRANCH, "tyxy", "艺术系教工支部", 2),
)

AREAS = ("教学", "科研", "学生工作", "财务", "人事", "后勤", "国际交流", "组织", "宣传思想", "纪检监察", "研究生教育", "安全稳定")
# fmt: on


@dataclass(frozen=True)
class PersonSpec:
    """A person and the one position they hold (or held) in their organization's team."""

    key: str  # stable; also the local part of their email address
    name: str
    org: str  # code of the organization whose team they sit in; also their unit
    kind: str
    title: str
    start: str
    end: str | None = None
    areas: tuple[str, ...] = ()  # 分管
    order: int = 100
    username: str = ""  # demo login, if any
    role: str = ""  # shown in the logins table


K = PositionKind
# fmt: off
PEOPLE: tuple[PersonSpec, ...] = (
    # 江城大学
    PersonSpec("zhoumingyuan", "周明远", "jcu", K.SECRETARY, "党委书记", "2022-03-15", order=1,
               username="shuji", role="校党委书记"),
    PersonSpec("linzhihe", "林致和", "jcu", K.PRESIDENT, "校长", "2023-01-10", order=2,
               username="xiaozhang", role="校长"),
    PersonSpec("chenjingyi", "陈静怡", "jcu", K.DEPUTY_SECRETARY, "党委副书记", "2021-07-01",
               areas=("学生工作", "宣传思想"), order=3),
    PersonSpec("zhengguodong", "郑国栋", "jcu", K.DEPUTY_SECRETARY, "党委副书记", "2024-04-18",
               areas=("组织", "人事"), order=4),
    PersonSpec("huangxiaofeng", "黄晓峰", "jcu", K.VICE_PRESIDENT, "副校长", "2020-09-01",
               areas=("教学", "研究生教育"), order=5, username="fuxiaozhang", role="副校长"),
    PersonSpec("wuliqun", "吴立群", "jcu", K.VICE_PRESIDENT, "副校长", "2023-06-20",
               areas=("科研", "国际交流"), order=6),
    PersonSpec("sunhaitao", "孙海涛", "jcu", K.VICE_PRESIDENT, "副校长", "2025-03-01",
               areas=("财务", "后勤", "安全稳定"), order=7),
    PersonSpec("hezhengqing", "何正清", "jcu", K.DISCIPLINE_SECRETARY, "纪委书记", "2022-11-08",
               areas=("纪检监察",), order=8),
    PersonSpec("zhaowenbo", "赵文博", "jcu", K.COMMITTEE_MEMBER, "党委委员、组织部部长", "2024-12-30",
               areas=("组织",), order=9),
    # 文学院: the secretary changed on 2025-07-01, so the post's history is visible
    PersonSpec("wangdehou", "王德厚", "wxy", K.SECRETARY, "党委书记", "2020-07-01", "2025-06-30", order=1),
    PersonSpec("lishuhan", "李书涵", "wxy", K.SECRETARY, "党委书记", "2025-07-01", order=1,
               username="wxy_shuji", role="文学院党委书记"),
    PersonSpec("liuwenyuan", "刘文渊", "wxy", K.PRESIDENT, "院长", "2022-09-01", order=2,
               username="wxy_yuanzhang", role="文学院院长"),
    PersonSpec("xukexin", "许可欣", "wxy", K.DEPUTY_SECRETARY, "党委副书记", "2023-03-01",
               areas=("学生工作",), order=3),
    PersonSpec("maxiao", "马骁", "wxy", K.VICE_PRESIDENT, "副院长", "2021-09-01",
               areas=("教学",), order=4),
    PersonSpec("fengyaqin", "冯雅琴", "wxy", K.VICE_PRESIDENT, "副院长", "2024-09-01",
               areas=("科研", "国际交流"), order=5),
    PersonSpec("tangchen", "唐晨", "wxy", K.COMMITTEE_MEMBER, "党委委员、中文系教工党支部书记", "2023-12-15",
               order=6),
    # 理学院 (its committee member joined this academic year)
    PersonSpec("guolixin", "郭立新", "lxy", K.SECRETARY, "党委书记", "2021-12-20", order=1),
    PersonSpec("songjiahang", "宋嘉航", "lxy", K.PRESIDENT, "院长", "2023-09-01", order=2),
    PersonSpec("hanxue", "韩雪", "lxy", K.DEPUTY_SECRETARY, "党委副书记", "2022-06-01",
               areas=("学生工作",), order=3),
    PersonSpec("caozhenyu", "曹振宇", "lxy", K.VICE_PRESIDENT, "副院长", "2022-09-01",
               areas=("教学", "研究生教育"), order=4),
    PersonSpec("dengruonan", "邓若楠", "lxy", K.VICE_PRESIDENT, "副院长", "2025-01-06",
               areas=("科研",), order=5),
    PersonSpec("pengcheng", "彭程", "lxy", K.COMMITTEE_MEMBER, "党委委员、研究生党支部书记", "2026-09-01",
               order=6),
    # 体育与艺术学院
    PersonSpec("luoweidong", "罗卫东", "tyxy", K.SECRETARY, "党委书记", "2023-04-10", order=1),
    PersonSpec("xieanqi", "谢安琪", "tyxy", K.PRESIDENT, "院长", "2021-09-01", order=2),
    PersonSpec("jianghao", "蒋浩", "tyxy", K.DEPUTY_SECRETARY, "党委副书记", "2024-03-01",
               areas=("学生工作", "安全稳定"), order=3),
    PersonSpec("shenyue", "沈悦", "tyxy", K.VICE_PRESIDENT, "副院长", "2022-09-01",
               areas=("教学",), order=4),
    PersonSpec("qianzhiyuan", "钱志远", "tyxy", K.VICE_PRESIDENT, "副院长", "2024-09-01",
               areas=("科研", "后勤"), order=5),
    PersonSpec("fanting", "范婷", "tyxy", K.COMMITTEE_MEMBER, "党委委员、艺术系教工党支部书记", "2023-12-15",
               order=6),
)
# fmt: on


@dataclass(frozen=True)
class UserSpec:
    username: str
    name: str
    role: str
    groups: tuple[str, ...]
    email: str
    is_staff: bool = False
    person: str = ""  # PersonSpec.key of the leader this account belongs to
    org: str = ""  # for an account outside the teams: the unit of the person record made for it
    title: str = ""
    is_party_member: bool = True


LEADER_GROUPS = (roles.LEADERS, roles.PARTY_MEMBERS)
USERS: tuple[UserSpec, ...] = (
    UserSpec(
        "office",
        "张敏",
        "党委办公室工作人员",
        (roles.OFFICE,),
        f"office@{EMAIL_DOMAIN}",
        is_staff=True,
        org="dwbgs",
        title="党委办公室秘书",
    ),
    *(
        UserSpec(p.username, p.name, p.role, LEADER_GROUPS, f"{p.key}@{EMAIL_DOMAIN}", person=p.key)
        for p in PEOPLE
        if p.username
    ),
    # A Party member who is not on a team (issue 8): sees the regulations, the calendar, and why the teams' records
    # are not theirs to see.
    UserSpec(
        "dangyuan",
        "邵一鸣",
        "党员（文学院教师）",
        (roles.PARTY_MEMBERS,),
        f"dangyuan@{EMAIL_DOMAIN}",
        org="wxy",
        title="文学院中文系讲师、中文系教工党支部党员",
    ),
    UserSpec(
        "jiaozhigong",
        "叶青",
        "教职工（非党员）",
        (roles.STAFF,),
        f"jiaozhigong@{EMAIL_DOMAIN}",
        org="wxy",
        title="文学院讲师",
        is_party_member=False,
    ),
)


@dataclass(frozen=True)
class TermSpec:
    term: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class YearSpec:
    name: str
    start: dt.date
    end: dt.date
    semesters: tuple[TermSpec, ...]


ACADEMIC_YEARS: tuple[YearSpec, ...] = (
    YearSpec(
        "2025—2026学年",
        dt.date(2025, 8, 25),
        dt.date(2026, 8, 23),
        (
            TermSpec(Semester.Term.FIRST, dt.date(2025, 9, 1), dt.date(2026, 1, 18)),
            TermSpec(Semester.Term.SECOND, dt.date(2026, 2, 23), dt.date(2026, 7, 5)),
        ),
    ),
    YearSpec(
        "2026—2027学年",
        dt.date(2026, 8, 24),
        dt.date(2027, 8, 22),
        (
            TermSpec(Semester.Term.FIRST, dt.date(2026, 8, 31), dt.date(2027, 1, 17)),
            TermSpec(Semester.Term.SECOND, dt.date(2027, 2, 22), dt.date(2027, 7, 4)),
        ),
    ),
)
# No HolidayYear rows: chinesecalendar covers 2025–2026, and 2027's notice does not exist yet, so the office
# sees the "enter 2027's holidays" warning, as it would in real life.


# Result -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str
    password: str
    created: bool  # False: the account existed, its password was left as it was


@dataclass
class DemoResult:
    university: Organization | None = None
    created: Counter[str] = field(default_factory=Counter)  # rows created, by model verbose name
    updated: Counter[str] = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)
    regulations: list[RegulationLoadResult] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)  # "规则包 … → 组织：新增 n 条"
    records: list[str] = field(default_factory=list)  # what each family's demo records created this run

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or any(r.changed for r in self.regulations))

    def count(self, label: str, *, created: bool) -> None:
        (self.created if created else self.updated)[label] += 1


# Writing ------------------------------------------------------------------------------------------------------


def _upsert(
    result: DemoResult, model: type[M], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[M, bool]:
    """Get or create by natural key; full_clean and save only if new or a value differs."""
    instance = model._default_manager.filter(**lookup).first()
    created = instance is None
    if instance is None:
        instance = model(**lookup)
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if created or changed:
        instance.full_clean()
        instance.save()
        result.count(str(model._meta.verbose_name), created=created)
    return instance, created


def _seed_organizations(result: DemoResult) -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for spec in ORGANIZATIONS:
        orgs[spec.code], _ = _upsert(
            result,
            Organization,
            {"code": spec.code},
            {
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "parent": orgs[spec.parent] if spec.parent else None,
                "order": spec.order,
                "is_active": True,
            },
        )
    return orgs


def _seed_teams(result: DemoResult, orgs: dict[str, Organization]) -> dict[str, LeadershipTeam]:
    return {
        spec.code: _upsert(result, LeadershipTeam, {"organization": orgs[spec.code]}, {"name": spec.team})[0]
        for spec in ORGANIZATIONS
        if spec.team
    }


def _seed_users(result: DemoResult) -> dict[str, AbstractBaseUser]:
    User = get_user_model()  # noqa: N806 - Django's convention
    label = str(User._meta.verbose_name)
    groups = roles.ensure_groups()
    users: dict[str, AbstractBaseUser] = {}
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        created = user is None
        if user is None:
            # Only a new account gets the demo password and flags; an existing one keeps what it has.
            user = User(
                username=spec.username, email=spec.email, first_name=spec.name, is_staff=spec.is_staff
            )
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
            result.count(label, created=True)
        have = set(user.groups.values_list("name", flat=True))
        missing = [groups[name] for name in spec.groups if name not in have]
        if missing:
            user.groups.add(*missing)
            if not created:
                result.count(label, created=False)
        users[spec.username] = user
        result.logins.append(DemoLogin(spec.username, spec.role, spec.name, DEMO_PASSWORD, created))
    return users


def _seed_people(
    result: DemoResult,
    orgs: dict[str, Organization],
    teams: dict[str, LeadershipTeam],
    users: dict[str, AbstractBaseUser],
) -> None:
    areas = {name: _upsert(result, Area, {"name": name}, {})[0] for name in AREAS}
    emails = {spec.person: spec.email for spec in USERS if spec.person}

    for spec in PEOPLE:
        org = orgs[spec.org]
        end = dt.date.fromisoformat(spec.end) if spec.end else None
        person, _ = _upsert(
            result,
            Person,
            {"name": spec.name, "organization": org},
            {
                "title": f"原{org.name}{spec.title}" if end else f"{org.name}{spec.title}",
                "email": emails.get(spec.key, f"{spec.key}@{EMAIL_DOMAIN}"),
                "is_party_member": True,
                **({"user": users[spec.username]} if spec.username else {}),
            },
        )
        position, created = _upsert(
            result,
            Position,
            {
                "person": person,
                "team": teams[spec.org],
                "kind": spec.kind,
                "start": dt.date.fromisoformat(spec.start),
            },
            {"title": spec.title, "end": end, "order": spec.order},
        )
        wanted = {areas[name].pk for name in spec.areas}
        if set(position.areas.values_list("pk", flat=True)) != wanted:
            position.areas.set(wanted)
            if not created:
                result.count(str(Position._meta.verbose_name), created=False)

    # Accounts outside the teams (the office worker, a member of staff) get a person record too.
    for account in USERS:
        if not account.person:
            _upsert(
                result,
                Person,
                {"user": users[account.username]},
                {
                    "name": account.name,
                    "organization": orgs[account.org],
                    "title": account.title,
                    "email": account.email,
                    "is_party_member": account.is_party_member,
                },
            )


def _seed_calendar(result: DemoResult) -> None:
    for spec in ACADEMIC_YEARS:
        year, _ = _upsert(result, AcademicYear, {"name": spec.name}, {"start": spec.start, "end": spec.end})
        for term in spec.semesters:
            _upsert(
                result,
                Semester,
                {"academic_year": year, "term": term.term},
                {"start": term.start, "end": term.end},
            )


@transaction.atomic
def demo_seed() -> DemoResult:
    """Create or complete the demo university. Running it again changes nothing."""
    result = DemoResult()
    orgs = _seed_organizations(result)
    result.university = orgs[UNIVERSITY_CODE]
    teams = _seed_teams(result, orgs)
    users = _seed_users(result)
    _seed_people(result, orgs, teams, users)
    _seed_calendar(result)
    result.regulations = regulations_load_all()
    _adopt_policies(result, orgs)
    return result


@dataclass(frozen=True)
class OwnRegulationSpec:
    """A regulation of the fictional university's own, modelled on a shipped one (its 参照)."""

    reference: str  # the shipped regulation's code
    org: str
    title: str
    document_number: str
    issued_on: str
    issuing_body: str


# fmt: off
# The demo adopts the university's regulation (001) for the university team and the college regulation (000) for
# 文学院, each under a title of its own; then each family records what its pages need (a semester of meetings and
# talks …) so the dashboards have something true to show.
DEMO_POLICIES: tuple[OwnRegulationSpec, ...] = (
    OwnRegulationSpec("001", UNIVERSITY_CODE, "中共江城大学委员会领导班子议事沟通制度", "江大党发〔2025〕12号",
                      "2025-03-18", "中共江城大学委员会"),
    OwnRegulationSpec("000", "wxy", "中共江城大学文学院委员会关于建立学院党政领导经常性沟通机制的暂行办法",
                      "江大文党发〔2025〕5号", "2025-09-10", "中共江城大学文学院委员会"),
)
# fmt: on


def _own(spec: OwnRegulationSpec) -> OwnRegulation:
    from governance.services.policies import OwnRegulation

    return OwnRegulation(
        title=spec.title,
        document_number=spec.document_number,
        issued_on=dt.date.fromisoformat(spec.issued_on),
        issuing_body=spec.issuing_body,
    )


# The shipped regulations no pack adopts yet (their families' rules come in later issues): the university names each as
# its own all the same — 中共江城大学委员会 and the title without the real institution's name, a 文号 and a date — and its
# copy of the clauses says 江城大学 where the real text names its institution. (The core names no family: the
# regulations are found, not listed.)
OWN_ISSUED_ON = dt.date(2024, 6, 12)
OWN_NUMBER = "江大党发〔2024〕{n}号"
OWN_PREFIXES = ("校党委", "学校党委")  # "校党委党务公开工作制度" → 中共江城大学委员会党务公开工作制度
# Real places the shipped texts name, as the fictional university's copies say them.
RENAMES: tuple[tuple[str, str], ...] = (("中共广东省委教育工委 广东省教育厅", "省委教育工委、省教育厅"),)


def _own_title(source: Any, university: Organization) -> str:
    title = source.title
    for prefix in (source.issuing_body, *OWN_PREFIXES):
        if prefix and title.startswith(prefix):
            title = title[len(prefix) :]
    return f"中共{university.name}委员会{title}"


def _adopt_shipped(result: DemoResult, university: Organization) -> None:
    from governance.models import Regulation
    from governance.services.policies import OwnRegulation, regulation_adopt

    committee = f"中共{university.name}委员会"
    shipped = Regulation.objects.filter(
        organization__isnull=True, level=Regulation.Level.UNIVERSITY, adoptions__isnull=True
    ).order_by("code")
    for n, source in enumerate(shipped, start=21):
        own = regulation_adopt(
            source=source,
            organization=university,
            own=OwnRegulation(
                title=_own_title(source, university),
                document_number=OWN_NUMBER.format(n=n),
                issued_on=OWN_ISSUED_ON,
                issuing_body=committee,
            ),
        )
        body = source.issuing_body
        named = ((body, committee if body.startswith("中共") else university.name),) if body else ()
        _rename_clauses(result, own, named + RENAMES)


def _rename_clauses(result: DemoResult, regulation: Any, renames: tuple[tuple[str, str], ...]) -> None:
    for clause in regulation.clauses.all():
        text = clause.text
        for real, own in renames:
            text = text.replace(real, own)
        if text != clause.text:
            clause.text = text
            clause.full_clean()
            clause.save(update_fields=["text"])
            result.count(str(clause._meta.verbose_name), created=False)


def _adopt_policies(result: DemoResult, orgs: dict[str, Organization]) -> None:
    from governance.services.policies import policy_load

    for spec in DEMO_POLICIES:
        loaded = policy_load(name=spec.reference, organization=orgs[spec.org], own=_own(spec))
        result.policies.append(
            f"规则包“{loaded.pack.title}” → {orgs[spec.org].name}（《{spec.title}》）：新增 {len(loaded.created)} 条，"
            f"更新 {len(loaded.updated)} 条，未变 {len(loaded.unchanged)} 条"
        )
    _adopt_shipped(result, orgs[UNIVERSITY_CODE])
    # Each family records what its pages and the dashboards should show (a semester of meetings and talks …).
    context = DemoContext(university=orgs[UNIVERSITY_CODE], organizations=orgs, today=timezone.localdate())
    for family in demo_order():
        if family.demo is not None:
            result.records.extend(family.demo(context))
