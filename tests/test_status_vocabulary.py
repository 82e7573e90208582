"""One status vocabulary (issue 8): done (已完成), in progress (进行中), due soon (即将到期), overdue (已逾期), excused
(已免于考核) and not started (未开始) each have one label, badge, icon and colour, and the leader's dashboard, the
office overview, the 四必谈 matrix and the reminder emails all use them. An overview cell speaks of one period; an
excused period shows as excused, with its reason on hover and in the drill-down; a pair not yet due is not a red ✗."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communication import selectors as communication_selectors
from communication.tests.factories import (
    DemocraticLifeMeetingFactory,
    LeaderFactory,
    TalkFactory,
    office_user,
)
from governance.engine.status import LEGEND, NOT_STARTED, STYLES, Status
from governance.models import ObligationRule, PositionKind
from governance.services.obligations import obligation_excuse
from governance.services.reminders import digest_render, reminders_plan
from governance.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 25)  # a Wednesday in the 2026—2027 autumn semester (2026-08-31 — 2027-01-17)
PORTAL_CSS = Path(settings.BASE_DIR) / "static" / "css" / "portal.css"
WORDS = {
    "met": "已完成",
    "on_track": "进行中",
    "due_soon": "即将到期",
    "overdue": "已逾期",
    "excused": "已免于考核",
    "not_started": "未开始",
}


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))
    )


@pytest.fixture
def wednesday():
    with at(TODAY):
        yield


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def get(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _excuse(code: str, period_start: dt.date, team, a, b, reason: str) -> None:
    obligation_excuse(
        rule=ObligationRule.objects.get(code=code),
        period_start=period_start,
        team=team,
        person=a,
        counterpart=b,
        reason=reason,
        by=office_user(username=f"office-{code}-{period_start}"),
    )


# The vocabulary -----------------------------------------------------------------------------------------------


def test_each_state_has_its_own_words_badge_icon_and_colour():
    assert {key: str(style.label) for key, style in STYLES.items()} == WORDS
    for attribute in ("css", "icon", "background"):
        values = [getattr(style, attribute) for style in STYLES.values()]
        assert len(set(values)) == len(values), attribute
    # In progress with nothing done yet does not look like done.
    assert STYLES[Status.ON_TRACK].background != STYLES[Status.MET].background
    assert [style.key for style in LEGEND][:3] == ["overdue", "due_soon", "on_track"]


def test_the_stylesheet_gives_each_badge_the_colours_and_icon_of_the_vocabulary():
    css = PORTAL_CSS.read_text()

    for key, style in STYLES.items():
        rule = re.search(r"\n\.status-" + key + r" \{(.*?)\}", css, re.S)
        assert rule, key
        assert f"background-color: {style.background};" in rule[1]
        assert f"color: {style.foreground};" in rule[1]
        icon = re.search(r"\n\.status-" + key + r"::before \{(.*?)\}", css, re.S)
        assert icon, key
        assert f'content: "{style.icon}";' in icon[1], key


# The leader's dashboard ---------------------------------------------------------------------------------------


@pytest.fixture
def university_states(university, wednesday):
    """林书记's obligations on Wednesday 25 November, one of each state: last week's talk with 周校长 overdue, this
    week's on track, the coordination cycle due soon, the semester talk with 吴副校长 done, the one with 周校长
    excused, and the one with 郑委员 — who joins on 7 December — not started."""
    organization, (secretary, president, vice) = university
    team = secretary.positions.get().team
    newcomer = LeaderFactory(name="郑委员")
    PositionFactory(person=newcomer, team=team, kind=PositionKind.TEAM_MEMBER, start=D(2026, 12, 7), order=9)
    TalkFactory(participants=[secretary, vice], date=D(2026, 10, 13))
    _excuse(
        "001-main-leaders-member-talk",
        D(2026, 8, 31),
        team,
        secretary,
        president,
        "周校长本学期在中央党校学习",
    )
    return organization, secretary, president, newcomer


def _dashboard_rows(page: str) -> list[tuple[str, str, str, str]]:
    """(rule, data-status, badge class, badge words) of each line, the open ones and the folded ones."""
    return [
        (rule, status, badge_class, _text(words))
        for rule, status, badge_class, words in re.findall(
            r'<li class="list-group-item obligation[^"]*" data-rule="([^"]+)" data-status="([^"]+)">\s*'
            r'(?:<div[^>]*>\s*<div class="obligation-title">\s*)?'
            r'<span class="status-badge (status-\w+) me-1">(.*?)</span>',
            page,
            re.S,
        )
    ]


def test_the_dashboard_shows_each_state_in_its_own_words_and_badge(client, university_states):
    _organization, secretary, _president, _newcomer = university_states

    rows = _dashboard_rows(get(client, secretary.user, reverse("home")))

    assert {status for _rule, status, _css, _words in rows} == set(WORDS)
    for _rule, status, badge_class, words in rows:
        assert (badge_class, words) == (STYLES[status].css, WORDS[status])


def test_done_and_excused_lines_are_folded_under_the_open_ones(client, university_states):
    _organization, secretary, _president, _newcomer = university_states

    page = get(client, secretary.user, reverse("home"))

    open_part, folded = page.split('<details class="card mb-4 obligations-settled"', 1)
    assert {s for _r, s, _c, _w in _dashboard_rows(open_part)} == {
        "overdue",
        "due_soon",
        "on_track",
        "not_started",
    }
    assert {s for _r, s, _c, _w in _dashboard_rows(folded)} == {"met", "excused"}
    summary = _text(re.search(r"<summary[^>]*>(.*?)</summary>", folded, re.S)[1])
    assert summary.startswith("已完成 1 项 、 已免于考核 1 项") or summary.startswith(
        "已完成 1 项、已免于考核 1 项"
    )
    assert "免于考核：周校长本学期在中央党校学习" in _text(folded)
    # The legend explains every state.
    assert all(f"status-badge {style.css}" in open_part for style in LEGEND)


def test_a_pair_whose_colleague_has_not_joined_yet_is_not_started_and_offers_nothing_to_record(
    client, university_states
):
    _organization, secretary, _president, _newcomer = university_states

    page = get(client, secretary.user, reverse("home"))

    (line,) = re.findall(r'<li [^>]*data-status="not_started">(.*?)</li>', page, re.S)
    assert "与 郑委员" in _text(line)
    assert "12月7日起计" in _text(line)
    assert "去登记" not in line


# The office overview ------------------------------------------------------------------------------------------


def _cells(page: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(person line, rule title) → (state, words, title on hover) of each cell that applies."""
    found = {}
    for line in re.findall(r'<tr class="overview-line">(.*?)</tr>', page, re.S):
        who = _text(re.search(r'<th scope="row" [^>]*>(.*?)</th>', line)[1])
        for rule, title, state, words in re.findall(
            r'<td class="overview-cell" data-label="([^"]*)"><a class="status-badge status-\w+" href="[^"]+" '
            r'title="([^"]*)" data-status="(\w+)">(.*?)</a>',
            line,
        ):
            found[(who, html.unescape(rule))] = (state, _text(words), html.unescape(title))
    return found


