#!/usr/bin/env bash
# bench/board.sh [SCANS]: today's round board (GET /patrols/board, issue 13) for a project
# with 48 rounds × 20 checkpoints today (every 30 minutes; the past ones walked, the rest
# to do) while the database holds SCANS stored scans of past rounds of the same project
# (default 10,000,000: 500,000 past rounds × 20). Target p99 < 20 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
SCANS=${1:-10000000}
OUT=${BENCH_OUT:-build/bench}/board
BIN=${BENCH_BIN:-build/anju}
DUR=${BENCH_SECONDS:-10}
rm -rf "$OUT" && mkdir -p "$OUT"
DB="$OUT/board.db"
"$BIN" migrate --db "sqlite:$DB" >/dev/null 2>&1
printf 'bench-admin-pw\n' | "$BIN" user add --db "sqlite:$DB" --username benchadmin --role admin >/dev/null
NOW=$(date +%s)
# today's midnight at +08:00
DAY0=$(( (NOW + 28800) / 86400 * 86400 - 28800 ))
PAST=$(( SCANS / 20 ))
t0=$(date +%s.%N)
sqlite3 "$DB" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
INSERT INTO projects (code, name, address, service_level, timezone, active, created_at, updated_at)
  VALUES ('BRD', 'board bench', '', 2, 'Asia/Shanghai', 1, $NOW, $NOW);
INSERT INTO patrol_routes (project_id, name, active, created_at, updated_at)
  SELECT id, 'board route', 1, $NOW, $NOW FROM projects WHERE code = 'BRD';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
INSERT INTO patrol_checkpoints (route_id, project_id, seq, name, place, lat, lng, radius_m, key_area,
                                token, active, created_at, updated_at)
  SELECT r.id, r.project_id, n.i, 'cp' || n.i, '', 31.2304, 121.4737, 50, 0, 'brd' || n.i, 1, $NOW, $NOW
  FROM n, patrol_routes r;
INSERT INTO plans (project_id, kind, title, rrule, dtstart, window_minutes, workdays_only, assign,
                   equipment_ids, route_id, area, category, checklist, active, version, horizon,
                   generated_until, refill_at, created_at, updated_at)
  SELECT r.project_id, 'patrol', '重点区域巡逻', 'FREQ=MINUTELY;INTERVAL=30', $DAY0, 25, 0, '{}', '[]', r.id, '', '',
         (SELECT json_group_array(json_object('key', CAST(id AS TEXT), 'label', name, 'type', 'check',
                 'min', NULL, 'max', NULL, 'required', json('true'), 'standard_id', NULL, 'scan', json('true'),
                 'key_area', json('false')))
          FROM (SELECT id, name FROM patrol_checkpoints ORDER BY seq)),
         0, 1, 0, $NOW + 10000000, 99999999999, $NOW, $NOW
  FROM patrol_routes r;
INSERT INTO plan_versions (plan_id, version, checklist, created_at) SELECT id, 1, checklist, $NOW FROM plans;
-- the past: $PAST walked rounds before today
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $PAST)
INSERT INTO tasks (plan_id, plan_version, project_id, kind, title, equipment_id, assignee_id,
                   starts_at, due_at, state, finished_at, created_at, updated_at)
  SELECT p.id, 1, p.project_id, 'patrol', p.title, 0, NULL, $DAY0 - 1800 - n.i * 60,
         $DAY0 - 300 - n.i * 60, 'done', $DAY0 - 600 - n.i * 60, $NOW, $NOW FROM n, plans p;
INSERT INTO patrol_scans (task_id, checkpoint_id, project_id, user_id, scanned_at, flags, device)
  SELECT t.id, c.id, t.project_id, NULL, t.starts_at + c.seq * 60,
         CASE WHEN (t.id + c.seq) % 50 = 0 THEN '["far"]' ELSE '[]' END, 'd'
  FROM tasks t, patrol_checkpoints c;
-- today: 48 rounds every 30 minutes; those begun before now walked (the current one half)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 47)
INSERT INTO tasks (plan_id, plan_version, project_id, kind, title, equipment_id, assignee_id,
                   starts_at, due_at, state, created_at, updated_at)
  SELECT p.id, 1, p.project_id, 'patrol', p.title, 0, NULL, $DAY0 + n.i * 1800, $DAY0 + n.i * 1800 + 1500,
         CASE WHEN $DAY0 + n.i * 1800 + 1500 <= $NOW THEN 'done'
              WHEN $DAY0 + n.i * 1800 <= $NOW THEN 'in_progress' ELSE 'scheduled' END, $NOW, $NOW
  FROM n, plans p;
INSERT INTO patrol_scans (task_id, checkpoint_id, project_id, user_id, scanned_at, flags, device)
  SELECT t.id, c.id, t.project_id, NULL, t.starts_at + c.seq * 60, '[]', 'd'
  FROM tasks t, patrol_checkpoints c
  WHERE t.starts_at >= $DAY0 AND (t.state = 'done' OR (t.state = 'in_progress' AND c.seq <= 10));
COMMIT;
SQL
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
t1=$(date +%s.%N)
stored=$(sqlite3 "$DB" "SELECT COUNT(*) FROM patrol_scans")
echo "seeded $stored scans in $(python3 -c "print(round($t1 - $t0, 1))") s; database $(du -h "$DB" | cut -f1)"
PID_P=$(sqlite3 "$DB" "SELECT id FROM projects WHERE code = 'BRD'")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$BIN" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --quiet --no-jobs 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for i in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
AT=$(curl -sf -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"benchadmin","password":"bench-admin-pw"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
rounds=$(curl -sf -H "Authorization: Bearer $AT" "$URL/api/v1/patrols/board?project_id=$PID_P" |
  python3 -c 'import json,sys; b=json.load(sys.stdin); print(len(b["rounds"]), b["totals"]["checkpoints"], b["totals"]["scanned"])')
wrk -t2 -c8 -d"${DUR}s" --latency -H "Authorization: Bearer $AT" "$URL/api/v1/patrols/board?project_id=$PID_P" > "$OUT/board.txt"
rps=$(grep 'Requests/sec' "$OUT/board.txt" | awk '{print $2}')
p99=$(grep -A4 'Latency Distribution' "$OUT/board.txt" | grep ' 99%' | awk '{print $2}')
set -- $rounds
cat <<TABLE

| round board figure | value | target |
|---|---|---|
| GET /patrols/board ($1 rounds, $2 checkpoints, $3 scanned today; $stored scans stored) | $rps req/s, p99 $p99 | p99 < 20 ms |
TABLE
