"""`manage.py seed_demo`: a believable fictional university the office and leaders can log in to."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from governance import roles
from governance.models import (
    AcademicYear,
    HolidayYear,
    LeadershipTeam,
    ObligationRule,
    Organization,
    Person,
    Position,
    PositionKind,
    Regulation,
    Semester,
)
from governance.services.demo import DEMO_PASSWORD, demo_seed
from governance.services.workdays import missing_years

pytestmark = pytest.mark.django_db

User = get_user_model()
D = dt.date


def row_counts() -> dict[str, int]:
    """Rows in every table of every installed model, audit history and m2m tables included."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        counts[model._meta.label] = model._default_manager.count()
    return counts


@pytest.fixture(autouse=True)
def november_2026():
    """The command's summary speaks of today: pin it inside the first semester of 2026—2027."""
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture(autouse=True)
def in_term():
    """The demo's meetings and talks are made relative to today, inside the current semester."""
    with time_machine.travel(dt.datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def seeded():
    return demo_seed()


def test_it_creates_the_university_with_three_colleges_and_two_offices(seeded):
    university = Organization.objects.get(code="jcu")
    assert seeded.university == university
    assert (university.name, university.kind, university.parent) == (
        "江城大学",
        Organization.Kind.UNIVERSITY,
        None,
    )
    colleges = Organization.objects.filter(parent=university, kind=Organization.Kind.COLLEGE)
    assert [c.name for c in colleges] == ["文学院", "理学院", "体育与艺术学院"]
    departments = Organization.objects.filter(parent=university, kind=Organization.Kind.DEPARTMENT)
    # The core's two offices; families' demos may add the departments they work with (units answering tasks).
    assert [d.name for d in departments][:2] == ["党委办公室", "校长办公室"]
    for college in colleges:
        assert college.children.filter(kind=Organization.Kind.BRANCH).count() == 2
        college.full_clean()


def test_the_university_and_every_college_have_a_full_leadership_team(seeded):
    today = D(2026, 11, 22)
    teams = {t.organization.code: t for t in LeadershipTeam.objects.select_related("organization")}
    assert set(teams) == {"jcu", "wxy", "lxy", "tyxy"}

    def kinds(code: str) -> list[str]:
        return sorted(teams[code].positions.active_on(today).values_list("kind", flat=True))

    assert kinds("jcu") == sorted(
        [PositionKind.SECRETARY, PositionKind.PRESIDENT]
        + [PositionKind.DEPUTY_SECRETARY] * 2
        + [PositionKind.VICE_PRESIDENT] * 3
        + [PositionKind.DISCIPLINE_SECRETARY, PositionKind.COMMITTEE_MEMBER]
    )
    for code in ("wxy", "lxy", "tyxy"):
        assert kinds(code) == sorted(
            [PositionKind.SECRETARY, PositionKind.PRESIDENT, PositionKind.DEPUTY_SECRETARY]
            + [PositionKind.VICE_PRESIDENT] * 2
            + [PositionKind.COMMITTEE_MEMBER]
        )


def test_the_college_secretarys_handover_in_2025_is_on_record(seeded):
    college = Organization.objects.get(code="wxy")
    assert Position.objects.holder(college, PositionKind.SECRETARY, on=D(2025, 6, 30)).name == "王德厚"
    assert Position.objects.holder(college, PositionKind.SECRETARY, on=D(2025, 7, 1)).name == "李书涵"
    ended = Position.objects.filter(end__isnull=False)
    assert [(p.person.name, p.end) for p in ended] == [("王德厚", D(2025, 6, 30))]


def test_deputies_are_in_charge_of_areas(seeded):
    vice_president = Position.objects.get(person__name="孙海涛")
    assert sorted(vice_president.areas.values_list("name", flat=True)) == ["后勤", "安全稳定", "财务"]
    in_charge = set(Position.objects.values_list("areas__name", flat=True))
    assert {"教学", "科研", "学生工作", "财务", "人事", "后勤", "国际交流"} <= in_charge


def test_every_record_the_seed_makes_passes_validation(seeded):
    for model in (Organization, LeadershipTeam, Person, Position, AcademicYear, Semester):
        for obj in model.objects.all():
            obj.full_clean()


def test_it_enters_this_and_last_academic_year_with_their_semesters(seeded):
    years = {y.name: (y.start, y.end) for y in AcademicYear.objects.all()}
    assert years == {
        "2025—2026学年": (D(2025, 8, 25), D(2026, 8, 23)),
        "2026—2027学年": (D(2026, 8, 24), D(2027, 8, 22)),
    }
    semesters = [(str(s), s.start, s.end) for s in Semester.objects.order_by("start")]
    assert semesters == [
        ("2025—2026学年第一学期（秋季）", D(2025, 9, 1), D(2026, 1, 18)),
        ("2025—2026学年第二学期（春季）", D(2026, 2, 23), D(2026, 7, 5)),
        ("2026—2027学年第一学期（秋季）", D(2026, 8, 31), D(2027, 1, 17)),
        ("2026—2027学年第二学期（春季）", D(2027, 2, 22), D(2027, 7, 4)),
    ]


def test_it_leaves_2027_holidays_for_the_office_to_enter(seeded):
    assert not HolidayYear.objects.exists()
    assert missing_years([2026, 2027]) == [2027]


def test_it_creates_logins_in_the_right_groups(seeded):
    def groups(username: str) -> set[str]:
        return set(User.objects.get(username=username).groups.values_list("name", flat=True))

    assert groups("office") == {roles.OFFICE}
    assert User.objects.get(username="office").is_staff
    for username in ("shuji", "xiaozhang", "fuxiaozhang", "wxy_shuji", "wxy_yuanzhang"):
        assert {roles.LEADERS, roles.PARTY_MEMBERS} <= groups(username)
        assert not User.objects.get(username=username).is_staff
    # Only 文学院's dean also answers for his college as a unit (督查督办 第一条（一）): the units' people group.
    leaders_only = {roles.LEADERS, roles.PARTY_MEMBERS}
    assert [u for u in ("shuji", "xiaozhang", "fuxiaozhang", "wxy_shuji") if groups(u) != leaders_only] == []
    assert len(groups("wxy_yuanzhang") - leaders_only) == 1
    assert groups("dangyuan") == {roles.PARTY_MEMBERS}  # a Party member on no team (issue 8)
    assert not User.objects.get(username="dangyuan").is_staff
    assert groups("jiaozhigong") == {roles.STAFF}
    assert all(u.email.endswith("@example.edu.cn") for u in User.objects.all())


def test_every_demo_login_works_with_the_demo_password(seeded):
    request = RequestFactory().post("/accounts/login/")
    for login in seeded.logins:
        assert authenticate(request, username=login.username, password=DEMO_PASSWORD) is not None, (
            login.username
        )


def test_each_leader_login_belongs_to_the_person_holding_the_post(seeded):
    on = D(2026, 11, 22)
    university = Organization.objects.get(code="jcu")
    college = Organization.objects.get(code="wxy")
    holders = {
        "shuji": Position.objects.holder(university, PositionKind.SECRETARY, on=on),
        "xiaozhang": Position.objects.holder(university, PositionKind.PRESIDENT, on=on),
        "wxy_shuji": Position.objects.holder(college, PositionKind.SECRETARY, on=on),
        "wxy_yuanzhang": Position.objects.holder(college, PositionKind.PRESIDENT, on=on),
    }
    for username, person in holders.items():
        assert person.user.username == username
        assert person.contact_email == person.user.email
    assert (
        Person.objects.get(user__username="fuxiaozhang").positions.get().kind == PositionKind.VICE_PRESIDENT
    )


def test_it_loads_every_regulation_and_adopts_001_for_the_university_and_000_for_one_college(seeded):
    shipped = Regulation.objects.filter(organization__isnull=True)
    assert list(shipped.values_list("code", flat=True)) == [
        "000",
        "001",
        "003-disclosure",
        "003-outreach",
        "003-supervision",
        "004",
    ]
    adopted = set(ObligationRule.objects.values_list("organization__code", "pack__code").distinct())
    assert {("jcu", "001"), ("wxy", "000")} <= adopted
    # The families adopt their own packs for the university through their demo hooks (supervision: the half-yearly
    # round, 003 第三条（一）); no other college adopts anything.
    assert ("jcu", "003-supervision") in adopted
    assert {org for org, _pack in adopted} == {"jcu", "wxy"}
    assert {pack for org, pack in adopted if org == "wxy"} == {"000"}
    # The fictional university names each as a regulation of its own; the shipped one is its 参照 (issue 8).
    own = {
        (r.organization.code, r.reference.code): r.title
        for r in Regulation.objects.filter(organization__isnull=False).select_related(
            "organization", "reference"
        )
    }
    assert own[("jcu", "001")] == "中共江城大学委员会领导班子议事沟通制度"
    assert own[("wxy", "000")] == "中共江城大学文学院委员会关于建立学院党政领导经常性沟通机制的暂行办法"
    assert {ref for _org, ref in own} == {
        "000",
        "001",
        "003-disclosure",
        "003-outreach",
        "003-supervision",
        "004",
    }
    cited = set(ObligationRule.objects.values_list("clause__regulation__organization__code", flat=True))
    assert cited == {"jcu", "wxy"}


def test_the_demo_has_meetings_and_talks_so_dashboards_show_real_statuses(seeded):
    from communication.models import Meeting, Talk

    assert Meeting.objects.filter(organization__code="wxy", kind="coordination").exists()
    assert Talk.objects.exists()


def test_running_it_twice_changes_nothing(seeded):
    before = row_counts()
    people = list(Person.objects.order_by("pk").values_list())
    positions = list(Position.objects.order_by("pk").values_list())

    again = demo_seed()

    assert row_counts() == before
    assert list(Person.objects.order_by("pk").values_list()) == people
    assert list(Position.objects.order_by("pk").values_list()) == positions
    assert not again.changed


def test_running_it_again_keeps_a_password_the_user_changed(seeded):
    user = User.objects.get(username="shuji")
    user.set_password("my-own-secret-2026")
    user.save()

    demo_seed()

    user.refresh_from_db()
    assert user.check_password("my-own-secret-2026")


def test_the_command_prints_a_summary_and_the_logins_table():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()

    assert "演示数据：江城大学（代码 jcu）" in text
    assert "学院 3 个（文学院、理学院、体育与艺术学院）" in text
    assert "学年：2025—2026学年、2026—2027学年；当前学年：2026—2027学年" in text
    assert "提醒：系统尚无2027年的法定节假日安排，暂按周一至周五计算工作日。" in text
    assert "《关于建立学院党政领导经常性沟通机制的暂行办法》（000）：新建，共 14 条" in text
    assert "演示账号（仅供演示，切勿用于正式环境）" in text
    lines = text.splitlines()
    header = next(line for line in lines if "用户名" in line)
    assert header.split() == ["用户名", "角色", "姓名", "密码"]
    table = {line.split()[0]: line.split()[1:] for line in lines if line.strip().endswith(DEMO_PASSWORD)}
    assert table == {
        "office": ["党委办公室工作人员", "张敏", DEMO_PASSWORD],
        "shuji": ["校党委书记", "周明远", DEMO_PASSWORD],
        "xiaozhang": ["校长", "林致和", DEMO_PASSWORD],
        "fuxiaozhang": ["副校长", "黄晓峰", DEMO_PASSWORD],
        "wxy_shuji": ["文学院党委书记", "李书涵", DEMO_PASSWORD],
        "wxy_yuanzhang": ["文学院院长", "刘文渊", DEMO_PASSWORD],
        "dangyuan": ["党员（文学院教师）", "邵一鸣", DEMO_PASSWORD],
        "jiaozhigong": ["教职工（非党员）", "叶青", DEMO_PASSWORD],
    }


def test_the_command_says_so_when_nothing_changed_and_warns_about_missing_holidays():
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "组织、人员、校历和账号均已存在，本次没有改动。" in text
    assert "（000）：未变化，共 14 条" in text
    assert "demo12345（如未改过）" in text


@pytest.mark.django_db(transaction=True)
def test_building_the_demo_emails_no_one(mailoutbox):
    """The demo's records are history: `make run` prints the logins, not the notices its tasks and disclosure items
    would send (each service mails after its commit, so the commits here are real)."""
    call_command("seed_demo", stdout=io.StringIO())
    assert Regulation.objects.exists()
    assert mailoutbox == []
