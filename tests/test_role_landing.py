"""A role sees only what it can use (issue 8): the home page, the navbar and the pages of 领导沟通 show a member of staff
(教职工), a Party member (党员), a leader and the office only what they can open, and an empty list says why it is
empty — "会议记录只对班子成员……可见" to someone who may not see meetings, "本班子还没有会议记录" to a leader whose team
has none. No page offers a link that answers 403.

The university (pack 001) and 文学院 (pack 000) of tests/conftest.py, on Wednesday 25 November 2026.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from communication.tests.factories import (
    AbsenceFactory,
    MeetingFactory,
    OpinionFactory,
    TalkFactory,
    office_user,
)
from governance import roles
from governance.tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]

MEETINGS_HIDDEN = "会议记录只对班子成员、参会和列席人员以及党委办公室可见"
RECORDS_HIDDEN = (
    "领导沟通的会议、谈心谈话、议题和外出报备是领导班子的工作记录，只对班子成员、参加的人员和党委办公室可见"
)
TEAM_HAS_NO_MEETINGS = "本班子还没有会议记录。会议由党委办公室登记（000 五（二）：党委办公室负责记录存档）。"


@pytest.fixture
def staff(college):
    user = UserFactory(username="jiaozhigong", first_name="叶青", groups=[roles.STAFF])
    PersonFactory(user=user, name="叶青", organization=college[0], is_party_member=False)
    return user


@pytest.fixture
def member(college):
    user = UserFactory(username="dangyuan", first_name="邵一鸣", groups=[roles.PARTY_MEMBERS])
    PersonFactory(user=user, name="邵一鸣", organization=college[0])
    return user


@pytest.fixture
def office():
    user = office_user(username="office", first_name="张敏")
    PersonFactory(user=user, name="张敏")
    return user


@pytest.fixture
def secretary(college):
    """李书记, 文学院's secretary."""
    return college[1][0]


@pytest.fixture
def college_meetings(college, secretary):
    """文学院's meetings: eighteen, as many as the issue's staff account could not see."""
    people = college[1]
    for i in range(18):
        meeting = MeetingFactory(
            organization=college[0], chair=secretary, date=dt.date(2026, 9, 4) + dt.timedelta(days=4 * i)
        )
        meeting.attendees.set(people)
    return college[0]


def page(user, address: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.tabs: list[str] = []
        self._in_tabs = 0
        self._tab_text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        if tag == "ul" and "nav-tabs" in (attributes.get("class") or ""):
            self._in_tabs += 1
        if self._in_tabs and tag == "a":
            self._tab_text = []

    def handle_endtag(self, tag):
        if tag == "ul" and self._in_tabs:
            self._in_tabs -= 1
        if tag == "a" and self._tab_text is not None:
            self.tabs.append("".join(self._tab_text).strip())
            self._tab_text = None

    def handle_data(self, data):
        if self._tab_text is not None:
            self._tab_text.append(data)


def links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def site_links(html: str) -> list[str]:
    """The page's links to pages of this site (no anchors, no logout form, no static files)."""
    found = []
    for href in links(html).hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("#") or parts.path.startswith("/static/"):
            continue
        found.append(href)
    return found


# --- the home page ---------------------------------------------------------------------------------------------------


def test_a_member_of_staff_lands_on_a_home_that_says_what_they_can_use_and_why_there_is_no_to_do_list(staff):
    html = page(staff, reverse("home"))
    text = text_of(html)

    assert "欢迎，叶青" in text
    assert "教职工" in text
    assert "您可以使用" in text
    assert "查阅各业务模块依据的制度和全部条款" in text
    assert reverse("calendar:page") in html
    assert reverse("password_change") in html
    assert "为什么这里没有待办事项" in text
    assert "会议实行保密制度（001 三（八））" in text
    # Nothing of the leaders' pages.
    for address in (
        "communication:talk_create",
        "communication:talk_list",
        "communication:meeting_list",
        "overview",
    ):
        assert f'href="{reverse(address)}"' not in html


def test_a_party_member_lands_on_the_same_home_as_a_party_member(member):
    text = text_of(page(member, reverse("home")))

    assert "欢迎，邵一鸣" in text
    assert "党员" in text
    assert "教职工" not in text
    assert "您作为党员参加或列席的会议会出现在“领导沟通”和日历订阅中" in text


@pytest.mark.parametrize("who", ["staff", "member", "secretary", "office"])
def test_the_account_menu_says_which_role_the_page_speaks_to(request, who):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)

    text = text_of(page(user, reverse("home")))

    expected = {"staff": "教职工", "member": "党员", "secretary": "班子成员", "office": "党委办公室"}[who]
    assert f"身份：{expected}" in text


