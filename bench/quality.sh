#!/usr/bin/env bash
# bench/quality.sh [PROJECTS]: a month's quality figures of one project (GET /stats/quality,
# issue 13) and its weekly self-check report (GET /reports/self-check) while the database
# holds a year of three-level inspections for PROJECTS projects (default 100): per project
# three daily self-checks (5 items), three monthly cross-checks and a monthly spot check
# (8 items), every item answered, 6 in 100 failed and raised as rectifications — and, beside
# them, what else a project's task table holds (hourly patrol rounds, two daily cleaning
# rounds), since the figures read tasks by project. Target < 50 ms (p99).
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECTS=${1:-100}
OUT=${BENCH_OUT:-build/bench}/quality
BIN=${BENCH_BIN:-build/anju}
DUR=${BENCH_SECONDS:-10}
rm -rf "$OUT" && mkdir -p "$OUT"
DB="$OUT/quality.db"
"$BIN" migrate --db "sqlite:$DB" >/dev/null 2>&1
printf 'bench-admin-pw\n' | "$BIN" user add --db "sqlite:$DB" --username benchadmin --role admin >/dev/null
NOW=$(date +%s)
DAY0=$(( (NOW + 28800) / 86400 * 86400 - 28800 ))
YEAR0=$(( DAY0 - 365 * 86400 ))
t0=$(date +%s.%N)
sqlite3 "$DB" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $PROJECTS)
INSERT INTO projects (code, name, address, service_level, timezone, active, created_at, updated_at)
  SELECT 'Q' || i, 'quality bench ' || i, '', 1 + i % 3, 'Asia/Shanghai', 1, $YEAR0, $YEAR0 FROM n;
-- the plans: (level, inspected department, daily or monthly, items)
CREATE TEMP TABLE kinds (k INTEGER, kind TEXT, level TEXT, dept TEXT, every INTEGER, items INTEGER);
INSERT INTO kinds VALUES (1, 'inspection', 'self', '保洁部', 1, 5), (2, 'inspection', 'self', '秩序部', 1, 5),
  (3, 'inspection', 'self', '工程部', 1, 5), (4, 'inspection', 'cross', '工程部', 30, 8),
  (5, 'inspection', 'cross', '保洁部', 30, 8), (6, 'inspection', 'cross', '客服部', 30, 8),
  (7, 'inspection', 'spot', NULL, 30, 8), (8, 'patrol', NULL, NULL, 0, 0), (9, 'cleaning', NULL, NULL, 1, 0),
  (10, 'cleaning', NULL, NULL, 1, 0);
INSERT INTO plans (project_id, kind, title, rrule, dtstart, window_minutes, workdays_only, assign,
                   equipment_ids, area, level, category, checklist, active, version, horizon,
                   generated_until, refill_at, inspected_department_id, created_at, updated_at)
  SELECT p.id, k.kind, k.kind || ' ' || k.k, CASE k.every WHEN 0 THEN 'FREQ=HOURLY' WHEN 1 THEN 'FREQ=DAILY'
         ELSE 'FREQ=MONTHLY' END, $YEAR0, 240, 0, '{}', '[]', '', k.level, '', '[]', 1, 1, 86400,
         $NOW + 10000000, 99999999999, (SELECT id FROM departments WHERE name = k.dept), $YEAR0, $YEAR0
  FROM projects p, kinds k;
INSERT INTO plan_versions (plan_id, version, checklist, created_at) SELECT id, 1, '[]', $YEAR0 FROM plans;
-- a year of tasks: hourly rounds, daily rounds and self-checks, monthly checks on day 15
WITH RECURSIVE h(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM h WHERE i < 365 * 24 - 1)
INSERT INTO tasks (plan_id, plan_version, project_id, kind, title, equipment_id, assignee_id,
                   starts_at, due_at, state, started_at, finished_at, score, created_at, updated_at)
  SELECT pl.id, 1, pl.project_id, pl.kind, pl.title, 0, NULL, $YEAR0 + h.i * 3600,
         $YEAR0 + h.i * 3600 + CASE WHEN k.every = 0 THEN 2700 ELSE 14400 END,
         CASE WHEN (pl.id + h.i) % 50 = 0 THEN 'missed' ELSE 'done' END,
         $YEAR0 + h.i * 3600 + 60,
         CASE WHEN (pl.id + h.i) % 50 = 0 THEN NULL ELSE $YEAR0 + h.i * 3600 + 1800 END,
         CASE WHEN pl.kind = 'inspection' AND (pl.id + h.i) % 50 <> 0 THEN 70 + (pl.id * 7 + h.i) % 31 END,
         $YEAR0, $YEAR0
  FROM plans pl JOIN kinds k ON pl.title = k.kind || ' ' || k.k, h
  WHERE k.every = 0 OR (k.every = 1 AND h.i % 24 = 9) OR (k.every = 30 AND h.i % 720 = 9 + 14 * 24);
