"""A leader's dashboard after a change is read, not evaluated (issue 6 §3): a request that writes evaluates, once its
changes have committed, the current obligations of the people of the teams they touched, and keeps them; the next
dashboard of any of them shows the change without evaluating anything. What is kept is what a fresh evaluation gives.

Wednesday 25 November 2026: the university's secretary 林书记 has not talked with 周校长 in week 47 (001 三（一）)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from communication.models import Talk
from governance import views
from governance.selectors import evaluations
from governance.selectors.obligations import obligations_for_person
from governance.services import freshness

pytestmark = [pytest.mark.usefixtures("frozen_wednesday")]
TODAY = dt.date(2026, 11, 25)
WEEKLY = "001-secretary-president-weekly"


def _lines(result) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(ob.key, ob.status, str(ob.done), tuple(r.key for r in ob.evidence)) for ob in result.obligations]


@pytest.fixture
def evaluations_counted(monkeypatch):
    """How many times the obligations are evaluated (by page or by write)."""
    calls = []
    real = evaluations.evaluate_obligations

    def counted(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(evaluations, "evaluate_obligations", counted)
    return calls


@pytest.mark.django_db
def test_what_is_kept_for_each_person_equals_a_fresh_evaluation(university, college):
    people = [*university[1], *college[1]]

    kept = evaluations.evaluate_people_of({university[0].pk, college[0].pk}, today=TODAY)

    assert set(kept) == {p.pk for p in people}
    for person in people:
        assert _lines(evaluations.person_current_view(person, today=TODAY)) == _lines(
            obligations_for_person(person, today=TODAY)
        )


@pytest.mark.django_db(transaction=True)
def test_after_a_talk_is_recorded_both_dashboards_show_it_without_evaluating(
    client, university, evaluations_counted, monkeypatch
):
    _university, (secretary, president, _vice) = university
    client.force_login(secretary.user)
    overdue = [
        ob
        for ob in evaluations.person_current_view(president, today=TODAY).obligations
        if ob.rule.code == WEEKLY
    ]
    assert "overdue" in {ob.status for ob in overdue}

    response = client.post(
        f"{reverse('communication:talk_create')}?with={president.pk}&for={secretary.pk}&rule={WEEKLY}"
        "&period_start=2026-11-16&period_end=2026-11-22",
        {"participants": [president.pk], "date": "2026-11-18", "channel": "communication"},
    )
    assert response.status_code == 302
    assert Talk.objects.count() == 1
    evaluated_by_the_write = len(evaluations_counted)

    rendered = []
    real_render = views._render_obligations
    monkeypatch.setattr(views, "_render_obligations", lambda d: rendered.append(d) or real_render(d))
    client.force_login(president.user)
    page = client.get(reverse("home")).content.decode()

    # The page before, then the write: the team's view (the office's pages, the reminder job) and one evaluation of
    # the team's people's current views.
    assert evaluated_by_the_write == 3
    assert len(evaluations_counted) == evaluated_by_the_write  # the president's page evaluated nothing
    assert not rendered  # nor rendered the obligations: the write did
    assert f'data-rule="{WEEKLY}" data-status="overdue"' not in page
    weekly = [
        ob
        for ob in evaluations.person_current_view(president, today=TODAY).obligations
        if ob.rule.code == WEEKLY
    ]
    assert "overdue" not in {ob.status for ob in weekly}


@pytest.mark.django_db(transaction=True)
def test_a_page_read_evaluates_nothing_for_others_and_a_rolled_back_change_is_not_counted(university):
    _university, (secretary, _president, _vice) = university

    def save_then_fail() -> None:
        with transaction.atomic():
            secretary.name = "林书记（改）"
            secretary.save()
            raise RuntimeError("the save fails")

    with freshness.changes_committed() as committed, pytest.raises(RuntimeError):
        save_then_fail()
    assert committed == []

    with freshness.changes_committed() as committed:
        secretary.save()
    assert committed == [frozenset({university[0].pk})]


@pytest.mark.django_db(transaction=True)
def test_with_evaluate_on_write_off_a_write_evaluates_nothing(
    client, university, settings, evaluations_counted
):
    settings.EVALUATE_ON_WRITE = False
    _university, (secretary, president, _vice) = university
    client.force_login(secretary.user)

    response = client.post(
        reverse("communication:talk_create"),
        {"participants": [president.pk], "date": "2026-11-24", "channel": "communication"},
    )

    assert response.status_code == 302
    assert evaluations_counted == []


@pytest.mark.django_db
def test_a_talk_leaves_the_other_panels_cached_and_a_change_of_a_person_does_not(university):
    university_org = university[0]
    _org, (secretary, president, _vice) = university
    scopes = {
        "talks": ("communication", "communication.talks"),  # the 四必谈 panel
        "communication": ("communication",),  # meetings, agenda items, absences
        "supervision": ("supervision",),
        "outreach": ("outreach",),
        "disclosure": ("disclosure",),
    }

    def keys() -> dict[str, str | None]:
        return {
            name: freshness.fragment_key("panel", 1, organizations=[university_org.pk], scope=scope)
            for name, scope in scopes.items()
        } | {"whole": freshness.fragment_key("home", 1, organizations=[university_org.pk])}

    before = keys()
    talk = Talk.objects.create(date=TODAY, channel="communication", recorded_by=secretary.user)
    talk.participants.set([secretary, president])
    after_talk = keys()
    secretary.save()
    after_person = keys()

    changed = {k for k in before if before[k] != after_talk[k]}
    assert changed == {"talks", "whole"}
    assert all(after_person[k] != after_talk[k] for k in before)


@pytest.mark.django_db
def test_after_a_change_that_may_touch_any_page_every_teams_view_is_kept(
    university, college, evaluations_counted
):
    evaluations.evaluate_after_changes([frozenset({college[0].pk}), None], today=TODAY)
    assert len(evaluations_counted) == 1
    teams = len(evaluations.current_view(today=TODAY).teams)

    again = evaluations.current_view(today=TODAY)

    assert len(evaluations_counted) == 1  # the office's pages and the reminder job read it
    assert teams == 2
    assert again.obligations


@pytest.mark.django_db
def test_a_bulk_change_leaves_the_peoples_views_to_their_pages(university, evaluations_counted):
    many = [frozenset({university[0].pk}), frozenset({101, 102, 103, 104})]

    kept = evaluations.evaluate_after_changes(many, today=TODAY)

    assert kept == {}
    assert evaluations_counted == []


@pytest.mark.django_db
def test_after_a_change_the_teams_view_is_kept_for_the_office_and_the_reminder_job(
    university, college, evaluations_counted
):
    evaluations.current_view(today=TODAY)
    freshness.data_changed([college[0].pk], scope="communication")
    evaluations.evaluate_after_changes([frozenset({college[0].pk})], today=TODAY)
    evaluated = len(evaluations_counted)

    evaluations.current_view(today=TODAY)

    assert len(evaluations_counted) == evaluated  # the office home, the overview and the job read it


@pytest.mark.django_db(transaction=True)
def test_after_load_policy_the_office_and_the_reminder_job_read_every_teams_view(
    university, evaluations_counted
):
    call_command("load_policy", "003-supervision", stdout=io.StringIO())
    evaluated = len(evaluations_counted)

    evaluations.current_view(today=TODAY)

    assert evaluated == 1  # the command evaluated every team once
    assert len(evaluations_counted) == evaluated  # the pages and the job read it
