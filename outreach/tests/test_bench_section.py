"""bench/run.py without --outreach-only writes bench/results.md afresh from what it measured, and it does not measure
the outreach pages (issue 10's ledger and 学年汇总): their section is put back as the last --outreach-only run wrote it,
where that run puts it (before the disclosure and supervision sections). No database, no measuring: the run is a
stand-in that writes a file."""

from __future__ import annotations

from bench import outreach_bench

OUTREACH = (
    "## Outreach (issue 10)\n\nMeasured on `bench-outreach.sqlite3`.\n\n| page | as |\n|---|---|\n"
    "| 工作台账 | leader |\n\n### Users\n\n- **office**: `dangban`\n"
)
DISCLOSURE = "## Disclosure (issue 11)\n\n| page |\n|---|\n| public |\n"
SUPERVISION = "## Supervision (issue 9)\n\n| page |\n|---|\n| list |\n"


def _results(*sections: str) -> str:
    return "\n".join(["# Benchmark results\n\n## Targets missed\n\nNone.\n", *sections])


def test_a_full_run_that_rewrites_the_results_keeps_the_outreach_section_where_it_stood(tmp_path):
    path = tmp_path / "results.md"
    path.write_text(_results(OUTREACH, DISCLOSURE, SUPERVISION), encoding="utf-8")

    def full_run() -> int:
        path.write_text(
            _results(DISCLOSURE.replace("public", "public, again"), SUPERVISION), encoding="utf-8"
        )
        return 0

    assert outreach_bench.keeping_section(full_run, path) == 0

    text = path.read_text(encoding="utf-8")
    assert outreach_bench.section_of(text) == OUTREACH
    assert text.index("## Targets missed") < text.index("## Outreach") < text.index("## Disclosure")
    assert text.index("## Disclosure") < text.index("## Supervision")
    assert "public, again" in text  # what the run measured stays


def test_a_run_that_writes_nothing_or_keeps_the_section_leaves_the_file_as_it_is(tmp_path):
    path = tmp_path / "results.md"
    before = _results(OUTREACH, DISCLOSURE, SUPERVISION)
    path.write_text(before, encoding="utf-8")
    assert outreach_bench.keeping_section(lambda: 1, path) == 1  # --no-write, --pages, a missed target
    assert path.read_text(encoding="utf-8") == before


def test_results_without_an_outreach_section_get_none(tmp_path):
    path = tmp_path / "results.md"
    path.write_text(_results(SUPERVISION), encoding="utf-8")

    def full_run() -> int:
        path.write_text(_results(SUPERVISION), encoding="utf-8")
        return 0

    outreach_bench.keeping_section(full_run, path)
    assert "Outreach" not in path.read_text(encoding="utf-8")


def test_the_section_is_read_up_to_the_next_section_and_not_a_subsection():
    assert outreach_bench.section_of(_results(OUTREACH, DISCLOSURE)) == OUTREACH
    assert outreach_bench.section_of(_results(OUTREACH)) == OUTREACH
    assert outreach_bench.section_of(_results(DISCLOSURE)) == ""
