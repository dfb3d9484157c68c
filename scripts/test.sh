#!/usr/bin/env bash
# scripts/test.sh (make test): the house rules, unit tests, API tests on SQLite and on a real
# PostgreSQL server, the same under AddressSanitizer/UBSan, short fuzz runs.
# Ends with one line: N passed, N failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
RESULTS=$(mktemp)
export ANJU_RESULTS=$RESULTS
PGDIR=$(mktemp -d /tmp/anju-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { bash scripts/pg.sh stop "$PGDIR"; rm -rf "$PGDIR" "$RESULTS"; }
trap cleanup EXIT

section() { printf '\n=== %s\n' "$*"; }

# Runs a suite that appends "LABEL passed failed" to $RESULTS itself; a suite
# that dies before reporting counts as one failure, never as silence.
suite() {
  local label=$1; shift
  "$@"
  grep -q "^$label " "$RESULTS" || echo "$label 0 1" >> "$RESULTS"
}

# Criterion prints "Synthesis: Tested: T | Passing: P | Failing: F | Crashing: C".
criterion() {
  local label=$1; shift
  local out
  out=$("$@" 2>&1); local rc=$?
  echo "$out" | tail -n 30
  local syn p f c
  syn=$(echo "$out" | grep -a 'Synthesis:' | tail -n 1)
  p=$(echo "$syn" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
  f=$(echo "$syn" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
  c=$(echo "$syn" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
  if [ -z "$p" ]; then p=0; f=1; c=0; fi
  [ "$rc" -ne 0 ] && [ "$((f + c))" -eq 0 ] && f=1
  echo "$label $p $((f + c))" >> "$RESULTS"
}

section "the house: arrows, public headers, stems, prefixes, sizes (scripts/check_house.py)"
suite house python3 scripts/check_house.py

section "PostgreSQL server for the tests"
ANJU_TEST_PG=$(bash scripts/pg.sh start "$PGDIR" "$PGPORT") || { echo "cannot start PostgreSQL"; cat "$PGDIR"/*.log; exit 1; }
export ANJU_TEST_PG
echo "$ANJU_TEST_PG"

section "unit tests"
criterion unit build/unit_tests --jobs 2

section "API tests on SQLite"
suite api-sqlite env ANJU_BIN=build/anju ANJU_TEST_DB=sqlite python3 tests/api/run.py api-sqlite

section "API tests on PostgreSQL"
suite api-pg env ANJU_BIN=build/anju ANJU_TEST_DB=pg python3 tests/api/run.py api-pg

section "unit tests under AddressSanitizer + UBSan"
ASAN_OPTIONS=detect_leaks=0 criterion unit-asan build/asan/unit_tests --jobs 2

section "API tests under AddressSanitizer + UBSan (SQLite)"
suite api-asan env ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ANJU_BIN=build/asan/anju ANJU_TEST_DB=sqlite python3 tests/api/run.py api-asan

section "browser tests (chromium + playwright-core)"
suite e2e node tests/e2e/run.mjs

section "fuzz targets (short runs)"
FUZZ_SECONDS=${FUZZ_SECONDS:-10} bash fuzz/run.sh

section "summary"
awk '{ printf "  %-12s %4d passed, %d failed\n", $1, $2, $3; p += $2; f += $3 }
     END { printf "\n%d passed, %d failed\n", p, f; exit (f > 0) }' "$RESULTS"
