"""A leader's home page as a dashboard: their obligations under policy packs 000 and 001, grouped by period, each
with its status, the clause it comes from and a link to record what satisfies it; and the communication side panel
(upcoming meetings, agenda items awaiting their opinion, 四必谈 before the democratic life meeting)."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communication import services
from communication.models import MeetingKind
from communication.tests.factories import (
    AbsenceFactory,
    CollegeFactory,
    DemocraticLifeMeetingFactory,
    HandoverFactory,
    MeetingFactory,
    TalkFactory,
    make_team,
    office_user,
)
from governance.models import PositionKind
from governance.services.policies import policy_load
from governance.tests.factories import UniversityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]
D = dt.date
TODAY = D(2026, 11, 25)  # a Wednesday in the 2026—2027 autumn semester (2026-08-31 — 2027-01-17)
CITATION_001 = "《广西师范大学校领导班子成员沟通交流制度》"
CITATION_000 = "《关于建立学院党政领导经常性沟通机制的暂行办法》"
EMPTY_STATE = "目前没有适用于您的制度要求。党委办公室载入本单位的制度规则包后，这里会列出每一项要求。"


# What the page shows ------------------------------------------------------------------------------------------


@dataclass
class Item:
    rule: str
    status: str
    text: str
    links: dict[str, str] = field(default_factory=dict)  # link text → href

    @property
    def badge(self) -> str:
        return self.text.split(" ", 1)[0]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _links(fragment: str) -> dict[str, str]:
    return {
        _text(label): html.unescape(href)
        for href, label in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', fragment, re.S)
    }


def obligations_section(page: str) -> str:
    return re.search(
        r'<section class="mb-4" aria-labelledby="obligations-heading">(.*?)</section>', page, re.S
    )[1]


def _items(body: str) -> list[Item]:
    return [
        Item(rule, status, _text(body), _links(body))
        for rule, status, body in re.findall(
            r'<li class="list-group-item obligation[^"]*" data-rule="([^"]+)" data-status="([^"]+)">(.*?)</li>',
            body,
            re.S,
        )
    ]


def groups(page: str) -> list[tuple[str, list[Item]]]:
    """The dashboard's cards of open items: (heading, items in the order shown)."""
    return [
        (_text(heading), _items(body))
        for heading, body in re.findall(
            r'<div class="card-header fw-semibold">(.*?)</div>\s*<ul class="list-group list-group-flush">(.*?)</ul>',
            obligations_section(page),
            re.S,
        )
    ]


def settled_section(page: str) -> str:
    """The folded list of what is done or excused ("" when there is none)."""
    found = re.search(r'<details class="card mb-4 obligations-settled"[^>]*>(.*?)</details>', page, re.S)
    return found[1] if found else ""


def settled(page: str) -> tuple[str, list[Item]]:
    """The folded list's summary ("已完成 N 项 …") and its items."""
    section = settled_section(page)
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", section, re.S)
    return (_text(summary[1]) if summary else "", _items(section))


def items(page: str) -> list[Item]:
    """Every item on the dashboard: the open ones, then the settled ones."""
    return [item for _heading, group in groups(page) for item in group] + settled(page)[1]


def side_panel(page: str) -> str:
    return _text(
        page.split('<div class="leader-grid-panels">', 1)[1].split('<div class="leader-grid-settled">', 1)[0]
    )


