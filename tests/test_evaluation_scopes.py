"""The engine reads evidence differently for one person, one team and the whole site (governance.selectors.
obligations._gather_evidence): whatever it reads, every view must agree on every obligation's figures."""

from __future__ import annotations

import datetime as dt

import pytest

from communication.models import MeetingKind
from communication.tests.factories import (
    COLLEGE_KINDS,
    CollegeFactory,
    MeetingFactory,
    TalkFactory,
    make_team,
)
from governance.models import LeadershipTeam, PositionKind
from governance.selectors.evaluations import current_view
from governance.selectors.obligations import evaluate_obligations, obligations_for_person
from governance.services.policies import policy_load
from governance.tests.factories import UniversityFactory

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 25)
UNIVERSITY_KINDS = [
    PositionKind.SECRETARY,
    PositionKind.PRESIDENT,
    PositionKind.VICE_PRESIDENT,
    PositionKind.DEPUTY_SECRETARY,
]


@pytest.fixture
def site(semester):
    """A university owing pack 001 with its sub-units (semester and week rules), one college that also owes pack 000
    (a calendar-year talk rule, reaching back before the semester) and one that does not, in the autumn semester of
    tests/conftest.py."""
    university = UniversityFactory()
    uni_people = make_team(university, UNIVERSITY_KINDS)
    wxy = CollegeFactory(name="文学院", code="wxy", parent=university)
    wxy_people = make_team(wxy, COLLEGE_KINDS)
    lxy = CollegeFactory(name="理学院", code="lxy", parent=university)
    lxy_people = make_team(lxy, COLLEGE_KINDS)
    policy_load(name="001", organization=university, include_sub_units=True)
    policy_load(name="000", organization=wxy)

    secretary, dean, vice, *_rest = wxy_people
    TalkFactory(
        participants=[secretary, vice], date=D(2026, 3, 12)
    )  # counts for 000 四（六） only: before term
    TalkFactory(participants=[secretary, dean], date=D(2026, 11, 24), formal=True)
    TalkFactory(participants=[uni_people[0], uni_people[1]], date=D(2026, 11, 23))
    TalkFactory(participants=[lxy_people[0], lxy_people[2]], date=D(2026, 10, 9))
    TalkFactory(
        participants=[lxy_people[0], wxy_people[0]], date=D(2026, 10, 10)
    )  # across teams: counts for none
    for org, day in ((wxy, D(2026, 11, 13)), (university, D(2026, 11, 16)), (lxy, D(2026, 11, 23))):
        MeetingFactory(kind=MeetingKind.COORDINATION, organization=org, date=day)
    MeetingFactory(kind=MeetingKind.RETREAT, organization=wxy, date=D(2026, 9, 18))
    return [*uni_people, *wxy_people, *lxy_people]


def figures(obligations) -> dict[str, tuple]:
    return {ob.key: (ob.status, ob.done, tuple(r.key for r in ob.evidence)) for ob in obligations}


def test_the_whole_site_each_team_and_each_person_see_the_same_figures(site):
    everyone = figures(evaluate_obligations(start=TODAY, end=TODAY, today=TODAY).obligations)

    by_team: dict[str, tuple] = {}
    for team_id in LeadershipTeam.objects.values_list("pk", flat=True):
        by_team |= figures(
            evaluate_obligations(start=TODAY, end=TODAY, today=TODAY, team_ids=[team_id]).obligations
        )
    assert by_team == everyone

    for person in site:
        mine = figures(obligations_for_person(person, today=TODAY).obligations)
        assert mine, person.name
        assert mine == {key: everyone[key] for key in mine}


def test_the_yearly_college_rule_counts_a_talk_from_before_the_semester_in_every_view(site):
    secretary, vice = site[4], site[6]

    def yearly_talk(obligations) -> tuple:
        (ob,) = [
            o
            for o in obligations
            if o.rule.code == "000-main-leaders-member-talk"
            and {o.subject_person_id, o.counterpart_person_id} == {secretary.pk, vice.pk}
        ]
        return ob.status, ob.done, [r.date for r in ob.evidence]

    whole_site = yearly_talk(evaluate_obligations(start=TODAY, end=TODAY, today=TODAY).obligations)
    assert whole_site == ("met", 1, [D(2026, 3, 12)])
    assert yearly_talk(obligations_for_person(secretary, today=TODAY).obligations) == whole_site
    assert yearly_talk(obligations_for_person(vice, today=TODAY).obligations) == whole_site


