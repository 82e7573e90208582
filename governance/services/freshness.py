"""Pages cached until the data they show changes.

A leader's home page and the office overview evaluate every rule against months of records; the same figures are
asked for again and again between two changes. They are cached as rendered fragments whose key holds a *data
version*: a stamp in the cache that changes whenever a record any of these pages shows is saved or deleted (a
talk, a meeting, a position, a rule, a holiday …), and the date. A changed record therefore never shows stale
figures: the next request finds no fragment for the new version and computes it afresh.

The stamp changes twice per change: at once (so the writing request's own pages never come from before its change)
and again after the commit (so a page another request cached from the old data while the transaction was still
open is never served). Writes that bypass model signals (`QuerySet.update()`, `bulk_create`) on these models must
call `data_changed()` themselves.

The key also holds a stamp of the code and templates (`code_release()`), so a deploy never serves a page rendered by
the templates it replaced.

The cache is Redis in production and a file cache under var/ in the embedded default, so the web server, the worker
and management commands (seed_demo, load_policy) all see the same stamp.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "governance:data-version"
FRAGMENT_TIMEOUT = 2 * 24 * 3600  # the date is part of the key: a fragment is never wanted after tomorrow
# Every model of these apps feeds some dashboard, overview or panel …
SHOWN_APPS = frozenset({"governance", "communication", "outreach", "disclosure", "supervision"})
# … except the bookkeeping of sending, which no page shows as figures.
NOT_SHOWN = frozenset(
    {
        "governance.officealert",
        "governance.reminderdigest",
        "governance.remindersent",
        "governance.calendarfeedtoken",
    }
)


def data_version() -> str:
    """The current stamp; a missing one (first use, or evicted) is created, which only costs a recomputation."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed() -> None:
    """Mark every cached fragment out of date: now, and again when the current transaction commits."""
    try:
        _bump()
        transaction.on_commit(_bump)
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


def cached_fragment(name: str, *parts: object, render: Callable[[], str]) -> str:
    """`render()`'s result, cached under `name`, the data version, the code release, the language and `parts` (whose
    page it is, the date, filters). Computed afresh when the cache cannot be reached."""
    try:
        stamp = [data_version(), code_release(), get_language() or ""]
        key = ":".join(["governance:fragment", name, *stamp, *map(str, parts)])
        html = cache.get(key)
    except Exception:
        logger.exception("cache unavailable; rendering %s without it", name)
        return render()
    if html is None:
        html = render()
        try:
            cache.set(key, html, FRAGMENT_TIMEOUT)
        except Exception:
            logger.exception("could not cache %s", name)
    return html


def _is_shown(model) -> bool:
    meta = model._meta
    return meta.app_label in SHOWN_APPS and meta.label_lower not in NOT_SHOWN


def _on_save_or_delete(sender, **kwargs) -> None:
    if _is_shown(sender):
        data_changed()


def _on_m2m_changed(sender, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and _is_shown(type(instance)):
        data_changed()


def connect() -> None:
    """Called once from GovernanceConfig.ready()."""
    post_save.connect(_on_save_or_delete, dispatch_uid="governance.freshness.save")
    post_delete.connect(_on_save_or_delete, dispatch_uid="governance.freshness.delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="governance.freshness.m2m")
