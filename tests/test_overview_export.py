"""The office takes the overview (制度落实总览) away from the screen: it sees when the figures were computed (数据截至),
downloads them as an Excel workbook that reads like the page, and prints them on A4 — for the same organization and
day it was looking at. Nobody else may."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from communication.models import MeetingKind
from communication.tests.factories import CollegeFactory, MeetingFactory, TalkFactory, make_team, office_user
from governance.models import PositionKind
from governance.services.overview_export import HEADER_ROW, spreadsheet_text
from governance.services.policies import policy_load
from governance.tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]
D = dt.date
BEIJING = ZoneInfo("Asia/Shanghai")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def college(college):
    """文学院 (pack 000) held its coordination meeting on 20 November but missed the cycle before; its secretary and
    dean had their formal talk in October (tests/conftest.py has the teams)."""
    organization, people = college
    MeetingFactory(
        kind=MeetingKind.COORDINATION,
        organization=organization,
        title="工作碰头会（11月20日）",
        date=D(2026, 11, 20),
        chair=people[0],
        attendees=people[1:],
    )
    TalkFactory(participants=[people[0], people[1]], date=D(2026, 10, 20), formal=True)
    return college


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


# Reading the page and the workbook ------------------------------------------------------------------------------


class _Table(HTMLParser):
    """The rows of the page's table.overview-table, each a list of its cells' texts (whitespace collapsed)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._depth = 0  # inside the overview table
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "table" and "overview-table" in classes.split():
            self._depth = 1
        elif self._depth and tag == "tr":
            self.rows.append([])
        elif self._depth and tag in ("th", "td"):
            self._cell = []
        elif self._cell is not None and tag == "div":
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if self._depth and tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._depth = 0

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_rows(html: str) -> list[list[str]]:
    parser = _Table()
    parser.feed(html)
    return parser.rows


def sheet_rows(content: bytes) -> list[list[str]]:
    """The table of the workbook's first sheet, from its header row on, as the page would show it: a merged team row
    is one cell, a heading's line break a space."""
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = []
    for row in ws.iter_rows(min_row=HEADER_ROW, values_only=True):
        cells = [" ".join(str(v).split()) if v is not None else None for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(cells)
    return rows


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def export(client, query: str = ""):
    response = client.get(reverse("overview_export") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return response


# The workbook reads like the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?org=wxy"], ids=["whole university", "one college"])
def test_the_export_opens_with_openpyxl_and_its_cells_equal_the_pages(client, office, college, query):
    client.force_login(office)
    on_screen = page_rows(get(client, reverse("overview") + query))

    in_excel = sheet_rows(export(client, query).content)

    assert len(on_screen) > 3
    assert in_excel == on_screen


def test_the_export_names_the_organization_the_day_and_when_its_figures_were_computed(
    client, office, college
):
    client.force_login(office)

    response = export(client, "?org=wxy")

    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "2026-11-25.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["制度落实总览", "说明"]
    sheet = book["制度落实总览"]
    assert sheet["A1"].value == "制度落实总览 · 文学院"
    assert sheet["A2"].value == "2026年11月25日各领导班子成员当前周期的完成情况（文学院）"
    assert sheet["A3"].value == "数据截至 2026年11月25日 10:00"
    legend = [book["说明"].cell(row=r, column=1).value for r in range(2, 8)]
    assert legend == ["已逾期", "即将到期", "进行中", "未开始", "已免于考核", "已完成"]


def test_the_export_follows_the_day_the_overview_was_looking_at(client, office, college):
    client.force_login(office)
    query = "?org=wxy&on=2026-11-10"
    on_screen = page_rows(get(client, reverse("overview") + query))

    response = export(client, query)

    assert sheet_rows(response.content) == on_screen
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A2"].value.startswith("2026年11月10日")


def test_the_overview_links_its_export_and_print_view_with_its_filters(client, office, college):
    client.force_login(office)

    page = get(client, reverse("overview") + "?org=wxy")

    assert 'href="/overview/export.xlsx?org=wxy&amp;on=2026-11-25"' in page
    assert 'href="/overview/print/?org=wxy&amp;on=2026-11-25"' in page


# Formula injection ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("王院长", "王院长"),
        ("a=b", "a=b"),
    ],
)
def test_a_text_a_spreadsheet_would_run_gets_an_apostrophe_before_it(typed, written):
    assert spreadsheet_text(typed) == written


