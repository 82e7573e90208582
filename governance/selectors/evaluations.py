"""One evaluation of the whole university's current view, kept team by team, shared by the office home (今日关注),
the office overview (and its drill-down), the dashboards' team figures and the reminder job.

Each team's evaluation is cached under the global stamp and that team's organization stamp
(governance.services.freshness), the language (period labels are in it) and the code release: not under the date.
It covers every period the current view can show from the day it was made to HORIZON_DAYS later, with its figures
as of that day and the dates of the records planned after it; on a later day within that span the team's current
view is derived from it (a planned record whose day has come counts, a status moves on with the date:
`status_on`), which equals a fresh evaluation on that day (tests/test_evaluation_scopes.py). So a new day alone
evaluates nothing again: the daily reminder job and the first office page of a morning read what the day before
left, and only the teams a change touched since are evaluated. A page asks for the teams it shows: the teams found
are reused, and every missing team is evaluated in one `evaluate_obligations` pass (without a team filter when all
are missing, the cheapest read). After a talk in one college only that college's team is evaluated again, and the
office home and the overview, asked one after the other, evaluate once.

What is kept leaves out the records that counted (`Obligation.evidence` and any other list of records is empty;
`done` says how many): these pages show figures, and reading thousands of records back from the cache would cost
more than the figures. A page that lists the records (the overview's drill-down, a dashboard) evaluates its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import get_language

from governance.engine.obligations import (
    STALE_AFTER_DAYS,
    Obligation,
    Status,
    TeamInfo,
    status_on,
)
from governance.engine.obligations import current_view as engine_current_view
from governance.models import LeadershipTeam, Person
from governance.selectors.obligations import (
    Evaluation,
    evaluate_event_owner_obligations,
    evaluate_obligations,
    positions_in_window,
    with_owned,
)
from governance.services import freshness

logger = logging.getLogger(__name__)

# How many days after its evaluation a team's view still serves (periods starting within them are evaluated too).
# Four weeks: a team nobody changes is evaluated about once a month; evaluating further ahead costs little (records
# dated ahead are few), but every weekly period ahead is one more obligation per pair to keep.
HORIZON_DAYS = 28
TEAM_TIMEOUT = (HORIZON_DAYS + 2) * 24 * 3600
# This process's copy of each team's latest view, by team: (cache key, view). The key holds the stamps, so a copy
# whose key is asked for again is still true; it spares reading (and unpickling) it from the shared cache when the
# office home and the overview are asked for one after the other. One entry per team: the memory stays bounded.
# The views are shared between requests: read them, never change them.
_LOCAL: dict[int, tuple[str, TeamView]] = {}
_URGENCY = {Status.OVERDUE: 0, Status.DUE_SOON: 1, Status.ON_TRACK: 2, Status.EXCUSED: 3, Status.MET: 4}


@dataclass
class TeamView:
    """One team's evaluation: every obligation whose period the current view can show from `evaluated_on` to
    `until`, with its figures as of `evaluated_on`, the records planned after that day (by obligation: their dates
    and what each adds), and the names of the people they name."""

    obligations: list[Obligation] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    evaluated_on: dt.date = dt.date.min
    until: dt.date = dt.date.min
    planned: dict[int, tuple[tuple[dt.date, Decimal], ...]] = field(default_factory=dict)
    # The last day's current view derived from it, kept with the view in this process (not in the shared cache).
    _shown: tuple[dt.date, list[Obligation]] | None = field(default=None, compare=False, repr=False)

    def serves(self, today: dt.date) -> bool:
        return self.evaluated_on <= today <= self.until

    def on(self, today: dt.date) -> list[Obligation]:
        """The team's current view on `today` (within the span it serves): what a fresh evaluation on that day
        gives. New obligations are made where a figure or status moved; the kept ones are never changed."""
        if self._shown is not None and self._shown[0] == today:
            return self._shown[1]
        obligations = self.obligations
        if today != self.evaluated_on:
            moved = []
            for i, ob in enumerate(obligations):
                planned = self.planned.get(i)
                if planned:
                    added = sum((amount for day, amount in planned if day <= today), Decimal(0))
                    if added:
                        ob = replace(ob, done=ob.done + added)
                status = status_on(ob, today)
                if status != ob.status:
                    ob = replace(ob, status=status)
                moved.append(ob)
            obligations = moved
        shown = engine_current_view(obligations, today)
        self._shown = (today, shown)
        return shown

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_shown": None}


def _teams() -> dict[int, TeamInfo]:
    """Every team, in the organizations' order (one query)."""
    return {
        pk: TeamInfo(pk, organization_id, name)
        for pk, organization_id, name in LeadershipTeam.objects.order_by(
            "organization__order", "organization__code", "pk"
        ).values_list("pk", "organization_id", "name")
    }


