#!/usr/bin/env bash
# bench/patrol.sh: the patrol figures (issue 13) on SQLite: the check-in (one durable
# write: the scan, the round's item, the audit row) against raw durable single-row
# commits in the same run, and its p99. A demo database with a route of 100 checkpoints
# and 4,000 open rounds on it (all begun: a round opens 10 minutes before its start), so no
# scan repeats a (round, checkpoint) pair.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-build/bench}/patrol
BIN=${BENCH_BIN:-build/anju}
DUR=${BENCH_SECONDS:-10}
rm -rf "$OUT" && mkdir -p "$OUT"
DB="$OUT/patrol.db"
cc -O2 -o "$OUT/raw_commit" bench/raw_commit.c -lsqlite3
ANJU_DEMO_PASSWORD=bench-pass-1 "$BIN" demo --db "sqlite:$DB" --scale small --seed 1 >/dev/null 2>&1
printf 'bench-admin-pw\n' | "$BIN" user add --db "sqlite:$DB" --username benchadmin --role admin >/dev/null
NOW=$(date +%s)
sqlite3 "$DB" <<SQL
BEGIN;
INSERT INTO patrol_routes (project_id, name, active, created_at, updated_at)
  SELECT MIN(id), 'bench route', 1, $NOW, $NOW FROM projects;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
INSERT INTO patrol_checkpoints (route_id, project_id, seq, name, place, lat, lng, radius_m, key_area,
                                token, active, created_at, updated_at)
  SELECT r.id, r.project_id, n.i, 'cp' || n.i, '', 31.2304, 121.4737, 50, 0, 'bcp' || n.i, 1, $NOW, $NOW
  FROM n, patrol_routes r WHERE r.name = 'bench route';
INSERT INTO plans (project_id, kind, title, rrule, dtstart, window_minutes, workdays_only, assign,
                   equipment_ids, route_id, area, category, checklist, active, version, horizon,
                   generated_until, refill_at, created_at, updated_at)
  SELECT r.project_id, 'patrol', 'bench rounds', 'FREQ=HOURLY', $NOW, 45, 0, '{}', '[]', r.id, '', '',
         (SELECT json_group_array(json_object('key', CAST(id AS TEXT), 'label', name, 'type', 'check',
                 'min', NULL, 'max', NULL, 'required', json('true'), 'standard_id', NULL))
          FROM (SELECT id, name FROM patrol_checkpoints WHERE route_id = r.id ORDER BY seq)),
         0, 1, 0, $NOW + 10000000, 99999999999, $NOW, $NOW
  FROM patrol_routes r WHERE r.name = 'bench route';
INSERT INTO plan_versions (plan_id, version, checklist, created_at)
  SELECT id, 1, checklist, $NOW FROM plans WHERE title = 'bench rounds';
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 3999)
INSERT INTO tasks (plan_id, plan_version, project_id, kind, title, equipment_id, assignee_id,
                   starts_at, due_at, state, created_at, updated_at)
  SELECT p.id, 1, p.project_id, 'patrol', p.title, 0, NULL, $NOW - 4060 + n.i, $NOW + 86400 + n.i,
         'scheduled', $NOW, $NOW FROM n, plans p WHERE p.title = 'bench rounds';
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
FIRST=$(sqlite3 "$DB" "SELECT MIN(t.id) FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.title = 'bench rounds'")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$BIN" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --quiet --no-jobs 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for i in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
AT=$(curl -sf -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"benchadmin","password":"bench-admin-pw"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
raw=$("$OUT/raw_commit" "$OUT/raw.db" "$DUR")
[ -n "${BENCH_PERF:-}" ] && (perf record -g -p $PID -o "$OUT/perf.data" -- sleep 4 >/dev/null 2>&1 &)
wrk -t2 -c8 -d"${DUR}s" --latency -s bench/checkin.lua "$URL" -- "$FIRST" 2000 "$AT" > "$OUT/checkin.txt"
rps=$(grep 'Requests/sec' "$OUT/checkin.txt" | awk '{print $2}')
p99=$(grep -A4 'Latency Distribution' "$OUT/checkin.txt" | grep ' 99%' | awk '{print $2}')
non2xx=$(grep -i 'Non-2xx' "$OUT/checkin.txt" || true)
scans=$(sqlite3 "$DB" "SELECT COUNT(*) FROM patrol_scans s JOIN tasks t ON t.id = s.task_id JOIN plans p ON p.id = t.plan_id WHERE p.title = 'bench rounds'")
cat <<TABLE

| patrol figure | value | target |
|---|---|---|
| raw SQLite commits (WAL, FULL) | $raw commits/s | — |
| POST /tasks/{id}/checkins (durable; $scans scans stored) | $rps req/s, p99 $p99 $non2xx | ≥ 0.3 × raw: ratio $(python3 -c "print(round($rps / $raw, 2))"), p99 < 20 ms |
TABLE
