#!/usr/bin/env bash
# A/B(/C...) of the cold burst (wake-up and held state) for gateway jars, interleaved: each round runs every jar once,
# the order rotated from round to round, each a full `bench/run --quick --only cold` with its own mock cloud and
# gateway. Prints one line per run and size (label, N, first response after the VM's port opened, p50,
# drainVsDirect, heap per held request, load average before -> after) and appends them to OUT.
# Usage: bench/lib/ab-cold.sh OUT ROUNDS "SIZES" LABEL=JAR LABEL=JAR...   e.g. 3 "100 1000" A=a.jar B=b.jar
set -euo pipefail
OUT="$1"; ROUNDS="$2"; SIZES="$3"; shift 3
JARS=("$@")
HERE="$(cd "$(dirname "$0")/.." && pwd)"
one() {  # one LABEL JAR
  local before after work
  before="$(cut -d' ' -f1 /proc/loadavg)"
  BENCH_GATEWAY_JAR="$2" BENCH_COLD_SIZES="$SIZES" "$HERE/run" --quick --only cold >"$OUT.$1.log" 2>&1 \
    || { echo "run $1 failed, see $OUT.$1.log" >&2; return 1; }
  after="$(cut -d' ' -f1 /proc/loadavg)"
  work="$(sed -n 's/.*work dir \(.*\)$/\1/p' "$OUT.$1.log" | head -n1)"
  for n in $SIZES; do
    python3 - "$work/cold-$n-1.json" "$1" "$n" "$before" "$after" <<'PY' | tee -a "$OUT"
import json, sys
d = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]} N={sys.argv[3]} first={d['wakeupFirstMs']:.1f}ms p50={d['wakeupP50Ms']:.1f}ms "
      f"drainVsDirect={d['drainVsDirect']:.2f} heap/held={d['heapBytesPerWaiter']:.0f}B "
      f"answered={d['answered']} starts={d['starts']} load={sys.argv[4]}->{sys.argv[5]}")
PY
  done
}
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < ${#JARS[@]}; i++)); do
    spec="${JARS[$(((i + r) % ${#JARS[@]}))]}"
    one "${spec%%=*}" "${spec#*=}"
  done
done
