"""Pages cached until the data they show changes, organization by organization.

A leader's home page, the office home and the office overview evaluate every rule against months of records; the
same figures are asked for again and again between two changes. They are cached as rendered fragments (and, in
governance.selectors.evaluations, as each team's evaluated obligations) whose key holds *stamps*: values in the
cache that change whenever a record those pages show is saved or deleted.

- One **global** stamp, changed by what can alter any page: rules and policy packs, regulations and clauses, the
  academic calendar and holidays, organizations and teams, and any change whose organizations are not known.
- One stamp **per organization**, changed by a change that touches only some organizations: a talk touches the
  organizations of the teams its participants sit on, a position its team's organization, and so on. A change also
  moves an "any organization" stamp, which the office's whole-university pages depend on.
- Beside it, one stamp per organization and **scope**: the family whose model changed, or "core" for the core's
  models and for a change whose family is not said. A family's panel on a leader's home depends only on its own
  family's and the core's (`cached_fragment(..., scope="supervision")`): a talk leaves the supervision panel where it
  is, while the obligations, which count records of every family, are computed afresh.

A fragment depends on the global stamp plus the stamps of the organizations it shows (`cached_fragment(...,
organizations=[...])`; all of them when not given), read with one `cache.get_many`. A talk in one college therefore
leaves the other colleges' leaders' pages where they are, while its own participants' pages are computed afresh.

Which organizations a change touches: the core's own models are mapped here (CORE_WATCHED); each family app maps
its models in its `Family.watched` (governance.families); a callable returning None means "could be any page".
Deletions are mapped in pre_delete (while the rows a callable reads still exist), many-to-many changes from the
instance before a removal and after every change, and an update that moves a record to another organization (a
changed foreign key) touches the organizations before and after.

A stamp changes twice per change: at once (so the writing request's own pages never come from before its change)
and again after the commit (so a page another request cached from the old data while the transaction was still
open is never served). Writes that bypass model signals (`QuerySet.update()`, `bulk_create`) on these models must
call `data_changed(organizations=...)` themselves (without organizations: every page).

The key also holds a stamp of the code and templates (`code_release()`), so a deploy never serves a page rendered by
the templates it replaced, and the language.

The cache is Redis in production and a file cache under var/ in the embedded default, so the web server, the worker
and management commands (seed_demo, load_policy) all see the same stamps.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils.translation import get_language

from governance import families

logger = logging.getLogger(__name__)

GLOBAL_KEY = "governance:stamp:global"
ANY_ORGANIZATION_KEY = "governance:stamp:any-organization"
FRAGMENT_TIMEOUT = 2 * 24 * 3600  # the date is part of the key: a fragment is never wanted after tomorrow

Touched = set[int] | None  # the organizations a change touches; None: any page may change


CORE_SCOPE = "core"


def _org_key(organization_id: int, scope: str | None = None) -> str:
    if scope is None:
        return f"governance:stamp:org:{organization_id}"
    return f"governance:stamp:org:{organization_id}:{scope}"


@functools.cache
def _scope_of(label: str) -> str:
    """The scope a change of the model "app_label.modelname" moves: its family's name, or the core's."""
    return families.scope_watching(label) or CORE_SCOPE


def _scope_of_model(model: Any) -> str:
    return _scope_of(model._meta.concrete_model._meta.label_lower)


# --- what a change touches --------------------------------------------------------------------------------------


def everything(instance: Any) -> None:
    """For models any page may show: rules, the calendar, the organization tree …"""
    return None


def organizations_touched_by_person(person: Any) -> set[int] | None:
    """A person's name shows on the pages of every team they sat on (one query); a person on no team yet: any page
    (their account's page may show them from now on)."""
    from governance.models import Position

    found = set(
        Position.objects.filter(person_id=person.pk)
        .values_list("team__organization_id", flat=True)
        .distinct()
        .order_by()
    )
    if person.organization_id:
        found.add(person.organization_id)
    return found or None


def organizations_touched_by_position(position: Any) -> set[int]:
    """A position changes its team's pages (who owes what) and its holder's home page (one query)."""
    from governance.models import LeadershipTeam

    return set(LeadershipTeam.objects.filter(pk=position.team_id).values_list("organization_id", flat=True))


def organizations_touched_by_excuse(excuse: Any) -> set[int] | None:
    """An excused period shows on its team's pages (one query); without a team, anywhere."""
    if excuse.team_id is None:
        return None
    from governance.models import LeadershipTeam

    return set(LeadershipTeam.objects.filter(pk=excuse.team_id).values_list("organization_id", flat=True))


# The core's models. Every governance model is here or in NOT_SHOWN (governance/tests/test_freshness.py checks).
CORE_WATCHED: dict[str, Callable[[Any], Iterable[int] | None]] = {
    "governance.organization": everything,
    "governance.leadershipteam": everything,
    "governance.area": everything,
    "governance.regulation": everything,
    "governance.clause": everything,
    "governance.policypack": everything,
    "governance.obligationrule": everything,
    "governance.academicyear": everything,
    "governance.semester": everything,
    "governance.holidayyear": everything,
    "governance.holidaydate": everything,
    "governance.person": organizations_touched_by_person,
    "governance.position": organizations_touched_by_position,
    "governance.obligationexcuse": organizations_touched_by_excuse,
}
# The bookkeeping of sending, which no page shows as figures.
NOT_SHOWN = frozenset(
    {
        "governance.officealert",
        "governance.reminderdigest",
        "governance.remindersent",
        "governance.remindersectionsent",
        "governance.calendarfeedtoken",
    }
)


def watcher_for(model: Any) -> Callable[[Any], Iterable[int] | None] | None:
    """The callable that says which organizations a change of `model` touches; None for models no page shows
    (histories, reminder bookkeeping, models no family watches)."""
    label = model._meta.concrete_model._meta.label_lower
    return CORE_WATCHED.get(label) or families.watched_models().get(label)


def organizations_touched(instance: Any) -> Touched:
    """Which organizations a change of `instance` touches now (None: any page). For tests and callers of
    `data_changed` that write without signals."""
    watcher = watcher_for(type(instance))
    if watcher is None:
        return set()
    return _call(watcher, instance)


def _call(watcher: Callable[[Any], Iterable[int] | None], instance: Any) -> Touched:
    try:
        found = watcher(instance)
    except Exception:  # a failing mapping must not make a save fail: then every page is recomputed
        logger.exception("could not tell which organizations a change of %r touches", instance)
        return None
    return None if found is None else {int(o) for o in found if o is not None}


# --- stamps -------------------------------------------------------------------------------------------------------


def _new_stamp() -> str:
    return uuid.uuid4().hex[:16]


def _read(keys: list[str]) -> dict[str, str] | None:
    """The stamps under `keys` in one read; a missing one (first use, or evicted) is created, which only costs a
    recomputation. None when a stamp cannot be kept (then nothing may be cached on it)."""
    found = cache.get_many(keys)
    missing = [k for k in keys if not found.get(k)]
    if missing:
        for key in missing:
            cache.add(key, _new_stamp(), timeout=None)
        found.update(cache.get_many(missing))
        if any(not found.get(k) for k in missing):
            return None
    return {k: found[k] for k in keys}


def data_version() -> str:
    """The global stamp."""
    stamps = _read([GLOBAL_KEY])
    return stamps[GLOBAL_KEY] if stamps else ""


def organization_stamps(organizations: Iterable[int]) -> tuple[str, dict[int, str]] | None:
    """The global stamp and each organization's, in one read; None when the cache cannot keep them."""
    ids = sorted(set(organizations))
    stamps = _read([GLOBAL_KEY, *map(_org_key, ids)])
    if stamps is None:
        return None
    return stamps[GLOBAL_KEY], {o: stamps[_org_key(o)] for o in ids}


def _bump(organizations: frozenset[int] | None, scope: str = CORE_SCOPE) -> None:
    stamp = _new_stamp()
    if organizations is None:
        cache.set(GLOBAL_KEY, stamp, timeout=None)
    else:
        cache.set_many(
            {
                ANY_ORGANIZATION_KEY: stamp,
                **{_org_key(o): stamp for o in organizations},
                **{_org_key(o, scope): stamp for o in organizations},
            },
            timeout=None,
        )


def _bump_after_commit(organizations: frozenset[int] | None, scope: str = CORE_SCOPE) -> None:
    try:
        _bump(organizations, scope)
    except Exception:
        logger.exception("could not mark cached pages out of date after a commit")
    committed = getattr(_collecting, "touched", None)
    if committed is not None:
        committed.append(organizations)


# The changes committed while a request writes, for evaluating what they touch before it answers
# (governance.middleware.EvaluateOnWriteMiddleware).
_collecting = threading.local()


@contextlib.contextmanager
def changes_committed() -> Iterator[list[frozenset[int] | None]]:
    """Within the block, the organizations each committed change touched (None: any page) are appended to the list
    it yields; a change rolled back is never listed."""
    outer = getattr(_collecting, "touched", None)
    found: list[frozenset[int] | None] = []
    _collecting.touched = found
    try:
        yield found
    finally:
        _collecting.touched = outer


def data_changed(organizations: Iterable[int] | None = None, *, scope: str = CORE_SCOPE) -> None:
    """Mark cached fragments out of date, now and again when the current transaction commits: those of the given
    organizations, or (None) every one. `scope`: the family whose records changed (the core's by default, which
    every fragment depends on)."""
    touched = None if organizations is None else frozenset(organizations)
    if touched is not None and not touched:
        return
    try:
        _bump(touched, scope)
        transaction.on_commit(functools.partial(_bump_after_commit, touched, scope))
    except Exception:  # a cache that is down must not make a save fail; pages then compute every time
        logger.exception("could not mark cached pages out of date")


@functools.cache
def code_release() -> str:
    """A stamp of the code and templates this process runs: a deploy (or an edit under `make run`) makes earlier
    fragments unreachable, since their HTML came from other templates. Computed once per process from the files'
    sizes and modification times; processes running the same files agree, so they share their fragments."""
    digest = hashlib.sha1(usedforsecurity=False)
    base = str(settings.BASE_DIR)
    skip = {
        ".venv",
        ".uv",
        "var",
        "node_modules",
        ".git",
        "tests",
        "bench",
        "__pycache__",
        "static",
        "migrations",
    }
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt", ".mo")):
                stat = os.stat(os.path.join(root, name))
                digest.update(
                    f"{os.path.relpath(os.path.join(root, name), base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode()
                )
    return digest.hexdigest()[:12]


def fragment_key(
    name: str,
    *parts: object,
    organizations: Iterable[int] | None = None,
    scope: str | Iterable[str] | None = None,
) -> str | None:
    """The cache key of a fragment that depends on `organizations` (None: on every organization); with `scope` (one
    or several), only on their changes of those scopes and the core's. None when the stamps cannot be read back."""
    if organizations is not None and scope is not None:
        scopes = (scope,) if isinstance(scope, str) else tuple(scope)
        ids = sorted(set(organizations))
        scoped = [_org_key(o, s) for o in ids for s in dict.fromkeys((CORE_SCOPE, *scopes))]
        stamps = _read([GLOBAL_KEY, *scoped])
        if stamps is None:
            return None
        depends = ":".join([stamps[GLOBAL_KEY], *scopes, *(f"{k}={stamps[k]}" for k in scoped)])
    elif organizations is None:
        stamps = _read([GLOBAL_KEY, ANY_ORGANIZATION_KEY])
        if stamps is None:
            return None
        depends = f"{stamps[GLOBAL_KEY]}:{stamps[ANY_ORGANIZATION_KEY]}"
    else:
        read = organization_stamps(organizations)
        if read is None:
            return None
        global_stamp, by_org = read
        depends = global_stamp + "".join(f":{o}={s}" for o, s in by_org.items())
    digest = hashlib.sha1(depends.encode(), usedforsecurity=False).hexdigest()[:20]
    return ":".join(
        ["governance:fragment", name, code_release(), get_language() or "", *map(str, parts), digest]
    )


def organizations_of_user(user: Any) -> list[int]:
    """The organizations of every team the user's person sat on (one query): what a leader's home page shows."""
    from governance.models import Position

    return sorted(
        Position.objects.filter(person__user_id=user.pk)
        .values_list("team__organization_id", flat=True)
        .distinct()
        .order_by()
    )


def cached_fragment(
    name: str,
    *parts: object,
    render: Callable[[], str],
    organizations: Iterable[int] | None = None,
    scope: str | Iterable[str] | None = None,
) -> str:
    """`render()`'s result, cached under `name`, the stamps, the code release, the language and `parts` (whose page
    it is, the date, filters). The fragment depends on the global stamp and those of `organizations` (None: of
    every organization). Computed afresh when the cache cannot be reached."""
    try:
        key = fragment_key(name, *parts, organizations=organizations, scope=scope)
        html = cache.get(key) if key else None
    except Exception:
        logger.exception("cache unavailable; rendering %s without it", name)
        return render()
    if html is None:
        html = render()
        if key:
            try:
                cache.set(key, html, FRAGMENT_TIMEOUT)
            except Exception:
                logger.exception("could not cache %s", name)
    return html


# --- signals ------------------------------------------------------------------------------------------------------

_BEFORE = "_freshness_touched_before"


def _on_pre_save(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """An update that moves a record (a changed foreign key: a meeting to another organization, a position to
    another team) also touches where it was: read the old keys (one query) and map a copy of the old record."""
    if raw or instance._state.adding or instance.pk is None:
        return
    watcher = watcher_for(sender)
    if watcher is None or watcher is everything:
        return
    keys = [f for f in sender._meta.concrete_fields if f.is_relation]
    if update_fields is not None:
        keys = [f for f in keys if f.name in update_fields or f.attname in update_fields]
    if not keys:
        return
    try:
        row = sender._base_manager.filter(pk=instance.pk).values_list(*[f.attname for f in keys]).first()
    except Exception:
        logger.exception("could not read the record before its change")
        instance.__dict__[_BEFORE] = None
        return
    moved = [(f, old) for f, old in zip(keys, row or (), strict=False) if getattr(instance, f.attname) != old]
    if not moved:
        return
    before = copy.copy(instance)
    for field, old in moved:
        setattr(before, field.attname, old)  # also forgets the cached related object
    instance.__dict__[_BEFORE] = _call(watcher, before)


def _on_post_save(sender, instance, raw: bool = False, **kwargs) -> None:
    watcher = watcher_for(sender)
    if watcher is None:
        return
    before = instance.__dict__.pop(_BEFORE, set())
    if raw:  # fixtures: related rows may not be there yet
        data_changed()
        return
    after = _call(watcher, instance)
    data_changed(None if after is None or before is None else after | before, scope=_scope_of_model(sender))


def _on_pre_delete(sender, instance, **kwargs) -> None:
    """Mapped before the delete: a talk's participants (an M2M) are gone by post_delete."""
    watcher = watcher_for(sender)
    if watcher is not None:
        data_changed(_call(watcher, instance), scope=_scope_of_model(sender))


def _on_m2m_changed(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:
    """Before a removal (the people leaving still count) and after every change (the people joining count)."""
    if action not in ("pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # talk.participants.add(person): the talk changed
        watcher = watcher_for(type(instance))
        if watcher is not None:
            data_changed(_call(watcher, instance), scope=_scope_of_model(type(instance)))
        return
    watcher = watcher_for(model)  # person.talks.add(talk): each talk changed
    if watcher is None:
        return
    if pk_set is None:  # person.talks.clear(): which talks is not said
        data_changed()
        return
    touched: set[int] = set()
    for owner in model._base_manager.filter(pk__in=pk_set):
        found = _call(watcher, owner)
        if found is None:
            data_changed()
            return
        touched |= found
    data_changed(touched, scope=_scope_of_model(model))


def connect() -> None:
    """Called once from GovernanceConfig.ready()."""
    pre_save.connect(_on_pre_save, dispatch_uid="governance.freshness.pre_save")
    post_save.connect(_on_post_save, dispatch_uid="governance.freshness.save")
    pre_delete.connect(_on_pre_delete, dispatch_uid="governance.freshness.delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="governance.freshness.m2m")