def _key(team: TeamInfo, global_stamp: str, org_stamp: str) -> str:
    return ":".join(
        [
            "governance:team-view",
            str(team.id),
            freshness.code_release(),
            get_language() or "",
            global_stamp,
            org_stamp,
        ]
    )


def _without_records(ob: Obligation) -> Obligation:
    """The obligation without the lists of records it carries (what counted, what is planned …)."""
    for name, value in vars(ob).items():
        if isinstance(value, list) and value:
            setattr(ob, name, [])
    return ob


def _planned(ob: Obligation) -> tuple[tuple[dt.date, Decimal], ...]:
    """The records planned after the evaluation's day: when each will count, and what it will add."""
    one = Decimal(1)
    return tuple((r.date, r.amount if ob.rule.measure == "sum" else one) for r in ob.planned)


def _split(result: Evaluation, team_ids: Iterable[int], today: dt.date) -> dict[int, TeamView]:
    until = today + dt.timedelta(days=HORIZON_DAYS)
    views = {t: TeamView(evaluated_on=today, until=until) for t in team_ids}
    for ob in result.obligations:
        view = views.get(ob.team.id)
        if view is None:
            continue
        if ob.planned:
            view.planned[len(view.obligations)] = _planned(ob)
        view.obligations.append(_without_records(ob))
        for pid in ob.people:
            if pid in result.people:
                view.names[pid] = result.people[pid].name
    return views


def current_view(*, today: dt.date, team_ids: Iterable[int] | None = None) -> Evaluation:
    """Every obligation of the given teams (None: every team) in the current view on `today`, as
    `evaluate_obligations(start=today, end=today, today=today, team_ids=...)` gives them but without their records,
    from the teams' cached views where they are still true. Its `people` carry their names only."""
    teams = _teams()
    wanted = list(teams) if team_ids is None else [t for t in dict.fromkeys(team_ids) if t in teams]
    if not wanted:
        return Evaluation([], {}, teams)
    keys: dict[int, str] = {}
    views: dict[int, TeamView] = {}
    try:
        stamps = freshness.organization_stamps({teams[t].organization_id for t in wanted})
        if stamps is not None:
            global_stamp, by_org = stamps
            keys = {t: _key(teams[t], global_stamp, by_org[teams[t].organization_id]) for t in wanted}
            views = {t: local[1] for t in wanted if (local := _LOCAL.get(t)) and local[0] == keys[t]}
            shared = [keys[t] for t in wanted if t not in views]
            found = cache.get_many(shared) if shared else {}
            views.update({t: found[k] for t, k in keys.items() if k in found})
            # A view made for a span that does not hold today (an older one, or one made for a day ahead) is
            # evaluated again.
            views = {t: view for t, view in views.items() if view.serves(today)}
    except Exception:
        logger.exception("cache unavailable; evaluating every team")
        keys, views = {}, {}
    for t, key in keys.items():
        if t in views:
            _LOCAL[t] = (key, views[t])
    missing = [t for t in wanted if t not in views]
    if missing:
        everyone = len(missing) == len(teams)
        # Every period the current view can show from today to the horizon: those overlapping
        # [today - STALE_AFTER_DAYS, today + HORIZON_DAYS] (engine.current_view keeps what a day shows).
        result = evaluate_obligations(
            start=today - dt.timedelta(days=STALE_AFTER_DAYS),
            end=today + dt.timedelta(days=HORIZON_DAYS),
            today=today,
            team_ids=None if everyone else missing,
        )
        fresh = _split(result, missing, today)
        views.update(fresh)
        if keys:
            _LOCAL.update({t: (keys[t], fresh[t]) for t in missing})
            try:
                cache.set_many({keys[t]: fresh[t] for t in missing}, TEAM_TIMEOUT)
            except Exception:
                logger.exception("could not cache the teams' views")
    obligations = list(itertools.chain.from_iterable(views[t].on(today) for t in wanted))
    obligations.sort(key=lambda o: (_URGENCY[o.status], o.due, o.rule.code))
    # The people as far as these pages need them: their names (a caller that writes to them reads them afresh).
    # Only those the day's view names: a person of a period not shown today is not listed.
    names = {pid: name for t in wanted for pid, name in views[t].names.items()}
    shown = {pid for ob in obligations for pid in ob.people}
    people = {pid: Person(pk=pid, name=names[pid]) for pid in shown if pid in names}
    return Evaluation(obligations, people, teams)