def test_an_overview_cell_speaks_of_one_period_and_names_an_excused_one_on_hover(
    client, university, wednesday
):
    """The issue's case: last week's 001 三（一） talk was excused, this week's is under way. The cell is this week's
    ("进行中", not "进行中（已完成 0/2）" over two weeks); the excused week and its reason are on hover."""
    _organization, (secretary, president, _vice) = university
    team = secretary.positions.get().team
    _excuse("001-secretary-president-weekly", D(2026, 11, 16), team, secretary, president, "林书记出访")

    cells = _cells(get(client, office_user(), reverse("overview")))

    state, words, title = cells[("林书记（党委书记）", "党委书记与校长沟通")]
    assert (state, words) == ("on_track", "进行中")
    assert title == (
        "2026年第48周（11月23日—11月29日）\n另：2026年第47周（11月16日—11月22日） 已免于考核\n免于考核：林书记出访"
    )


def test_an_excused_period_shows_grey_with_its_reason_on_hover_and_in_the_drill_down(
    client, college, wednesday
):
    organization, (secretary, dean, *_rest) = college
    team = secretary.positions.get().team
    _excuse("000-secretary-dean-formal-talk", D(2026, 8, 31), team, secretary, dean, "王院长挂职一学期")
    office = office_user()

    page = get(client, office, reverse("overview") + "?org=wxy")

    for who in ("李书记（党委书记）", "王院长（校长/院长）"):
        state, words, title = _cells(page)[(who, "党委书记与院长正式谈心")]
        assert (state, words) == ("excused", "已免于考核")
        assert title.endswith("\n免于考核：王院长挂职一学期")
    assert STYLES[Status.EXCUSED].bootstrap == "secondary"  # grey
    url = html.unescape(re.search(r'href="([^"]+)" title="[^"]*" data-status="excused"', page)[1])
    drill_down = get(client, office, url)
    assert re.search(
        r'<span class="status-badge status-excused" title="免于考核：王院长挂职一学期">已免于考核</span>',
        drill_down,
    )
    assert "免于考核：王院长挂职一学期" in _text(drill_down)


