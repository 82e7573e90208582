#!/usr/bin/env python
"""The scale benchmark, in one command:

    .venv/bin/python bench/run.py            # build var/bench/bench.sqlite3 if missing, measure, write results.md
    .venv/bin/python bench/run.py --rebuild  # build the data set again first
    .venv/bin/python bench/run.py --profile dashboard-college-cold   # cProfile + slowest SQL of one page
    .venv/bin/python bench/run.py --disclosure-only   # the disclosure public page and archive (issue 11) only

It builds (once) a SQLite database of a university with 20 colleges and five years of meetings and talks
(bench/dataset.py), then measures with django.test.Client, as the real users, each page's SQL query count and its
median and 95th-percentile server time, against the floor: the site's base template, empty, for the same user,
measured in the same run. Every figure is read as a ratio to that floor (absolute times differ threefold between
machines).

Warm pages are asked for again with nothing changed. Cold pages are asked for after a change, made before every
timed request (governance.services.freshness.data_changed): one touching the leader's own organization (a talk in
their team), one in one college (c01) for the office's pages, or a rule change (everything). "Another college's
dashboard" is c01's secretary's page after a change in c02: it must be served from the cache. The "computed" column
says how many of the timed requests computed their page instead of taking it from the cache.
The reminder job is timed inside a transaction that is rolled back, so every run does the same work; "cold" runs
follow a rule change (every team evaluated), "warm" ones find the teams' views the office's pages left.

The clock is pinned to 2026-11-20 10:00 (Asia/Shanghai) with time-machine, so the figures do not drift as the real
date moves away from the data. Not a test: pytest never collects bench/.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import io
import json
import math
import os
import platform
import pstats
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# BENCH_VAR_DIR: another directory for the databases and the cache (two people measuring on one machine at once).
BENCH_VAR = Path(os.environ.get("BENCH_VAR_DIR") or ROOT / "var" / "bench")
DB_PATH = BENCH_VAR / "bench.sqlite3"
META_PATH = BENCH_VAR / "bench.json"
# The supervision family's pages (issue 9) are measured on a copy of the database with 20,000 supervised tasks added
# (bench/supervision_data.py), so the pages above keep exactly their data.
SUP_DB_PATH = BENCH_VAR / "bench-supervision.sqlite3"
SUP_META_PATH = BENCH_VAR / "bench-supervision.json"
RESULTS_PATH = Path(__file__).resolve().parent / "results.md"

TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
COLLEGE = "c01"  # adopted 000 as well as 001: the college secretary with the most rules

# What a sample measures: wall-clock time (the default), or with --clock cpu this process's CPU time, which other
# processes on a busy machine barely disturb (SQLite runs in the process, so its work is counted).
CLOCK = time.perf_counter
OTHER_COLLEGE = "c02"  # where the change is made that c01's pages must not notice

# × floor, by page kind.
TARGETS = {"dashboard": 3.0, "admin": 10.0, "dashboard-cold": 10.0, "office-cold": 40.0, "other-college": 3.0,
           "sup-list": 10.0, "sup-statistics": 20.0}  # fmt: skip
# The reminder job's time per 1,000 people, × the lowest floor of the run.
REMINDER_TARGET_X_FLOOR = 250.0
# Issue 9: the reminder job, urgings included, still takes at most this long per 1,000 people (seconds).
SUP_REMINDER_TARGET_S = 1.0


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    # Always the benchmark's own database and settings, whatever the shell or .env says.
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


# --- the data set -----------------------------------------------------------------------------------------------


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _remove_database() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{DB_PATH}{suffix}")
        if path.exists():
            path.unlink()
    META_PATH.unlink(missing_ok=True)


def ensure_database(*, rebuild: bool, scale: float) -> dict:
    """The benchmark database, built unless a complete one of this data set version and scale is present."""
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset

    meta = json.loads(META_PATH.read_text()) if META_PATH.exists() else None
    wanted = {"version": dataset.VERSION, "scale": scale}
    if not rebuild and meta and DB_PATH.exists() and {k: meta.get(k) for k in wanted} == wanted:
        meta["reused"] = True
        print(f"Reusing {_shown(DB_PATH)} (built {meta['built_at']}; --rebuild to build again)")
        call_command("migrate", interactive=False, verbosity=0)  # tables added since it was built
        return meta
    print(f"Building {_shown(DB_PATH)} (data set v{dataset.VERSION}, scale {scale}) ...")
    connection.close()
    _remove_database()
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_s = time.perf_counter() - started
    print(f"  migrate: {migrate_s:.1f} s")
    report = dataset.build(today=TODAY, scale=scale)
    total = time.perf_counter() - started
    print(f"  built in {total:.0f} s")
    meta = {
        **wanted,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(total, 1),
        "steps": [["migrate", round(migrate_s, 1)]] + [[n, round(s, 1)] for n, s in report.steps],
        "counts": _counts(),
    }
    META_PATH.write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    meta["reused"] = False
    return meta


def _counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from communication.models import Meeting, Talk
    from governance.models import LeadershipTeam, ObligationRule, Organization, Person, Position

    counts = {
        "organizations": Organization.objects.count(),
        "teams": LeadershipTeam.objects.count(),
        "people": Person.objects.count(),
        "positions": Position.objects.count(),
        "users": get_user_model().objects.count(),
        "obligation rules": ObligationRule.objects.count(),
        "meetings": Meeting.objects.count(),
        "meeting attendee rows": Meeting.attendees.through.objects.count(),
        "talks": Talk.objects.count(),
        "talk participant rows": Talk.participants.through.objects.count(),
    }
    counts["records (meetings + talks + their M2M rows)"] = (
        counts["meetings"]
        + counts["meeting attendee rows"]
        + counts["talks"]
        + counts["talk participant rows"]
    )
    return counts


# --- measuring ----------------------------------------------------------------------------------------------------


@dataclass
class Page:
    key: str
    label: str
    who: str  # a key of the users dict
    url: str
    kind: str = (
        "floor"  # floor | dashboard | overview | admin | dashboard-cold | office-cold | other-college | info
    )
    # The change made before every request: None (warm: repeated views of unchanged data), an organization's code
    # (a talk there: the pages of that organization are out of date), or "*" (a rule change: every page is).
    change: str | None = None
    floor: str = ""  # the floor page's key when not "floor-<who>"
    # The change written through the portal: the writing request also evaluated the obligations of the people of the
    # organization's teams (governance.middleware.EvaluateOnWriteMiddleware), timed apart in `write_samples`.
    written: bool = False
    samples: list[float] = field(default_factory=list)
    write_samples: list[float] = field(default_factory=list)
    queries: int = 0
    size_kb: float = 0.0
    computed: int = 0  # timed requests that computed their page rather than taking it from the cache
    teams_evaluated: list[int] = field(default_factory=list)  # per request, by the shared evaluation

    @property
    def cold(self) -> bool:
        return self.change is not None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


def _users() -> dict[str, tuple[str, str]]:
    """who → (username, description)."""
    from bench import dataset

    return {
        "university": (
            dataset.secretary_username(dataset.UNIVERSITY_CODE, TODAY),
            "校党委书记 university secretary",
        ),
        "college": (
            dataset.secretary_username(COLLEGE, TODAY),
            f"院党委书记 college secretary ({COLLEGE}: 000+001)",
        ),
        "office": (dataset.office_username(), "党委办公室 office"),
    }


def _pages() -> list[Page]:
    from bench import dataset
    from governance.models import Organization

    college_id = Organization.objects.get(code=COLLEGE).pk
    uni = dataset.UNIVERSITY_CODE
    meetings = "/admin/communication/meeting/"
    # fmt: off
    return [
        Page("floor-university", "floor: base.html, empty", "university", "/__bench__/floor/"),
        Page("floor-college", "floor: base.html, empty", "college", "/__bench__/floor/"),
        Page("floor-office", "floor: base.html, empty", "office", "/__bench__/floor/"),
        Page("dashboard-university", "leader dashboard /", "university", "/", "dashboard"),
        Page("dashboard-college", "leader dashboard /", "college", "/", "dashboard"),
        Page("dashboard-university-cold", "leader dashboard /, after a talk in own team (via the portal)", "university",
             "/", "dashboard-cold", uni, written=True),
        Page("dashboard-college-cold", "leader dashboard /, after a talk in own team (via the portal)", "college", "/",
             "dashboard-cold", COLLEGE, written=True),
        Page("dashboard-university-unwritten", "leader dashboard /, after a talk in own team saved by a command",
             "university", "/", "info", uni),
        Page("dashboard-college-unwritten", "leader dashboard /, after a talk in own team saved by a command",
             "college", "/", "info", COLLEGE),
        Page("dashboard-college-other", f"leader dashboard /, after a change in {OTHER_COLLEGE}", "college", "/",
             "other-college", OTHER_COLLEGE),
        Page("office-home", "office home / (今日关注)", "office", "/", "overview"),
        Page("office-home-cold", f"office home /, after a talk in {COLLEGE} (via the portal)", "office", "/",
             "office-cold", COLLEGE, written=True),
        Page("office-home-unwritten", f"office home /, after a talk in {COLLEGE} saved by a command", "office", "/",
             "info", COLLEGE),
        Page("office-home-rule", "office home /, after a rule change", "office", "/", "info", "*"),
        Page("overview-all", "office overview /overview/ (all teams)", "office", "/overview/", "overview"),
        Page("overview-all-cold", f"office overview /overview/, after a talk in {COLLEGE} (via the portal)",
             "office", "/overview/", "office-cold", COLLEGE, written=True),
        Page("overview-all-unwritten", f"office overview /overview/, after a talk in {COLLEGE} saved by a command",
             "office", "/overview/", "info", COLLEGE),
        Page("overview-all-rule", "office overview /overview/, after a rule change", "office", "/overview/",
             "info", "*"),
        Page("overview-college", f"office overview /overview/?org={COLLEGE}", "office", f"/overview/?org={COLLEGE}",
             "overview"),
        Page("admin-talks", "admin Talk changelist", "office", "/admin/communication/talk/", "admin"),
        Page("admin-meetings", "admin Meeting changelist", "office", meetings, "admin"),
        Page("admin-meetings-college", "admin Meeting changelist, one college", "office",
             f"{meetings}?organization__id__exact={college_id}", "admin"),
    ]
    # fmt: on


def _clients(users: dict[str, tuple[str, str]] | None = None) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    clients = {}
    for who, (username, _label) in (users or _users()).items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        clients[who] = client
    return clients


def _get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(
            f"GET {url} answered {response.status_code}; the benchmark measures working pages only."
        )
    return response


def make_change(change: str | None, *, written: bool = False) -> float:
    """What happened just before the request: a talk in one organization (its communication records changed), a rule
    change ("*"), or nothing. `written`: the talk was saved through the portal, whose request then evaluated the
    obligations of the people of that organization's teams before answering (EvaluateOnWriteMiddleware): returns how
    long that evaluation took (0 otherwise), which the writer waited for."""
    from governance.middleware import evaluate_after_write
    from governance.services.freshness import changes_committed, data_changed

    if change == "*":
        data_changed()
    elif change is not None:
        organization = _org_ids()[change]
        with changes_committed() as committed:
            data_changed(organizations=[organization], scope="communication.talks")  # a talk: its own scope
        if written and committed:
            from django.conf import settings
            from django.utils import translation

            # In the writing request's language (the site's).
            with translation.override(settings.LANGUAGE_CODE):
                started = CLOCK()
                evaluate_after_write(committed, today=TODAY)
                return CLOCK() - started
    return 0.0


@functools.cache
def _org_ids() -> dict[str, int]:
    from governance.models import Organization

    return dict(Organization.objects.values_list("code", "pk"))


class Spy:
    """Counts, without changing them, the pages computed rather than taken from the cache, and the teams the shared
    evaluation (governance.selectors.evaluations) evaluates."""

    def __init__(self) -> None:
        self.renders = 0
        self.teams: list[int] = []

    def __enter__(self) -> Spy:
        from governance import dashboard_views, views
        from governance.models import LeadershipTeam
        from governance.selectors import evaluations

        self._saved = [
            (views.HomeView, "_render_leader_home", views.HomeView._render_leader_home),
            (views.HomeView, "_render_office_today", views.HomeView._render_office_today),
            (dashboard_views, "office_overview", dashboard_views.office_overview),
            (evaluations, "evaluate_obligations", evaluations.evaluate_obligations),
        ]
        all_teams = LeadershipTeam.objects.count()
        spy = self

        def rendering(original):
            @functools.wraps(original)
            def wrapper(*args, **kwargs):
                spy.renders += 1
                return original(*args, **kwargs)

            return wrapper

        def evaluating(original):
            @functools.wraps(original)
            def wrapper(*args, **kwargs):
                team_ids = kwargs.get("team_ids")
                spy.teams.append(all_teams if team_ids is None else len(list(team_ids)))
                return original(*args, **kwargs)

            return wrapper

        for owner, name, original in self._saved:
            setattr(owner, name, (evaluating if name == "evaluate_obligations" else rendering)(original))
        return self

    def __exit__(self, *exc) -> None:
        for owner, name, original in self._saved:
            setattr(owner, name, original)


def measure_page(page: Page, client, *, requests: int, warmups: int, budget_s: float) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmups):
        make_change(page.change, written=page.written)
        _get(client, page.url)
    # Queries counted on one request of their own: capturing slows the cursor, so timed requests run without it.
    make_change(page.change, written=page.written)
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, page.url)
    page.queries = len(captured.captured_queries)
    page.size_kb = len(response.content) / 1024
    deadline = time.perf_counter() + budget_s
    for _ in range(requests):
        write = make_change(page.change, written=page.written)
        if page.written:
            page.write_samples.append(write)
        with Spy() as spy:
            started = CLOCK()
            _get(client, page.url)
            page.samples.append(CLOCK() - started)
        page.computed += 1 if spy.renders else 0
        page.teams_evaluated.append(sum(spy.teams))
        if time.perf_counter() > deadline and len(page.samples) >= 5:
            break


@dataclass
class ReminderRuns:
    samples: list[float] = field(default_factory=list)
    plan_samples: list[float] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(self.samples)


@dataclass
class ReminderResult:
    people: int
    digests: int = 0
    items: int = 0
    queries: int = 0
    cold: ReminderRuns = field(default_factory=ReminderRuns)  # after a rule change: every team evaluated
    warm: ReminderRuns = field(default_factory=ReminderRuns)  # the teams' views already in the cache
    # The daily run: the teams' views were made the day before (by that day's pages or run), and one college
    # changed since.
    daily: ReminderRuns = field(default_factory=ReminderRuns)
    # A rule changed through the portal (the admin, the pack adoption page): the writing request evaluates every
    # team's view before it answers (EvaluateOnWriteMiddleware), and the next job runs as "warm". Its seconds.
    rule_write_samples: list[float] = field(default_factory=list)

    def per_1000_s(self, runs: ReminderRuns) -> float:
        return runs.median_s / self.people * 1000


def measure_reminders(*, runs: int, budget_s: float) -> ReminderResult:
    """reminders_collect for TODAY, each run in a transaction that is rolled back (nothing is queued or sent)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from governance.models import Position, ReminderSent
    from governance.services.reminders import reminders_collect, reminders_plan

    people = Position.objects.active_on(TODAY).values("person_id").distinct().count()
    result = ReminderResult(people=people)

    from governance.selectors.evaluations import current_view

    def once(change: str | None, capture: bool = False) -> float:
        if change == "daily":
            make_change("*")
            current_view(today=TODAY - dt.timedelta(days=1))  # the day before: its pages, or its run
            make_change(COLLEGE, written=True)  # a talk in one college since, through the portal
        else:
            make_change(change)
        with transaction.atomic():
            started = CLOCK()
            if capture:
                with CaptureQueriesContext(connection) as captured:
                    ids = reminders_collect(today=TODAY, queue=False)
                result.queries = len(captured.captured_queries)
            else:
                ids = reminders_collect(today=TODAY, queue=False)
            elapsed = CLOCK() - started
            result.digests = len(ids)
            result.items = ReminderSent.objects.filter(digest_id__in=ids).count()
            transaction.set_rollback(True)
        return elapsed

    once("*", capture=True)  # warm-up, and the query count of a cold run
    for change, measured in (("*", result.cold), (None, result.warm), ("daily", result.daily)):
        deadline = time.perf_counter() + budget_s
        for _ in range(runs):
            measured.samples.append(once(change))
            if time.perf_counter() > deadline and len(measured.samples) >= 3:
                break
        for _ in range(min(3, len(measured.samples))):
            if change == "daily":
                make_change("*")
                current_view(today=TODAY - dt.timedelta(days=1))
                make_change(COLLEGE, written=True)
            else:
                make_change(change)
            started = CLOCK()
            reminders_plan(today=TODAY)
            measured.plan_samples.append(CLOCK() - started)
    from governance.middleware import evaluate_after_write

    for _ in range(3):
        make_change("*")
        started = CLOCK()
        evaluate_after_write([None], today=TODAY)
        result.rule_write_samples.append(CLOCK() - started)
    return result


