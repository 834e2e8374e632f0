#!/usr/bin/env bash
# bench/lib/ab-warm.sh JAR_A JAR_B [ROUNDS] [BODY] [ACCESS_LOG_LEVEL]: a quick A/B of two gateway builds on the warm
# path, more rounds than `bench/run --quick --compare` gives in the same time. One mock-cloud VM as the backend, both
# gateways (static adapter, the bench's JVM flags) in front of it, 10 s of warm-up each, then ROUNDS (default 8)
# rounds of wrk, 4 s at 64 connections, A then B then B then A ... (alternating order, so neither always follows the
# other). Per round: requests/s and the proxy's CPU µs per request (user + system from /proc); prints each round's
# B/A ratios and their medians. BENCH_PORT_BASE (default 18500) picks the ports.
set -euo pipefail
A="$1"; B="$2"; ROUNDS="${3:-8}"; BODY="${4:-100}"; LEVEL="${5:-OFF}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BASE="${BENCH_PORT_BASE:-18500}"
WORK="$(mktemp -d /tmp/ab-warm.XXXX)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
wait_port() { for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "no port $1" >&2; exit 1; }
CLK_TCK="$(getconf CLK_TCK)"
cpu_ms() { local f; read -r -a f <<<"$(sed 's/.*) //' "/proc/$1/stat")"; echo $(((f[11] + f[12]) * 1000 / CLK_TCK)); }
java -Xms256m -Xmx1g -jar "$REPO/cloud-mock/target/cloud-mock.jar" --host 127.0.0.1 --port "$BASE" \
  --boot-min-ms 0 --boot-max-ms 0 --seed 42 >"$WORK/mock.log" 2>&1 &
PIDS+=($!); wait_port "$BASE"
ENDPOINT="$(java -jar "$REPO/bench/driver/target/bench-driver.jar" start-vm --mock "http://127.0.0.1:$BASE" \
  --resource warm --group bench)"
declare -A PID PORT
for side in A B; do
  port=$((BASE + 10)); [[ $side == B ]] && port=$((BASE + 12))
  cat >"$WORK/gateway-$side.yaml" <<YAML
server: {host: 127.0.0.1, port: $port}
provider:
  type: static
  endpoints:
    warm: $ENDPOINT
defaults: {idleTimeout: 10m}
admin: {port: $((port + 1))}
state: {dir: $WORK/state-$side}
YAML
  jar="$A"; [[ $side == B ]] && jar="$B"
  SMART_GATEWAY_ACCESS_LOG="$LEVEL" java -Xms1g -Xmx1g -XX:+UseG1GC -jar "$jar" --config "$WORK/gateway-$side.yaml" \
    >"$WORK/gateway-$side.log" 2>&1 &
  PID[$side]=$!; PIDS+=($!); PORT[$side]=$port; wait_port "$port"
done
url() { echo "http://127.0.0.1:${PORT[$1]}/smart_proxy/warm/bench/bytes?n=$BODY"; }
for _ in 1 2 3; do for side in A B; do wrk -t2 -c64 -d8s "$(url $side)" >/dev/null; done; done
declare -A RPS CPU
run() {  # run SIDE ROUND
  local c0 c1 out rps n
  c0="$(cpu_ms "${PID[$1]}")"
  out="$(wrk -t2 -c64 -d4s "$(url "$1")")"
  c1="$(cpu_ms "${PID[$1]}")"
  rps="$(sed -n 's/^Requests\/sec:[[:space:]]*//p' <<<"$out")"
  n="$(sed -n 's/^[[:space:]]*\([0-9]*\) requests in.*/\1/p' <<<"$out")"
  RPS[$1$2]="$rps"; CPU[$1$2]="$(awk -v c=$((c1 - c0)) -v n="$n" 'BEGIN {printf "%.1f", c * 1000 / n}')"
}
echo "round  A req/s  B req/s  B/A  |  A µs/req  B µs/req  B/A   (body $BODY B, 64 conns, access log $LEVEL)"
ratios_t=(); ratios_c=()
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then run A $r; run B $r; else run B $r; run A $r; fi
  t="$(awk -v a="${RPS[A$r]}" -v b="${RPS[B$r]}" 'BEGIN {printf "%.2f", b / a}')"
  c="$(awk -v a="${CPU[A$r]}" -v b="${CPU[B$r]}" 'BEGIN {printf "%.2f", b / a}')"
  ratios_t+=("$t"); ratios_c+=("$c")
  printf '%5d  %7.0f  %7.0f  %s  |  %8s  %8s  %s\n' "$r" "${RPS[A$r]}" "${RPS[B$r]}" "$t" "${CPU[A$r]}" "${CPU[B$r]}" "$c"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "median B/A: throughput $(median "${ratios_t[@]}"), CPU per request $(median "${ratios_c[@]}")  (load $(cut -d' ' -f1-3 /proc/loadavg))"