def test_a_leader_who_has_not_joined_yet_is_not_started_in_the_overview(client, university_states):
    _organization, _secretary, _president, newcomer = university_states

    cells = _cells(get(client, office_user(), reverse("overview")))

    mine = {rule: state for (who, rule), (state, _w, _t) in cells.items() if who.startswith("郑委员")}
    assert mine
    assert set(mine.values()) == {NOT_STARTED}


# The 四必谈 matrix ----------------------------------------------------------------------------------------------


@pytest.fixture
def democratic_life(college):
    """文学院's democratic life meeting on 20 December 2026, its talks counted from 1 November (000 四（二））; 李书记
    and 王院长 talked on 5 November."""
    organization, people = college
    secretary, dean = people[0], people[1]
    meeting = DemocraticLifeMeetingFactory(organization=organization, chair=secretary)
    TalkFactory(participants=[secretary, dean], date=D(2026, 11, 5))
    return meeting, people


def _states_on(meeting, day: dt.date) -> dict[tuple[str, str], str]:
    with at(day):
        matrix = communication_selectors.sibitan_matrix(meeting)
        return {
            (row.name, cell.column.name): cell.status
            for row, cells in matrix.rows()
            for cell in cells
            if not cell.is_self
        }


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (D(2026, 10, 20), NOT_STARTED),  # before the preparation starts: nothing owed yet
        (D(2026, 11, 25), Status.ON_TRACK),  # 25 days before the meeting: in progress, not late
        (D(2026, 12, 10), Status.DUE_SOON),  # within the rule's 14 days
        (D(2026, 12, 21), Status.OVERDUE),  # the meeting has passed without the talk
    ],
)
def test_a_pair_that_has_not_talked_is_shown_by_how_far_the_meeting_is(democratic_life, day, state):
    meeting, _people = democratic_life

    states = _states_on(meeting, day)

    assert states[("赵副院长", "钱副院长")] == state
    assert states[("钱副院长", "赵副院长")] == state
    if day > D(2026, 11, 5):
        assert states[("李书记", "王院长")] == Status.MET


def test_a_pair_not_yet_due_is_not_a_red_cross_on_the_matrix_page(client, democratic_life, wednesday):
    meeting, (secretary, *_rest) = democratic_life

    page = get(client, secretary.user, reverse("communication:sibitan_matrix", args=[meeting.pk]))

    grid = page.split('class="table table-bordered text-center align-middle bg-white sibitan-matrix">', 1)[1]
    grid = grid.split("</table>", 1)[0]
    assert "✗" not in grid
    assert "status-overdue" not in grid
    assert "text-bg-danger" not in grid
    assert grid.count('<span class="status-badge status-on_track">进行中</span>') == 18  # 9 pairs, twice each
    assert grid.count('data-status="met"') == 2