def _rule_write_line(reminders: ReminderResult) -> str:
    if not reminders.rule_write_samples:
        return ""
    return (
        "a rule changed through the portal (the admin, the pack adoption page): the writing request evaluated "
        f"every team in {statistics.median(reminders.rule_write_samples):.3f} s before answering, and the next "
        "reminder job runs as the warm one"
    )


# --- supervision (issue 9) ------------------------------------------------------------------------------------------


def _use_database(path: Path) -> None:
    """Point the default connection at another SQLite file (the next query opens it)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = str(path)


def ensure_supervision_database(main_meta: dict, *, rebuild: bool) -> dict:
    """The supervision copy: the main database as built (`main_meta`) plus bench/supervision_data.py, built unless
    one of this version, made from the same main build, is present. Leaves the connection on it."""
    import shutil

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset, supervision_data

    wanted = {"version": supervision_data.VERSION, "main_built_at": main_meta["built_at"]}
    meta = json.loads(SUP_META_PATH.read_text()) if SUP_META_PATH.exists() else None
    if not rebuild and meta and SUP_DB_PATH.exists() and {k: meta.get(k) for k in wanted} == wanted:
        _use_database(SUP_DB_PATH)
        call_command("migrate", interactive=False, verbosity=0)
        meta["reused"] = True
        print(f"Reusing {_shown(SUP_DB_PATH)}")
        return meta
    print(
        f"Building {SUP_DB_PATH.name} (the main database + supervision data set v{supervision_data.VERSION}) ..."
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{SUP_DB_PATH}{suffix}").unlink(missing_ok=True)
    SUP_META_PATH.unlink(missing_ok=True)
    shutil.copyfile(DB_PATH, SUP_DB_PATH)
    _use_database(SUP_DB_PATH)
    call_command("migrate", interactive=False, verbosity=0)
    copy_s = time.perf_counter() - started
    print(f"  copy and migrate: {copy_s:.1f} s")
    office_id = get_user_model().objects.get(username=dataset.office_username()).pk
    steps = supervision_data.build(today=TODAY, office_user_id=office_id)
    meta = {
        **wanted,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 1),
        "steps": [["copy and migrate", round(copy_s, 1)]] + [[n, round(s, 1)] for n, s in steps],
        "counts": supervision_data.counts(),
    }
    SUP_META_PATH.write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    meta["reused"] = False
    return meta


def _supervision_users() -> dict[str, tuple[str, str]]:
    from bench import dataset, supervision_data

    return {
        "office": (dataset.office_username(), "党委办公室 office"),
        "liaison": (
            supervision_data.liaison_username(),
            f"单位联络员 a liaison of {supervision_data.LIAISON_UNIT}",
        ),
    }


def _supervision_pages() -> list[Page]:
    floor, office, liaison = "/__bench__/floor/", "sup-floor-office", "sup-floor-liaison"
    # fmt: off
    return [
        Page(office, "floor: base.html, empty", "office", floor),
        Page(liaison, "floor: base.html, empty", "liaison", floor),
        Page("sup-list-office", "督办事项 list /supervision/ (default filters: all years)", "office",
             "/supervision/", "sup-list", floor=office),
        Page("sup-list-office-red", "督办事项 list, ?colour=red (overdue)", "office", "/supervision/?colour=red",
             "sup-list", floor=office),
        Page("sup-list-office-search", "督办事项 list, ?year=2025&q=整改 (a search)", "office",
             "/supervision/?year=2025&q=%E6%95%B4%E6%94%B9", "sup-list", floor=office),
        Page("sup-list-liaison", "a unit's list /supervision/ (its tasks)", "liaison", "/supervision/",
             "sup-list", floor=liaison),
        Page("sup-statistics", f"statistics /supervision/statistics/ ({TODAY.year})", "office",
             "/supervision/statistics/", "sup-statistics", floor=office),
        Page("sup-office-home-cold", f"office home / with its 督查督办 panel, after a change in {COLLEGE}",
             "office", "/", "info", COLLEGE, floor=office),
    ]
    # fmt: on


@dataclass
class UrgingResult:
    """The urging part of the reminder job: supervision.selectors.digest_sections, the family's provider, called as
    the core's job calls it (with the people on a leadership team today)."""

    people: int = 0  # the job's people: on a leadership team, plus the units' people it urges
    overdue: int = 0  # overdue open tasks
    recipients: int = 0
    sections: int = 0
    new_sections: int = 0  # not sent before (the outbox): what today's e-mails carry
    queries: int = 0
    samples: list[float] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(self.samples)

    def per_1000_s(self, seconds: float) -> float:
        return seconds / self.people * 1000