# --- 领导沟通: the module's front page --------------------------------------------------------------------------------


def test_staff_are_told_why_they_see_no_meetings_instead_of_empty_tabs(staff, college_meetings):
    html = page(staff, reverse("communication:index"))
    text = text_of(html)

    assert RECORDS_HIDDEN in text
    assert "001 三（八）：沟通交流会议实行保密制度" in text
    assert "下面是本模块依据的制度和条款，您可以随时查阅。" in text
    assert "本模块依据的制度" in text
    assert "nav-tabs" not in html
    assert "还没有会议记录" not in text  # eighteen exist; they are not the staff member's to see
    for name in (
        "talk_list",
        "meeting_list",
        "agenda_item_list",
        "opinion_awaiting",
        "absence_list",
        "talk_create",
    ):
        assert f'href="{reverse(f"communication:{name}")}"' not in html


def test_a_party_member_who_attended_nothing_is_told_the_meetings_they_attend_will_show(
    member, college_meetings
):
    text = text_of(page(member, reverse("communication:index")))

    assert RECORDS_HIDDEN in text
    assert "您没有参加或列席登记在案的会议和谈话。" in text
    assert "如果您参加或列席会议，会议会出现在这里，也会出现在您的日历订阅中。" in text


def test_a_party_member_who_observed_a_meeting_sees_that_meeting_and_only_the_meetings_tab(
    member, college, secretary
):
    meeting = MeetingFactory(organization=college[0], chair=secretary, title="学院党政联席会（扩大）")
    meeting.observers.add(member.person)

    html = page(member, reverse("communication:index"))
    text = text_of(html)
    assert "我的沟通记录" in text
    assert "1 次会议" in text
    assert f'href="{reverse("communication:meeting_list")}"' in html
    assert f'href="{reverse("communication:talk_list")}"' not in html
    assert RECORDS_HIDDEN not in text

    listing = page(member, reverse("communication:meeting_list"))
    assert links(listing).tabs == ["会议"]
    assert "学院党政联席会（扩大）" in listing


def test_a_leader_sees_each_section_with_how_many_records_and_why_an_empty_one_is_empty(
    college, secretary, college_meetings
):
    people = college[1]
    TalkFactory(participants=[secretary, people[1]])
    OpinionFactory(person=secretary, item__organization=college[0], item__status="consulting")

    html = page(secretary.user, reverse("communication:index"))
    text = text_of(html)

    assert "我的沟通记录" in text
    assert "1 次谈话" in text
    assert "18 次会议" in text
    assert "1 个议题待您发表意见" in text
    assert "我参与的议题" in text
    assert "0 条外出报备" in text
    assert "您还没有外出报备，也没有需要您知悉、准假或代管工作的外出。" in text
    assert f'href="{reverse("communication:talk_create")}"' in html  # 登记谈心谈话
    assert f'href="{reverse("communication:absence_create")}"' in html  # 外出报备
    assert f'href="{reverse("communication:meeting_create")}"' not in html  # the office's


def test_a_leader_whose_team_has_no_meetings_is_told_so_and_who_records_them(university):
    secretary = university[1][0]

    text = text_of(page(secretary.user, reverse("communication:index")))
    assert "0 次会议" in text
    assert TEAM_HAS_NO_MEETINGS in text

    listing = text_of(page(secretary.user, reverse("communication:meeting_list")))
    assert TEAM_HAS_NO_MEETINGS in listing


def test_the_office_sees_the_ledger_with_its_recording_actions_and_no_opinions_of_its_own(
    office, college_meetings
):
    AbsenceFactory()
    html = page(office, reverse("communication:index"))
    text = text_of(html)

    assert "台账" in text
    assert "18 次会议" in text
    assert "1 条外出报备" in text
    assert "议题与会前沟通" in text
    assert "待我发表意见" not in text
    for name in ("talk_create", "meeting_create", "agenda_item_create", "absence_create"):
        assert f'href="{reverse(f"communication:{name}")}"' in html