def test_an_excused_pair_shows_as_excused_with_its_reason_in_the_matrix(client, democratic_life, wednesday):
    meeting, (secretary, dean, vice, *_rest) = democratic_life
    team = secretary.positions.get().team
    _excuse("000-sibitan", D(2026, 11, 1), team, vice, dean, "赵副院长援疆，已书面交流")

    page = get(client, secretary.user, reverse("communication:sibitan_matrix", args=[meeting.pk]))

    assert (
        page.count('title="免于考核：赵副院长援疆，已书面交流">已免于考核</span>') == 3
    )  # twice in the grid, once below
    with at(TODAY):
        matrix = communication_selectors.sibitan_matrix(meeting)
        (vice_line,) = [line for line in matrix.by_person() if line.person == vice]
    assert {(p.person.name, p.status, p.excuse_reason) for p in vice_line.pending} >= {
        ("王院长", Status.EXCUSED, "赵副院长援疆，已书面交流")
    }


def test_on_a_phone_the_matrix_lists_whom_each_member_still_has_to_talk_with(
    client, democratic_life, wednesday
):
    meeting, (secretary, *_rest) = democratic_life

    page = get(client, secretary.user, reverse("communication:sibitan_matrix", args=[meeting.pk]))

    phone = page.split('<div class="d-md-none mb-4 sibitan-by-person">', 1)[1].split("尚未谈话", 1)[0]
    cards = [_text(card) for card in phone.split('<div class="card mb-2 sibitan-person">')[1:]]
    assert cards[0] == "李书记 已谈 1 / 4 还需与： 赵副院长 进行中 钱副院长 进行中 孙副书记 进行中"


def test_the_matrix_page_runs_as_many_queries_with_excuses_and_a_bigger_team(
    client, democratic_life, wednesday, django_assert_max_num_queries
):
    meeting, (secretary, dean, vice, *_rest) = democratic_life
    url = reverse("communication:sibitan_matrix", args=[meeting.pk])
    client.force_login(secretary.user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    team = secretary.positions.get().team
    for i in range(6):
        PositionFactory(person=LeaderFactory(), team=team, kind=PositionKind.COMMITTEE_MEMBER, order=10 + i)
    _excuse("000-sibitan", D(2026, 11, 1), team, vice, dean, "援疆")
    _excuse("000-sibitan", D(2026, 11, 1), team, secretary, vice, "援疆")
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


# The reminder emails ------------------------------------------------------------------------------------------


def test_the_reminder_email_shows_the_states_in_the_sites_words_icons_and_colours(college, wednesday):
    _organization, (secretary, *_rest) = college
    plan = reminders_plan(today=TODAY)
    (entry,) = [e for e in plan.recipients + plan.without_email if e.person == secretary]
    assert entry.overdue
    assert entry.due_soon

    digest = digest_render(entry, today=TODAY)

    overdue, due_soon = STYLES[Status.OVERDUE], STYLES[Status.DUE_SOON]
    body = digest["body_html"]
    assert (
        f'background:{overdue.background};color:{overdue.foreground};">✗ 已逾期（{len(entry.overdue)}）'
        in body
    )
    assert (
        f'background:{due_soon.background};color:{due_soon.foreground};">! 即将到期（{len(entry.due_soon)}）'
        in body
    )
    assert body.count("✗ 已逾期</span>") == len(entry.overdue)  # each item's badge
    assert body.count("! 即将到期</span>") == len(entry.due_soon)
    assert "【已逾期】" in digest["body_text"]
    assert "【即将到期】" in digest["body_text"]


# English ------------------------------------------------------------------------------------------------------


def test_in_english_the_semester_label_the_units_and_the_states_read_in_english(client, college, wednesday):
    _organization, (secretary, *_rest) = college
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = _text(get(client, secretary.user, reverse("home")))

    assert "This semester: First semester (autumn), 2026–2027 academic year" in page
    assert "学年" not in page
    assert "Done 0/1 times" in page
    assert "次" not in page
    assert "Overdue" in page
    assert "Due soon" in page
    assert "Legend:" in page