def measure_urging(*, runs: int, budget_s: float) -> UrgingResult:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from governance.models import Person, Position, ReminderSectionSent
    from governance.services.reminders import section_hash
    from supervision.models import OPEN_STATES, SupervisedTask
    from supervision.selectors import digest_sections

    candidates = list(
        Person.objects.filter(pk__in=Position.objects.active_on(TODAY).values("person_id")).select_related(
            "user"
        )
    )
    result = UrgingResult(
        overdue=SupervisedTask.objects.filter(state__in=OPEN_STATES, deadline__lt=TODAY).count()
    )
    with CaptureQueriesContext(connection) as captured:
        found = digest_sections(candidates, TODAY)
    result.queries = len(captured.captured_queries)
    result.recipients = len(found)
    result.people = len({p.pk for p in candidates} | set(found))
    result.sections = sum(len(s) for s in found.values())
    sent = set(
        ReminderSectionSent.objects.filter(family="supervision", person_id__in=list(found)).values_list(
            "person_id", "key_hash"
        )
    )
    result.new_sections = sum(
        1 for pid, sections in found.items() for s in sections if (pid, section_hash(s)) not in sent
    )
    deadline = time.perf_counter() + budget_s
    for _ in range(runs):
        started = CLOCK()
        digest_sections(candidates, TODAY)
        result.samples.append(CLOCK() - started)
        if time.perf_counter() > deadline and len(result.samples) >= 3:
            break
    return result