def test_an_account_linked_to_no_person_is_told_to_ask_the_office(college):
    user = UserFactory(groups=[roles.LEADERS])

    text = text_of(page(user, reverse("communication:index")))

    assert "您的账号尚未关联人员信息，看不到任何沟通记录。请联系党委办公室关联。" in text


def test_the_front_page_takes_the_same_number_of_queries_with_many_records_as_with_few(
    college, secretary, django_assert_max_num_queries
):
    client = Client()
    client.force_login(secretary.user)
    address = reverse("communication:index")
    client.get(address)  # sessions, caches
    with django_assert_max_num_queries(16) as few:
        client.get(address)

    people = college[1]
    for i in range(12):
        MeetingFactory(
            organization=college[0], chair=secretary, date=dt.date(2026, 10, 1) + dt.timedelta(days=i)
        )
        TalkFactory(
            participants=[secretary, people[1 + i % 4]], date=dt.date(2026, 10, 1) + dt.timedelta(days=i)
        )
        AbsenceFactory(person=secretary, start=dt.date(2026, 10, 1 + i), end=dt.date(2026, 10, 1 + i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(address)


# --- the module's tabs and its empty lists ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "tabs"),
    [
        ("secretary", ["谈心谈话", "会议", "我参与的议题", "待我发表意见", "外出报备"]),
        ("office", ["谈心谈话", "会议", "议题与会前沟通", "外出报备"]),
        ("staff", ["谈心谈话"]),
        ("member", ["谈心谈话"]),
    ],
)
def test_the_tabs_show_each_role_only_what_it_can_use(request, who, tabs):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)

    assert links(page(user, reverse("communication:talk_list"))).tabs == tabs


@pytest.mark.parametrize(
    ("who", "section", "reason"),
    [
        ("staff", "meeting_list", MEETINGS_HIDDEN),
        ("member", "talk_list", "谈心谈话记录只对谈话双方和党委办公室可见；您没有参加过登记在案的谈话。"),
        (
            "staff",
            "absence_list",
            "外出报备只对外出的班子成员、被告知、准假和代管工作的班子成员以及党委办公室可见。",
        ),
        ("secretary", "talk_list", "您还没有登记在案的谈心谈话。谈话由参加的班子成员或党委办公室登记"),
        ("office", "meeting_list", "还没有会议记录。"),
    ],
)
def test_an_empty_list_says_why_it_is_empty(request, who, section, reason):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)

    assert reason in text_of(page(user, reverse(f"communication:{section}")))


def test_a_filter_that_leaves_nothing_says_so_rather_than_giving_the_roles_reason(
    secretary, college_meetings
):
    text = text_of(page(secretary.user, reverse("communication:meeting_list") + "?kind=retreat"))

    assert "没有符合筛选条件的记录。" in text
    assert TEAM_HAS_NO_MEETINGS not in text


# --- no link answers 403 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff", "member", "secretary", "office"])
def test_no_link_on_a_roles_landing_pages_answers_403_or_404(request, who, college_meetings):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    client = Client()
    client.force_login(user)

    broken = []
    for landing in (reverse("home"), reverse("communication:index")):
        response = client.get(landing)
        assert response.status_code == 200
        for href in dict.fromkeys(site_links(response.content.decode())):
            status = client.get(href).status_code
            if status not in (200, 301, 302):
                broken.append(f"{landing} → {href}: {status}")
    assert broken == []


# --- the demo ------------------------------------------------------------------------------------------------------------


def test_the_demo_has_a_party_member_account_listed_in_the_banner_landing_on_the_party_member_home():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    banner = out.getvalue()

    assert re.search(r"dangyuan\s+党员（文学院教师）\s+邵一鸣\s+demo12345", banner)
    assert re.search(r"jiaozhigong\s+教职工（非党员）\s+叶青\s+demo12345", banner)

    user = get_user_model().objects.get(username="dangyuan")
    assert user.check_password("demo12345")
    assert list(user.groups.values_list("name", flat=True)) == [roles.PARTY_MEMBERS]
    client = Client()
    client.force_login(user)
    text = text_of(client.get(reverse("home")).content.decode())
    assert "欢迎，邵一鸣" in text
    assert "党员" in text
    index = text_of(client.get(reverse("communication:index")).content.decode())
    assert RECORDS_HIDDEN in index
