#!/usr/bin/env bash
# bench/sweep.sh [N]: times the SLA sweep job over N work orders (default
# 1,000,000) in SQLite: bench/sweep_data.sql writes them straight into a
# database that `anju migrate` created, as a sweep running every minute would
# have left them; then `anju jobs run sweep` runs three times:
#   1. a steady minute: what became due in the last two minutes;
#   2. again at once: nothing new (the cost of looking);
#   3. catch-up: every breach and escalation mark cleared first, as after a
#      long outage: a run stops taking on work after ~0.8 s and the rest
#      drains over the following minutes; reported: how many runs it took.
# The figure is the job's own time (the log line "done in X ms"); the
# command's wall time adds process start and opening the database.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=${BENCH_OUT:-build/bench/sweep}
rm -rf "$OUT" && mkdir -p "$OUT"
DB="$OUT/sweep.db"
[ -x build/anju ] || make -s server

build/anju migrate --db "sqlite:$DB" >/dev/null 2>&1
NOW=$(date +%s)
t0=$(date +%s.%N)
{ echo "CREATE TEMP TABLE bp AS SELECT $N AS n, $NOW AS now;"; cat bench/sweep_data.sql; } | sqlite3 "$DB"
t1=$(date +%s.%N)
echo "generated $N tickets in $(python3 -c "print(round($t1 - $t0, 1))") s; database $(du -h "$DB" | cut -f1)"
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null

run() {
  local label=$1 start end
  start=$(date +%s.%N)
  build/anju jobs run sweep --db "sqlite:$DB" >"$OUT/$label.json" 2>"$OUT/$label.log"
  end=$(date +%s.%N)
  local ms stats
  ms=$(grep -o 'done in [0-9.]* ms' "$OUT/$label.log" | awk '{print $3}')
  stats=$(python3 -c "import json,sys; s=json.load(open('$OUT/$label.json'))['stats']; print(', '.join('%s %d' % kv for kv in s.items() if kv[1]))")
  printf '| %s | %s ms | %s s | %s |\n' "$label" "$ms" "$(python3 -c "print(round($end - $start, 2))")" "$stats"
}

{
  echo
  echo "| sweep run over $N tickets | job time | command wall time | what it did |"
  echo "|---|---|---|---|"
  run "1-steady-minute"
  run "2-nothing-new"
  sqlite3 "$DB" "UPDATE ticket_sla SET breached_at = NULL, escalated = 0 WHERE met_at IS NULL AND paused_at IS NULL;"
  run "3-catch-up"
  # the rest of the backlog, one run (one minute, in a server) at a time
  for i in $(seq 2 50); do
    build/anju jobs run sweep --db "sqlite:$DB" >"$OUT/drain.json" 2>/dev/null
    left=$(python3 -c "import json; print(json.load(open('$OUT/drain.json'))['stats']['skipped'])")
    [ "$left" -eq 0 ] && break
  done
  echo "| 3-catch-up, drained | after $i runs | | |"
  run "4-steady-again"
} | tee "$OUT/results.md"
