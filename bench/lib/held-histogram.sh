#!/usr/bin/env bash
# What a held request costs: a class histogram of the gateway (jcmd GC.class_histogram) while N = 10 000 requests are
# held by the cold burst, plus the run's heap per held request. The histogram is taken once the driver has all
# connections open (the requests are sent right after) and 3 s later, well inside the mock VM's 8 s boot.
# Usage: bench/lib/held-histogram.sh JAR OUT   (OUT.run.log keeps the bench's own output)
set -uo pipefail
JAR="$1"; OUT="$2"; LOG="$OUT.run.log"
cd "$(dirname "$0")/../.."
BENCH_GATEWAY_JAR="$JAR" BENCH_COLD_SIZES="10000" bench/run --quick --only cold >"$LOG" 2>&1 &
RUN=$!
work=""
for _ in $(seq 1 600); do
  work="$(sed -n 's/.*work dir \(.*\)$/\1/p' "$LOG" | head -n1)"
  [[ -n "$work" ]] && grep -q "cold n=10000: 10000 connections open" "$work/driver-cold.log" 2>/dev/null && break
  sleep 0.5
done
sleep 3
pid="$(grep -o "gateway (cold) on [^,]*, pid [0-9]*" "$LOG" | grep -o "[0-9]*$")"
jcmd "$pid" GC.class_histogram >"$OUT" 2>&1
wait "$RUN" || { echo "bench run failed, see $LOG" >&2; exit 1; }
python3 - "$work/cold-10000-1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"heap per held request {d['heapBytesPerWaiter']:.0f} B (reading valid: {d['heldReadingValid']}), "
      f"first response {d['wakeupFirstMs']:.1f} ms, drainVsDirect {d['drainVsDirect']:.2f}")
PY
