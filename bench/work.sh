#!/usr/bin/env bash
# bench/work.sh [TASKS]: the plan/task engine's figures (issue 12) on SQLite:
#   1. generation: 100 projects × 60 plans (10 hourly rounds each) making their next
#      horizon (48 h for the rounds) from nothing — the job's own time;
#   2. the steady per-minute run right after (nothing new);
#   3. GET /tasks?mine=1 (and today's window) p99 with TASKS historical tasks in the
#      database (default 10,000,000; a guard owns 1/100th of them);
#   4. PUT /tasks/{id}/results/{key} (durable) against raw SQLite commits, one run.
set -euo pipefail
cd "$(dirname "$0")/.."
TASKS=${1:-10000000}
OUT=${BENCH_OUT:-build/bench}/work
BIN=${BENCH_BIN:-build/anju}
DUR=${BENCH_SECONDS:-10}
rm -rf "$OUT" && mkdir -p "$OUT"
DB="$OUT/work.db"
cc -O2 -o "$OUT/raw_commit" bench/raw_commit.c -lsqlite3
"$BIN" migrate --db "sqlite:$DB" >/dev/null 2>&1
NOW=$(date +%s)
t0=$(date +%s.%N)
{ echo "CREATE TEMP TABLE bp AS SELECT 100 AS projects, $NOW AS now, $TASKS AS tasks;"; cat bench/work_data.sql; } | sqlite3 "$DB" >/dev/null
t1=$(date +%s.%N)
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
echo "seeded 6000 plans and $TASKS tasks in $(python3 -c "print(round($t1 - $t0, 1))") s; database $(du -h "$DB" | cut -f1)"

job() {
  "$BIN" jobs run plans --db "sqlite:$DB" >"$OUT/$1.json" 2>"$OUT/$1.log"
  grep -o 'done in [0-9.]* ms' "$OUT/$1.log" | awk '{print $3}'
}
gen_ms=$(job generate)
gen_stats=$(python3 -c "import json; print(json.load(open('$OUT/generate.json'))['stats'])")
steady_ms=$(job steady)

printf 'bench-admin-pw\n' | "$BIN" user add --db "sqlite:$DB" --username benchadmin --role admin >/dev/null
printf 'bench-guard-pw\n' | "$BIN" user add --db "sqlite:$DB" --username benchguard --role guard --project WB1 >/dev/null
GUARD=$(sqlite3 "$DB" "SELECT id FROM users WHERE username = 'benchguard'")
sqlite3 "$DB" "UPDATE tasks SET assignee_id = $GUARD WHERE project_id = 1001;"
mine=$(sqlite3 "$DB" "SELECT COUNT(*) FROM tasks WHERE assignee_id = $GUARD")
# the equipment book of WB1: five lifts, its PM tasks spread over them
sqlite3 "$DB" "INSERT INTO equipment (project_id, code, name, class, criticality, status, qr_token, created_at, updated_at)
  SELECT 1001, 'DT-' || n, n || '号客梯', 'elevator', 'major', 'in_service', 'tok' || n, 0, 0
  FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5);
  UPDATE tasks SET equipment_id = (SELECT MIN(id) FROM equipment) + id % 5 WHERE project_id = 1001 AND kind = 'pm';"
MONTH=$(python3 -c "import datetime as d; print((d.datetime.now() - d.timedelta(days=380)).strftime('%Y-%m'))")

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$BIN" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --quiet --no-jobs 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for i in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
login() { curl -sf -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
GT=$(login benchguard bench-guard-pw)
AT=$(login benchadmin bench-admin-pw)
lat() { grep -A4 'Latency Distribution' | grep ' 99%' | awk '{print $2}'; }
rps() { grep 'Requests/sec' | awk '{print $2}'; }
TODAY=$(python3 -c "import datetime as d; t=d.datetime.now(d.timezone(d.timedelta(hours=8))).replace(hour=0,minute=0,second=0,microsecond=0); print(t.isoformat().replace('+','%2B'), (t+d.timedelta(days=1)).isoformat().replace('+','%2B'))")
set -- $TODAY
wrk -t2 -c8 -d"${DUR}s" --latency -H "Authorization: Bearer $GT" "$URL/api/v1/tasks?mine=1" > "$OUT/mine.txt"
wrk -t2 -c8 -d"${DUR}s" --latency -H "Authorization: Bearer $GT" "$URL/api/v1/tasks?mine=1&due_from=$1&due_to=$2" > "$OUT/today.txt"
wrk -t2 -c8 -d"${DUR}s" --latency -H "Authorization: Bearer $AT" "$URL/api/v1/stats/equipment?project_id=1001&month=$MONTH" > "$OUT/stats.txt"
FIRST=$(sqlite3 "$DB" "SELECT MIN(id) FROM tasks WHERE project_id = 1001 AND state = 'scheduled'")
raw=$("$OUT/raw_commit" "$OUT/raw.db" "$DUR")
wrk -t2 -c8 -d"${DUR}s" --latency -s bench/put_result.lua "$URL" -- "$FIRST" 40 "$AT" > "$OUT/put.txt"
put=$(rps < "$OUT/put.txt")
non2xx=$(grep -i 'Non-2xx' "$OUT/put.txt" || true)
cat <<TABLE

| plan/task figure ($TASKS tasks in the database) | value | target |
|---|---|---|
| generate next horizon, 100 projects × 60 plans | $gen_ms ms ($gen_stats) | < 1 s |
| steady per-minute run (nothing new) | $steady_ms ms | < 50 ms |
| GET /tasks?mine=1 ($mine tasks of the guard) | $(rps < "$OUT/mine.txt") req/s, p99 $(lat < "$OUT/mine.txt") | p99 < 20 ms |
| GET /tasks?mine=1&due_from=today&due_to=tomorrow | $(rps < "$OUT/today.txt") req/s, p99 $(lat < "$OUT/today.txt") | p99 < 20 ms |
| GET /stats/equipment (one project, $MONTH) | $(rps < "$OUT/stats.txt") req/s, p99 $(lat < "$OUT/stats.txt") | < 50 ms |
| raw SQLite commits (WAL, FULL) | $raw commits/s | — |
| PUT /tasks/{id}/results/{key} (durable) | $put req/s, p99 $(lat < "$OUT/put.txt") $non2xx | ≥ 0.3 × raw: ratio $(python3 -c "print(round($put / $raw, 2))") |
TABLE
