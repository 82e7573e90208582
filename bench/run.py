#!/usr/bin/env python
"""The scale benchmark, in one command:

    .venv/bin/python bench/run.py            # build var/bench/bench.sqlite3 if missing, measure, write results.md
    .venv/bin/python bench/run.py --rebuild  # build the data set again first
    .venv/bin/python bench/run.py --profile dashboard-college   # cProfile + slowest SQL of one page

It builds (once) a SQLite database of a university with 20 colleges and five years of meetings and talks
(bench/dataset.py), then measures with django.test.Client, as the real users, each page's SQL query count and its
median and 95th-percentile server time, against the floor: the site's base template, empty, for the same user.
The reminder job is timed inside a transaction that is rolled back, so every run does the same work.

The clock is pinned to 2026-11-20 10:00 (Asia/Shanghai) with time-machine, so the figures do not drift as the real
date moves away from the data. Not a test: pytest never collects bench/.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
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

TARGETS = {"dashboard": 3.0, "admin": 10.0}
REMINDER_TARGET_S_PER_1000 = 2.0


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
    kind: str = "floor"  # floor | dashboard | overview | admin
    # Cold: every request finds the cached page out of date (as the first view after any change does), so it
    # measures the whole computation. Warm pages measure what repeated views of unchanged data cost.
    cold: bool = False
    samples: list[float] = field(default_factory=list)
    queries: int = 0
    size_kb: float = 0.0

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
    from governance.models import Organization

    college_id = Organization.objects.get(code=COLLEGE).pk
    return [
        Page("floor-university", "floor: base.html, empty", "university", "/__bench__/floor/"),
        Page("floor-college", "floor: base.html, empty", "college", "/__bench__/floor/"),
        Page("floor-office", "floor: base.html, empty", "office", "/__bench__/floor/"),
        Page("dashboard-university", "leader dashboard /", "university", "/", "dashboard"),
        Page("dashboard-college", "leader dashboard /", "college", "/", "dashboard"),
        Page(
            "dashboard-university-cold", "leader dashboard /, after a change", "university", "/", "cold", True
        ),
        Page("dashboard-college-cold", "leader dashboard /, after a change", "college", "/", "cold", True),
        Page("office-home", "office home / (今日关注)", "office", "/", "overview"),
        Page("office-home-cold", "office home /, after a change", "office", "/", "cold", True),
        Page("overview-all", "office overview /overview/ (all teams)", "office", "/overview/", "overview"),
        Page(
            "overview-all-cold",
            "office overview /overview/, after a change",
            "office",
            "/overview/",
            "cold",
            True,
        ),
        Page(
            "overview-college",
            f"office overview /overview/?org={COLLEGE}",
            "office",
            f"/overview/?org={COLLEGE}",
            "overview",
        ),  # fmt: skip
        Page("admin-talks", "admin Talk changelist", "office", "/admin/communication/talk/", "admin"),
        Page(
            "admin-meetings", "admin Meeting changelist", "office", "/admin/communication/meeting/", "admin"
        ),
        Page(
            "admin-meetings-college",
            "admin Meeting changelist, one college",
            "office",
            f"/admin/communication/meeting/?organization__id__exact={college_id}",
            "admin",
        ),  # fmt: skip
    ]


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


def measure_page(page: Page, client, *, requests: int, warmups: int, budget_s: float) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from governance.services.freshness import data_changed

    def prepare() -> None:
        if page.cold:
            data_changed()

    for _ in range(warmups):
        prepare()
        _get(client, page.url)
    # Queries counted on one request of their own: capturing slows the cursor, so timed requests run without it.
    prepare()
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, page.url)
    page.queries = len(captured.captured_queries)
    page.size_kb = len(response.content) / 1024
    deadline = time.perf_counter() + budget_s
    for _ in range(requests):
        prepare()
        started = time.perf_counter()
        _get(client, page.url)
        page.samples.append(time.perf_counter() - started)
        if time.perf_counter() > deadline and len(page.samples) >= 5:
            break


@dataclass
class ReminderResult:
    people: int
    digests: int
    items: int
    queries: int
    samples: list[float] = field(default_factory=list)
    plan_samples: list[float] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(self.samples)

    @property
    def per_1000_s(self) -> float:
        return self.median_s / self.people * 1000


def measure_reminders(*, runs: int, budget_s: float) -> ReminderResult:
    """reminders_collect for TODAY, each run in a transaction that is rolled back (nothing is queued or sent)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from governance.models import Position, ReminderSent
    from governance.services.reminders import reminders_collect, reminders_plan

    people = Position.objects.active_on(TODAY).values("person_id").distinct().count()
    result = ReminderResult(people=people, digests=0, items=0, queries=0)

    def once(capture: bool = False) -> float:
        with transaction.atomic():
            started = time.perf_counter()
            if capture:
                with CaptureQueriesContext(connection) as captured:
                    ids = reminders_collect(today=TODAY, queue=False)
                result.queries = len(captured.captured_queries)
            else:
                ids = reminders_collect(today=TODAY, queue=False)
            elapsed = time.perf_counter() - started
            result.digests = len(ids)
            result.items = ReminderSent.objects.filter(digest_id__in=ids).count()
            transaction.set_rollback(True)
        return elapsed

    once(capture=True)  # warm-up, and the query count
    deadline = time.perf_counter() + budget_s
    for _ in range(runs):
        result.samples.append(once())
        if time.perf_counter() > deadline and len(result.samples) >= 3:
            break
    for _ in range(min(3, len(result.samples))):
        started = time.perf_counter()
        reminders_plan(today=TODAY)
        result.plan_samples.append(time.perf_counter() - started)
    return result


