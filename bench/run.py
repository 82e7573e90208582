#!/usr/bin/env python
"""The scale benchmark, in one command:

    .venv/bin/python bench/run.py            # build var/bench/bench.sqlite3 if missing, measure, write results.md
    .venv/bin/python bench/run.py --rebuild  # build the data set again first
    .venv/bin/python bench/run.py --profile dashboard-college-cold   # cProfile + slowest SQL of one page

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
BENCH_VAR = ROOT / "var" / "bench"
DB_PATH = BENCH_VAR / "bench.sqlite3"
META_PATH = BENCH_VAR / "bench.json"
RESULTS_PATH = Path(__file__).resolve().parent / "results.md"

TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
COLLEGE = "c01"  # adopted 000 as well as 001: the college secretary with the most rules

# What a sample measures: wall-clock time (the default), or with --clock cpu this process's CPU time, which other
# processes on a busy machine barely disturb (SQLite runs in the process, so its work is counted).
CLOCK = time.perf_counter
OTHER_COLLEGE = "c02"  # where the change is made that c01's pages must not notice

# × floor, by page kind.
TARGETS = {"dashboard": 3.0, "admin": 10.0, "dashboard-cold": 10.0, "office-cold": 40.0, "other-college": 3.0}
# The reminder job's time per 1,000 people, × the lowest floor of the run.
REMINDER_TARGET_X_FLOOR = 250.0


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    # Always the benchmark's own database and settings, whatever the shell or .env says.
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


# --- the data set -----------------------------------------------------------------------------------------------


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
        print(f"Reusing {DB_PATH.relative_to(ROOT)} (built {meta['built_at']}; --rebuild to build again)")
        call_command("migrate", interactive=False, verbosity=0)  # tables added since it was built
        return meta
    print(f"Building {DB_PATH.relative_to(ROOT)} (data set v{dataset.VERSION}, scale {scale}) ...")
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
    samples: list[float] = field(default_factory=list)
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
        Page("dashboard-university-cold", "leader dashboard /, after a change in own team", "university", "/",
             "dashboard-cold", uni),
        Page("dashboard-college-cold", "leader dashboard /, after a change in own team", "college", "/",
             "dashboard-cold", COLLEGE),
        Page("dashboard-college-other", f"leader dashboard /, after a change in {OTHER_COLLEGE}", "college", "/",
             "other-college", OTHER_COLLEGE),
        Page("office-home", "office home / (今日关注)", "office", "/", "overview"),
        Page("office-home-cold", f"office home /, after a change in {COLLEGE}", "office", "/", "office-cold",
             COLLEGE),
        Page("office-home-rule", "office home /, after a rule change", "office", "/", "info", "*"),
        Page("overview-all", "office overview /overview/ (all teams)", "office", "/overview/", "overview"),
        Page("overview-all-cold", f"office overview /overview/, after a change in {COLLEGE}", "office",
             "/overview/", "office-cold", COLLEGE),
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


def _clients() -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    clients = {}
    for who, (username, _label) in _users().items():
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


def make_change(change: str | None) -> None:
    """What happened just before the request: a change in one organization, a rule change ("*"), or nothing."""
    from governance.services.freshness import data_changed

    if change == "*":
        data_changed()
    elif change is not None:
        data_changed(organizations=[_org_ids()[change]])


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
        make_change(page.change)
        _get(client, page.url)
    # Queries counted on one request of their own: capturing slows the cursor, so timed requests run without it.
    make_change(page.change)
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, page.url)
    page.queries = len(captured.captured_queries)
    page.size_kb = len(response.content) / 1024
    deadline = time.perf_counter() + budget_s
    for _ in range(requests):
        make_change(page.change)
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

    def once(change: str | None, capture: bool = False) -> float:
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
    for change, measured in (("*", result.cold), (None, result.warm)):
        deadline = time.perf_counter() + budget_s
        for _ in range(runs):
            measured.samples.append(once(change))
            if time.perf_counter() > deadline and len(measured.samples) >= 3:
                break
        for _ in range(min(3, len(measured.samples))):
            make_change(change)
            started = CLOCK()
            reminders_plan(today=TODAY)
            measured.plan_samples.append(CLOCK() - started)
    return result


# --- reporting ----------------------------------------------------------------------------------------------------


def _floor_of(page: Page) -> str:
    return f"floor-{page.who}"


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
        ratio = reminders.per_1000_s(reminders.cold) * 1000 / _lowest_floor_ms(pages)
        verdicts["reminders"] = "ok" if ratio <= REMINDER_TARGET_X_FLOOR else "**MISSED**"
        if ratio > REMINDER_TARGET_X_FLOOR:
            misses.append(
                f"reminder job (cold): {ratio:.0f}× the lowest floor per 1,000 people "
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
    if reminders is not None:
        floor_ms = _lowest_floor_ms(pages)

        def x_floor(runs: ReminderRuns) -> str:
            return f"{reminders.per_1000_s(runs) * 1000 / floor_ms:.0f}×"

        lines += [
            "| reminder job (`reminders_collect`, rolled back) | cold: after a rule change | warm: teams' views cached |",
            "|---|--:|--:|",
            f"| people on a leadership team on {TODAY} | {reminders.people} | |",
            f"| digests / reminder items written | {reminders.digests} / {reminders.items} | |",
            f"| SQL queries (cold) | {reminders.queries} | |",
            f"| median time, n={len(reminders.cold.samples)} / {len(reminders.warm.samples)} | "
            f"{reminders.cold.median_s:.3f} s | {reminders.warm.median_s:.3f} s |",
            f"| of which `reminders_plan` (evaluation, reads only) | {statistics.median(reminders.cold.plan_samples):.3f} s "
            f"| {statistics.median(reminders.warm.plan_samples):.3f} s |",
            f"| per 1,000 people | {reminders.per_1000_s(reminders.cold):.3f} s | "
            f"{reminders.per_1000_s(reminders.warm):.3f} s |",
            f"| **per 1,000 people × the lowest floor ({floor_ms:.1f} ms)** (target ≤ {REMINDER_TARGET_X_FLOOR:.0f}×, cold) | "
            f"**{x_floor(reminders.cold)}** {verdicts['reminders']} | {x_floor(reminders.warm)} |",
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
    if reminders is not None:
        floor_ms = _lowest_floor_ms(pages)
        for name, runs in (
            ("cold (after a rule change)", reminders.cold),
            ("warm (teams' views cached)", reminders.warm),
        ):
            per = reminders.per_1000_s(runs)
            print(
                f"\nreminder job, {name}: {runs.median_s:.3f} s for {reminders.people} people "
                f"({reminders.digests} digests, {reminders.items} items, {reminders.queries} queries cold) → "
                f"{per:.3f} s per 1,000 people = {per * 1000 / floor_ms:.0f}× the lowest floor"
            )
        print(f"target (cold) ≤ {REMINDER_TARGET_X_FLOOR:.0f}×: {verdicts['reminders'].strip('*')}")


# --- profiling ------------------------------------------------------------------------------------------------------


def profile(key: str, *, sql: int = 12, rows: int = 35) -> None:
    """One request of page `key` (or "reminders", "reminders-warm") under cProfile, and its slowest SQL."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from governance.services.reminders import reminders_collect

    if key in ("reminders", "reminders-warm"):
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
        pages = {p.key: p for p in _pages()}
        if key not in pages:
            raise SystemExit(f"--profile: one of {', '.join([*pages, 'reminders', 'reminders-warm'])}")
        page = pages[key]
        client = _clients()[page.who]
        _get(client, page.url)

        def call():
            make_change(page.change)
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
            profile(args.profile)
            return 0
        clients = _clients()
        pages = _pages()
        if args.pages:
            wanted = set(args.pages.split(","))
            pages = [p for p in pages if p.key in wanted or p.kind == "floor"]
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
        if not args.pages or "reminders" in args.pages.split(","):
            print("  measuring the reminder job ...", flush=True)
            reminders = measure_reminders(runs=args.reminder_runs, budget_s=60.0)
    elapsed = time.perf_counter() - started
    print_table(pages, reminders)
    report, misses = render(pages, reminders, meta, _machine(), args, elapsed)
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
    sys.exit(main())
