#!/usr/bin/env bash
# fuzz/run.sh: builds the libFuzzer targets (clang, ASan + UBSan) and runs each
# for FUZZ_SECONDS (default 60). Appends "fuzz-NAME passed failed" to $ANJU_RESULTS.
set -uo pipefail
cd "$(dirname "$0")/.."
SECS=${FUZZ_SECONDS:-60}
RESULTS=${ANJU_RESULTS:-/dev/null}
OUT=build/fuzz
mkdir -p "$OUT/obj"
PKGS="libmicrohttpd jansson sqlite3 libpq libsodium libical libmagic xlsxwriter libcurl libcrypto pwquality libqrencode cairo pangocairo"
CFLAGS="-std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -Isrc -Ibuild/gen $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lpthread -lm"

objs=()
for src in $(find src -name "*.c" ! -path src/main.c | sort) build/gen/*.c; do
  obj="$OUT/obj/$(echo "$src" | tr '/' '_' | sed 's/\.c$/.o/')"
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find src -name '*.h' -newer "$obj" | head -n 1)" ]; then
    clang $CFLAGS -c -o "$obj" "$src" || { echo "fuzz build failed: $src"; echo "fuzz-build 0 1" >> "$RESULTS"; exit 1; }
  fi
  objs+=("$obj")
done

status=0
for target in fuzz_body fuzz_query fuzz_multipart fuzz_ticket fuzz_plan fuzz_ids fuzz_survey; do  # fuzz_ticket: S2; fuzz_plan: plans, tasks, RRULE; fuzz_ids: id lists; fuzz_survey: questionnaires, answers
  clang $CFLAGS -fsanitize=fuzzer -o "$OUT/$target" "fuzz/$target.c" fuzz/harness.c "${objs[@]}" $LIBS \
    || { echo "fuzz-$target 0 1" >> "$RESULTS"; status=1; continue; }
  corpus="$OUT/corpus-$target"
  mkdir -p "$corpus"
  seeds=fuzz/corpus/${target#fuzz_}
  log="$OUT/$target.log"
  echo "fuzzing $target for ${SECS}s"
  # Leak checks are off: the server keeps per-thread connections for its lifetime.
  if ASAN_OPTIONS=detect_leaks=0 "$OUT/$target" -max_total_time="$SECS" -timeout=10 \
       -rss_limit_mb=4096 -print_final_stats=1 "$corpus" "$seeds" >"$log" 2>&1; then
    grep -E '^Done|stat::number_of_executed_units' "$log" | head -n 2
    echo "fuzz-${target#fuzz_} 1 0" >> "$RESULTS"
  else
    tail -n 60 "$log"
    echo "fuzz-${target#fuzz_} 0 1" >> "$RESULTS"
    status=1
  fi
done
exit $status
