"""The outreach family's part of the benchmark data set (issue 10): five academic years of activities for 300 university
leaders, and their issues, for the ledger page (工作台账, 004 第六条2) and the assessment summary (学年汇总, 第六条1).

Built into its own database, a copy of the main benchmark database (bench/outreach_bench.py: `OUT_DB_PATH`), so the
pages the main data set measures keep exactly their data. Added to the copy:

- packs 004-outreach and 003-outreach adopted by the university (the rules the ledger compares against);
- university leaders up to 300 (new people on the university's team, 班子成员, from 2022; the existing leaders stay);
- for each leader and each academic year from 2022—2023 to this one (up to the benchmark's date): about 26 activities
  — forums, research visits, organizational life, 听课 with 1 to 3 class hours, festival visits, talks with non-party
  figures, a retirees' briefing — in one or two of the twenty colleges, a few with two leaders;
- about 4 issues a leader a year, raised by a college, owned by the leader, in every state.

Deterministic (its own seeded generator); bulk_create throughout (no audit history rows: no measured page reads them),
then one `data_changed()`."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from governance.models import LeadershipTeam, Organization, Person, Position, PositionKind
from governance.services.freshness import data_changed
from governance.services.policies import policy_load
from outreach.models import Activity, ActivityKind, Festival, IssueSource, IssueState, RaisedIssue

VERSION = 1
SEED = 20261201
LEADERS = 300
FIRST_YEAR = 2022
TZ = ZoneInfo("Asia/Shanghai")

# Activities a leader records in a year, by kind (a little above what the packs ask: 2 forums, 2 organizational
# lives, 4 hours of 听课 a semester, one non-party talk and event, one retirees' briefing, three festival visits).
PER_YEAR = (
    (ActivityKind.FORUM, 5),
    (ActivityKind.RESEARCH, 4),
    (ActivityKind.ORGANIZATIONAL_LIFE, 3),
    (ActivityKind.CLASS_OBSERVATION, 6),
    (ActivityKind.FESTIVAL_VISIT, 3),
    (ActivityKind.NON_PARTY_TALK, 1),
    (ActivityKind.NON_PARTY_EVENT, 1),
    (ActivityKind.RETIREE_BRIEFING, 1),
    (ActivityKind.FIRST_LESSON, 2),
)
ISSUES_PER_YEAR = 4


def _years(today: dt.date) -> list[int]:
    last = today.year if today.month >= 9 else today.year - 1
    return list(range(FIRST_YEAR, last + 1))


def build(
    *, today: dt.date, office_user_id: int, log: Callable[[str], None] = print
) -> list[tuple[str, float]]:
    rng = random.Random(SEED)
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()
    university = Organization.objects.get(kind=Organization.Kind.UNIVERSITY)
    colleges = list(Organization.objects.filter(kind=Organization.Kind.COLLEGE).order_by("code"))
    with transaction.atomic():
        policy_load(name="004-outreach", organization=university)
        policy_load(name="003-outreach", organization=university)
        team = LeadershipTeam.objects.get(organization=university)
        current = set(
            Position.objects.overlapping(dt.date(FIRST_YEAR, 9, 1), today)
            .filter(team=team)
            .values_list("person_id", flat=True)
        )
        missing = max(0, LEADERS - len(current))
        people = Person.objects.bulk_create([Person(name=f"校领导{n:03d}") for n in range(missing)])
        Position.objects.bulk_create(
            [
                Position(person=p, team=team, kind=PositionKind.TEAM_MEMBER, start=dt.date(FIRST_YEAR, 1, 1))
                for p in people
            ]
        )
        leader_ids = sorted(current | {p.pk for p in people})
    steps.append(("packs and leaders", time.perf_counter() - started))
    log(f"  {len(leader_ids)} university leaders")

    started = time.perf_counter()
    years = _years(today)
    activities: list[Activity] = []
    owners: list[list[int]] = []
    places: list[list[int]] = []
    for year in years:
        start = dt.date(year, 9, 1)
        end = min(dt.date(year + 1, 8, 31), today)
        span = (end - start).days
        share = span / 364
        for leader_id in leader_ids:
            for kind, n in PER_YEAR:
                for _i in range(max(1, round(n * share)) if share > 0.05 else 0):
                    day = start + dt.timedelta(days=rng.randrange(span + 1))
                    activity = Activity(
                        date=day,
                        kind=kind,
                        title="",
                        organization=university,
                        participants=rng.randrange(5, 60),
                        recorded_by_id=office_user_id,
                    )
                    if kind == ActivityKind.CLASS_OBSERVATION:
                        activity.course = "中国近现代史纲要"
                        activity.class_hours = Decimal(rng.choice((1, 2, 2, 3)))
                    if kind == ActivityKind.FESTIVAL_VISIT:
                        activity.festival = rng.choice(Festival.values)
                    activities.append(activity)
                    together = [leader_id]
                    if rng.random() < 0.05:
                        together.append(rng.choice(leader_ids))
                    owners.append(sorted(set(together)))
                    places.append([rng.choice(colleges).pk])
    with transaction.atomic():
        Activity.objects.bulk_create(activities, batch_size=2000)
        leaders_through = Activity.leaders.through
        units_through = Activity.units.through
        leaders_through.objects.bulk_create(
            [
                leaders_through(activity_id=a.pk, person_id=p)
                for a, people_ids in zip(activities, owners, strict=True)
                for p in people_ids
            ],
            batch_size=5000,
        )
        units_through.objects.bulk_create(
            [
                units_through(activity_id=a.pk, organization_id=o)
                for a, orgs in zip(activities, places, strict=True)
                for o in orgs
            ],
            batch_size=5000,
        )
    steps.append(("activities", time.perf_counter() - started))
    log(f"  {len(activities):,} activities")

    started = time.perf_counter()
    issues = []
    for year in years:
        start = dt.datetime(year, 9, 1, 9, tzinfo=TZ)
        end = min(dt.datetime(year + 1, 8, 31, 17, tzinfo=TZ), dt.datetime.combine(today, dt.time(9), TZ))
        seconds = int((end - start).total_seconds())
        for leader_id in leader_ids:
            for _i in range(ISSUES_PER_YEAR if seconds > 86400 * 30 else 1):
                at = start + dt.timedelta(seconds=rng.randrange(max(seconds, 1)))
                state = rng.choice(IssueState.values)
                issues.append(
                    RaisedIssue(
                        title="实验室开放时间",
                        text="希望延长实验室开放时间。",
                        source=IssueSource.UNIT,
                        raiser="学院教工代表",
                        unit_id=rng.choice(colleges).pk,
                        owner_id=leader_id,
                        state=state,
                        answer="" if state == IssueState.OPEN else "已协调延长。",
                        answered_at=None if state == IssueState.OPEN else at + dt.timedelta(days=5),
                        feedback_channel="face" if state == IssueState.CLOSED else "",
                        feedback_at=at + dt.timedelta(days=7) if state == IssueState.CLOSED else None,
                        closed_at=at + dt.timedelta(days=8) if state == IssueState.CLOSED else None,
                        recorded_by_id=office_user_id,
                    )
                )
    with transaction.atomic():
        RaisedIssue.objects.bulk_create(issues, batch_size=2000)
        # created_at is set on insert (now): put each year's issues into their year (one update a year).
        for year, group in zip(years, _per_year(issues, len(leader_ids), years), strict=True):
            RaisedIssue.objects.filter(pk__in=[i.pk for i in group]).update(
                created_at=min(
                    dt.datetime(year, 11, 1, 9, tzinfo=TZ), dt.datetime.combine(today, dt.time(9), TZ)
                )
            )
    steps.append(("issues", time.perf_counter() - started))
    log(f"  {len(issues):,} issues")
    data_changed()
    return steps


def _per_year(issues: list[RaisedIssue], leaders: int, years: list[int]) -> list[list[RaisedIssue]]:
    """The issues in the order built, cut by year (every year but the last has ISSUES_PER_YEAR a leader)."""
    groups, at = [], 0
    for n, _year in enumerate(years):
        size = len(issues) - at if n == len(years) - 1 else ISSUES_PER_YEAR * leaders
        groups.append(issues[at : at + size])
        at += size
    return groups


def counts() -> dict[str, int]:
    return {
        "university leaders (positions on the university team)": Position.objects.filter(
            team__organization__kind=Organization.Kind.UNIVERSITY
        )
        .values("person_id")
        .distinct()
        .count(),
        "outreach activities": Activity.objects.count(),
        "activity–leader rows": Activity.leaders.through.objects.count(),
        "raised issues": RaisedIssue.objects.count(),
    }