-- the inspections' answers, and a rectification for each failed one
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)
INSERT INTO task_results (task_id, key, ok, value, note, measure, photos, answered_by, answered_at)
  SELECT t.id, 'K' || n.i, CASE WHEN (t.id * 7 + n.i * 13) % 100 < 6 THEN 0 ELSE 1 END, 'true', '', '', '[]',
         NULL, t.finished_at
  FROM tasks t JOIN plans pl ON pl.id = t.plan_id JOIN kinds k ON pl.title = k.kind || ' ' || k.k, n
  WHERE t.kind = 'inspection' AND t.state = 'done' AND n.i <= k.items;
INSERT INTO rectifications (project_id, task_id, department, problem, due_at, state, rounds,
                            checked_at, created_at, updated_at)
  SELECT t.project_id, t.id, 'cleaning', '不合格项 ' || r.key, r.answered_at + 3 * 86400,
         CASE WHEN r.answered_at > $NOW - 5 * 86400 THEN 'open' ELSE 'passed' END,
         1 + (t.id % 7 = 0), CASE WHEN r.answered_at <= $NOW - 5 * 86400 THEN r.answered_at + 2 * 86400 END,
         r.answered_at, r.answered_at
  FROM task_results r JOIN tasks t ON t.id = r.task_id WHERE r.ok = 0;
COMMIT;
SQL
sqlite3 "$DB" "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
t1=$(date +%s.%N)
read -r ntasks ninsp nres nrect < <(sqlite3 -separator ' ' "$DB" "SELECT (SELECT COUNT(*) FROM tasks),
  (SELECT COUNT(*) FROM tasks WHERE kind = 'inspection'), (SELECT COUNT(*) FROM task_results),
  (SELECT COUNT(*) FROM rectifications)")
echo "seeded $ntasks tasks ($ninsp inspections, $nres answers, $nrect rectifications) in $(python3 -c "print(round($t1 - $t0, 1))") s; database $(du -h "$DB" | cut -f1)"
PID_P=$(sqlite3 "$DB" "SELECT id FROM projects WHERE code = 'Q$(( PROJECTS / 2 ))'")
MONTH=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date +%Y-%m-15) -1 month" +%Y-%m)
WEEK=$(TZ=Asia/Shanghai date -d "-7 days" +%Y-%m-%d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$BIN" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --quiet --no-jobs 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for i in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
AT=$(curl -sf -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"benchadmin","password":"bench-admin-pw"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
STATS="$URL/api/v1/stats/quality?project_id=$PID_P&month=$MONTH"
SELF="$URL/api/v1/reports/self-check?project_id=$PID_P&week_of=$WEEK"
# what the figures say, so a wrong answer does not pass for a fast one
seen=$(curl -sf -H "Authorization: Bearer $AT" "$STATS" | python3 -c '
import json,sys; b=json.load(sys.stdin); print(sum(s["inspections"] for s in b["scores"]), len(b["scores"]), b["rectifications"]["raised"])')
weekn=$(curl -sf -H "Authorization: Bearer $AT" "$SELF" | python3 -c '
import json,sys; b=json.load(sys.stdin); print(sum(d["planned"] for d in b["departments"]))')
wrk -t2 -c8 -d"${DUR}s" --latency -H "Authorization: Bearer $AT" "$STATS" > "$OUT/stats.txt"
wrk -t2 -c8 -d"${DUR}s" --latency -H "Authorization: Bearer $AT" "$SELF" > "$OUT/self.txt"
rps() { grep 'Requests/sec' "$1" | awk '{print $2}'; }
p99() { grep -A4 'Latency Distribution' "$1" | grep ' 99%' | awk '{print $2}'; }
set -- $seen
cat <<TABLE

| quality figure ($PROJECTS projects, a year: $ninsp inspections, $nres answers, $nrect rectifications, $ntasks tasks in all) | value | target |
|---|---|---|
| GET /stats/quality (one project, $MONTH: $1 inspections in $2 department × level rows, $3 rectifications raised) | $(rps "$OUT/stats.txt") req/s, p99 $(p99 "$OUT/stats.txt") | < 50 ms |
| GET /reports/self-check (one project, the week of $WEEK: $weekn self-checks) | $(rps "$OUT/self.txt") req/s, p99 $(p99 "$OUT/self.txt") | — |
TABLE