# --- reporting ----------------------------------------------------------------------------------------------------


def _floor_of(page: Page) -> str:
    return f"floor-{page.who}"


def _target(page: Page) -> float | None:
    return TARGETS.get(page.kind)


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
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
    }


def render(
    pages: list[Page], reminders: ReminderResult | None, meta: dict, machine: dict, args, elapsed_s: float
) -> tuple[str, list[str]]:
    """The Markdown report and the list of missed targets."""
    by_key = {p.key: p for p in pages}
    users = _users()
    misses: list[str] = []
    lines = [
        "# Benchmark results",
        "",
        "Generated by `.venv/bin/python bench/run.py` — do not edit by hand. How to read it: README.md, 性能 / Performance.",
        "",
        f"Clock pinned to {NOW:%Y-%m-%d %H:%M} Asia/Shanghai. {args.requests} timed requests per page after "
        f"{args.warmups} warm-ups (fewer when a page is slow: see n). Times are server time through "
        "django.test.Client (all middleware, template rendering), SQLite, DEBUG off.",
        "",
        "| page | as | SQL queries | median ms | p95 ms | n | × floor | target | |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for page in pages:
        floor = by_key.get(_floor_of(page))
        ratio = page.median_ms / floor.median_ms if floor and page is not floor else None
        target = _target(page)
        verdict = ""
        if target is not None and ratio is not None:
            verdict = "ok" if ratio <= target else "**MISSED**"
            if ratio > target:
                misses.append(f"{page.label} as {page.who}: {ratio:.0f}× the floor (target {target:.0f}×)")
        lines.append(
            f"| {page.label} | {page.who} | {page.queries} | {page.median_ms:.1f} | {page.p95_ms:.1f} | "
            f"{len(page.samples)} | {'' if ratio is None else f'{ratio:.1f}×'} | "
            f"{'' if target is None else f'≤ {target:.0f}×'} | {verdict} |"
        )
    lines.append("")
    if reminders is not None:
        ok = reminders.per_1000_s <= REMINDER_TARGET_S_PER_1000
        if not ok:
            misses.append(
                f"reminder job: {reminders.per_1000_s:.1f} s per 1,000 people "
                f"(target {REMINDER_TARGET_S_PER_1000:.0f} s)"
            )
        lines += [
            "| reminder job (`reminders_collect`, rolled back) | value |",
            "|---|--:|",
            f"| people on a leadership team on {TODAY} | {reminders.people} |",
            f"| digests / reminder items written | {reminders.digests} / {reminders.items} |",
            f"| SQL queries | {reminders.queries} |",
            f"| median time, n={len(reminders.samples)} | {reminders.median_s:.2f} s |",
            f"| of which `reminders_plan` (evaluation, reads only) | {statistics.median(reminders.plan_samples):.2f} s |",
            f"| **per 1,000 people** (target ≤ {REMINDER_TARGET_S_PER_1000:.0f} s) | "
            f"**{reminders.per_1000_s:.2f} s** {'ok' if ok else '**MISSED**'} |",
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
    print()
    print(f"{'page':44} {'as':10} {'queries':>7} {'median':>9} {'p95':>9} {'n':>3} {'×floor':>8}")
    for page in pages:
        floor = by_key.get(_floor_of(page))
        ratio = page.median_ms / floor.median_ms if floor and page is not floor else None
        target = _target(page)
        mark = (
            ""
            if target is None or ratio is None
            else ("  ok" if ratio <= target else f"  MISSED (≤{target:.0f}×)")
        )
        print(
            f"{page.label[:44]:44} {page.who:10} {page.queries:7} {page.median_ms:7.1f}ms {page.p95_ms:7.1f}ms "
            f"{len(page.samples):3} {'' if ratio is None else f'{ratio:7.1f}×'}{mark}"
        )
    if reminders is not None:
        print(
            f"\nreminder job: {reminders.median_s:.2f} s for {reminders.people} people "
            f"({reminders.digests} digests, {reminders.items} items, {reminders.queries} queries) → "
            f"{reminders.per_1000_s:.2f} s per 1,000 people (target ≤ {REMINDER_TARGET_S_PER_1000:.0f} s)"
        )


# --- profiling ------------------------------------------------------------------------------------------------------


def profile(key: str, *, sql: int = 12, rows: int = 35) -> None:
    """One request of page `key` (or "reminders") under cProfile, and its slowest SQL statements."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from governance.services.reminders import reminders_collect

    if key == "reminders":

        def call():
            with transaction.atomic():
                reminders_collect(today=TODAY, queue=False)
                transaction.set_rollback(True)
    else:
        pages = {p.key: p for p in _pages()}
        if key not in pages:
            raise SystemExit(f"--profile: one of {', '.join([*pages, 'reminders'])}")
        page = pages[key]
        client = _clients()[page.who]
        _get(client, page.url)

        def call():
            if page.cold:
                from governance.services.freshness import data_changed

                data_changed()
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
    parser.add_argument("--reminder-runs", type=int, default=5, help="timed runs of the reminder job")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the data set (a quick look only)")
    parser.add_argument("--profile", metavar="PAGE", help="profile one page (or 'reminders') instead")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    args = parser.parse_args(argv)

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
        for page in pages:
            print(f"  measuring {page.key} ...", flush=True)
            measure_page(
                page,
                clients[page.who],
                requests=args.requests,
                warmups=args.warmups,
                budget_s=args.page_budget,
            )
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
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