def home(client, person) -> str:
    client.force_login(person.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def ticked(page: str, name: str) -> list[str]:
    """The values of the ticked checkboxes (or radio buttons) called `name` on a form page."""
    return [
        re.search(r'value="([^"]*)"', tag)[1] if "value=" in tag else "on"
        for tag in re.findall(r"<input [^>]*>", page)
        if f'name="{name}"' in tag and re.search(r"\schecked\b", tag)
    ]


# The obligations ----------------------------------------------------------------------------------------------


def test_a_leaders_open_obligations_are_grouped_by_period_most_urgent_first_and_the_done_ones_folded(
    client, university
):
    _university, (secretary, president, vice) = university
    MeetingFactory(
        kind=MeetingKind.COORDINATION, organization=_university, date=D(2026, 11, 9), chair=secretary
    )
    TalkFactory(participants=[secretary, vice], date=D(2026, 10, 13))

    page = home(client, secretary)

    assert [(heading, [(i.rule, i.status) for i in group]) for heading, group in groups(page)] == [
        (
            "本周",
            [("001-secretary-president-weekly", "overdue"), ("001-secretary-president-weekly", "on_track")],
        ),
        ("本双周", [("001-coordination-meeting", "due_soon")]),
        ("本学期", [("001-main-leaders-member-talk", "on_track")]),
    ]
    # What is done is folded under the open items.
    summary, (with_vice,) = settled(page)
    assert summary == "已完成 1 项 （点击展开）"
    assert (with_vice.rule, with_vice.status) == ("001-main-leaders-member-talk", "met")
    (last_week, this_week), (coordination,), (with_president,) = (g for _h, g in groups(page))
    assert last_week.badge == "已逾期"
    assert "党委书记与校长沟通 · 与 周校长" in last_week.text
    assert "2026年第47周（11月16日—11月22日） · 完成 0/1次" in last_week.text
    assert f"依据 {CITATION_001}三（一）" in last_week.text
    assert this_week.badge == "进行中"
    assert "2026年第48周（11月23日—11月29日） · 完成 0/1次 · 11月29日前完成" in this_week.text
    assert coordination.badge == "即将到期"
    assert "领导班子碰头会" in coordination.text
    # Meetings are the office's to record (000 五（二）): the line says so, naming what it records.
    assert "会议由党委办公室登记" in coordination.text
    assert "去登记" not in coordination.links
    assert f"依据 {CITATION_001}一（二）" in coordination.text
    assert with_president.badge == "进行中"
    assert "与 周校长" in with_president.text
    assert "1月17日前完成" in with_president.text
    assert with_vice.badge == "已完成"
    assert "与 吴副校长" in with_vice.text
    assert "完成 1/1次" in with_vice.text
    assert f"依据 {CITATION_001}三（六）" in with_vice.text
    assert "已计入： 谈心谈话：吴副校长、林书记（10月13日）" in with_vice.text
    assert "去登记" not in with_vice.links
    header = _text(obligations_section(page).split('<div class="card mb-3">', 1)[0])
    assert "1 项已逾期" in header
    assert "1 项即将到期" in header


def test_a_met_obligation_links_the_records_that_counted(client, university):
    _university, (secretary, _president, vice) = university
    talk = TalkFactory(participants=[secretary, vice], date=D(2026, 10, 13))

    (with_vice,) = [i for i in items(home(client, secretary)) if "与 吴副校长" in i.text]

    assert with_vice.links == {"谈心谈话：吴副校长、林书记（10月13日）": f"/communication/talks/{talk.pk}/"}


def test_a_line_lists_the_three_latest_records_that_counted_and_says_how_many_more(client, university):
    _university, (secretary, _president, vice) = university
    talks = [TalkFactory(participants=[secretary, vice], date=D(2026, 9, day)) for day in (7, 14, 21, 28, 30)]

    (with_vice,) = [i for i in items(home(client, secretary)) if "与 吴副校长" in i.text]

    assert list(with_vice.links) == [
        "谈心谈话：吴副校长、林书记（9月21日）",
        "谈心谈话：吴副校长、林书记（9月28日）",
        "谈心谈话：吴副校长、林书记（9月30日）",
    ]
    assert with_vice.links["谈心谈话：吴副校长、林书记（9月30日）"] == f"/communication/talks/{talks[-1].pk}/"
    assert with_vice.text.endswith("等，另有 2 条")
    assert "完成 5/1次" in with_vice.text


def test_a_pair_rules_record_link_prefills_the_other_person_for_each_of_the_two(client, university):
    _university, (secretary, president, _vice) = university

    for me, other in ((secretary, president), (president, secretary)):
        (this_week,) = [
            i
            for i in items(home(client, me))
            if i.rule == "001-secretary-president-weekly" and i.status == "on_track"
        ]
        link = this_week.links["去登记"]
        assert link == (
            f"/communication/talks/new/?with={other.pk}&for={me.pk}&rule=001-secretary-president-weekly"
            "&period_start=2026-11-23&period_end=2026-11-29"
        )
        form = client.get(link)
        assert form.status_code == 200
        assert ticked(form.content.decode(), "participants") == [str(other.pk)]


def test_the_formal_talk_link_ticks_the_formal_box_the_rule_asks_for(client, college):
    _college, (secretary, dean, *_rest) = college

    (formal_talk,) = [i for i in items(home(client, secretary)) if i.rule == "000-secretary-dean-formal-talk"]
    page = client.get(formal_talk.links["去登记"]).content.decode()

    assert "党委书记与院长正式谈心 · 与 王院长" in formal_talk.text
    assert f"依据 {CITATION_000}四（五）" in formal_talk.text
    assert ticked(page, "participants") == [str(dean.pk)]
    assert ticked(page, "formal") == ["on"]


def test_every_record_link_on_a_leaders_dashboard_opens_a_page_the_leader_may_use(client, university):
    _university, (secretary, _president, _vice) = university

    links = {i.rule: i.links["去登记"] for i in items(home(client, secretary)) if "去登记" in i.links}

    assert "001-secretary-president-weekly" in links
    assert {rule: client.get(link).status_code for rule, link in links.items()} == dict.fromkeys(links, 200)


def test_a_meeting_whose_agreed_day_has_passed_is_not_shown_as_to_be_done_before_that_day(client, university):
    _university, (secretary, *_rest) = university

    (this_cycle,) = [
        i
        for i in items(home(client, secretary))
        if i.rule == "001-coordination-meeting" and i.status == "due_soon"
    ]

    assert "（11月16日—11月29日）" in this_cycle.text
    assert "11月23日前完成" not in this_cycle.text  # Monday 23 November was two days ago


def test_a_leader_sees_only_their_own_teams_obligations(client, college, university):
    _college, (college_secretary, *_college_rest) = college
    _university, (university_secretary, *_university_rest) = university

    college_page = home(client, college_secretary)
    university_page = home(client, university_secretary)

    assert {i.rule[:3] for i in items(college_page)} == {"000"}
    assert {i.rule[:3] for i in items(university_page)} == {"001"}
    assert "周校长" not in _text(obligations_section(college_page))
    assert "王院长" not in _text(obligations_section(university_page))


def test_a_leader_whose_organization_has_no_rules_sees_why_the_list_is_empty(client, semester):
    college = CollegeFactory(name="体育学院", code="tyxy")
    (secretary,) = make_team(college, [PositionKind.SECRETARY], names=["郑书记"])

    page = home(client, secretary)

    assert EMPTY_STATE in _text(obligations_section(page))
    assert items(page) == []
    assert "暂无逾期或即将到期事项" not in page


# The side panel -----------------------------------------------------------------------------------------------


def test_the_side_panel_lists_upcoming_meetings_opinions_awaited_and_the_sibitan_summary(client, college):
    college, (secretary, dean, vice1, vice2, deputy) = college
    office = office_user(username="office-staff")
    MeetingFactory(
        kind=MeetingKind.JOINT,
        organization=college,
        title="党政联席会",
        date=D(2026, 11, 27),
        start_time=dt.time(15, 0),
        place="文学院会议室",
        chair=secretary,
        attendees=[dean, vice1, vice2, deputy],
    )
    MeetingFactory(
        kind=MeetingKind.JOINT, organization=college, title="上月的党政联席会", date=D(2026, 10, 30)
    )
    item = services.agenda_item_create(
        created_by=office,
        organization=college,
        title="学院实验室开放管理办法（修订）",
        meeting_kind=MeetingKind.ADMINISTRATIVE,
        proposer=dean,
    )
    (opinion,) = services.agenda_item_open_consultation(item=item, by=office)
    democratic_life = DemocraticLifeMeetingFactory(organization=college, chair=secretary)
    TalkFactory(participants=[secretary, dean], date=D(2026, 11, 10))

    page = home(client, secretary)
    panel = side_panel(page)
    links = _links(page.split('<div class="leader-grid-panels">', 1)[1])

    assert "党政联席会 11月27日 15:00 · 文学院会议室" in panel
    assert "上月的党政联席会" not in panel
    assert "待我发表意见的议题 1 学院实验室开放管理办法（修订）" in panel
    assert "文学院 · 校长办公会/院务会 · 000 四（一）：院务会重要议题应在会前听取党委书记的意见" in panel
    assert links["学院实验室开放管理办法（修订）"] == f"/communication/opinions/{opinion.pk}/"
    assert "民主生活会前“四必谈” 2026年度领导班子民主生活会（12月20日） 我已谈 1 / 应谈 4" in panel
    assert (
        "尚未谈话： 赵副院长 、 钱副院长 、 孙副书记" in panel
        or "尚未谈话：赵副院长、钱副院长、孙副书记" in panel
    )
    assert links["钱副院长"] == f"/communication/talks/new/?with={vice2.pk}"
    assert links["查看全班子谈话情况"] == f"/communication/meetings/{democratic_life.pk}/sibitan/"
    (sibitan,) = [i for heading, group in groups(page) if heading == "民主生活会前" for i in group][:1]
    assert sibitan.rule == "000-sibitan"


def test_the_side_panel_says_when_nothing_is_waiting(client, college):
    _college, (secretary, *_rest) = college

    panel = side_panel(home(client, secretary))

    assert "没有等待您意见的议题。" in panel
    assert "30天内没有您参加的会议。" in panel
    assert "四必谈" not in panel


def test_the_side_panel_names_the_duties_a_leader_covers_for_an_absent_colleague(client, college):
    _college, (secretary, dean, *_rest) = college
    absence = AbsenceFactory(person=dean, start=D(2026, 11, 30), end=D(2026, 12, 4), destination="北京")
    HandoverFactory(absence=absence, covering=secretary, duties="代管学院行政日常工作")

    panel = side_panel(home(client, secretary))

    assert "我代管的工作 王院长 出差（11月30日—12月4日） 代管学院行政日常工作" in panel


# Queries ------------------------------------------------------------------------------------------------------


def _team(organization, size: int, pack: str) -> list:
    """A secretary, a president, a vice-president, then plain members up to `size`, under `pack`."""
    kinds = [PositionKind.SECRETARY, PositionKind.PRESIDENT, PositionKind.VICE_PRESIDENT]
    people = make_team(organization, kinds + [PositionKind.TEAM_MEMBER] * (size - len(kinds)))
    policy_load(name=pack, organization=organization if pack == "000" else None)
    return people


def _records(organization, people, *, count: int) -> None:
    """`count` meetings and `count` talks of the team over the semester so far and the month to come."""
    kinds = [
        MeetingKind.COORDINATION,
        MeetingKind.JOINT,
        MeetingKind.PARTY_COMMITTEE,
        MeetingKind.ADMINISTRATIVE,
    ]
    secretary = people[0]
    for i in range(count):
        day = D(2026, 9, 1) + dt.timedelta(days=i * 110 // count)
        MeetingFactory(
            kind=kinds[i % len(kinds)],
            organization=organization,
            date=day,
            chair=secretary,
            attendees=people[1 : 2 + i % len(people)],
        )
        a = people[i % len(people)]
        b = people[(i + 1 + i // len(people)) % len(people)]
        TalkFactory(participants=[a, b if b != a else secretary], date=min(day, TODAY), formal=i % 3 == 0)


def _panel(organization, people, office, *, opinions: int, absences: int, democratic_life: int) -> None:
    """Agenda items awaiting the secretary's opinion, colleagues' absences the secretary covers, and democratic
    life meetings being prepared for."""
    secretary, president = people[0], people[1]
    for i in range(opinions):
        item = services.agenda_item_create(
            created_by=office,
            organization=organization,
            title=f"院务会议题{i}",
            meeting_kind=MeetingKind.ADMINISTRATIVE,  # 000 四（一）; 001 三（三）: the secretary is heard
            proposer=president,
        )
        services.agenda_item_open_consultation(item=item, by=office)
    for i in range(absences):
        absence = AbsenceFactory(person=people[1 + i % (len(people) - 1)])
        HandoverFactory(absence=absence, covering=secretary)
    for i in range(democratic_life):
        DemocraticLifeMeetingFactory(
            organization=organization, chair=secretary, date=D(2026, 12, 20) + dt.timedelta(days=i)
        )


@pytest.fixture
def small_team(semester, request):
    """Pack 000 for a college or 001 for the university; a team of three with one meeting and one talk."""
    university = UniversityFactory()
    college = CollegeFactory(name="文学院", code="wxy", parent=university)
    organization = college if request.param == "000" else university
    people = _team(organization, 3, request.param)
    _records(organization, people, count=1)
    return organization, people, office_user(username="office-staff")


@pytest.mark.parametrize("small_team", ["000", "001"], indirect=True)
def test_the_dashboard_runs_as_many_queries_for_twelve_people_and_200_records_as_for_three_and_one(
    client, small_team, django_assert_max_num_queries
):
    organization, people, office = small_team
    # The side panel's lists full (8 shown of more, both democratic life meetings it looks at) in both cases.
    _panel(organization, people, office, opinions=9, absences=8, democratic_life=2)
    client.force_login(people[0].user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("home")).status_code == 200

    people += make_team(organization, [PositionKind.TEAM_MEMBER] * 9)
    _records(organization, people, count=199)
    _panel(organization, people, office, opinions=11, absences=12, democratic_life=1)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("home"))

    page = response.content.decode()
    assert len(items(page)) >= 11  # a pair with each of 11 colleagues, and the team's meetings
    assert "待我发表意见的议题 20" in side_panel(page)


@pytest.mark.parametrize("small_team", ["000"], indirect=True)
def test_the_side_panel_runs_as_many_queries_for_twenty_opinions_and_two_democratic_life_meetings_as_for_one(
    client, small_team, django_assert_max_num_queries
):
    organization, people, office = small_team
    _panel(organization, people, office, opinions=1, absences=1, democratic_life=1)
    client.force_login(people[0].user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("home")).status_code == 200

    _panel(organization, people, office, opinions=19, absences=9, democratic_life=1)
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("home"))
