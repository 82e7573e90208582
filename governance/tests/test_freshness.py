"""Cached pages stay true to the data (governance.services.freshness): a leader's home page and the office overview
are cached until a record they show changes, and never shown to the wrong person, in the wrong language or on the
wrong day."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communication.tests.factories import TalkFactory, make_college_team
from governance.models import ReminderDigest
from governance.services import freshness
from governance.tests.factories import OfficeUserFactory, SemesterFactory

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


def without_csrf_tokens(page: str) -> str:
    """The navbar's language form carries a token masked anew on every request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def formal_talk_status(client, person) -> str:
    client.force_login(person.user)
    page = client.get(reverse("home")).content.decode()
    return page.split(FORMAL_TALK, 1)[1].split('"', 1)[0]


def test_an_unchanged_home_page_is_served_from_the_cache(client, college):
    _college, (secretary, *_rest) = college
    client.force_login(secretary.user)
    first = client.get(reverse("home")).content.decode()

    with CaptureQueriesContext(connection) as again:
        second = client.get(reverse("home")).content.decode()

    assert without_csrf_tokens(second) == without_csrf_tokens(first)
    assert "{#" not in first  # no template comment leaks into the page
    assert len(again.captured_queries) <= 5  # session, user, groups: none of the obligations' queries


def test_a_talk_recorded_after_a_view_turns_the_obligation_green_on_the_next_view(client, college):
    _college, (secretary, dean, *_rest) = college
    assert formal_talk_status(client, secretary) == "on_track"

    TalkFactory(participants=[secretary, dean], date=D(2026, 11, 24), formal=True)

    assert formal_talk_status(client, secretary) == "met"
    assert formal_talk_status(client, dean) == "met"


def test_adding_a_participant_to_an_existing_talk_is_seen_at_once(client, college):
    _college, (secretary, dean, vice, *_rest) = college
    talk = TalkFactory(participants=[secretary, vice], date=D(2026, 11, 24), formal=True)
    assert formal_talk_status(client, dean) == "on_track"

    talk.participants.add(dean)

    assert formal_talk_status(client, dean) == "met"


def test_deleting_the_talk_that_counted_shows_the_obligation_open_again(client, college):
    _college, (secretary, dean, *_rest) = college
    talk = TalkFactory(participants=[secretary, dean], date=D(2026, 11, 24), formal=True)
    assert formal_talk_status(client, secretary) == "met"

    talk.delete()

    assert formal_talk_status(client, secretary) == "on_track"


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


def test_sending_reminders_does_not_throw_the_cached_pages_away(college):
    version = freshness.data_version()

    ReminderDigest.objects.create(
        person=college[1][0], to_email="a@example.edu.cn", subject="s", body_text="b"
    )

    assert freshness.data_version() == version


def test_a_change_marks_pages_out_of_date_again_when_its_transaction_commits(
    college, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        TalkFactory(participants=college[1][:2], date=D(2026, 11, 24))
        during = freshness.data_version()

    assert callbacks  # the second stamp waits for the commit …
    assert (
        freshness.data_version() != during
    )  # … so a page cached from the old data meanwhile is never served


def test_a_page_is_still_served_when_the_cache_is_down(client, college, monkeypatch):
    _college, (secretary, *_rest) = college

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    client.force_login(secretary.user)

    assert "我的工作要求" in client.get(reverse("home")).content.decode()


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
