"""The list pages' filters (communication/filters.py): each narrows what the user may already see and never widens
it, keeps the query-string names links use, survives any query string (a bad value is ignored and said so beside
the form, never a server error), keeps the filter across pages, and costs a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from communication import selectors, views
from communication.filters import AbsenceFilter, TalkFilter
from communication.models import AbsenceKind, AgendaItemStatus, MeetingKind
from communication.tests.factories import (
    COLLEGE_KINDS,
    AbsenceFactory,
    AgendaItemFactory,
    CollegeFactory,
    LeaderFactory,
    MeetingFactory,
    TalkFactory,
    make_team,
)

pytestmark = pytest.mark.django_db

BIGGER_THAN_ANY_ID = str(2**63)  # one past the largest 64-bit primary key
BAD_IDS = ["abc", "1.5", "-1", "0", BIGGER_THAN_ANY_ID, "9" * 40]
IGNORED = "有筛选条件无效，已忽略，其余条件照常筛选。"


@pytest.fixture
def college():
    org = CollegeFactory(name="武术与表演学院")
    return org, make_team(org, COLLEGE_KINDS, names=["王书记", "张院长", "李副院长", "赵副院长", "钱副书记"])


def page(client, name: str, query: str = "") -> str:
    response = client.get(f"{reverse(f'communication:{name}')}{'?' + query if query else ''}")
    assert response.status_code == 200
    return response.content.decode()


def error_beside(body: str, field: str) -> str:
    """The error text shown under a filter field (crispy's invalid-feedback for that field), or ''."""
    match = re.search(rf'id="error_\d+_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', body, re.S)
    return match.group(1).strip() if match else ""


# --- Talks ------------------------------------------------------------------------------------------------------


@pytest.fixture
def talks(college):
    _org, (secretary, dean, vice1, vice2, _deputy) = college
    return {
        "formal": TalkFactory(
            participants=[secretary, dean], formal=True, date=dt.date(2026, 11, 2), topics=[]
        ),
        "informal": TalkFactory(participants=[secretary, vice1], formal=False, date=dt.date(2026, 11, 16)),
        "others": TalkFactory(participants=[dean, vice2], formal=True, date=dt.date(2026, 11, 9)),
    }


def shown(body: str, *names: str) -> set[str]:
    """Which of `names` the text shows."""
    return {name for name in names if name in body}


def listed_talk_ids(body: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/communication/talks/(\d+)/"', body)}


def test_formal_1_lists_only_formal_talks_and_formal_0_only_informal_ones(client, office, talks):
    client.force_login(office)
    assert listed_talk_ids(page(client, "talk_list", "formal=1")) == {talks["formal"].pk, talks["others"].pk}
    body = page(client, "talk_list", "formal=0")
    assert listed_talk_ids(body) == {talks["informal"].pk}
    assert '<option value="0" selected>不定期沟通</option>' in body


def test_a_leader_filtering_talks_still_sees_only_talks_they_took_part_in(client, college, talks):
    _org, (secretary, *_rest) = college
    client.force_login(secretary.user)
    assert listed_talk_ids(page(client, "talk_list", "formal=1")) == {talks["formal"].pk}
    assert listed_talk_ids(page(client, "talk_list", "formal=1&date_from=2026-11-01")) == {talks["formal"].pk}


def test_the_date_range_keeps_talks_from_the_first_to_the_last_day_inclusive(client, office, talks):
    client.force_login(office)
    body = page(client, "talk_list", "date_from=2026-11-09&date_to=2026-11-16")
    assert listed_talk_ids(body) == {talks["others"].pk, talks["informal"].pk}
    assert 'value="2026-11-09"' in body


def test_a_range_that_matches_nothing_says_so_rather_than_that_there_are_no_talks(client, office, talks):
    client.force_login(office)
    body = page(client, "talk_list", "date_from=2027-01-01")
    assert "没有符合筛选条件的记录。" in body
    assert "还没有谈心谈话记录。" not in body
    # The form sends every field, empty ones too: that filters nothing.
    body = page(client, "talk_list", "formal=&date_from=&date_to=")
    assert len(listed_talk_ids(body)) == 3
    assert IGNORED not in body


@pytest.mark.parametrize("value", ["2", "yes", "true", "null", "1'--", "<script>"])
def test_an_unknown_category_is_ignored_and_said_so_beside_the_form(client, office, talks, value):
    client.force_login(office)
    body = page(client, "talk_list", f"formal={value}&date_from=2026-11-09")
    assert listed_talk_ids(body) == {talks["others"].pk, talks["informal"].pk}
    assert IGNORED in body
    assert error_beside(body, "formal").startswith("选择一个有效的选项。")
    assert "<script>" not in body.split("<main", 1)[-1]


@pytest.mark.parametrize(
    "value",
    ["0001-01-01", "9999-12-31", "1900-01-01", "2026-11-16"],
    ids=["first", "last", "1900", "ordinary"],
)
def test_the_first_and_last_dates_there_are_filter_like_any_other(client, office, talks, value):
    client.force_login(office)
    body = page(client, "talk_list", f"date_from={value}&date_to={value}")
    assert IGNORED not in body
    page(client, "talk_list", f"date_from={value}")
    page(client, "talk_list", f"date_to={value}")
    assert len(listed_talk_ids(page(client, "talk_list", "date_from=0001-01-01&date_to=9999-12-31"))) == 3
    assert f'value="{value}"' in body


@pytest.mark.parametrize(
    "value", ["10000-01-01", "0000-01-01", "2026-02-30", "2026-13-01", "昨天", "20261116", "-1"]
)
def test_a_date_that_is_no_date_is_ignored_and_said_so_beside_the_field(client, office, talks, value):
    client.force_login(office)
    body = page(client, "talk_list", f"date_from={value}&formal=0")
    assert listed_talk_ids(body) == {talks["informal"].pk}
    assert IGNORED in body
    assert error_beside(body, "date_from") == "输入一个有效的日期。"


def test_the_talk_filter_narrows_a_users_talks_outside_a_page_too(college, talks):
    """What an export of the list will do: the same filterset over the same permission-scoped queryset."""
    _org, (secretary, *_rest) = college
    scoped = selectors.talks_for_list(secretary.user)
    assert set(TalkFilter({"formal": "1"}, queryset=scoped).qs) == {talks["formal"]}
    assert set(TalkFilter({"formal": "x"}, queryset=scoped).qs) == {talks["formal"], talks["informal"]}


def test_the_filtered_talk_list_runs_a_constant_number_of_queries(
    client, office, college, django_assert_max_num_queries
):
    _org, (secretary, dean, *others) = college
    client.force_login(office)
    query = "formal=1&date_from=2026-09-01&date_to=2026-11-30"
    TalkFactory(participants=[secretary, dean], formal=True)
    with django_assert_max_num_queries(12) as few:
        page(client, "talk_list", query)
    for other in others * 10:
        TalkFactory(participants=[secretary, other, LeaderFactory()], formal=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = page(client, "talk_list", query)
    assert len(listed_talk_ids(body)) == 31


# --- Meetings ---------------------------------------------------------------------------------------------------


@pytest.fixture
def meetings(college):
    org, (secretary, *_rest) = college
    other = CollegeFactory(name="外国语学院")
    (other_secretary,) = make_team(other, COLLEGE_KINDS[:1])
    return {
        "coordination": MeetingFactory(organization=org, chair=secretary, title="本院碰头会"),
        "retreat": MeetingFactory(
            organization=org,
            chair=secretary,
            kind=MeetingKind.RETREAT,
            title="本院务虚会",
            date=dt.date(2026, 9, 1),
        ),
        "elsewhere": MeetingFactory(organization=other, chair=other_secretary, title="外院碰头会"),
        "other_org": other,
    }


def test_the_office_filters_meetings_by_kind_organization_and_dates(client, office, college, meetings):
    org, _people = college
    client.force_login(office)
    body = page(client, "meeting_list", "kind=coordination")
    assert shown(body, "本院碰头会", "本院务虚会", "外院碰头会") == {"本院碰头会", "外院碰头会"}
    body = page(client, "meeting_list", f"organization={org.pk}")
    assert shown(body, "本院碰头会", "本院务虚会", "外院碰头会") == {"本院碰头会", "本院务虚会"}
    assert f'<option value="{org.pk}" selected>武术与表演学院</option>' in body
    body = page(client, "meeting_list", "date_to=2026-10-01")
    assert shown(body, "本院碰头会", "本院务虚会", "外院碰头会") == {"本院务虚会"}


def test_a_leader_filtering_by_another_college_sees_none_of_its_meetings(client, college, meetings):
    _org, (secretary, *_rest) = college
    client.force_login(secretary.user)
    body = page(client, "meeting_list", f"organization={meetings['other_org'].pk}")
    assert "外院碰头会" not in body
    assert "没有符合筛选条件的记录。" in body


@pytest.mark.parametrize("value", BAD_IDS)
def test_an_organization_that_is_not_one_is_ignored_and_said_so(client, college, meetings, value):
    _org, (secretary, *_rest) = college
    client.force_login(secretary.user)
    body = page(client, "meeting_list", f"organization={value}&kind=coordination")
    assert "本院碰头会" in body
    assert "本院务虚会" not in body
    assert "外院碰头会" not in body
    assert IGNORED in body
    assert error_beside(body, "organization").startswith("选择一个有效的选项")


def test_an_unknown_meeting_kind_is_ignored(client, office, meetings):
    client.force_login(office)
    body = page(client, "meeting_list", "kind=birthday_party")
    assert shown(body, "本院碰头会", "本院务虚会", "外院碰头会") == {"本院碰头会", "本院务虚会", "外院碰头会"}
    assert IGNORED in body


def test_the_pages_of_a_filtered_meeting_list_keep_the_filter(client, office, college, monkeypatch):
    org, (secretary, *_rest) = college
    monkeypatch.setattr(views.MeetingListView, "paginate_by", 2)
    for day in range(1, 6):
        MeetingFactory(organization=org, chair=secretary, date=dt.date(2026, 10, day))
    MeetingFactory(organization=org, chair=secretary, kind=MeetingKind.RETREAT, title="务虚会甲")
    client.force_login(office)
    body = page(client, "meeting_list", "kind=coordination&page=2")
    assert 'href="?kind=coordination&amp;page=3"' in body
    assert 'href="?kind=coordination&amp;page=1"' in body
    assert "第 2 / 3 页" in body


def test_the_filtered_meeting_list_runs_a_constant_number_of_queries(
    client, college, django_assert_max_num_queries
):
    org, (secretary, *others) = college
    client.force_login(secretary.user)
    query = f"kind=coordination&organization={org.pk}&date_from=2026-01-01"
    MeetingFactory(organization=org, chair=secretary)
    with django_assert_max_num_queries(12) as few:
        page(client, "meeting_list", query)
    for i in range(30):
        MeetingFactory(organization=org, chair=others[i % 4], attendees=others, date=dt.date(2026, 10, 1 + i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = page(client, "meeting_list", query)
    assert body.count("查看") == 31


# --- Agenda items -------------------------------------------------------------------------------------------------


def test_the_office_filters_agenda_items_by_status_organization_and_meeting(client, office, college):
    org, (secretary, *_rest) = college
    other = CollegeFactory(name="外国语学院")
    AgendaItemFactory(organization=org, proposer=secretary, title="本院草拟议题")
    AgendaItemFactory(
        organization=org,
        proposer=secretary,
        title="本院已决定议题",
        status=AgendaItemStatus.DECIDED,
        meeting_kind=MeetingKind.PARTY_COMMITTEE,
    )
    AgendaItemFactory(organization=other, title="外院议题", status=AgendaItemStatus.DECIDED)
    client.force_login(office)

    def listed(query: str) -> set[str]:
        table = page(client, "agenda_item_list", query).split("list-filter", 1)[1]
        return shown(table, "本院草拟议题", "本院已决定议题", "外院议题")

    assert listed("status=decided") == {"本院已决定议题", "外院议题"}
    assert listed(f"status=decided&organization={org.pk}") == {"本院已决定议题"}
    assert listed("meeting_kind=party_committee") == {"本院已决定议题"}


@pytest.mark.parametrize(
    "query", ["status=approved", "meeting_kind=x", *[f"organization={v}" for v in BAD_IDS]]
)
def test_a_bad_agenda_filter_is_ignored_and_said_so(client, office, college, query):
    org, (secretary, *_rest) = college
    AgendaItemFactory(organization=org, proposer=secretary, title="本院草拟议题")
    client.force_login(office)
    body = page(client, "agenda_item_list", query)
    assert IGNORED in body
    assert "本院草拟议题" in body.split("list-filter", 1)[1]


def test_the_agenda_filters_narrow_a_leaders_own_items_and_never_widen_them(client, college):
    """Issue 8: a leader's agenda list holds the items they proposed or were asked about; a filter only narrows it."""
    org, (secretary, dean, *_rest) = college
    AgendaItemFactory(organization=org, proposer=secretary, title="本院草拟议题")
    AgendaItemFactory(
        organization=org, proposer=secretary, title="本院已决定议题", status=AgendaItemStatus.DECIDED
    )
    AgendaItemFactory(organization=org, proposer=dean, title="院长草拟议题")
    client.force_login(secretary.user)

    table = page(client, "agenda_item_list", "status=draft").split("list-filter", 1)[1]

    assert shown(table, "本院草拟议题", "本院已决定议题", "院长草拟议题") == {"本院草拟议题"}


# --- Absences ---------------------------------------------------------------------------------------------------


@pytest.fixture
def absences(college):
    _org, (secretary, dean, vice1, vice2, _deputy) = college
    return {
        "trip": AbsenceFactory(
            person=vice1, start=dt.date(2026, 11, 23), end=dt.date(2026, 11, 27), destination="北京"
        ),
        "study": AbsenceFactory(
            person=dean,
            kind=AbsenceKind.STUDY,
            start=dt.date(2026, 12, 1),
            end=dt.date(2026, 12, 20),
            destination="上海",
            notified=[secretary],
        ),
        "unseen": AbsenceFactory(
            person=vice2, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 4), destination="广州"
        ),
    }


def absence_rows(body: str) -> str:
    return body.split("<tbody>", 1)[1] if "<tbody>" in body else ""


def test_absences_are_filtered_by_kind_and_by_the_days_they_overlap(client, office, absences):
    client.force_login(office)
    assert shown(absence_rows(page(client, "absence_list", "kind=study")), "北京", "上海", "广州") == {"上海"}
    rows = absence_rows(page(client, "absence_list", "date_from=2026-11-25&date_to=2026-12-01"))
    assert shown(rows, "北京", "上海", "广州") == {"北京", "上海"}
    assert shown(
        absence_rows(page(client, "absence_list", "date_to=2026-11-22")), "北京", "上海", "广州"
    ) == {"广州"}


def test_a_leader_filtering_absences_still_sees_only_those_shown_to_them(client, college, absences):
    _org, (secretary, *_rest) = college
    client.force_login(secretary.user)
    rows = absence_rows(page(client, "absence_list", "date_from=0001-01-01&date_to=9999-12-31"))
    assert shown(rows, "北京", "上海", "广州") == {"上海"}


@pytest.mark.parametrize(
    "query", ["kind=holiday", "date_from=2026-11-31", "date_to=tomorrow", "date_from=99999-1-1"]
)
def test_a_bad_absence_filter_is_ignored_and_said_so(client, office, absences, query):
    client.force_login(office)
    body = page(client, "absence_list", query)
    assert IGNORED in body
    rows = absence_rows(body)
    assert shown(rows, "北京", "上海", "广州") == {"北京", "上海", "广州"}


def test_the_absence_filter_works_outside_a_page_too(college, absences):
    _org, (secretary, *_rest) = college
    scoped = selectors.absences_for_list(secretary.user)
    assert list(AbsenceFilter({"kind": "study"}, queryset=scoped).qs) == [absences["study"]]
    assert list(AbsenceFilter({"kind": "trip"}, queryset=scoped).qs) == []


def test_the_filtered_absence_list_runs_a_constant_number_of_queries(
    client, office, college, django_assert_max_num_queries
):
    _org, (secretary, dean, vice1, vice2, _deputy) = college
    client.force_login(office)
    query = "kind=trip&date_from=2026-11-01&date_to=2026-12-31"
    AbsenceFactory(person=vice1)
    with django_assert_max_num_queries(12) as few:
        page(client, "absence_list", query)
    for person in [secretary, dean, vice1, vice2] * 5:
        AbsenceFactory(person=person, notified=[secretary, dean])
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = page(client, "absence_list", query)
    assert absence_rows(body).count("<tr>") == 21