@dataclass
class SupervisionResult:
    meta: dict
    pages: list[Page]
    urging: UrgingResult | None = None
    reminders: ReminderResult | None = None
    without_urging: ReminderResult | None = None  # the same job with the family's digest sections left out


class WithoutUrging:
    """The reminder job as it would run if the supervision family gave no digest sections (its registration in
    governance.families, swapped for the time being): the difference is what the urging costs inside the job."""

    def __enter__(self) -> None:
        import dataclasses

        from governance import families

        self._saved = families._FAMILIES["supervision"]
        families._FAMILIES["supervision"] = dataclasses.replace(self._saved, digest_sections=None)

    def __exit__(self, *exc) -> None:
        from governance import families

        families._FAMILIES["supervision"] = self._saved


def measure_supervision(main_meta: dict, args, wanted: set[str] | None) -> SupervisionResult:
    """Phase two: the supervision pages, the urging part and the whole reminder job on the supervision copy."""
    from django.core.cache import cache

    meta = ensure_supervision_database(main_meta, rebuild=args.rebuild)
    cache.clear()  # the main database's pages and data stamps are not this database's
    clients = _clients(_supervision_users())
    pages = _supervision_pages()
    if wanted:
        pages = [p for p in pages if p.key in wanted or p.kind == "floor"]
    for page in pages:
        print(f"  measuring {page.key} ...", flush=True)
        measure_page(page, clients[page.who], requests=args.requests, warmups=args.warmups,
                     budget_s=args.page_budget)  # fmt: skip
    result = SupervisionResult(meta=meta, pages=pages)
    if not wanted or "urging" in wanted:
        print("  measuring the urging part of the reminder job ...", flush=True)
        result.urging = measure_urging(runs=max(args.reminder_runs, 10), budget_s=30.0)
        print("  measuring the reminder job with urgings ...", flush=True)
        result.reminders = measure_reminders(runs=args.reminder_runs, budget_s=60.0)
        result.reminders.people = result.urging.people
        print("  measuring the reminder job without the urgings ...", flush=True)
        with WithoutUrging():
            result.without_urging = measure_reminders(runs=args.reminder_runs, budget_s=60.0)
        result.without_urging.people = result.urging.people
    return result


def _supervision_verdicts(sup: SupervisionResult) -> tuple[dict[str, str], list[str]]:
    verdicts, misses = _verdicts(sup.pages, None)
    if sup.reminders is not None:
        for key, name, runs in (
            ("reminders", "cold", sup.reminders.cold),
            ("reminders-daily", "daily", sup.reminders.daily),
        ):
            per = sup.reminders.per_1000_s(runs)
            verdicts[key] = "ok" if per <= SUP_REMINDER_TARGET_S else "**MISSED**"
            if per > SUP_REMINDER_TARGET_S:
                misses.append(
                    f"reminder job with urgings ({name}): {per:.2f} s per 1,000 people "
                    f"(target ≤ {SUP_REMINDER_TARGET_S:g} s)"
                )
    return verdicts, misses


def render_supervision(sup: SupervisionResult, args) -> tuple[str, list[str]]:
    """The results' supervision section (it starts with SUPERVISION_HEADING and runs to the end of the file)."""
    by_key = {p.key: p for p in sup.pages}
    verdicts, misses = _supervision_verdicts(sup)
    users = _supervision_users()
    lines = [
        SUPERVISION_HEADING,
        "",
        f"Measured on `{SUP_DB_PATH.name}`, a copy of the database above with the supervision data set added "
        f"(bench/supervision_data.py), so the pages above keep their data. {args.requests} timed requests per page "
        f"after {args.warmups} warm-ups, server {args.clock} time; each page as a ratio to the floor page of the same "
        "user measured on this copy in this run. Targets (issue 9): the "
        f"lists ≤ {TARGETS['sup-list']:.0f}× the floor, the statistics ≤ {TARGETS['sup-statistics']:.0f}×, the "
        f"reminder job with urgings ≤ {SUP_REMINDER_TARGET_S:g} s per 1,000 people.",
        "",
        "| page | as | SQL queries | median ms | p95 ms | n | × floor | target | | KB |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|--:|",
    ]
    for page in sup.pages:
        floor = by_key.get(_floor_of(page))
        ratio = page.median_ms / floor.median_ms if floor and page is not floor else None
        target = _target(page)
        lines.append(
            f"| {page.label} | {page.who} | {page.queries} | {page.median_ms:.1f} | {page.p95_ms:.1f} | "
            f"{len(page.samples)} | {'' if ratio is None else f'{ratio:.1f}×'} | "
            f"{'' if target is None else f'≤ {target:.0f}×'} | {verdicts.get(page.key, '')} | {page.size_kb:.0f} |"
        )
    lines.append("")
    if sup.urging is not None and sup.reminders is not None and sup.without_urging is not None:
        u, r, w = sup.urging, sup.reminders, sup.without_urging
        lines += [
            "| reminder job with urgings (`reminders_collect`, rolled back) | cold: after a rule change | "
            f"daily: views made the day before, a change in {COLLEGE} since, through the portal | warm |",
            "|---|--:|--:|--:|",
            f"| people: on a leadership team on {TODAY}, plus the units' people urged | {r.people} | | |",
            f"| digests / reminder items written | {r.digests} / {r.items} | | |",
            f"| SQL queries (cold) | {r.queries} | | |",
            f"| median time, n={len(r.cold.samples)} / {len(r.daily.samples)} / {len(r.warm.samples)} | "
            f"{r.cold.median_s:.3f} s | {r.daily.median_s:.3f} s | {r.warm.median_s:.3f} s |",
            f"| **per 1,000 people** (target ≤ {SUP_REMINDER_TARGET_S:g} s) | "
            f"**{r.per_1000_s(r.cold):.3f} s** {verdicts['reminders']} | "
            f"**{r.per_1000_s(r.daily):.3f} s** {verdicts['reminders-daily']} | {r.per_1000_s(r.warm):.3f} s |",
            f"| the same job without the urgings (the family's digest sections left out) | "
            f"{w.cold.median_s:.3f} s ({w.digests} digests) | {w.daily.median_s:.3f} s | {w.warm.median_s:.3f} s |",
            f"| **the urging part in the job** (the difference), per 1,000 people | "
            f"**{r.per_1000_s(r.cold) - w.per_1000_s(w.cold):.3f} s** | "
            f"{r.per_1000_s(r.daily) - w.per_1000_s(w.daily):.3f} s | "
            f"{r.per_1000_s(r.warm) - w.per_1000_s(w.warm):.3f} s |",
            f"| of which the family's provider alone, `supervision.selectors.digest_sections` (n={len(u.samples)}) | "
            f"{u.median_s:.3f} s = {u.per_1000_s(u.median_s):.3f} s per 1,000 | | |",
            f"| … its SQL queries; overdue open tasks; people urged; sections (new today, the rest sent before) | "
            f"{u.queries}; {u.overdue}; {u.recipients}; {u.sections} ({u.new_sections}) | | |",
            "",
            "How the urging part is timed: the whole job (`reminders_collect`, rolled back) runs on this copy with "
            "the urgings and again with the family's digest sections left out (its registration swapped for the "
            "time being); the difference is what urging costs inside the job — the family's provider, the core's "
            "check of the sections already sent, and the digests written and rendered for the people urged. The "
            "provider is also timed alone, called with the people the core's job hands it (those on a leadership "
            "team today).",
            "",
        ]
    lines += ["### Users", ""]
    lines += [f"- **{who}**: `{username}` — {label}" for who, (username, label) in users.items()]
    lines += ["", "### Data set (added to the main one)", ""]
    lines += [f"- {name.strip()}{' (state)' if name.startswith('  ') else ''}: {value:,}"
              for name, value in sup.meta["counts"].items()]  # fmt: skip
    lines += [
        f"- built {sup.meta['built_at']} in {sup.meta['build_seconds']:.0f} s"
        + (" (reused this run)" if sup.meta.get("reused") else ""),
        "- steps: " + "; ".join(f"{name} {secs:.1f} s" for name, secs in sup.meta["steps"]),
        f"- database file: {SUP_DB_PATH.stat().st_size / 1e6:.0f} MB",
        f"- measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average at the end (1, 5, 15 min): "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "",
        "### Targets missed (supervision)",
        "",
    ]
    lines += [f"- {m}" for m in misses] if misses else ["None."]
    lines.append("")
    return "\n".join(lines), misses


