#!/usr/bin/env bash
# bench/improvements.sh: the improvement-plan figures (issue 14) on SQLite: a company of 100
# projects holding 100,000 plans (three measures and two progress notes each, one in ten a
# second cycle of an earlier one), read the way the console does: the company's kanban
# (GET /improvements, every state), one project's, one project's plans in one state, a
# project manager's (their two projects), and a plan's page (GET /improvements/{id}, random
# plans). Target: p99 < 20 ms for the list and the page.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-build/bench}/improvements
BIN=${BENCH_BIN:-build/anju}
DUR=${BENCH_SECONDS:-10}
N=${BENCH_PLANS:-100000}
rm -rf "$OUT" && mkdir -p "$OUT"
DB="$OUT/plans.db"
"$BIN" migrate --db "sqlite:$DB" >/dev/null 2>&1
printf 'bench-admin-pw\n' | "$BIN" user add --db "sqlite:$DB" --username benchadmin --role admin >/dev/null
printf 'bench-manager-pw\n' | "$BIN" user add --db "sqlite:$DB" --username benchmanager --role manager >/dev/null
NOW=$(date +%s)
t0=$(date +%s.%N)
sqlite3 "$DB" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
INSERT INTO projects (code, name, address, service_level, timezone, active, created_at, updated_at)
  SELECT 'PB' || i, '项目' || i, '', 2, 'Asia/Shanghai', 1, $NOW, $NOW FROM n;
INSERT INTO staff_projects (user_id, project_id)
  SELECT u.id, p.id FROM users u, projects p WHERE u.username = 'benchmanager' AND p.id IN (7, 42);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO improvements (id, project_id, source, source_ref, title, problem, cause, metric_kind, metric_key,
                          baseline, target, due_at, public, state, cycle_of, created_at, updated_at, check_value)
  SELECT i, 1 + i % 100,
         CASE i % 6 WHEN 0 THEN 'survey' WHEN 1 THEN 'complaints' WHEN 2 THEN 'inspection' WHEN 3 THEN 'mystery'
                    WHEN 4 THEN 'meeting' ELSE 'manual' END,
         'bench:' || i, '满意度提升：绿化养护 ' || i, '绿化养护得分 72.5，低于 85 分，须在 15 日内制定整改方案并公示。',
         '绿化外包单位养护频次不足，枯死苗木未及时补植', 'survey_dimension', 'greening', 72.5, 85,
         $NOW - 86400 * 300 + i * 250, i % 2,
         CASE WHEN i > $N - 3000 THEN (CASE i % 3 WHEN 0 THEN 'draft' WHEN 1 THEN 'analysed' ELSE 'approved' END)
              WHEN i > $N - 6000 THEN 'checking'
              ELSE (CASE i % 10 WHEN 0 THEN 'not_effective' WHEN 1 THEN 'cancelled' ELSE 'effective' END) END,
         CASE WHEN i % 10 = 5 AND i > 1000 THEN i - 1000 END,
         $NOW - 86400 * 310 + i * 250, $NOW - 86400 * 310 + i * 250,
         CASE WHEN i <= $N - 6000 THEN 88.0 END
  FROM n;
WITH RECURSIVE m(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM m WHERE k < 3)
INSERT INTO improvement_measures (improvement_id, seq, text, department, due_at, done, done_at)
  SELECT x.id, m.k, '措施 ' || m.k || '：草坪每两周修剪一次，枯死苗木一周内补植', '绿化部', x.due_at,
         x.state NOT IN ('draft', 'analysed', 'approved'), x.due_at - 86400
  FROM improvements x, m;
WITH RECURSIVE m(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM m WHERE k < 2)
INSERT INTO improvement_notes (improvement_id, seq, note, done, at)
  SELECT x.id, m.k, '已完成第 ' || m.k || ' 项措施，现场拍照留存', 1, x.due_at - 86400 FROM improvements x, m;
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
t1=$(date +%s.%N)
echo "seeded $N plans in 100 projects in $(python3 -c "print(round($t1 - $t0, 1))") s; database $(du -h "$DB" | cut -f1)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$BIN" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --quiet --no-jobs 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for i in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
login() { curl -sf -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
AT=$(login benchadmin bench-admin-pw)
MT=$(login benchmanager bench-manager-pw)
# what each read returns, so a wrong answer does not pass for a fast one
count() { curl -sf -H "Authorization: Bearer $1" "$URL/api/v1/$2" | python3 -c '
import json,sys; r=json.load(sys.stdin); i=r.get("items"); print(len(i) if i is not None else len(r["measures"]))'; }
rps() { grep 'Requests/sec' "$1" | awk '{print $2}'; }
p99() { grep -A4 'Latency Distribution' "$1" | grep ' 99%' | awk '{print $2}'; }
run() { # name token path who
  wrk -t2 -c8 -d"${DUR}s" --latency -H "Authorization: Bearer $2" "$URL/api/v1/$3" > "$OUT/$1.txt"
  echo "| GET /api/v1/$3 ($4, $(count "$2" "$3") rows) | $(rps "$OUT/$1.txt") req/s, p99 $(p99 "$OUT/$1.txt") | < 20 ms |"
}
{
echo
echo "| improvement figure ($N plans, 100 projects) | value | target |"
echo "|---|---|---|"
run company "$AT" "improvements?limit=50" admin
run column "$AT" "improvements?state=draft&limit=50" admin
run project "$AT" "improvements?project_id=42&limit=50" admin
run state "$AT" "improvements?project_id=42&state=approved&limit=50" admin
run mine "$MT" "improvements?limit=50" "manager of 2 projects"
run mycolumn "$MT" "improvements?state=analysed&limit=50" "manager of 2 projects"
wrk -t2 -c8 -d"${DUR}s" --latency -H "Authorization: Bearer $AT" -s bench/plan_get.lua "$URL" -- "$N" > "$OUT/page.txt"
non2xx=$(grep -i 'Non-2xx' "$OUT/page.txt" || true)
echo "| GET /api/v1/improvements/{id} (random of $N, $(count "$AT" "improvements/$((N / 2))") measures each) | $(rps "$OUT/page.txt") req/s, p99 $(p99 "$OUT/page.txt") $non2xx | < 20 ms |"
}