# --- one person's current view (the leader dashboard), evaluated when a change is written --------------------------
#
# A leader's dashboard lists, for each obligation, the records that counted; the teams' views above leave those out.
# So each person's current view is kept on its own, under the stamps of the organizations of every team they sat on
# (within the window `obligations_for_person` reads) and the date. A change written through the portal evaluates, once
# it has committed, the current views of every person its organizations' teams concern, in one evaluation of those
# teams (governance.middleware.EvaluateOnWriteMiddleware): the writer's request pays it (tens of milliseconds for a
# college), and the next dashboard of any of those people is read, not evaluated. A change made elsewhere (a
# management command, the worker, a change to rules or the calendar, which may touch any page) leaves the views to be
# evaluated by the first page that asks, as before.

PERSON_TIMEOUT = 2 * 24 * 3600  # the date is in the key
# A write touching more organizations than this (an import of a year's records) leaves its people's views to their
# pages rather than keep the office waiting while every team is evaluated.
PEOPLE_AFTER_CHANGES_MAX_ORGANIZATIONS = 4


def _person_key(person_id: int, today: dt.date, global_stamp: str, org_stamps: Iterable[str]) -> str:
    return ":".join(
        [
            "governance:person-view",
            str(person_id),
            today.isoformat(),
            freshness.code_release(),
            get_language() or "",
            hashlib.sha1(":".join([global_stamp, *org_stamps]).encode(), usedforsecurity=False).hexdigest()[
                :20
            ],
        ]
    )


def _sittings(person_ids: Iterable[int] | None, today: dt.date, team_ids: Iterable[int] | None = None):
    """(person, team, organization) of every position a dashboard on `today` reads (`positions_in_window`, as
    `obligations_for_person`), for the given people or teams (one query)."""
    positions = positions_in_window(today, today)
    if person_ids is not None:
        positions = positions.filter(person_id__in=list(person_ids))
    if team_ids is not None:
        positions = positions.filter(team_id__in=list(team_ids))
    return positions.values_list("person_id", "team_id", "team__organization_id").order_by()


def _person_keys(orgs_of: dict[int, set[int]], today: dt.date) -> dict[int, str] | None:
    """Each person's key under the stamps of their organizations (one cache read for all); None without stamps."""
    stamps = freshness.organization_stamps({o for orgs in orgs_of.values() for o in orgs})
    if stamps is None:
        return None
    global_stamp, by_org = stamps
    return {
        pid: _person_key(pid, today, global_stamp, [f"{o}={by_org[o]}" for o in sorted(orgs)])
        for pid, orgs in orgs_of.items()
    }


@dataclass
class PersonView:
    """A person's current view: their teams' part, kept under `key` (None when the cache cannot keep it), and what
    they owe as an event's owner (a unit's head or liaison, 003 第五条), which is no team's and is read each time."""

    key: str | None
    teams: Evaluation
    owned: Evaluation

    @property
    def result(self) -> Evaluation:
        """Both, as obligations_for_person gives them."""
        return with_owned(self.teams, self.owned, current=True)


