"""Cached pages stay true to the data (governance.services.freshness): a leader's home page, the office home and the
office overview are cached until a record they show changes, and never shown to the wrong person, in the wrong
language or on the wrong day. A change marks out of date only the organizations it touches: a talk in one college
leaves the other colleges' leaders' pages cached. The office home and the overview share one evaluation, kept team
by team (governance.selectors.evaluations)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communication.tests.factories import (
    COLLEGE_KINDS,
    CollegeFactory,
    MeetingFactory,
    TalkFactory,
    make_college_team,
    make_team,
)
from governance.models import LeadershipTeam, ObligationRule, ReminderDigest
from governance.selectors import evaluations
from governance.services import freshness
from governance.services.policies import policy_load
from governance.tests.factories import OfficeUserFactory, SemesterFactory, UniversityFactory

pytestmark = pytest.mark.django_db
D = dt.date
NOON = dt.datetime(
    2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")
)  # a Wednesday of the autumn semester
FORMAL_TALK = 'data-rule="000-secretary-dean-formal-talk" data-status="'


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def college(db):
    SemesterFactory()
    return make_college_team()


@pytest.fixture
def colleges(college):
    """文学院 (wxy) and 理学院 (lxy), both under pack 000. Returns ((wxy, people), (lxy, people))."""
    wxy, _wxy_people = college
    lxy = CollegeFactory(name="理学院", code="lxy", parent=wxy.parent)
    lxy_people = make_team(lxy, COLLEGE_KINDS)
    policy_load(name="000", organization=lxy)
    return college, (lxy, lxy_people)


def without_csrf_tokens(page: str) -> str:
    """The navbar's language form carries a token masked anew on every request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def formal_talk_status(client, person) -> str:
    client.force_login(person.user)
    page = client.get(reverse("home")).content.decode()
    return page.split(FORMAL_TALK, 1)[1].split('"', 1)[0]


def home_queries(client, person) -> int:
    """How many queries `person`'s home page takes (a cached page takes only the session's, the account's and the
    one that lists the organizations it depends on)."""
    client.force_login(person.user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured.captured_queries)


def stamps(*organizations) -> dict[int, str]:
    _global, by_org = freshness.organization_stamps([o.pk for o in organizations])
    return by_org


def test_an_unchanged_home_page_is_served_from_the_cache(client, college):
    _college, (secretary, *_rest) = college
    client.force_login(secretary.user)
    first = client.get(reverse("home")).content.decode()

    with CaptureQueriesContext(connection) as again:
        second = client.get(reverse("home")).content.decode()

    assert without_csrf_tokens(second) == without_csrf_tokens(first)
    assert "{#" not in first  # no template comment leaks into the page
    assert len(again.captured_queries) <= 5  # session, user, groups, its organizations: no obligation's query


def test_a_talk_recorded_after_a_view_turns_the_obligation_green_on_the_next_view(client, college):
    _college, (secretary, dean, *_rest) = college
    assert formal_talk_status(client, secretary) == "on_track"

    TalkFactory(participants=[secretary, dean], date=D(2026, 11, 24), formal=True)

    assert formal_talk_status(client, secretary) == "met"
    assert formal_talk_status(client, dean) == "met"


def test_a_talk_in_one_college_leaves_another_colleges_leaders_page_cached(client, colleges):
    (_wxy, (li, wang, *_rest)), (_lxy, (lxy_secretary, *_others)) = colleges
    computed = home_queries(client, lxy_secretary)
    cached = home_queries(client, lxy_secretary)
    assert formal_talk_status(client, li) == "on_track"
    assert cached < computed

    TalkFactory(participants=[li, wang], date=D(2026, 11, 24), formal=True)

    assert home_queries(client, lxy_secretary) == cached  # still the cached page
    assert formal_talk_status(client, li) == "met"  # the participants' pages are computed afresh
    assert home_queries(client, wang) > cached


def test_a_rule_change_recomputes_every_leaders_page(client, colleges):
    (_wxy, (li, *_rest)), (_lxy, (lxy_secretary, *_others)) = colleges
    home_queries(client, li)
    home_queries(client, lxy_secretary)
    cached = home_queries(client, lxy_secretary)

    rule = ObligationRule.objects.get(code="000-secretary-dean-formal-talk", organization__code="wxy")
    rule.title = "书记与院长正式谈心"
    rule.save()

    assert home_queries(client, lxy_secretary) > cached
    assert home_queries(client, li) > cached


