"""The home page each role lands on, the navigation, the office's calendar warning, the family apps' regulation
pages, and the site-wide pages (health check, not found, language switch)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.defaults import server_error

from governance import roles
from governance.models import Organization, PositionKind, Regulation
from governance.tests.factories import (
    AreaFactory,
    ClauseFactory,
    HolidayYearFactory,
    LeadershipTeamFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    RegulationFactory,
    SemesterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOLIDAY_WARNING = "系统尚无 2027 年法定节假日数据，工作日暂按周一至周五计算。请在“节假日年度”中录入。"
NO_PERSON = "您的账号尚未关联人员信息，请联系党委办公室。"


# Role users built from UserFactory with explicit groups: LeaderUserFactory/OfficeUserFactory (and so the root
# conftest's fixtures) currently pass their `groups` tuple to the model instead of the post-generation hook.
@pytest.fixture
def leader_user(db):
    return UserFactory(username="leader", groups=(roles.LEADERS, roles.PARTY_MEMBERS))


@pytest.fixture
def office_user(db):
    return UserFactory(username="office", is_staff=True, groups=(roles.OFFICE,))


@pytest.fixture
def member_user(db):
    return UserFactory(username="teacher", groups=(roles.PARTY_MEMBERS,))


@pytest.fixture
def november_2026():
    """2026-11-22: 2027 is within 60 days, and chinesecalendar 1.11 has no data for 2027."""
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def college(db):
    return OrganizationFactory(name="武术与表演学院", code="wushu", kind=Organization.Kind.COLLEGE)


def _page(response) -> str:
    return response.content.decode()


def _leader_person(user, college):
    return PersonFactory(user=user, name="王明", title="学院党委副书记", organization=college)


# Home page per role -------------------------------------------------------------------------------------------


def test_the_home_page_needs_a_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_a_leader_sees_their_current_positions_and_organization(client, leader_user, college, november_2026):
    person = _leader_person(leader_user, college)
    team = LeadershipTeamFactory(organization=college, name="武术与表演学院党政领导班子")
    position = PositionFactory(
        person=person,
        team=team,
        kind=PositionKind.DEPUTY_SECRETARY,
        title="党委副书记、纪委书记",
        start=dt.date(2024, 3, 1),
    )
    position.areas.add(AreaFactory(name="学生工作"), AreaFactory(name="纪检监察"))
    PositionFactory(
        person=person,
        team=team,
        kind=PositionKind.COMMITTEE_MEMBER,
        start=dt.date(2020, 9, 1),
        end=dt.date(2024, 2, 29),
    )
    PositionFactory(person=PersonFactory(user=None, name="李华"), team=team, kind=PositionKind.SECRETARY)
    client.force_login(leader_user)

    response = client.get(reverse("home"))

    page = _page(response)
    assert response.status_code == 200
    assert "<title>我的首页 · 党委办公室</title>" in page
    assert "王明" in page
    assert "学院党委副书记" in page
    assert "示例大学 · 武术与表演学院" in page
    current = page.split("现任职务")[1].split("以往任职")[0]
    assert "党委副书记、纪委书记" in current
    assert "武术与表演学院党政领导班子" in current
    assert "2024年3月1日起" in current
    assert "学生工作" in current
    assert "纪检监察" in current
    assert "党委委员" not in current
    past = page.split("以往任职")[1]
    assert "党委委员" in past
    assert "2020年9月1日 — 2024年2月29日" in past
    assert "李华" not in page


def test_a_leader_without_current_positions_is_told_so(client, leader_user, college):
    _leader_person(leader_user, college)
    client.force_login(leader_user)

    response = client.get(reverse("home"))

    assert "目前没有您在任职务的记录。如有出入，请联系党委办公室。" in _page(response)


def test_a_leader_whose_account_has_no_person_is_told_to_contact_the_office(client, leader_user):
    client.force_login(leader_user)

    response = client.get(reverse("home"))

    page = _page(response)
    assert response.status_code == 200
    assert NO_PERSON in page
    assert "现任职务" not in page


def test_the_leader_home_takes_the_same_number_of_queries_for_one_position_or_ten(
    client, leader_user, college, django_assert_max_num_queries
):
    person = _leader_person(leader_user, college)
    PositionFactory(person=person, team=LeadershipTeamFactory(organization=college)).areas.add(AreaFactory())
    client.force_login(leader_user)
    with CaptureQueriesContext(connection) as one_position:
        assert client.get(reverse("home")).status_code == 200
    for _n in range(9):
        position = PositionFactory(
            person=person, team=LeadershipTeamFactory(organization=OrganizationFactory())
        )
        position.areas.add(AreaFactory(), AreaFactory())

    with django_assert_max_num_queries(len(one_position)):
        response = client.get(reverse("home"))

    assert _page(response).count('class="card h-100 position-card"') == 10
    # Positions, the obligation dashboard (no rules here) and each family's panel (communication's, supervision's,
    # outreach's with the issues awaiting the leader's answer, disclosure's latest items disclosed to the leader), and
    # the rules owed as an event's owner (003 第五条): see tests/test_dashboard.py for the bound with rules and records.
    assert len(one_position) <= 27


def test_office_staff_see_the_office_home_with_the_admin_sections(client, office_user):
    client.force_login(office_user)

    response = client.get(reverse("home"))

    page = _page(response)
    assert "<title>办公室首页 · 党委办公室</title>" in page
    for section in ("组织", "人员与任职", "学年学期", "节假日", "制度"):
        assert f'<h3 class="card-title">{section}</h3>' in page
    for url in (
        "/admin/governance/organization/",
        "/admin/governance/person/",
        "/admin/governance/position/",
        "/admin/governance/academicyear/",
        "/admin/governance/holidayyear/",
        "/admin/governance/regulation/",
    ):
        assert f'href="{url}"' in page


def test_the_office_home_names_the_current_semester(client, office_user, november_2026):
    SemesterFactory()
    client.force_login(office_user)

    page = _page(client.get(reverse("home")))

    assert "2026年11月22日（星期日）" in page
    assert "2026—2027学年第一学期（秋季）" in page
    assert "今天不在任何已录入的学期内" not in page


def test_the_office_home_says_when_today_is_in_no_semester(client, office_user, november_2026):
    client.force_login(office_user)

    assert "今天不在任何已录入的学期内" in _page(client.get(reverse("home")))


def test_party_members_and_staff_get_a_simple_welcome(client, member_user):
    client.force_login(member_user)

    response = client.get(reverse("home"))

    page = _page(response)
    assert "欢迎，teacher" in page
    assert 'href="/communication/"' in page
    assert 'href="/accounts/password_change/"' in page
    assert NO_PERSON not in page
    assert "办公室首页" not in page


# Navigation ---------------------------------------------------------------------------------------------------


def test_office_staff_see_the_admin_link_and_their_office_home(client, office_user):
    client.force_login(office_user)

    page = _page(client.get(reverse("communication:index")))

    assert '<a class="nav-link" href="/admin/">管理后台</a>' in page
    assert "办公室首页" in page


def test_leaders_see_my_home_and_no_admin_link(client, leader_user):
    client.force_login(leader_user)

    page = _page(client.get(reverse("home")))

    assert "我的首页" in page
    assert 'href="/admin/"' not in page
    assert "管理后台" not in page


@pytest.mark.parametrize("role", ["office", "leader", "member"])
def test_every_logged_in_user_can_change_password_and_log_out_by_post(
    client, role, office_user, leader_user, member_user
):
    user = {"office": office_user, "leader": leader_user, "member": member_user}[role]
    client.force_login(user)

    page = _page(client.get(reverse("home")))

    assert '<a class="dropdown-item" href="/accounts/password_change/">修改密码</a>' in page
    logout_form = page.split('<form action="/accounts/logout/" method="post">')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in logout_form
    assert "退出" in logout_form


def test_visitors_who_are_not_logged_in_see_no_account_menu(client):
    page = _page(client.get(reverse("login")))

    assert "修改密码" not in page
    assert "退出" not in page
    assert "管理后台" not in page


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (None, "/accounts/login/"),
        ("office", "/"),
        ("leader", "/"),
        ("member", "/"),
        ("leader", "/communication/"),
        ("leader", "/accounts/password_change/"),
    ],
)
def test_pages_carry_no_inline_script_or_style_so_the_strict_csp_holds(
    client, role, url, office_user, leader_user, member_user, november_2026
):
    if role:
        client.force_login({"office": office_user, "leader": leader_user, "member": member_user}[role])

    response = client.get(url)

    page = _page(response)
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "style=" not in page
    assert "<style" not in page
    assert page.count("<script") == page.count('<script src="/static/')
    # Every asset is served from this site: no src or href points at another host (a CSRF token may
    # contain any letters, so look at the asset links, not at the whole page).
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)
    assert '<link rel="stylesheet" href="/static/vendor/bootstrap/css/bootstrap.min.css">' in page
    assert '<script src="/static/vendor/bootstrap/js/bootstrap.bundle.min.js"></script>' in page


# The office's calendar warning --------------------------------------------------------------------------------


def test_the_office_is_warned_when_a_year_in_use_has_no_holiday_data(client, office_user, november_2026):
    client.force_login(office_user)

    page = _page(client.get(reverse("home")))

    assert HOLIDAY_WARNING in page
    assert 'href="/admin/governance/holidayyear/add/?year=2027"' in page


def test_the_warning_goes_away_once_the_office_enters_the_year(client, office_user, november_2026):
    HolidayYearFactory(year=2027)
    client.force_login(office_user)

    page = _page(client.get(reverse("home")))

    assert "法定节假日数据" not in page
    assert "2027 年：" in page
    assert "办公室已录入" in page


def test_the_admin_front_page_shows_the_same_warning(client, office_user, november_2026):
    client.force_login(office_user)

    page = _page(client.get("/admin/"))

    assert "管理首页" in page
    assert HOLIDAY_WARNING in page
    assert 'href="/admin/governance/holidayyear/add/?year=2027"' in page


@pytest.mark.parametrize("role", ["leader", "member"])
def test_people_outside_the_office_never_see_the_warning_nor_pay_for_it(
    client, role, leader_user, member_user, november_2026
):
    client.force_login({"leader": leader_user, "member": member_user}[role])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))

    assert "法定节假日数据" not in _page(response)
    assert "missing_holiday_years" not in response.context
    assert not any("holiday" in q["sql"] for q in queries.captured_queries)


# The family apps' index pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("app", ["communication", "outreach", "disclosure", "supervision"])
def test_each_module_page_needs_a_login(client, app):
    response = client.get(reverse(f"{app}:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_module_page_lists_its_own_regulations_with_their_clauses(client, leader_user):
    regulation = RegulationFactory(
        code="000",
        title="关于建立学院党政领导经常性沟通机制的暂行办法",
        issuing_body="武术与表演学院党委",
        document_number="院党发〔2018〕3号",
        level=Regulation.Level.COLLEGE,
        family="communication",
    )
    ClauseFactory(regulation=regulation, number="四", heading="经常沟通的机制", text="", order=1)
    ClauseFactory(
        regulation=regulation,
        number="四（四）",
        heading="领导班子工作碰头会沟通机制",
        text="领导班子工作碰头会原则上每两周召开一次，一般安排在周五。",
        order=2,
    )
    RegulationFactory(code="004", title="校领导联系基层制度", family="outreach")
    client.force_login(leader_user)

    response = client.get(reverse("communication:index"))

    page = _page(response)
    assert response.status_code == 200
    assert "本模块依据的制度" in page
    assert "《关于建立学院党政领导经常性沟通机制的暂行办法》" in page
    assert "发文机关：武术与表演学院党委" in page
    assert "文号：院党发〔2018〕3号" in page
    assert "层级：二级学院" in page
    assert '<span class="clause-number">四</span>经常沟通的机制' in page
    assert '<summary><span class="clause-number">四（四）</span>领导班子工作碰头会沟通机制</summary>' in page
    assert "领导班子工作碰头会原则上每两周召开一次，一般安排在周五。" in page
    assert "校领导联系基层制度" not in page
    assert "在管理后台编辑" not in page


def test_a_module_page_takes_the_same_number_of_queries_for_any_number_of_regulations(
    client, leader_user, django_assert_max_num_queries
):
    ClauseFactory(regulation=RegulationFactory(family="supervision"))
    client.force_login(leader_user)
    with CaptureQueriesContext(connection) as one_regulation:
        client.get(reverse("supervision:index"))
    for _n in range(5):
        regulation = RegulationFactory(family="supervision")
        ClauseFactory.create_batch(3, regulation=regulation)

    with django_assert_max_num_queries(len(one_regulation)):
        response = client.get(reverse("supervision:index"))

    assert _page(response).count("<article") == 6


def test_a_module_without_regulations_says_so_and_the_office_gets_a_link_to_enter_them(client, office_user):
    client.force_login(office_user)

    page = _page(client.get(reverse("disclosure:index")))

    assert "尚未录入本模块依据的制度。" in page
    assert 'href="/admin/governance/regulation/add/"' in page


# Site-wide pages ----------------------------------------------------------------------------------------------


def test_the_health_check_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_an_unknown_address_shows_a_chinese_not_found_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in _page(response)


def test_a_server_error_shows_a_chinese_page_that_needs_no_context(rf):
    response = server_error(rf.get("/"))

    page = _page(response)
    assert response.status_code == 500
    assert '<html lang="zh-hans">' in page
    assert "系统出错" in page


def test_the_language_switcher_turns_the_site_to_english(client):
    login_page = _page(client.get(reverse("login")))
    assert 'action="/i18n/setlang/"' in login_page

    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("login")}, follow=True)

    page = _page(response)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert '<html lang="en">' in page
    assert "Username" in page
