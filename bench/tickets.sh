#!/usr/bin/env bash
# bench/tickets.sh (run by bench/run.sh, or alone): the ticket list at scale.
# For each demo scale (BENCH_TICKET_SCALES, default "medium large": ~200k and
# ~1M tickets, SQLite) it times `anju demo`, then measures with wrk the p99 of
#   GET /api/v1/tickets with filters (a project's complaints about noise),
#   GET /api/v1/tickets?overdue=1, GET /api/v1/tickets?q=漏水,
# plus the dashboard (GET /stats/tickets, all projects) and a disclosure board,
# and prints a markdown table with how each grows from the first scale to the
# last. The databases stay in build/bench-tickets; BENCH_REUSE=1 uses them again
# instead of generating (only valid for the same build and day).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=build/bench-tickets
mkdir -p "$DATA"
DUR=${BENCH_SECONDS:-10}
CONN=${BENCH_LIST_CONNECTIONS:-4}
SCALES=${BENCH_TICKET_SCALES:-medium large}
BIN=build/anju
PW=bench-admin-pw

p99_ms() { # wrk --latency output -> the 99% latency in milliseconds
  python3 -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"\s+99%\s+([\d.]+)(us|ms|s)\s*$", line)
    if m:
        print(round(float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)], 2))
        break
else:
    print("n/a")'
}
rps() { grep 'Requests/sec' | awk '{print $2}'; }

# name|path (percent-encoded: 噪音 %E5%99%AA%E9%9F%B3, 漏水 %E6%BC%8F%E6%B0%B4)
QUERIES=(
  "list with filters|/api/v1/tickets?project_id=1&kind=complaint&category=%E5%99%AA%E9%9F%B3&status=closed"
  "overdue=1|/api/v1/tickets?overdue=1"
  "q=漏水|/api/v1/tickets?q=%E6%BC%8F%E6%B0%B4"
  "stats, all projects|/api/v1/stats/tickets"
  "disclosure board|/api/v1/public/projects/JXHT/disclosure"
)

declare -A P99 RPS COUNT DEMO
for scale in $SCALES; do
  db="$DATA/$scale.db"
  if [ -n "${BENCH_REUSE:-}" ] && [ -f "$db" ]; then
    DEMO[$scale]="reused"
  else
    rm -f "$db" "$db-wal" "$db-shm"
    echo "== anju demo --scale $scale" >&2
    t0=$(date +%s.%N)
    ANJU_DEMO_PASSWORD=bench-pass-1 "$BIN" demo --db "sqlite:$db" --scale "$scale" --seed 1 >&2
    t1=$(date +%s.%N)
    DEMO[$scale]="$(python3 -c "print(round($t1 - $t0, 1))") s"
    printf '%s\n' "$PW" | "$BIN" user add --db "sqlite:$db" --username benchadmin --role admin >/dev/null
  fi
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  URL="http://127.0.0.1:$PORT"
  # No scheduler: its first sweep over a fresh demo (escalating every open ticket
  # at once) would land in one measurement; bench/sweep.sh measures the sweep.
  ANJU_JOBS=0 "$BIN" serve --db "sqlite:$db" --listen "127.0.0.1:$PORT" --quiet 2>"$DATA/$scale-server.log" &
  PID=$!
  trap 'kill $PID 2>/dev/null || true' EXIT
  for i in $(seq 300); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
  TOKEN=$(curl -sf -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"benchadmin\",\"password\":\"$PW\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  COUNT[$scale]=$(curl -sf "$URL/api/v1/tickets?limit=1&with_total=1" -H "Authorization: Bearer $TOKEN" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  for q in "${QUERIES[@]}"; do
    name=${q%%|*}
    path=${q#*|}
    out="$DATA/$scale-$(echo "$name" | tr -c 'a-zA-Z0-9' _).txt"
    echo "== $scale: wrk GET $path" >&2
    curl -sf "$URL$path" -H "Authorization: Bearer $TOKEN" >/dev/null
    wrk -t2 -c"$CONN" -d"${DUR}s" --latency -H "Authorization: Bearer $TOKEN" "$URL$path" > "$out"
    P99[$scale,$name]=$(p99_ms < "$out")
    RPS[$scale,$name]=$(rps < "$out")
  done
  kill $PID 2>/dev/null || true
  wait $PID 2>/dev/null || true
  trap - EXIT
done

first=${SCALES%% *}
last=${SCALES##* }
echo
echo "Ticket list at scale (SQLite, wrk -t2 -c$CONN, ${DUR}s each; p99 in ms, req/s in brackets):"
echo
printf '| request |'
for scale in $SCALES; do printf ' %s (%s tickets; demo %s) |' "$scale" "${COUNT[$scale]}" "${DEMO[$scale]}"; done
printf ' growth %s→%s | target |\n|---|' "$first" "$last"
for scale in $SCALES; do printf -- '---|'; done
printf -- '---|---|\n'
for q in "${QUERIES[@]}"; do
  name=${q%%|*}
  printf '| GET %s |' "$name"
  for scale in $SCALES; do printf ' %s ms (%s/s) |' "${P99[$scale,$name]}" "${RPS[$scale,$name]}"; done
  growth=$(python3 -c "
a, b = '${P99[$first,$name]}', '${P99[$last,$name]}'
try: print('× %.1f' % (float(b) / float(a)))
except Exception: print('n/a')")
  case "$name" in "stats"*|"disclosure"*) target="—" ;; *) target="p99 < 50 ms at 1M" ;; esac
  printf ' %s | %s |\n' "$growth" "$target"
done
