"""One evaluation of the whole university's current view, kept team by team, shared by the office home (今日关注),
the office overview (and its drill-down) and the reminder job.

Each team's obligations on a day are cached under the global stamp and that team's organization stamp
(governance.services.freshness), the date, the language (period labels and record titles are in it) and the code
release. A page asks for the teams it shows: the teams found are reused, and every missing team is evaluated in
one `evaluate_obligations` pass (without a team filter when all are missing, the cheapest read). So after a talk in
one college only that college's team is evaluated again, and the office home and the overview, asked one after
the other, evaluate once.

The result equals a fresh evaluation of the same teams (tests/test_evaluation_scopes.py): each team's obligations
are exactly those the whole-site evaluation gives it, with the same figures, listed in the current view's order
(most urgent first; obligations of different teams that tie on status, due date and rule keep the teams' order).
What is kept leaves out the records that counted (`Obligation.evidence` and any other list of records is empty;
`done` says how many): these pages show figures, and reading thousands of records back from the cache would cost
more than the figures. A page that lists the records (the overview's drill-down, a dashboard) evaluates its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import get_language

from governance.engine.obligations import Obligation, Status, TeamInfo
from governance.models import LeadershipTeam, Person
from governance.selectors.obligations import Evaluation, evaluate_obligations
from governance.services import freshness

logger = logging.getLogger(__name__)

TEAM_TIMEOUT = 2 * 24 * 3600  # the date is part of the key
# This process's copy of each team's latest view, by team: (cache key, view). The key holds the stamps, so a copy
# whose key is asked for again is still true; it spares reading (and unpickling) it from the shared cache when the
# office home and the overview are asked for one after the other. One entry per team: the memory stays bounded.
# The views are shared between requests: read them, never change them.
_LOCAL: dict[int, tuple[str, TeamView]] = {}
_URGENCY = {Status.OVERDUE: 0, Status.DUE_SOON: 1, Status.ON_TRACK: 2, Status.EXCUSED: 3, Status.MET: 4}


@dataclass
class TeamView:
    """One team's current view: its obligations and the names of the people they name."""

    obligations: list[Obligation] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)


def _teams() -> dict[int, TeamInfo]:
    """Every team, in the organizations' order (one query)."""
    return {
        pk: TeamInfo(pk, organization_id, name)
        for pk, organization_id, name in LeadershipTeam.objects.order_by(
            "organization__order", "organization__code", "pk"
        ).values_list("pk", "organization_id", "name")
    }


def _key(team: TeamInfo, today: dt.date, global_stamp: str, org_stamp: str) -> str:
    return ":".join(
        [
            "governance:team-view",
            str(team.id),
            today.isoformat(),
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


def _split(result: Evaluation, team_ids: Iterable[int]) -> dict[int, TeamView]:
    views = {t: TeamView() for t in team_ids}
    for ob in result.obligations:
        view = views.get(ob.team.id)
        if view is None:
            continue
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
            keys = {t: _key(teams[t], today, global_stamp, by_org[teams[t].organization_id]) for t in wanted}
            views = {t: local[1] for t in wanted if (local := _LOCAL.get(t)) and local[0] == keys[t]}
            shared = [keys[t] for t in wanted if t not in views]
            found = cache.get_many(shared) if shared else {}
            views.update({t: found[k] for t, k in keys.items() if k in found})
    except Exception:
        logger.exception("cache unavailable; evaluating every team")
        keys, views = {}, {}
    for t, key in keys.items():
        if t in views:
            _LOCAL[t] = (key, views[t])
    missing = [t for t in wanted if t not in views]
    if missing:
        everyone = len(missing) == len(teams)
        result = evaluate_obligations(
            start=today, end=today, today=today, team_ids=None if everyone else missing
        )
        fresh = _split(result, missing)
        views.update(fresh)
        if keys:
            _LOCAL.update({t: (keys[t], fresh[t]) for t in missing})
            try:
                cache.set_many({keys[t]: fresh[t] for t in missing}, TEAM_TIMEOUT)
            except Exception:
                logger.exception("could not cache the teams' views")
    obligations = list(itertools.chain.from_iterable(views[t].obligations for t in wanted))
    obligations.sort(key=lambda o: (_URGENCY[o.status], o.due, o.rule.code))
    # The people as far as these pages need them: their names (a caller that writes to them reads them afresh).
    people = {pid: Person(pk=pid, name=name) for t in wanted for pid, name in views[t].names.items()}
    return Evaluation(obligations, people, teams)