def print_supervision(sup: SupervisionResult) -> None:
    by_key = {p.key: p for p in sup.pages}
    verdicts, _misses = _supervision_verdicts(sup)
    print("\nSupervision (issue 9), on the supervision copy:")
    for page in sup.pages:
        floor = by_key.get(_floor_of(page))
        ratio = page.median_ms / floor.median_ms if floor and page is not floor else None
        target = _target(page)
        mark = "" if target is None else f"≤{target:.0f}× {verdicts.get(page.key, '').strip('*')}"
        print(
            f"{page.label[:50]:50} {page.who:10} {page.queries:7} {page.median_ms:7.1f}ms {page.p95_ms:7.1f}ms "
            f"{len(page.samples):3} {'' if ratio is None else f'{ratio:7.1f}×':8}  {mark:12}"
        )
    if sup.urging is not None and sup.reminders is not None and sup.without_urging is not None:
        u, r, w = sup.urging, sup.reminders, sup.without_urging
        print(
            f"\nurging part (digest_sections): {u.median_s:.3f} s, {u.queries} queries, {u.overdue} overdue tasks, "
            f"{u.recipients} people, {u.sections} sections ({u.new_sections} new) → "
            f"{u.per_1000_s(u.median_s):.3f} s per 1,000 people"
        )
        for name, runs in (("cold", r.cold), ("daily", r.daily), ("warm", r.warm)):
            print(
                f"reminder job with urgings, {name}: {runs.median_s:.3f} s for {r.people} people "
                f"({r.digests} digests, {r.items} items) → {r.per_1000_s(runs):.3f} s per 1,000 people"
            )
        for name, runs in (("cold", w.cold), ("daily", w.daily), ("warm", w.warm)):
            print(
                f"the same job without the urgings, {name}: {runs.median_s:.3f} s ({w.digests} digests) → "
                f"{w.per_1000_s(runs):.3f} s per 1,000 people"
            )
        print(
            f"target ≤ {SUP_REMINDER_TARGET_S:g} s per 1,000 people: cold {verdicts['reminders'].strip('*')}, "
            f"daily {verdicts['reminders-daily'].strip('*')}"
        )


SUPERVISION_HEADING = "## Supervision (issue 9)"


def write_supervision_section(section: str) -> None:
    """Replace (or add) the supervision section of results.md, leaving the sections above it as they are."""
    text = RESULTS_PATH.read_text(encoding="utf-8") if RESULTS_PATH.exists() else "# Benchmark results\n"
    head = text.split("\n" + SUPERVISION_HEADING)[0].rstrip("\n")
    RESULTS_PATH.write_text(f"{head}\n\n{section}", encoding="utf-8")


# --- reporting ----------------------------------------------------------------------------------------------------


def _floor_of(page: Page) -> str:
    return page.floor or f"floor-{page.who}"


def _target(page: Page) -> float | None:
    return TARGETS.get(page.kind)


def _lowest_floor_ms(pages: list[Page]) -> float:
    return min(p.median_ms for p in pages if p.kind == "floor")


def _verdicts(pages: list[Page], reminders: ReminderResult | None) -> tuple[dict[str, str], list[str]]:
    """Each page's verdict ("ok" or "MISSED") against its target, and the list of targets missed."""
    by_key = {p.key: p for p in pages}
    verdicts: dict[str, str] = {}
    misses: list[str] = []
    for page in pages:
        floor = by_key.get(_floor_of(page))
        target = _target(page)
        if target is None or floor is None or page is floor:
            continue
        ratio = page.median_ms / floor.median_ms
        problems = []
        if ratio > target:
            problems.append(f"{ratio:.1f}× the floor (target ≤ {target:.0f}×)")
        if page.kind == "other-college":
            # Served warm: no request computed the page, with the warm page's queries (when it was measured).
            warm = by_key.get("dashboard-college")
            if page.computed:
                problems.append(f"{page.computed} of {len(page.samples)} requests computed the page")
            if warm is not None and page.queries != warm.queries:
                problems.append(f"{page.queries} queries, the warm page {warm.queries}")
        verdicts[page.key] = "**MISSED**" if problems else "ok"
        misses += [f"{page.label} as {page.who}: {p}" for p in problems]
    if reminders is not None:
        # Both runs are held to the target: the daily one (what the job does every morning) and the cold one (the
        # morning after a rule change, when every team is evaluated).
        for key, name, runs in (
            ("reminders", "cold", reminders.cold),
            ("reminders-daily", "daily", reminders.daily),
        ):
            ratio = reminders.per_1000_s(runs) * 1000 / _lowest_floor_ms(pages)
            verdicts[key] = "ok" if ratio <= REMINDER_TARGET_X_FLOOR else "**MISSED**"
            if ratio > REMINDER_TARGET_X_FLOOR:
                misses.append(
                    f"reminder job ({name}): {ratio:.0f}× the lowest floor per 1,000 people "
                    f"(target ≤ {REMINDER_TARGET_X_FLOOR:.0f}×)"
                )
    return verdicts, misses


def _machine() -> dict[str, str]:
    import django

    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 0
    cpu_model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(cpus),
        "cpu": cpu_model or platform.processor() or "?",
        "load average at the end (1, 5, 15 min)": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
    }


def _write_costs(pages: list[Page]) -> list[str]:
    """What the writer waited for on the pages whose change was written through the portal."""
    by_key = {p.key: p for p in pages}
    lines = []
    for page in pages:
        if not page.written or not page.write_samples:
            continue
        floor = by_key.get(_floor_of(page))
        cost = statistics.median(page.write_samples) * 1000
        ratio = f" ({cost / floor.median_ms:.1f}× the floor)" if floor else ""
        lines.append(
            f"{page.label}, as {page.who}: the writing request evaluated and rendered its organization's "
            f"people's obligations in {cost:.1f} ms{ratio} before answering (median of {len(page.write_samples)})"
        )
    return lines


def _computed(page: Page) -> str:
    if page.kind in ("floor", "admin"):
        return ""
    teams = statistics.mean(page.teams_evaluated) if page.teams_evaluated else 0
    evaluated = f", {teams:g} teams evaluated" if teams else ""
    return f"{page.computed}/{len(page.samples)}{evaluated}"