def test_adding_a_participant_to_an_existing_talk_is_seen_at_once(client, college):
    _college, (secretary, dean, vice, *_rest) = college
    talk = TalkFactory(participants=[secretary, vice], date=D(2026, 11, 24), formal=True)
    assert formal_talk_status(client, dean) == "on_track"

    talk.participants.add(dean)

    assert formal_talk_status(client, dean) == "met"


def test_removing_someone_from_a_talk_marks_their_college_out_of_date(colleges):
    (wxy, (li, *_rest)), (lxy, (lxy_secretary, *_others)) = colleges
    talk = TalkFactory(participants=[li, lxy_secretary], date=D(2026, 11, 24))
    before = stamps(wxy, lxy)

    talk.participants.remove(lxy_secretary)  # afterwards the talk names only 文学院's secretary

    after = stamps(wxy, lxy)
    assert after[lxy.pk] != before[lxy.pk]
    assert after[wxy.pk] != before[wxy.pk]


def test_deleting_the_talk_that_counted_shows_the_obligation_open_again(client, college):
    _college, (secretary, dean, *_rest) = college
    talk = TalkFactory(participants=[secretary, dean], date=D(2026, 11, 24), formal=True)
    assert formal_talk_status(client, secretary) == "met"

    talk.delete()

    assert formal_talk_status(client, secretary) == "on_track"


def test_moving_a_meeting_to_another_college_marks_both_colleges_out_of_date(colleges):
    (wxy, _wxy_people), (lxy, (lxy_secretary, *_others)) = colleges
    meeting = MeetingFactory(organization=wxy, chair=lxy_secretary, date=D(2026, 11, 20))
    before = stamps(wxy, lxy)

    meeting.organization = lxy
    meeting.save()

    after = stamps(wxy, lxy)
    assert after[wxy.pk] != before[wxy.pk]  # where it was: its team's pages no longer count it
    assert after[lxy.pk] != before[lxy.pk]


def test_every_model_of_the_core_says_what_its_changes_touch():
    """A new core model must be mapped (or said to be shown nowhere), or its changes would leave pages stale."""
    unmapped = [
        model._meta.label_lower
        for model in apps.get_app_config("governance").get_models()
        if not model._meta.auto_created
        and not model.__name__.startswith("Historical")
        and model._meta.label_lower not in freshness.CORE_WATCHED
        and model._meta.label_lower not in freshness.NOT_SHOWN
    ]
    assert unmapped == []


def test_the_office_home_and_the_overview_share_one_evaluation(client, colleges, monkeypatch):
    passes: list[list[int] | None] = []
    evaluate = evaluations.evaluate_obligations

    def counted(**kwargs):
        passes.append(None if kwargs["team_ids"] is None else sorted(kwargs["team_ids"]))
        return evaluate(**kwargs)

    monkeypatch.setattr(evaluations, "evaluate_obligations", counted)
    client.force_login(OfficeUserFactory())

    assert client.get(reverse("home")).status_code == 200
    with CaptureQueriesContext(connection) as overview:
        assert "制度落实总览" in client.get(reverse("overview")).content.decode()

    assert passes == [None]  # one pass, over every team, for both pages
    assert len(overview.captured_queries) <= 12  # no evaluation's queries

    (wxy, (li, wang, *_rest)), _lxy = colleges
    TalkFactory(participants=[li, wang], date=D(2026, 11, 24), formal=True)
    client.get(reverse("home"))
    client.get(reverse("overview"))

    assert passes == [None, [LeadershipTeam.objects.get(organization=wxy).pk]]  # only 文学院 again


def test_a_leader_never_gets_another_leaders_cached_page(client, college):
    _college, (secretary, dean, *_rest) = college
    client.force_login(secretary.user)
    assert "李书记" in client.get(reverse("home")).content.decode()

    client.force_login(dean.user)
    page = client.get(reverse("home")).content.decode()

    assert "<h1>王院长" in page
    assert "<h1>李书记" not in page


def test_the_page_cached_in_chinese_is_not_served_in_english(client, college):
    _college, (secretary, *_rest) = college
    client.force_login(secretary.user)
    assert "我的工作要求" in client.get(reverse("home")).content.decode()

    client.cookies["django_language"] = "en"
    page = client.get(reverse("home")).content.decode()

    assert "我的工作要求" not in page


