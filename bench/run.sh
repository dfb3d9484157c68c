#!/usr/bin/env bash
# bench/run.sh (make bench): the figures each issue asks for, measured with wrk
# on 127.0.0.1 against a SQLite database seeded by `anju demo`. Ratios are
# taken within one run: the machine is shared and noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-build/bench}
# BENCH_BIN: the binary to measure (bench/compare.sh measures two in one run).
BIN=${BENCH_BIN:-build/anju}
rm -rf "$OUT" && mkdir -p "$OUT"
DUR=${BENCH_SECONDS:-10}
CONN=${BENCH_CONNECTIONS:-32}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB="sqlite:$OUT/anju.db"
URL="http://127.0.0.1:$PORT"

cc -O2 -o "$OUT/raw_commit" bench/raw_commit.c -lsqlite3

echo "== anju demo --scale small"
t0=$(date +%s.%N)
ANJU_DEMO_PASSWORD=bench-pass-1 "$BIN" demo --db "$DB" --scale small --seed 1
t1=$(date +%s.%N)
demo_s=$(python3 -c "print(round($t1 - $t0, 2))")
printf 'bench-admin-pw\n' | "$BIN" user add --db "$DB" --username benchadmin --role admin >/dev/null

"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --quiet 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for i in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"benchadmin","password":"bench-admin-pw"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
ROOM=$(curl -sf "$URL/api/v1/projects/1/rooms?limit=1" -H "Authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

rps() { grep 'Requests/sec' | awk '{print $2}'; }
lat() { grep -A4 'Latency Distribution' | grep ' 99%' | awk '{print $2}'; }

# RSS is sampled while the load runs (VmHWM would count the one login's
# argon2id buffer, 19 MiB for a few milliseconds before any load).
sample_rss() { while kill -0 $PID 2>/dev/null; do awk '/VmRSS/ {print $2}' /proc/$PID/status; sleep 0.2; done > "$OUT/rss.txt"; }
sample_rss &
echo "== wrk GET /healthz"
wrk -t2 -c"$CONN" -d"${DUR}s" --latency "$URL/healthz" > "$OUT/healthz.txt"
echo "== wrk GET /api/v1/projects/1 (bearer)"
wrk -t2 -c"$CONN" -d"${DUR}s" --latency -H "Authorization: Bearer $TOKEN" "$URL/api/v1/projects/1" > "$OUT/project.txt"
echo "== raw SQLite commits (WAL, synchronous=FULL)"
raw=$("$OUT/raw_commit" "$OUT/raw.db" "$DUR")
echo "== wrk POST /api/v1/projects/1/residents (durable)"
wrk -t2 -c8 -d"${DUR}s" --latency -s bench/post_resident.lua "$URL/api/v1/projects/1/residents" -- "$ROOM" "$TOKEN" > "$OUT/post.txt"
echo "== wrk GET /api/v1/tickets/{id} (with SLA and events)"
TICKET=$(curl -sf -X POST "$URL/api/v1/tickets" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"project_id\":1,\"kind\":\"repair\",\"category\":\"水电/漏水\",\"title\":\"厨房水管漏水\",\"room_id\":$ROOM,\"channel\":\"phone\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf -X POST "$URL/api/v1/tickets/$TICKET/actions/accept" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{}' >/dev/null
wrk -t2 -c"$CONN" -d"${DUR}s" --latency -H "Authorization: Bearer $TOKEN" "$URL/api/v1/tickets/$TICKET" > "$OUT/ticket_get.txt"
echo "== wrk POST /api/v1/tickets (durable)"
wrk -t2 -c8 -d"${DUR}s" --latency -s bench/post_ticket.lua "$URL/api/v1/tickets" -- 1 "$ROOM" "$TOKEN" > "$OUT/ticket_post.txt"
rss_kb=$(sort -n "$OUT/rss.txt" | tail -n 1)
# after rss_kb: the fonts the labels map are not what the load above needs
echo "== GET /api/v1/equipment/labels.pdf (200 labels)"
read -r labels_med labels_max < <(python3 bench/labels.py "$URL" "$TOKEN" 200)
non2xx=$(grep -i 'Non-2xx' "$OUT/post.txt" || true)

h=$(rps < "$OUT/healthz.txt"); p=$(rps < "$OUT/project.txt"); w=$(rps < "$OUT/post.txt")
tg=$(rps < "$OUT/ticket_get.txt"); tp=$(rps < "$OUT/ticket_post.txt")
non2xx_t=$(grep -i 'Non-2xx' "$OUT/ticket_post.txt" || true)
cat <<TABLE | tee "$OUT/results.md"

| figure | value | target |
|---|---|---|
| GET /healthz | $h req/s (p99 $(lat < "$OUT/healthz.txt")) | — |
| GET /api/v1/projects/{id} (bearer) | $p req/s (p99 $(lat < "$OUT/project.txt")) | ≥ 0.5 × healthz: ratio $(python3 -c "print(round($p / $h, 2))") |
| raw SQLite commits (WAL, FULL) | $raw commits/s | — |
| POST /api/v1/projects/{id}/residents | $w req/s (p99 $(lat < "$OUT/post.txt")) ${non2xx} | ≥ 0.3 × raw: ratio $(python3 -c "print(round($w / $raw, 2))") |
| GET /api/v1/tickets/{id} (SLA + events) | $tg req/s (p99 $(lat < "$OUT/ticket_get.txt")) | ≥ 0.5 × healthz: ratio $(python3 -c "print(round($tg / $h, 2))") |
| POST /api/v1/tickets (durable) | $tp req/s (p99 $(lat < "$OUT/ticket_post.txt")) ${non2xx_t} | ≥ 0.3 × raw: ratio $(python3 -c "print(round($tp / $raw, 2))") |
| server RSS under load (max of samples) | $((rss_kb / 1024)) MB | < 30 MB |
| anju demo --scale small | ${demo_s} s | < 10 s |
| GET /api/v1/equipment/labels.pdf, 200 labels | ${labels_med} s median of 5 (max ${labels_max} s) | < 1 s |
TABLE

# -- work orders at scale (bench/tickets.sh): list with filters,
# overdue=1 and q=漏水 (p99) at ~200k and ~1M demo tickets, and how they grow --
kill $PID 2>/dev/null || true
if [ "${BENCH_TICKETS:-1}" = 1 ]; then bash bench/tickets.sh | tee -a "$OUT/results.md"; fi
# -- the plan/task engine (bench/work.sh: generation, steady run, my tasks at 10 M, results)
# and the patrol check-in (bench/patrol.sh) and round board (bench/board.sh) --
if [ "${BENCH_WORK:-1}" = 1 ]; then bash bench/work.sh | tee -a "$OUT/results.md"; fi
if [ "${BENCH_PATROL:-1}" = 1 ]; then bash bench/patrol.sh | tee -a "$OUT/results.md"; fi
# today's round board with 10 M stored scans (bench/board.sh)
if [ "${BENCH_PATROL:-1}" = 1 ]; then bash bench/board.sh | tee -a "$OUT/results.md"; fi
# a month's quality figures at a year of three-level inspections for 100 projects (bench/quality.sh)
if [ "${BENCH_QUALITY:-1}" = 1 ]; then bash bench/quality.sh | tee -a "$OUT/results.md"; fi
# survey answers against raw commits, and the results of a survey of 50,000 answers (bench/survey.sh)
if [ "${BENCH_SURVEY:-1}" = 1 ]; then bash bench/survey.sh | tee -a "$OUT/results.md"; fi
# the improvement-plan kanban and a plan's page at 100,000 plans (bench/improvements.sh)
if [ "${BENCH_SURVEY:-1}" = 1 ]; then bash bench/improvements.sh | tee -a "$OUT/results.md"; fi