def person_view(person: Person, *, today: dt.date) -> PersonView:
    """The person's current view, its teams' part from the cache when their teams have not changed since it was
    evaluated (by a page, or by the request that changed them)."""
    rows = list(_sittings([person.pk], today))
    team_ids = {team for _p, team, _o in rows}
    key = None
    try:
        keys = _person_keys({person.pk: {org for _p, _t, org in rows}}, today)
        key = keys[person.pk] if keys else None
        found = cache.get(key) if key else None
    except Exception:
        logger.exception("cache unavailable; evaluating the person's obligations")
        found = None
    if isinstance(found, Evaluation):
        result = found
    else:
        result = evaluate_obligations(
            start=today, end=today, today=today, team_ids=team_ids, person_ids=[person.pk]
        )
        if key:
            try:
                cache.set(key, result, PERSON_TIMEOUT)
            except Exception:
                logger.exception("could not cache the person's obligations")
    owned = evaluate_event_owner_obligations(today=today, start=today, end=today, person_ids=[person.pk])
    return PersonView(key, result, owned)


def person_current_view(person: Person, *, today: dt.date) -> Evaluation:
    """What `obligations_for_person(person, today=today)` gives (the dashboard's current view, records included), its
    teams' part from the cache when the person's teams have not changed since it was evaluated."""
    return person_view(person, today=today).result


def evaluate_people_of(organizations: Iterable[int], *, today: dt.date) -> dict[int, PersonView]:
    """Evaluate now, and keep, the current view of every person the teams of `organizations` concern on `today`, in
    one evaluation of all their teams (and what they owe as events' owners, in one more); returns the views kept, by
    person. Called after a change to those organizations has committed, so that their dashboards are read rather
    than evaluated."""
    teams = list(
        LeadershipTeam.objects.filter(organization_id__in=list(organizations)).values_list("pk", flat=True)
    )
    if not teams:
        return {}
    members = {pid for pid, _t, _o in _sittings(None, today, teams)}
    if not members:
        return {}
    orgs_of: dict[int, set[int]] = {pid: set() for pid in members}
    team_ids: set[int] = set()
    for pid, team, org in _sittings(members, today):
        orgs_of[pid].add(org)
        team_ids.add(team)
    keys = _person_keys(orgs_of, today)
    if not keys:
        return {}
    result = evaluate_obligations(start=today, end=today, today=today, team_ids=team_ids)
    mine: dict[int, list[Obligation]] = {pid: [] for pid in members}
    for ob in result.obligations:
        for pid in ob.people:
            if pid in mine:
                mine[pid].append(ob)
    owned = evaluate_event_owner_obligations(today=today, start=today, end=today, person_ids=members)
    owned_by: dict[int, list[Obligation]] = {}
    for ob in owned.obligations:
        for pid in ob.people:
            owned_by.setdefault(pid, []).append(ob)
    views: dict[int, PersonView] = {}
    for pid, obligations in mine.items():
        named = {i for ob in obligations for i in ob.people}
        people = {i: p for i, p in result.people.items() if i in named}
        theirs = owned_by.get(pid, [])
        views[pid] = PersonView(
            keys[pid],
            Evaluation(obligations, people, result.teams),
            Evaluation(
                theirs,
                {i: p for i, p in owned.people.items() if any(i in o.people for o in theirs)},
                owned.teams,
            ),
        )
    cache.set_many({view.key: view.teams for view in views.values() if view.key}, PERSON_TIMEOUT)
    return views


def evaluate_after_changes(
    committed: Iterable[frozenset[int] | None], *, today: dt.date
) -> dict[int, PersonView]:
    """What a request that wrote evaluates before it answers (governance.middleware.EvaluateOnWriteMiddleware), from
    the organizations its committed changes touched: the teams' views of those organizations (which the office's
    pages and the next reminder job read) and each person's view for those teams (their dashboards); after a change
    that may touch any page (a rule, a policy pack, the calendar: None), every team's view (the people's views are
    left to their pages: evaluating every person's would keep the office waiting seconds). Returns the people's views
    it kept."""
    changes = list(committed)
    if not changes:
        return {}
    if None in changes:
        current_view(today=today)
        return {}
    organizations: set[int] = set()
    for touched in changes:
        organizations |= set(touched or ())
    if not organizations or len(organizations) > PEOPLE_AFTER_CHANGES_MAX_ORGANIZATIONS:
        return {}  # a bulk change (an import): its pages evaluate as they are asked for
    teams = list(
        LeadershipTeam.objects.filter(organization_id__in=organizations).values_list("pk", flat=True)
    )
    if teams:
        current_view(today=today, team_ids=teams)
    return evaluate_people_of(organizations, today=today)
