"""The outreach family's benchmark (issue 10): a leader's ledger page (工作台账, 004 第六条2), its Excel export, and the
office's assessment summary (学年汇总, 第六条1) at five academic years of activities for 300 university leaders
(bench/outreach_data.py), each against the floor of the same user measured on the same copy in the same run; targets
≤ 10× the floor.

    BENCH_VAR_DIR=/tmp/outreach-bench .venv/bin/python bench/run.py --outreach-only [--rebuild] [--no-write]

Measured on its own copy of the main benchmark database (`bench-outreach.sqlite3`), built unless one of this data set
version made from the same main build is present, so the pages the other sections measure keep their data. Writes
only its own section of bench/results.md (before the disclosure and supervision sections, which it leaves as they are);
a full `bench/run.py` run, which writes results.md afresh, puts this section back as it was (keeping_section).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from bench import run

OUT_DB_PATH = run.BENCH_VAR / "bench-outreach.sqlite3"
OUT_META_PATH = run.BENCH_VAR / "bench-outreach.json"
OUTREACH_HEADING = "## Outreach (issue 10)"
# The brief's pages (issue 10: the ledger page and the assessment summary); the Excel export and the summary computed
# afresh after a change are shown without a target.
TARGETS = {"out-ledger": 10.0, "out-assessment": 10.0}


def ensure_outreach_database(main_meta: dict, *, rebuild: bool) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset, outreach_data

    wanted = {"version": outreach_data.VERSION, "main_built_at": main_meta["built_at"]}
    meta = json.loads(OUT_META_PATH.read_text()) if OUT_META_PATH.exists() else None
    if not rebuild and meta and OUT_DB_PATH.exists() and {k: meta.get(k) for k in wanted} == wanted:
        run._use_database(OUT_DB_PATH)
        call_command("migrate", interactive=False, verbosity=0)
        meta["reused"] = True
        print(f"Reusing {run._shown(OUT_DB_PATH)}")
        return meta
    print(f"Building {OUT_DB_PATH.name} (the main database + outreach data set v{outreach_data.VERSION}) ...")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{OUT_DB_PATH}{suffix}").unlink(missing_ok=True)
    OUT_META_PATH.unlink(missing_ok=True)
    shutil.copyfile(run.DB_PATH, OUT_DB_PATH)
    run._use_database(OUT_DB_PATH)
    call_command("migrate", interactive=False, verbosity=0)
    copy_s = time.perf_counter() - started
    office_id = get_user_model().objects.get(username=dataset.office_username()).pk
    steps = outreach_data.build(today=run.TODAY, office_user_id=office_id)
    meta = {
        **wanted,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 1),
        "steps": [["copy and migrate", round(copy_s, 1)]] + [[n, round(s, 1)] for n, s in steps],
        "counts": outreach_data.counts(),
    }
    OUT_META_PATH.write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    meta["reused"] = False
    return meta


def _users() -> dict[str, tuple[str, str]]:
    from bench import dataset

    return {
        "office": (dataset.office_username(), "党委办公室 office"),
        "leader": (
            dataset.secretary_username(dataset.UNIVERSITY_CODE, run.TODAY),
            "校党委书记 a university leader (their own ledger)",
        ),
    }


def _pages() -> list[run.Page]:
    from django.contrib.auth import get_user_model

    from governance.models import Person

    username = _users()["leader"][0]
    person = Person.objects.get(user=get_user_model().objects.get(username=username))
    ledger = f"/outreach/ledger/{person.pk}/"
    floor, office, leader = "/__bench__/floor/", "out-floor-office", "out-floor-leader"
    # fmt: off
    return [
        run.Page(office, "floor: base.html, empty", "office", floor),
        run.Page(leader, "floor: base.html, empty", "leader", floor),
        run.Page("out-ledger-leader", f"工作台账 {ledger} (own, {run.TODAY.year}—{run.TODAY.year + 1})", "leader",
                 ledger, "out-ledger", floor=leader),
        run.Page("out-ledger-last-year", f"工作台账 {ledger}?year={run.TODAY.year - 1} (a whole year)", "leader",
                 f"{ledger}?year={run.TODAY.year - 1}", "out-ledger", floor=leader),
        run.Page("out-ledger-cold", "工作台账 (own), after a rule change (computed afresh)", "leader", ledger, "info",
                 "*", floor=leader),
        run.Page("out-ledger-office", "the same ledger, as the office", "office", ledger, "out-ledger",
                 floor=office),
        run.Page("out-export", "its Excel export (a whole year)", "leader",
                 f"/outreach/ledger/{person.pk}/export/?year={run.TODAY.year - 1}", "info", floor=leader),
        run.Page("out-assessment", "学年汇总 /outreach/assessment/ (300 leaders, chart)", "office",
                 "/outreach/assessment/", "out-assessment", floor=office),
        run.Page("out-assessment-cold", "学年汇总, after a rule change (computed afresh)", "office",
                 "/outreach/assessment/", "info", "*", floor=office),
        run.Page("out-assessment-last-year", f"学年汇总 ?year={run.TODAY.year - 1} (a whole year)", "office",
                 f"/outreach/assessment/?year={run.TODAY.year - 1}", "out-assessment", floor=office),
    ]
    # fmt: on


def render(pages: list[run.Page], meta: dict, args: argparse.Namespace) -> tuple[str, list[str]]:
    by_key = {p.key: p for p in pages}
    misses: list[str] = []
    lines = [
        OUTREACH_HEADING,
        "",
        f"Measured on `{OUT_DB_PATH.name}`, a copy of the main database with the outreach data set added "
        f"(bench/outreach_data.py; run with `bench/run.py --outreach-only`). {args.requests} timed requests per page "
        f"after {args.warmups} warm-ups, server {args.clock} time, on {run.TODAY} (an autumn semester under way); each "
        "page as a ratio to the floor page of the same user measured on this copy in this run. Target (issue 10): "
        "≤ 10× the floor for the ledger and the summary. The summary's chart and table are cached until an activity, a "
        "position or a rule changes anywhere, the ledger's until an activity or an issue does (governance/services/"
        'freshness.py stamps); the rows "after a rule change" are the pages computed afresh on every request. A full '
        "`bench/run.py` run does not measure these pages: it keeps this section as the last `--outreach-only` run "
        "wrote it.",
        "",
        "| page | as | SQL queries | median ms | p95 ms | n | × floor | target | | KB |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|--:|",
    ]
    for page in pages:
        floor = by_key.get(page.floor) if page.floor else None
        ratio = page.median_ms / floor.median_ms if floor else None
        target = TARGETS.get(page.kind)
        verdict = ""
        if ratio is not None and target is not None:
            verdict = "ok" if ratio <= target else "**MISSED**"
            if ratio > target:
                misses.append(f"{page.key}: {ratio:.1f}× the floor (target ≤ {target:.0f}×)")
        lines.append(
            f"| {page.label} | {page.who} | {page.queries} | {page.median_ms:.1f} | {page.p95_ms:.1f} | "
            f"{len(page.samples)} | {'' if ratio is None else f'{ratio:.1f}×'} | "
            f"{'' if target is None else f'≤ {target:.0f}×'} | {verdict} | {page.size_kb:.0f} |"
        )
    lines += ["", "### Users", ""]
    lines += [f"- **{who}**: `{username}` — {label}" for who, (username, label) in _users().items()]
    lines += ["", "### Data set (added to the main one)", ""]
    lines += [f"- {name}: {value:,}" for name, value in meta["counts"].items()]
    lines += [
        f"- built {meta['built_at']} in {meta['build_seconds']:.0f} s"
        f"{' (reused this run)' if meta.get('reused') else ''}",
        "",
    ]
    return "\n".join(lines), misses


def write_section(section: str, path: Path | None = None) -> None:
    """Replace (or add) the outreach section of results.md: before the disclosure section if there is one, else before
    the supervision section, else at the end; every other section stays as it is."""
    path = path or run.RESULTS_PATH
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    start = text.find("\n" + OUTREACH_HEADING)
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + (text[end:] if end >= 0 else "\n")
    anchors = [i for i in (text.find("\n## Disclosure"), text.find("\n" + run.SUPERVISION_HEADING)) if i >= 0]
    at = min(anchors) if anchors else len(text)
    head, tail = text[:at].rstrip("\n"), text[at:]
    path.write_text(f"{head}\n\n{section.rstrip()}\n{tail if tail else ''}", encoding="utf-8")


def section_of(text: str) -> str:
    """The outreach section of a results.md text, from its heading to the next "## " heading ("" if it has none)."""
    start = text.find("\n" + OUTREACH_HEADING)
    if start < 0:
        return ""
    end = text.find("\n## ", start + 1)
    return text[start + 1 : end if end >= 0 else len(text)].rstrip() + "\n"


def keeping_section(measure: Callable[[], int], path: Path | None = None) -> int:
    """Run `measure` (bench/run.py's main: a full run writes results.md afresh from what it measured, and it does not
    measure the outreach pages) and put the outreach section back as it was if the run dropped it. Only
    `--outreach-only` measures that section again; a run that wrote nothing, or kept the section, is left alone."""
    path = path or run.RESULTS_PATH
    kept = section_of(path.read_text(encoding="utf-8")) if path.exists() else ""
    code = measure()
    if kept and path.exists() and not section_of(path.read_text(encoding="utf-8")):
        write_section(kept, path)
        print(f"Kept the outreach section of {path.name} from its last --outreach-only run.")
    return code


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--outreach-only", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="build the outreach copy again")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--page-budget", type=float, default=30.0)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    run.CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    started = time.perf_counter()
    run._setup_django()
    import time_machine

    with time_machine.travel(run.NOW, tick=True):
        main_meta = run.ensure_database(rebuild=False, scale=1.0)
        meta = ensure_outreach_database(main_meta, rebuild=args.rebuild)
        from django.core.cache import cache

        cache.clear()
        clients = run._clients(_users())
        pages = _pages()
        for page in pages:
            print(f"  measuring {page.key} ...", flush=True)
            run.measure_page(page, clients[page.who], requests=args.requests, warmups=args.warmups,
                             budget_s=args.page_budget)  # fmt: skip
    section, misses = render(pages, meta, args)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"\nWrote the outreach section of {run.RESULTS_PATH.relative_to(run.ROOT)} "
              f"(run {time.perf_counter() - started:.0f} s).")  # fmt: skip
    if misses:
        print("\nTargets missed:\n  " + "\n  ".join(misses))
    return 1 if misses else 0
