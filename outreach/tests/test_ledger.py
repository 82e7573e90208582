"""工作台账 (004 第六条2) per leader per academic year — printable, exported to Excel matching the page — and the
assessment group's summary across leaders (第六条1) with its server-drawn chart: what each shows, who sees which,
and constant query counts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.services.policies import policy_load
from outreach import services
from outreach.ledger import ledger, year_span
from outreach.models import ActivityKind
from outreach.tests.factories import record, university_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(semester, leader):
    university = leader.positions.get().team.organization
    policy_load(name="004-outreach", organization=university)
    policy_load(name="003-outreach", organization=university)
    return university


@pytest.fixture
def year_of_work(adopted, office, leader, unit):
    record(
        office,
        leader,
        date=dt.date(2026, 9, 20),
        kind=ActivityKind.FORUM,
        units=[unit],
        title="与青年教师座谈",
    )
    record(office, leader, date=dt.date(2026, 10, 12), kind=ActivityKind.FORUM, units=[unit])
    record(
        office,
        leader,
        date=dt.date(2026, 10, 15),
        kind=ActivityKind.CLASS_OBSERVATION,
        units=[unit],
        course="中国近现代史纲要",
        teacher="李老师",
        class_hours=Decimal("3"),
    )
    record(
        office,
        leader,
        date=dt.date(2026, 11, 5),
        kind=ActivityKind.CLASS_OBSERVATION,
        units=[unit],
        course="高等数学",
        class_hours=Decimal("2"),
    )
    record(
        office, leader, date=dt.date(2026, 6, 30), kind=ActivityKind.FORUM, units=[unit]
    )  # the year before
    services.issue_record(by=office, title="食堂排队", text="中午排队太久。", raiser="学生代表", owner=leader)


def _ledger(client, person, **params):
    return client.get(reverse("outreach:ledger", args=[person.pk]), params)


def test_a_leader_sees_their_years_activities_issues_totals_and_rules(client, leader, year_of_work):
    client.force_login(leader.user)
    response = _ledger(client, leader)
    page = response.content.decode()
    book = response.context["book"]
    assert book.span.key == 2026
    assert [a.date for a in book.activities] == [
        dt.date(2026, 9, 20),
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 15),
        dt.date(2026, 11, 5),
    ]
    assert "与青年教师座谈" in page
    assert "食堂排队" in page
    assert (book.tally.count_of(ActivityKind.FORUM), book.tally.total, book.hours_text) == (2, 4, "5")
    rules = {r.code: r for r in book.tally.rules}
    assert (rules["004-forums"].done, rules["004-forums"].met) == (2, True)
    assert (rules["004-class-observation"].done, rules["004-class-observation"].met) == (5, True)
    assert rules["004-organizational-life"].met is False
    assert "004 第五条4" in page
    assert "未达标" in page
    assert "004-first-lesson" not in rules  # 书记、校长 only (第五条4); the leader is a 副校长


def test_the_excel_export_opens_with_openpyxl_and_matches_the_page(client, leader, year_of_work):
    client.force_login(leader.user)
    book = _ledger(client, leader).context["book"]
    response = client.get(reverse("outreach:ledger_export", args=[leader.pk]), {"year": 2026})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["工作台账"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    activity_dates = [r[1] for r in rows[4 : 4 + len(book.activities)]]
    assert activity_dates == [a.date.isoformat() for a in book.activities]
    labelled = {r[0]: r[1] for r in rows if r[0] and r[1] is not None}
    assert labelled["座谈"] == book.tally.count_of(ActivityKind.FORUM)
    assert labelled["听课"] == book.tally.count_of(ActivityKind.CLASS_OBSERVATION)
    assert labelled["合计"] == book.tally.total
    assert Decimal(str(labelled["听课学时"])) == book.tally.hours
    first = next(i for i, r in enumerate(rows) if r[0] == "依据") + 1
    rule_rows = rows[first : first + len(book.tally.rules)]
    assert len(rule_rows) == len(book.tally.rules) > 0
    for rule, row in zip(book.tally.rules, rule_rows, strict=True):
        assert (row[0], row[1]) == (rule.clause, rule.title)
        assert (Decimal(str(row[3])), Decimal(str(row[4]))) == (rule.done, rule.required)
        assert row[5] == ("达标" if rule.met else "未达标")
    issues = [[c.value for c in r] for r in workbook["师生诉求"].iter_rows(min_row=2)]
    assert [r[2] for r in issues] == ["食堂排队"]


def test_a_title_that_looks_like_a_formula_is_exported_as_text(client, office, leader, adopted, unit):
    record(office, leader, date=dt.date(2026, 10, 1), kind=ActivityKind.FORUM, units=[unit], title="=1+1")
    client.force_login(office)
    response = client.get(reverse("outreach:ledger_export", args=[leader.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["工作台账"]
    assert sheet.cell(row=5, column=4).value == "'=1+1"


def test_another_year_is_chosen_by_the_url_and_a_wrong_one_falls_back_to_this_year(
    client, leader, year_of_work
):
    client.force_login(leader.user)
    last = _ledger(client, leader, year=2025).context["book"]
    assert [a.date for a in last.activities] == [dt.date(2026, 6, 30)]
    assert _ledger(client, leader, year="abc").context["span"].key == 2026
    assert _ledger(client, leader, year=1990).context["span"].key == 2026


def test_a_leader_sees_only_their_own_ledger_by_page_and_by_export(
    client, leader, other_leader, year_of_work
):
    client.force_login(other_leader.user)
    assert _ledger(client, leader).status_code == 404
    assert client.get(reverse("outreach:ledger_export", args=[leader.pk])).status_code == 404
    assert client.get(reverse("outreach:assessment")).status_code == 403
    home = client.get(reverse("outreach:ledger_home"))
    assert home["Location"] == reverse("outreach:ledger", args=[other_leader.pk])


def test_a_member_of_staff_sees_no_ledger_at_all(client, staff, leader, year_of_work):
    client.force_login(staff)
    assert _ledger(client, leader).status_code == 403
    assert client.get(reverse("outreach:ledger_export", args=[leader.pk])).status_code == 403
    assert client.get(reverse("outreach:ledger_home")).status_code == 403
    assert client.get(reverse("outreach:assessment")).status_code == 403


def test_a_visitor_without_login_is_sent_to_log_in(client, leader):
    response = _ledger(client, leader)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_office_sees_every_ledger_and_the_summary_with_its_chart(
    client, office, leader, other_leader, year_of_work
):
    client.force_login(office)
    assert client.get(reverse("outreach:ledger_home"))["Location"] == reverse("outreach:assessment")
    assert _ledger(client, leader).status_code == 200
    response = client.get(reverse("outreach:assessment"))
    page = response.content.decode()
    rows = {row.person: row for row in response.context["summary"].rows}
    assert set(rows) == {leader, other_leader}
    assert rows[leader].tally.total == 4
    assert rows[leader].tally.hours == 5
    assert rows[other_leader].tally.total == 0
    ledger_book = ledger(leader, year_span(2026))
    assert [(r.code, r.done, r.met) for r in rows[leader].tally.rules] == [
        (r.code, r.done, r.met) for r in ledger_book.tally.rules
    ]
    assert "未达标：" in page
    assert "004 第五条1" in page  # 黄晓峰 has not taken part in organizational life (004 第五条1)
    assert '<svg class="assessment-chart' in page
    assert 'class="seg met"' in page
    assert 'class="seg unmet"' in page
    assert "004 第六条1" in page
    assert reverse("outreach:ledger", args=[leader.pk]) in page


def test_the_ledger_asks_as_many_queries_whatever_the_number_of_activities(
    client, office, leader, unit, adopted, django_assert_max_num_queries
):
    record(office, leader, date=dt.date(2026, 9, 20), kind=ActivityKind.FORUM, units=[unit])
    client.force_login(leader.user)
    with django_assert_max_num_queries(40) as few:
        _ledger(client, leader)
    for day in range(1, 11):
        record(office, leader, date=dt.date(2026, 10, day), kind=ActivityKind.RESEARCH, units=[unit])
        services.issue_record(by=office, title=f"诉求{day}", text="内容", raiser="教工", owner=leader)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _ledger(client, leader)


def test_the_summary_asks_as_many_queries_whatever_the_number_of_leaders(
    client, office, leader, unit, adopted, django_assert_max_num_queries
):
    record(office, leader, date=dt.date(2026, 9, 20), kind=ActivityKind.FORUM, units=[unit])
    client.force_login(office)
    url = reverse("outreach:assessment")
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(6):
        person = university_leader(f"校领导{n}")
        record(office, person, date=dt.date(2026, 10, 1), kind=ActivityKind.FORUM, units=[unit])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_summary_shows_an_activity_recorded_after_it_was_last_read(client, office, leader, unit, adopted):
    client.force_login(office)
    url = reverse("outreach:assessment")
    client.get(url)
    record(office, leader, date=dt.date(2026, 11, 19), kind=ActivityKind.RETIREE_BRIEFING, units=[unit])
    rows = {row.person: row for row in client.get(url).context["summary"].rows}
    assert rows[leader].tally.count_of(ActivityKind.RETIREE_BRIEFING) == 1


def test_the_ledger_shows_an_issue_answered_after_it_was_last_read(client, office, leader, adopted):
    issue = services.issue_record(
        by=office, title="宿舍热水", text="热水时间短。", raiser="学生", owner=leader
    )
    client.force_login(leader.user)
    assert "尚未反馈" in _ledger(client, leader).content.decode()
    services.issue_answer(issue, by=office, answer="已延长。")
    services.issue_feedback(issue, by=office, channel="face")
    assert "尚未反馈" not in _ledger(client, leader).content.decode()


def test_a_leaders_home_links_to_their_ledger(client, office, leader, unit, adopted):
    record(office, leader, date=dt.date(2026, 11, 18), kind=ActivityKind.FORUM, units=[unit])
    client.force_login(leader.user)
    page = client.get("/").content.decode()
    assert f'href="{reverse("outreach:ledger_home")}">我的工作台账</a>' in page
