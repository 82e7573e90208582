"""A leader's main actions stand right under their home's header (issue 8: "on a phone the main actions are near the
top"): the communication family offers 登记谈心谈话 and 登记外出 through the family contract (governance.families.
LEADER_HOME), the core names no family, and whoever may not use them is not offered them.

The university (pack 001) and 文学院 (pack 000) of tests/conftest.py, on Wednesday 25 November 2026.
"""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from communication.tests.factories import office_user
from governance import roles
from governance.families import LEADER_HOME, page_actions
from governance.models import Person
from governance.tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]

TALK = reverse("communication:talk_create")
ABSENCE = reverse("communication:absence_create")


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _action_row(page: str) -> dict[str, str] | None:
    """The row of main actions under the header: link text → href, or None when the page has none."""
    found = re.search(r'<nav class="leader-actions[^"]*"[^>]*>(.*?)</nav>', page, re.S)
    if found is None:
        return None
    return {
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", label)).split()): html.unescape(href)
        for href, label in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', found[1], re.S)
    }


def test_the_secretary_finds_the_talk_and_absence_buttons_under_her_name_above_what_she_owes(client, college):
    secretary = college[1][0]

    page = _home(client, secretary.user)

    assert _action_row(page) == {"登记谈心谈话": TALK, "登记外出（出差、学习）": ABSENCE}
    header = page.index('<div class="page-header">')
    actions = page.index('<nav class="leader-actions')
    obligations = page.index('id="obligations-heading"')
    assert header < actions < obligations
    # Once on the page: the communication panel no longer repeats them further down.
    assert page.count(f'href="{TALK}"') == 1
    assert page.count(f'href="{ABSENCE}"') == 1
    # Each opens its form.
    assert client.get(TALK).status_code == 200
    assert client.get(ABSENCE).status_code == 200


def test_the_university_president_gets_the_same_buttons_in_english_when_he_reads_english(client, university):
    president = university[1][1]
    client.force_login(president.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("home")).content.decode()

    row = _action_row(page)
    assert row is not None
    assert list(row.values()) == [TALK, ABSENCE]
    assert list(row) == ["Record a heart-to-heart talk", "Record an absence (business trip, study)"]
    assert 'aria-label="Main actions"' in page


@pytest.mark.parametrize("who", ["office", "staff", "party member", "leader without a person"])
def test_nobody_who_cannot_record_talks_or_absences_is_offered_the_buttons(client, college, who):
    if who == "office":
        user = office_user(username="office")
    elif who == "staff":
        user = UserFactory(username="jiaozhigong", groups=[roles.STAFF])
        PersonFactory(user=user, name="叶青", organization=college[0], is_party_member=False)
    elif who == "party member":
        user = UserFactory(username="dangyuan", groups=[roles.PARTY_MEMBERS])
        PersonFactory(user=user, name="邵一鸣", organization=college[0])
    else:
        user = UserFactory(username="xinshuji", groups=[roles.LEADERS, roles.PARTY_MEMBERS])

    page = _home(client, user)

    assert _action_row(page) is None
    if who != "office":  # the office records for anyone from its own pages; it has no leader's home
        assert page_actions(LEADER_HOME, user, Person.objects.filter(user=user).first()) == []
