#!/usr/bin/env bash
# bench/survey.sh: the survey figures (issue 14) on SQLite: answers through invitation
# links (one durable write each: the invitation, the answer, eight tallies, the count, an
# audit row) against raw durable single-row commits in the same run; and the results of a
# survey holding 50,000 answers (GET /surveys/{id}/results, read from the tallies). Target:
# answers >= 0.3 x raw; results < 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-build/bench}/survey
BIN=${BENCH_BIN:-build/anju}
DUR=${BENCH_SECONDS:-10}
ROOMS=${BENCH_SURVEY_ROOMS:-100000}
BIG=${BENCH_SURVEY_ANSWERS:-50000}
rm -rf "$OUT" && mkdir -p "$OUT"
DB="$OUT/survey.db"
cc -O2 -o "$OUT/raw_commit" bench/raw_commit.c -lsqlite3
"$BIN" migrate --db "sqlite:$DB" >/dev/null 2>&1
printf 'bench-admin-pw\n' | "$BIN" user add --db "sqlite:$DB" --username benchadmin --role admin >/dev/null
NOW=$(date +%s)
DIMS='[{"key":"attitude","label":"服务态度"},{"key":"response","label":"响应效率"},{"key":"facilities","label":"设施维护"},{"key":"cleanliness","label":"环境卫生"},{"key":"security","label":"安全秩序"},{"key":"greening","label":"绿化养护"},{"key":"communication","label":"沟通与信息公开"},{"key":"overall","label":"总体评价"}]'
QS='[{"key":"q1","label":"a","type":"scale","dimension":"attitude"},{"key":"q2","label":"b","type":"scale","dimension":"response"},{"key":"q3","label":"c","type":"scale","dimension":"facilities"},{"key":"q4","label":"d","type":"scale","dimension":"cleanliness"},{"key":"q5","label":"e","type":"scale","dimension":"security"},{"key":"q6","label":"f","type":"scale","dimension":"greening"},{"key":"q7","label":"g","type":"scale","dimension":"communication"},{"key":"q8","label":"h","type":"scale","dimension":"overall"},{"key":"q9","label":"i","type":"text","dimension":null}]'
t0=$(date +%s.%N)
sqlite3 "$DB" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
INSERT INTO projects (code, name, address, service_level, timezone, active, created_at, updated_at)
  VALUES ('SVB', 'survey bench', '', 2, 'Asia/Shanghai', 1, $NOW, $NOW);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
INSERT INTO buildings (project_id, name, floors, active, created_at, updated_at)
  SELECT 1, i || '栋', 30, 1, $NOW, $NOW FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROOMS)
INSERT INTO rooms (project_id, building_id, unit, floor, number, active, created_at, updated_at)
  SELECT 1, 1 + i % 100, '1单元', 1 + i % 30, 'R' || i, 1, $NOW, $NOW FROM n;
-- the open survey the answers go to, and the one of 50,000 answers the results read
INSERT INTO surveys (project_id, title, period, opens_at, closes_at, dimensions, questions, state,
                     invited, responses, opened_at, created_at, updated_at)
  VALUES (1, 'answers', '2026-Q4', $NOW - 86400, $NOW + 86400 * 20, '$DIMS', '$QS', 'open', $ROOMS, 0,
          $NOW - 86400, $NOW, $NOW),
         (1, 'results', '2026-Q3', $NOW - 86400 * 90, $NOW - 86400 * 70, '$DIMS', '$QS', 'closed', $ROOMS,
          $BIG, $NOW - 86400 * 90, $NOW, $NOW);
INSERT INTO survey_invitations (survey_id, room_id, building_id, token, answered)
  SELECT 1, id, building_id, 'sv' || id, 0 FROM rooms;
INSERT INTO survey_invitations (survey_id, room_id, building_id, token, answered)
  SELECT 2, id, building_id, 'old' || id, CASE WHEN id <= $BIG THEN 1 ELSE 0 END FROM rooms;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $BIG)
INSERT INTO survey_responses (id, survey_id, building_id, day, answers, comments)
  SELECT (i * 2654435761) % 4503599627370449 + 1, 2, 1 + i % 100, '2026-09-10',
         '{"q1":' || (1 + i % 5) || ',"q2":' || (1 + (i / 5) % 5) || ',"q3":4,"q4":5,"q5":4,"q6":' || (3 + i % 3)
         || ',"q7":4,"q8":' || (2 + i % 4) || '}',
         CASE WHEN i % 20 = 0 THEN '{"q9":"希望加强绿化养护"}' ELSE '{}' END FROM n;
WITH RECURSIVE q(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM q WHERE k < 8)
INSERT INTO survey_tallies (survey_id, building_id, question, value, n)
  SELECT 2, building_id, 'q' || q.k, CAST(json_extract(answers, '$.q' || q.k) AS INTEGER), COUNT(*)
  FROM survey_responses, q WHERE survey_id = 2 GROUP BY building_id, q.k, 4;
INSERT INTO survey_coverage (survey_id, building_id, invited, responses)
  SELECT survey_id, building_id, COUNT(*), SUM(answered) FROM survey_invitations GROUP BY survey_id, building_id;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
t1=$(date +%s.%N)
echo "seeded $ROOMS rooms and a survey of $BIG answers in $(python3 -c "print(round($t1 - $t0, 1))") s; database $(du -h "$DB" | cut -f1)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$BIN" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --quiet --no-jobs 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for i in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
AT=$(curl -sf -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"benchadmin","password":"bench-admin-pw"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# what the results say, so a wrong answer does not pass for a fast one
seen=$(curl -sf -H "Authorization: Bearer $AT" "$URL/api/v1/surveys/2/results" | python3 -c '
import json,sys; r=json.load(sys.stdin); print(r["responses"], sum(d["n"] for d in r["dimensions"]), round(r["score"], 1), len(r["comments"]))')
wrk -t2 -c8 -d"${DUR}s" --latency -H "Authorization: Bearer $AT" "$URL/api/v1/surveys/2/results" > "$OUT/results.txt"
raw=$("$OUT/raw_commit" "$OUT/raw.db" "$DUR")
wrk -t2 -c8 -d"${DUR}s" --latency -s bench/answer.lua "$URL" -- $(( ROOMS / 2 )) > "$OUT/answer.txt"
rps() { grep 'Requests/sec' "$1" | awk '{print $2}'; }
p99() { grep -A4 'Latency Distribution' "$1" | grep ' 99%' | awk '{print $2}'; }
non2xx=$(grep -i 'Non-2xx' "$OUT/answer.txt" || true)
stored=$(sqlite3 "$DB" "SELECT responses FROM surveys WHERE id = 1")
arps=$(rps "$OUT/answer.txt")
set -- $seen
cat <<TABLE

| survey figure | value | target |
|---|---|---|
| raw SQLite commits (WAL, FULL) | $raw commits/s | — |
| POST /public/surveys/{token}/responses (durable; $stored answers stored) | $arps req/s, p99 $(p99 "$OUT/answer.txt") $non2xx | ≥ 0.3 × raw: ratio $(python3 -c "print(round($arps / $raw, 2))") |
| GET /surveys/{id}/results ($1 answers, $2 scores in 8 dimensions, overall $3, $4 comments) | $(rps "$OUT/results.txt") req/s, p99 $(p99 "$OUT/results.txt") | < 100 ms |
TABLE