def render(
    pages: list[Page], reminders: ReminderResult | None, meta: dict, machine: dict, args, elapsed_s: float
) -> tuple[str, list[str]]:
    """The Markdown report and the list of missed targets."""
    by_key = {p.key: p for p in pages}
    users = _users()
    verdicts, misses = _verdicts(pages, reminders)
    lines = [
        "# Benchmark results",
        "",
        "Generated by `.venv/bin/python bench/run.py` — do not edit by hand. How to read it: README.md, 性能 / Performance.",
        "",
        f"Clock pinned to {NOW:%Y-%m-%d %H:%M} Asia/Shanghai. {args.requests} timed requests per page after "
        f"{args.warmups} warm-ups (fewer when a page is slow: see n). Times are server {args.clock} time through "
        "django.test.Client (all middleware, template rendering), SQLite, DEBUG off. Every figure is read as a "
        "ratio to the floor page of the same user in this run. A cold page follows a change made before each "
        f"request: in the leader's own team, in one college ({COLLEGE}) for the office's pages, in another college "
        f"({OTHER_COLLEGE}) for c01's secretary's page (which must stay cached), or a rule change. "
        '"computed": requests that computed their page rather than taking it from the cache, and the teams the '
        "shared evaluation evaluated per request.",
        "",
        "| page | as | SQL queries | median ms | p95 ms | n | × floor | target | | computed |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for page in pages:
        floor = by_key.get(_floor_of(page))
        ratio = page.median_ms / floor.median_ms if floor and page is not floor else None
        target = _target(page)
        lines.append(
            f"| {page.label} | {page.who} | {page.queries} | {page.median_ms:.1f} | {page.p95_ms:.1f} | "
            f"{len(page.samples)} | {'' if ratio is None else f'{ratio:.1f}×'} | "
            f"{'' if target is None else f'≤ {target:.0f}×'} | {verdicts.get(page.key, '')} | {_computed(page)} |"
        )
    lines.append("")
    lines += [f"- {line}" for line in _write_costs(pages)]
    lines.append("")
    if reminders is not None:
        floor_ms = _lowest_floor_ms(pages)

        def x_floor(runs: ReminderRuns) -> str:
            return f"{reminders.per_1000_s(runs) * 1000 / floor_ms:.0f}×"

        lines += [
            "| reminder job (`reminders_collect`, rolled back) | cold: after a rule change | "
            f"daily: views made the day before, a change in {COLLEGE} since, through the portal | warm: teams' views cached |",
            "|---|--:|--:|--:|",
            f"| people on a leadership team on {TODAY} | {reminders.people} | | |",
            f"| digests / reminder items written | {reminders.digests} / {reminders.items} | | |",
            f"| SQL queries (cold) | {reminders.queries} | | |",
            f"| median time, n={len(reminders.cold.samples)} / {len(reminders.daily.samples)} / "
            f"{len(reminders.warm.samples)} | {reminders.cold.median_s:.3f} s | {reminders.daily.median_s:.3f} s | "
            f"{reminders.warm.median_s:.3f} s |",
            "| of which `reminders_plan` (evaluation, reads only) | "
            f"{statistics.median(reminders.cold.plan_samples):.3f} s "
            f"| {statistics.median(reminders.daily.plan_samples):.3f} s "
            f"| {statistics.median(reminders.warm.plan_samples):.3f} s |",
            f"| per 1,000 people | {reminders.per_1000_s(reminders.cold):.3f} s | "
            f"{reminders.per_1000_s(reminders.daily):.3f} s | {reminders.per_1000_s(reminders.warm):.3f} s |",
            f"| **per 1,000 people × the lowest floor ({floor_ms:.1f} ms)** "
            f"(target ≤ {REMINDER_TARGET_X_FLOOR:.0f}×) | "
            f"**{x_floor(reminders.cold)}** {verdicts['reminders']} | **{x_floor(reminders.daily)}** "
            f"{verdicts['reminders-daily']} | {x_floor(reminders.warm)} |",
            "",
            f"- {_rule_write_line(reminders)}",
            "",
        ]
    lines += ["## Users", ""]
    lines += [f"- **{who}**: `{username}` — {label}" for who, (username, label) in users.items()]
    lines += ["", "## Data set", ""]
    lines += [f"- {name}: {value:,}" for name, value in meta["counts"].items()]
    build = f"{meta['build_seconds']:.0f} s incl. migrate"
    lines += [
        f"- built {meta['built_at']} in {build}" + (" (reused this run)" if meta.get("reused") else ""),
        "- steps: " + "; ".join(f"{name} {secs:.1f} s" for name, secs in meta["steps"]),
        f"- database file: {DB_PATH.stat().st_size / 1e6:.0f} MB",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in machine.items()]
    lines += [f"- whole run: {elapsed_s:.0f} s", ""]
    lines += ["## Targets missed", ""]
    lines += [f"- {m}" for m in misses] if misses else ["None."]
    lines.append("")
    return "\n".join(lines), misses


def print_table(pages: list[Page], reminders: ReminderResult | None) -> None:
    by_key = {p.key: p for p in pages}
    verdicts, _misses = _verdicts(pages, reminders)
    print()
    print(
        f"{'page':50} {'as':10} {'queries':>7} {'median':>9} {'p95':>9} {'n':>3} {'×floor':>8}  {'target':12} computed"
    )
    for page in pages:
        floor = by_key.get(_floor_of(page))
        ratio = page.median_ms / floor.median_ms if floor and page is not floor else None
        target = _target(page)
        mark = "" if target is None else f"≤{target:.0f}× {verdicts.get(page.key, '').strip('*')}"
        print(
            f"{page.label[:50]:50} {page.who:10} {page.queries:7} {page.median_ms:7.1f}ms {page.p95_ms:7.1f}ms "
            f"{len(page.samples):3} {'' if ratio is None else f'{ratio:7.1f}×':8}  {mark:12} {_computed(page)}"
        )
    for line in _write_costs(pages):
        print(line)
    if reminders is not None:
        floor_ms = _lowest_floor_ms(pages)
        for name, runs in (
            ("cold (after a rule change made by a command, or an emptied cache)", reminders.cold),
            (
                f"daily (views made the day before, a change in {COLLEGE} since, through the portal)",
                reminders.daily,
            ),
            ("warm (teams' views cached)", reminders.warm),
        ):
            per = reminders.per_1000_s(runs)
            print(
                f"\nreminder job, {name}: {runs.median_s:.3f} s for {reminders.people} people "
                f"({reminders.digests} digests, {reminders.items} items, {reminders.queries} queries cold) → "
                f"{per:.3f} s per 1,000 people = {per * 1000 / floor_ms:.0f}× the lowest floor"
            )
        print(
            f"target ≤ {REMINDER_TARGET_X_FLOOR:.0f}×: cold {verdicts['reminders'].strip('*')}, "
            f"daily {verdicts['reminders-daily'].strip('*')}"
        )
        print(_rule_write_line(reminders))


# --- profiling ------------------------------------------------------------------------------------------------------


def profile(key: str, *, sql: int = 12, rows: int = 35) -> None:
    """One request of page `key` (or "reminders", "reminders-warm") under cProfile, and its slowest SQL."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from governance.services.reminders import reminders_collect

    if key == "urging":
        from governance.models import Person, Position
        from supervision.selectors import digest_sections

        people = list(
            Person.objects.filter(
                pk__in=Position.objects.active_on(TODAY).values("person_id")
            ).select_related("user")
        )

        def call():
            digest_sections(people, TODAY)
    elif key in ("reminders", "reminders-warm"):
        change = "*" if key == "reminders" else None

        def run_job():
            with transaction.atomic():
                reminders_collect(today=TODAY, queue=False)
                transaction.set_rollback(True)

        run_job()

        def call():
            make_change(change)
            run_job()
    else:
        supervision = key.startswith("sup-")
        pages = {p.key: p for p in [*_pages(), *_supervision_pages()]}
        if key not in pages:
            raise SystemExit(
                f"--profile: one of {', '.join([*pages, 'reminders', 'reminders-warm', 'urging'])}"
            )
        page = pages[key]
        client = _clients(_supervision_users() if supervision else None)[page.who]
        _get(client, page.url)

        def call():
            make_change(page.change, written=page.written)
            _get(client, page.url)

    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        profiler.enable()
        call()
        profiler.disable()
        elapsed = time.perf_counter() - started
    total_sql = sum(float(q["time"]) for q in captured.captured_queries)
    print(
        f"\n{key}: {elapsed * 1000:.0f} ms, {len(captured.captured_queries)} queries, {total_sql * 1000:.0f} ms in SQL"
    )
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(rows)
        print(out.getvalue())
    print(f"Slowest {sql} SQL statements:")
    for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:sql]:
        print(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'][:600]}")


# --- disclosure (issue 11) ------------------------------------------------------------------------------------------

# The disclosure family's pages are measured on their own copy of the main database with 10,000 disclosure items added
# (bench/disclosure_data.py), like the supervision pages, so neither the pages above nor the supervision copy change.
DISC_DB_PATH = BENCH_VAR / "bench-disclosure.sqlite3"
DISC_META_PATH = BENCH_VAR / "bench-disclosure.json"
DISCLOSURE_HEADING = "## Disclosure (issue 11)"
# × floor: the public page (issue 11: ≤ 5× the floor). The archive has no target in the issue: its figures are reported.
TARGETS.update({"disc-public": 5.0})


def ensure_disclosure_database(main_meta: dict, *, rebuild: bool) -> dict:
    """The disclosure copy: the main database as built (`main_meta`) plus bench/disclosure_data.py, built unless one
    of this version, made from the same main build, is present. Leaves the connection on it."""
    import shutil

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset, disclosure_data

    wanted = {"version": disclosure_data.VERSION, "main_built_at": main_meta["built_at"]}
    meta = json.loads(DISC_META_PATH.read_text()) if DISC_META_PATH.exists() else None
    if not rebuild and meta and DISC_DB_PATH.exists() and {k: meta.get(k) for k in wanted} == wanted:
        _use_database(DISC_DB_PATH)
        call_command("migrate", interactive=False, verbosity=0)
        meta["reused"] = True
        print(f"Reusing {_shown(DISC_DB_PATH)}")
        return meta
    print(
        f"Building {DISC_DB_PATH.name} (the main database + disclosure data set v{disclosure_data.VERSION}) ..."
    )
    started = time.perf_counter()
    _use_database(DB_PATH)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DISC_DB_PATH}{suffix}").unlink(missing_ok=True)
    DISC_META_PATH.unlink(missing_ok=True)
    shutil.copyfile(DB_PATH, DISC_DB_PATH)
    _use_database(DISC_DB_PATH)
    call_command("migrate", interactive=False, verbosity=0)
    copy_s = time.perf_counter() - started
    print(f"  copy and migrate: {copy_s:.1f} s")
    office_id = get_user_model().objects.get(username=dataset.office_username()).pk
    steps = disclosure_data.build(today=TODAY, office_user_id=office_id)
    meta = {
        **wanted,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 1),
        "steps": [["copy and migrate", round(copy_s, 1)]] + [[n, round(s, 1)] for n, s in steps],
        "counts": disclosure_data.counts(),
    }
    DISC_META_PATH.write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    meta["reused"] = False
    return meta


def _disclosure_users() -> dict[str, tuple[str, str]]:
    from bench import dataset, disclosure_data

    return {
        "office": (dataset.office_username(), "党委办公室 office"),
        "member": (disclosure_data.MEMBER_USERNAME, "党员 a Party member"),
    }


def _disclosure_pages() -> list[Page]:
    floor, anon, office, member = (
        "/__bench__/floor/",
        "disc-floor-anonymous",
        "disc-floor-office",
        "disc-floor-member",
    )
    archive_search = "/disclosure/archive/?year=2024&q=%E6%95%B4%E6%94%B9"  # 整改
    # fmt: off
    return [
        Page(anon, "floor: base.html, empty, no login", "anonymous", "/__bench__/floor/public/"),
        Page(office, "floor: base.html, empty", "office", floor),
        Page(member, "floor: base.html, empty", "member", floor),
        Page("disc-public", "public page /disclosure/public/ (社会, no login)", "anonymous", "/disclosure/public/",
             "disc-public", floor=anon),
        Page("disc-public-cold", "public page, after a change (computed afresh)", "anonymous", "/disclosure/public/",
             "info", "*", floor=anon),
        Page("disc-feed", "Atom feed /disclosure/public/feed/", "anonymous", "/disclosure/public/feed/", "info",
             floor=anon),
        Page("disc-archive-office", "archive /disclosure/archive/ (everything)", "office", "/disclosure/archive/",
             "disc-archive", floor=office),
        Page("disc-archive-office-search", "archive, ?year=2024&q=整改 (a search)", "office", archive_search,
             "disc-archive", floor=office),
        Page("disc-archive-member", "archive /disclosure/archive/ (a member's scopes)", "member",
             "/disclosure/archive/", "disc-archive", floor=member),
        Page("disc-archive-anonymous", "archive /disclosure/archive/ (社会 only)", "anonymous",
             "/disclosure/archive/", "disc-archive", floor=anon),
    ]
    # fmt: on


@dataclass
class DisclosureResult:
    meta: dict
    pages: list[Page]


def measure_disclosure(main_meta: dict, args, wanted: set[str] | None) -> DisclosureResult:
    """Phase three: the public page and the archive at 10,000 items, on the disclosure copy."""
    from django.core.cache import cache
    from django.test import Client

    meta = ensure_disclosure_database(main_meta, rebuild=args.rebuild)
    cache.clear()  # the other databases' pages and data stamps are not this database's
    clients = {**_clients(_disclosure_users()), "anonymous": Client()}
    pages = _disclosure_pages()
    if wanted:
        pages = [p for p in pages if p.key in wanted or p.kind == "floor"]
    for page in pages:
        print(f"  measuring {page.key} ...", flush=True)
        measure_page(page, clients[page.who], requests=args.requests, warmups=args.warmups,
                     budget_s=args.page_budget)  # fmt: skip
    _use_database(DB_PATH)  # the supervision phase copies the main database from there
    return DisclosureResult(meta=meta, pages=pages)


def render_disclosure(disc: DisclosureResult, args) -> tuple[str, list[str]]:
    """The results' disclosure section (between the main report and the supervision section)."""
    by_key = {p.key: p for p in disc.pages}
    verdicts, misses = _verdicts(disc.pages, None)
    lines = [
        DISCLOSURE_HEADING,
        "",
        f"Measured on `{DISC_DB_PATH.name}`, a copy of the main database with the disclosure data set added "
        f"(bench/disclosure_data.py), so the pages above keep their data. {args.requests} timed requests per page "
        f"after {args.warmups} warm-ups, server {args.clock} time; each page as a ratio to the floor page of the same "
        "user (for the visitor without a login, base.html without login) measured on this copy in this run. Target "
        f"(issue 11): the public page ≤ {TARGETS['disc-public']:.0f}× the floor (served warm, from the fragment cache, "
        "as repeated visits are; the cold row computes it after a data change before every request). The archive "
        "has no target in the issue; its figures are reported.",
        "",
        "| page | as | SQL queries | median ms | p95 ms | n | × floor | target | | KB |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|--:|",
    ]
    for page in disc.pages:
        floor = by_key.get(_floor_of(page))
        ratio = page.median_ms / floor.median_ms if floor and page is not floor else None
        target = _target(page)
        lines.append(
            f"| {page.label} | {page.who} | {page.queries} | {page.median_ms:.1f} | {page.p95_ms:.1f} | "
            f"{len(page.samples)} | {'' if ratio is None else f'{ratio:.1f}×'} | "
            f"{'' if target is None else f'≤ {target:.0f}×'} | {verdicts.get(page.key, '')} | {page.size_kb:.0f} |"
        )
    meta = disc.meta
    lines += ["", "### Data set (added to the main one)", ""]
    lines += [f"- {name}: {count:,}" for name, count in meta.get("counts", {}).items()]
    lines += [
        f"- built {meta.get('built_at')} in {meta.get('build_seconds')} s"
        f"{' (reused this run)' if meta.get('reused') else ''}",
        f"- database file: {DISC_DB_PATH.stat().st_size / 1e6:.0f} MB",
        "",
        "### Targets missed (disclosure)",
        "",
        *([f"- {m}" for m in misses] or ["None."]),
        "",
    ]
    return "\n".join(lines), misses


def print_disclosure(disc: DisclosureResult) -> None:
    by_key = {p.key: p for p in disc.pages}
    verdicts, _misses = _verdicts(disc.pages, None)
    print("\nDisclosure (issue 11), on the disclosure copy:")
    for page in disc.pages:
        floor = by_key.get(_floor_of(page))
        ratio = f"{page.median_ms / floor.median_ms:5.1f}×" if floor and page is not floor else "      "
        print(
            f"  {page.key:28} {page.queries:3} q  {page.median_ms:7.1f} ms  {ratio}  {verdicts.get(page.key, '')}"
        )


def write_disclosure_section(section: str) -> None:
    """Replace (or add) the disclosure section of results.md, just before the supervision section; the rest stays."""
    text = RESULTS_PATH.read_text(encoding="utf-8") if RESULTS_PATH.exists() else "# Benchmark results\n"
    head, _, tail = text.partition("\n" + SUPERVISION_HEADING)
    tail = f"\n{SUPERVISION_HEADING}{tail}" if _ else ""
    head = head.split("\n" + DISCLOSURE_HEADING)[0].rstrip("\n")
    RESULTS_PATH.write_text(f"{head}\n\n{section.rstrip()}\n{tail}", encoding="utf-8")


# --- main -----------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rebuild", action="store_true", help="build the data set again")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmups", type=int, default=3, help="untimed requests first (default 3)")
    parser.add_argument("--page-budget", type=float, default=30.0,
                        help="seconds of timed requests per page before n is cut short (min 5 requests)")  # fmt: skip
    parser.add_argument(
        "--reminder-runs", type=int, default=5, help="timed runs of the reminder job, cold and warm"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the data set (a quick look only)")
    parser.add_argument("--profile", metavar="PAGE", help="profile one page (or 'reminders') instead")
    parser.add_argument(
        "--pages", metavar="KEY,KEY", help="measure only these pages (and the floors); no report"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    parser.add_argument("--no-supervision", action="store_true",
                        help="skip the supervision pages and the reminder job with urgings (issue 9)")  # fmt: skip
    parser.add_argument("--supervision-only", action="store_true",
                        help="measure only the supervision part; rewrite only its section of results.md")  # fmt: skip
    parser.add_argument("--no-disclosure", action="store_true",
                        help="skip the disclosure public page and archive (issue 11)")  # fmt: skip
    parser.add_argument("--disclosure-only", action="store_true",
                        help="measure only the disclosure part; rewrite only its section of results.md")  # fmt: skip
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall-clock time (default) or this process's CPU time (steadier on a busy machine)")  # fmt: skip
    args = parser.parse_args(argv)
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter

    started = time.perf_counter()
    _setup_django()
    import time_machine

    with time_machine.travel(NOW, tick=True):
        meta = ensure_database(rebuild=args.rebuild, scale=args.scale)
        from django.core.cache import cache

        cache.clear()  # cached pages of an earlier run (or data set) never count
        if args.profile:
            if args.profile.startswith("sup-") or args.profile == "urging":
                ensure_supervision_database(meta, rebuild=False)
                cache.clear()
            profile(args.profile)
            return 0
        clients = _clients()
        pages = [] if args.supervision_only or args.disclosure_only else _pages()
        wanted = set(args.pages.split(",")) if args.pages else None
        if wanted:
            main_keys = {p.key for p in pages}
            if wanted & main_keys or "reminders" in wanted:
                pages = [p for p in pages if p.key in wanted or p.kind == "floor"]
            else:
                pages = []
            args.no_write = True
        for page in pages:
            print(f"  measuring {page.key} ...", flush=True)
            measure_page(
                page,
                clients[page.who],
                requests=args.requests,
                warmups=args.warmups,
                budget_s=args.page_budget,
            )
        reminders = None
        if not (args.supervision_only or args.disclosure_only) and (not wanted or "reminders" in wanted):
            print("  measuring the reminder job ...", flush=True)
            reminders = measure_reminders(runs=args.reminder_runs, budget_s=60.0)
        disc = None
        disc_keys = {p.key for p in _disclosure_pages()}
        if args.disclosure_only or (
            not args.no_disclosure and not args.supervision_only and (not wanted or wanted & disc_keys)
        ):
            disc = measure_disclosure(meta, args, wanted)
        if args.disclosure_only:
            elapsed = time.perf_counter() - started
            section, disc_misses = render_disclosure(disc, args)
            print_disclosure(disc)
            if not args.no_write:
                write_disclosure_section(section)
                print(
                    f"\nWrote the disclosure section of {RESULTS_PATH.relative_to(ROOT)} (run {elapsed:.0f} s)."
                )
            if disc_misses:
                print("\nTargets missed:\n  " + "\n  ".join(disc_misses))
            return 1 if disc_misses else 0
        sup = None
        sup_keys = {p.key for p in _supervision_pages()} | {"urging"}
        if not args.no_supervision and (not wanted or wanted & sup_keys):
            sup = measure_supervision(meta, args, wanted)
    elapsed = time.perf_counter() - started
    disc_section, disc_misses = render_disclosure(disc, args) if disc else ("", [])
    if disc:
        print_disclosure(disc)
    sup_section, sup_misses = render_supervision(sup, args) if sup else ("", [])
    if sup:
        print_supervision(sup)
    if args.supervision_only:
        if not args.no_write and sup:
            write_supervision_section(sup_section)  # keeps the disclosure section, which stands before it
            print(
                f"\nWrote the supervision section of {RESULTS_PATH.relative_to(ROOT)} (run {elapsed:.0f} s)."
            )
        if sup_misses:
            print("\nTargets missed:\n  " + "\n  ".join(sup_misses))
        return 1 if sup_misses else 0
    print_table(pages, reminders)
    report, misses = render(pages, reminders, meta, _machine(), args, elapsed)
    if disc:
        report = f"{report.rstrip()}\n\n{disc_section}"
        misses = [*misses, *disc_misses]
    if sup:
        report = f"{report.rstrip()}\n\n{sup_section}"
        misses = [*misses, *sup_misses]
    if args.scale != 1.0:
        report = report.replace(
            "# Benchmark results", f"# Benchmark results (scale {args.scale}: not the real size)"
        )
    if not args.no_write:
        RESULTS_PATH.write_text(report, encoding="utf-8")
        print(f"\nWrote {RESULTS_PATH.relative_to(ROOT)} (whole run {elapsed:.0f} s).")
    if misses:
        print("\nTargets missed:\n  " + "\n  ".join(misses))
    else:
        print("\nEvery target met.")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench import outreach_bench

    if "--outreach-only" in sys.argv[1:]:
        # The outreach section (issue 10): its own copy of the database and its own part of results.md.
        sys.exit(outreach_bench.main(sys.argv[1:]))
    # Any other run that writes results.md writes it afresh without the outreach pages: their section, measured only
    # with --outreach-only, is put back as it was.
    sys.exit(outreach_bench.keeping_section(main))
