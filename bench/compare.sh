#!/usr/bin/env bash
# bench/compare.sh OLD_BIN [NEW_BIN]: the request figures of bench/run.sh for two
# builds in one run, alternating A B A B so the machine's drift falls on both;
# prints each round's table and the ratios new/old of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$1
NEW=${2:-build/anju}
ROUNDS=${BENCH_ROUNDS:-2}
OUT=build/bench-compare
rm -rf "$OUT" && mkdir -p "$OUT"
for i in $(seq "$ROUNDS"); do
  for side in old new; do
    bin=$OLD; [ $side = new ] && bin=$NEW
    echo "== round $i: $side ($bin)"
    BENCH_TICKETS=0 BENCH_WORK=0 BENCH_PATROL=0 BENCH_BIN="$bin" BENCH_OUT="$OUT/$side-$i" bash bench/run.sh > "$OUT/$side-$i.log" 2>&1
    cat "$OUT/$side-$i/results.md"
  done
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
rows = {}
for side in ("old", "new"):
    for i in range(1, rounds + 1):
        for line in open("%s/%s-%d/results.md" % (out, side, i)):
            m = re.match(r"\| (.+?) \| ([\d.]+) (req/s|commits/s|MB|s)", line)
            if m:
                rows.setdefault(m.group(1), {}).setdefault(side, []).append(float(m.group(2)))
print("\n| figure | old (median) | new (median) | new/old |\n|---|---|---|---|")
for name, v in rows.items():
    if "old" in v and "new" in v:
        o, n = statistics.median(v["old"]), statistics.median(v["new"])
        print("| %s | %g | %g | %.2f |" % (name, o, n, n / o if o else float("nan")))
PY