def test_the_next_day_is_computed_afresh(client, college):
    _college, (secretary, *_rest) = college
    client.force_login(secretary.user)
    client.get(reverse("home"))

    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        # Yesterday's session ended overnight (SESSION_COOKIE_AGE: ten hours without a request).
        client.force_login(secretary.user)
        page = client.get(reverse("home")).content.decode()

    assert "11月26日" in page


def test_the_office_overview_shows_a_new_talk_on_the_next_view(client, college):
    _college, (secretary, dean, *_rest) = college
    client.force_login(OfficeUserFactory())
    before = client.get(reverse("overview")).content.decode()
    TalkFactory(participants=[secretary, dean], date=D(2026, 11, 24), formal=True)

    after = client.get(reverse("overview")).content.decode()

    assert after != before
    assert after.count("已完成") > before.count("已完成")


def test_one_organizations_overview_is_kept_while_another_college_changes(client, colleges):
    (wxy, (li, wang, *_rest)), (lxy, (lxy_secretary, lxy_dean, *_others)) = colleges
    client.force_login(OfficeUserFactory())
    url = reverse("overview") + "?org=lxy"
    client.get(url)
    with CaptureQueriesContext(connection) as cached:
        client.get(url)

    TalkFactory(participants=[li, wang], date=D(2026, 11, 24), formal=True)
    with CaptureQueriesContext(connection) as after_wxy:
        client.get(url)
    TalkFactory(participants=[lxy_secretary, lxy_dean], date=D(2026, 11, 24), formal=True)
    with CaptureQueriesContext(connection) as after_lxy:
        client.get(url)

    assert len(after_wxy.captured_queries) == len(cached.captured_queries)
    assert len(after_lxy.captured_queries) > len(cached.captured_queries)


def test_sending_reminders_does_not_throw_the_cached_pages_away(college):
    wxy, (secretary, *_rest) = college
    version, before = freshness.data_version(), stamps(wxy)

    ReminderDigest.objects.create(person=secretary, to_email="a@example.edu.cn", subject="s", body_text="b")

    assert freshness.data_version() == version
    assert stamps(wxy) == before


def test_a_change_marks_pages_out_of_date_again_when_its_transaction_commits(
    college, django_capture_on_commit_callbacks
):
    wxy, people = college
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        TalkFactory(participants=people[:2], date=D(2026, 11, 24))
        during = stamps(wxy)

    assert callbacks  # the second stamp waits for the commit …
    assert stamps(wxy) != during  # … so a page cached from the old data meanwhile is never served


def test_a_change_without_organizations_marks_every_page_out_of_date(college):
    wxy, _people = college
    version, before = freshness.data_version(), stamps(wxy)

    freshness.data_changed()

    assert freshness.data_version() != version
    assert stamps(wxy) == before  # the global stamp alone is in every key


def test_a_page_is_still_served_when_the_cache_is_down(client, college, monkeypatch):
    _college, (secretary, *_rest) = college

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(cache, name, down)
    client.force_login(secretary.user)

    assert "我的工作要求" in client.get(reverse("home")).content.decode()
    client.force_login(OfficeUserFactory())
    assert "制度落实总览" in client.get(reverse("overview")).content.decode()


def test_a_deploy_never_serves_a_page_rendered_by_the_templates_it_replaced(client, college, monkeypatch):
    _college, (secretary, *_rest) = college
    client.force_login(secretary.user)
    client.get(reverse("home"))

    monkeypatch.setattr(freshness, "code_release", lambda: "the-next-release")
    with CaptureQueriesContext(connection) as after_deploy:
        page = client.get(reverse("home")).content.decode()

    assert len(after_deploy.captured_queries) > 5  # computed afresh
    assert "我的工作要求" in page


def test_the_code_stamp_changes_when_a_template_changes(tmp_path, settings):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>一</p>", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    freshness.code_release.cache_clear()
    try:
        before = freshness.code_release()
        template.write_text("<p>一二</p>", encoding="utf-8")
        freshness.code_release.cache_clear()
        assert freshness.code_release() != before
    finally:
        freshness.code_release.cache_clear()


def test_a_university_without_teams_in_its_colleges_still_has_an_overview(client):
    UniversityFactory()
    client.force_login(OfficeUserFactory())

    assert client.get(reverse("overview")).status_code == 200