def test_the_teams_cached_views_equal_a_fresh_evaluation_before_and_after_a_change_in_one_college(site):
    """governance.selectors.evaluations keeps each team's current view in the cache and evaluates again only the
    teams a change touched: what it returns is what a fresh whole-site evaluation gives (without the records that
    counted), team by team in the same order."""

    def fresh():
        return evaluate_obligations(start=TODAY, end=TODAY, today=TODAY)

    def same(shared, whole) -> None:
        assert numbers(shared.obligations) == numbers(whole.obligations)
        assert set(shared.people) == set(whole.people)
        for team_id in {ob.team.id for ob in whole.obligations}:
            assert [o.key for o in shared.obligations if o.team.id == team_id] == [
                o.key for o in whole.obligations if o.team.id == team_id
            ]

    same(current_view(today=TODAY), fresh())  # every team evaluated
    same(current_view(today=TODAY), fresh())  # every team from the cache
    lxy_secretary, lxy_dean = site[9], site[10]
    TalkFactory(participants=[lxy_secretary, lxy_dean], date=D(2026, 11, 24), formal=True)
    same(current_view(today=TODAY), fresh())  # 理学院 evaluated again, the others from the cache
    for team_id in LeadershipTeam.objects.values_list("pk", flat=True):
        one = evaluate_obligations(start=TODAY, end=TODAY, today=TODAY, team_ids=[team_id])
        assert numbers(current_view(today=TODAY, team_ids=[team_id]).obligations) == numbers(one.obligations)


def numbers(obligations) -> dict[str, tuple]:
    return {ob.key: (ob.status, ob.done, ob.required, ob.due, ob.people) for ob in obligations}


def test_a_teams_view_made_on_one_day_serves_the_next_four_weeks_as_a_fresh_evaluation_would(
    site, monkeypatch
):
    """The teams' views are kept without the date: on a later day a planned record whose day has come counts, a
    status moves on (due soon before the semester's end, a week ended unmet turns overdue), a new week's and a new
    fortnight's periods appear; the figures equal a fresh evaluation on that day, and nothing is evaluated again
    until the span the views were made for has passed."""
    from governance.selectors import evaluations

    secretary, dean = site[4], site[5]
    TalkFactory(participants=[secretary, dean], date=TODAY + dt.timedelta(days=9), formal=True)
    wxy = LeadershipTeam.objects.get(positions__person=secretary).organization
    MeetingFactory(kind=MeetingKind.COORDINATION, organization=wxy, date=TODAY + dt.timedelta(days=4))
    passes: list[dt.date] = []
    evaluate = evaluations.evaluate_obligations

    def counted(**kwargs):
        passes.append(kwargs["today"])
        return evaluate(**kwargs)

    monkeypatch.setattr(evaluations, "evaluate_obligations", counted)
    statuses: set[str] = set()
    for offset in range(evaluations.HORIZON_DAYS + 1):
        day = TODAY + dt.timedelta(days=offset)
        shared = current_view(today=day)
        whole = evaluate(start=day, end=day, today=day)
        assert numbers(shared.obligations) == numbers(whole.obligations), day
        assert set(shared.people) == set(whole.people), day
        for team_id in {ob.team.id for ob in whole.obligations}:
            assert [o.key for o in shared.obligations if o.team.id == team_id] == [
                o.key for o in whole.obligations if o.team.id == team_id
            ], day
        statuses |= {ob.status for ob in shared.obligations}
    assert passes == [TODAY]  # made once, on the first day
    assert {"met", "due_soon", "overdue", "on_track"} <= statuses

    current_view(today=TODAY + dt.timedelta(days=evaluations.HORIZON_DAYS + 1))
    assert passes == [TODAY, TODAY + dt.timedelta(days=evaluations.HORIZON_DAYS + 1)]  # past the span: again


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_rules_are_read_once_per_stamp_and_a_rule_change_is_seen(semester):
    """governance.selectors.obligations keeps the rules, teams and calendar it read under the global stamp; a rule
    saved moves the stamp, so the next evaluation reads them again (inside a transaction it always reads them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communication.tests.factories import make_university_team
    from governance.models import ObligationRule

    make_university_team()

    def evaluated() -> tuple[set[str], int]:
        with CaptureQueriesContext(connection) as queries:
            result = evaluate_obligations(start=TODAY, end=TODAY, today=TODAY)
        return {ob.rule.code for ob in result.obligations}, len(queries.captured_queries)

    codes, first = evaluated()
    again, second = evaluated()
    assert again == codes
    assert second <= first - 4  # organizations, teams, rules and the calendar were not read again

    rule = ObligationRule.objects.get(code="001-secretary-president-weekly")
    rule.is_active = False
    rule.save()

    after, third = evaluated()
    assert after == codes - {"001-secretary-president-weekly"}
    assert third == first


def test_the_garbage_collector_runs_again_after_an_evaluation_even_a_failed_one(site, monkeypatch):
    import gc

    from governance.selectors import obligations

    evaluate_obligations(start=TODAY, end=TODAY, today=TODAY)
    assert gc.isenabled()

    def broken(**kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr(obligations, "_evaluate_obligations", broken)
    with pytest.raises(RuntimeError):
        evaluate_obligations(start=TODAY, end=TODAY, today=TODAY)
    assert gc.isenabled()