def test_names_that_look_like_formulas_are_written_as_text_never_as_formulas(client, office, semester):
    evil = CollegeFactory(name="=cmd|' /C calc'!A0", code="evil")
    make_team(evil, [PositionKind.SECRETARY, PositionKind.PRESIDENT], names=["@SUM(1+1)*cmd", "+1-1"])
    policy_load(name="000", organization=evil)
    client.force_login(office)

    book = load_workbook(io.BytesIO(export(client).content))

    texts = {
        cell.value: cell.data_type
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    assert all(kind == "s" for kind in texts.values())  # no formula anywhere
    names = {v for v in texts if isinstance(v, str) and v.startswith("'")}
    assert any(v.startswith("'=cmd|' /C calc'!A0") for v in names)
    assert any(v.startswith("'@SUM(1+1)*cmd") for v in names)
    assert any(v.startswith("'+1-1") for v in names)


# 数据截至: when the figures were computed -----------------------------------------------------------------------


def _as_of(page: str) -> str:
    found = re.search(
        r'<p class="small mb-0 overview-as-of">数据截至 <time datetime="[^"]+">([^<]+)</time>', page
    )
    assert found, "the overview says when its figures were computed"
    return found[1]


def test_the_overview_says_when_its_figures_were_computed_not_when_it_was_opened(client, office, college):
    organization, people = college
    client.force_login(office)
    assert _as_of(get(client, reverse("overview"))) == "2026年11月25日 10:00"

    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 40, tzinfo=BEIJING), tick=False):
        # Nothing changed: the page comes from the cache, computed at 10:00.
        assert _as_of(get(client, reverse("overview"))) == "2026年11月25日 10:00"
        TalkFactory(participants=[people[2], people[3]], date=D(2026, 11, 24))
        # A new record: the figures are computed again, now.
        assert _as_of(get(client, reverse("overview"))) == "2026年11月25日 10:40"


# The print view ------------------------------------------------------------------------------------------------


def test_the_print_view_is_an_a4_page_with_the_organization_day_as_of_legend_and_the_same_table(
    client, office, college
):
    client.force_login(office)
    on_screen = page_rows(get(client, reverse("overview") + "?org=wxy"))

    page = get(client, reverse("overview_print") + "?org=wxy&on=2026-11-25")

    assert 'aria-label="主导航"' not in page  # no navigation bar
    assert "css/overview-print.css" in page
    assert "<dt>组织</dt><dd>文学院</dd>" in page
    assert "2026年11月25日，各领导班子成员当前周期的完成情况" in page
    assert (
        '<dt>数据截至</dt><dd><time datetime="2026-11-25T10:00:00+08:00">2026年11月25日 10:00</time>' in page
    )
    legend = re.search(r'<div class="print-legend">(.*?)</div>', page, re.S)[1]
    for label in ("已逾期", "即将到期", "进行中", "未开始", "已免于考核", "已完成"):
        assert f">{label}</span>" in legend
    assert "“—”：该项要求不适用。" in legend
    assert page_rows(page) == on_screen


def test_the_print_stylesheet_sets_an_a4_page_and_hides_the_toolbar(client, office):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/overview-print.css"), encoding="utf-8").read()  # noqa: SIM115, PTH123

    assert "size: A4 landscape" in css
    assert re.search(r"@media print \{\s*\.no-print \{\s*display: none !important;", css)


# Who may --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["overview_export", "overview_print"])
def test_leaders_and_staff_may_not_export_or_print_the_overview(client, college, name):
    _organization, people = college
    staff = UserFactory(username="staff-member")
    PersonFactory(user=staff, name="教职工甲")
    for user in (people[0].user, staff):
        client.force_login(user)
        response = client.get(reverse(name) + "?org=wxy")
        assert response.status_code == 403
        assert "文学院" not in response.content.decode()


@pytest.mark.parametrize("name", ["overview_export", "overview_print"])
def test_anonymous_visitors_are_sent_to_log_in_before_the_export_or_print_view(client, college, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Queries --------------------------------------------------------------------------------------------------------


def test_the_export_and_print_view_run_as_many_queries_for_two_colleges_as_for_one(
    client, office, college, django_assert_max_num_queries
):
    client.force_login(office)
    with django_assert_max_num_queries(30) as one:
        export(client)
        get(client, reverse("overview_print"))
    other = CollegeFactory(name="理学院", code="lxy")
    people = make_team(other, [PositionKind.SECRETARY, PositionKind.PRESIDENT, PositionKind.VICE_PRESIDENT])
    policy_load(name="000", organization=other)
    for i in range(6):
        TalkFactory(participants=[people[0], people[1 + i % 2]], date=D(2026, 11, 2 + i))

    with django_assert_max_num_queries(len(one)):
        export(client)
        get(client, reverse("overview_print"))
