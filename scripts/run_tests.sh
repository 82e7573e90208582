#!/usr/bin/env bash
# The test suite in two passes, as `make test` runs it:
#   1. every test that needs no browser, in parallel (pytest-xdist, PYTEST_WORKERS workers, default "auto": one per
#      CPU). The tests are independent: each worker has its own test database (pytest-django adds _gw0, _gw1 … to
#      its name), its own cache keys (governance/settings/test.py) and its own temporary folders.
#   2. the browser tests (-m browser: Playwright against a live server), one at a time.
# Both passes get this script's arguments (make passes PYTEST_ARGS). With JUNIT_PREFIX, each writes a JUnit report: <prefix>-parallel.xml, <prefix>-browser.xml.
# When the arguments choose markers themselves (-m …), the suite runs once, serially, exactly as asked.
# PYTEST_WORKERS=0 runs the first pass serially too.
# Exit status: pytest's; "no tests collected" (5) in both passes fails (a selection matching nothing is no green run).
set -uo pipefail

PY=${PY:-.venv/bin/python}
ARGS=("$@")
WORKERS=${PYTEST_WORKERS:-auto}
JUNIT_PREFIX=${JUNIT_PREFIX:-}

junit() {
	[ -n "$JUNIT_PREFIX" ] && echo "--junitxml=$JUNIT_PREFIX-$1.xml"
}

# pass NAME ARGS...: runs pytest, prints how long it took; its exit status in $rc.
pass() {
	local name=$1 start=$SECONDS
	shift
	echo "=== make test: $name: pytest $*"
	"$PY" -m pytest "$@"
	rc=$?
	echo "=== make test: $name took $((SECONDS - start)) s (pytest exit $rc)"
}

for arg in "${ARGS[@]}"; do
	if [ "$arg" = "-m" ] || [[ "$arg" == -m?* ]]; then
		# shellcheck disable=SC2046
		pass "the tests the arguments choose" $(junit selected) "${ARGS[@]}"
		if [ "$rc" -eq 5 ]; then
			echo "make test: pytest collected no tests — failing." >&2
			exit 1
		fi
		exit "$rc"
	fi
done

parallel=()
[ "$WORKERS" != "0" ] && parallel=(-n "$WORKERS")
# shellcheck disable=SC2046
pass "tests without a browser (${WORKERS} workers)" "${parallel[@]}" -m "not browser" $(junit parallel) "${ARGS[@]}"
first=$rc
# shellcheck disable=SC2046
pass "browser tests (serially)" -m browser $(junit browser) "${ARGS[@]}"
second=$rc

if [ "$first" -eq 5 ] && [ "$second" -eq 5 ]; then
	echo "make test: pytest collected no tests — failing." >&2
	exit 1
fi
for status in "$first" "$second"; do
	if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then
		exit "$status"
	fi
done
exit 0
