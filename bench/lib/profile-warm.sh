#!/usr/bin/env bash
# bench/lib/profile-warm.sh OUT_PREFIX [ACCESS_LOG_LEVEL] [CONNS] [BODY]: a JFR profile of the gateway's warm path.
# A mock-cloud VM as the backend, the gateway (static adapter, the bench's JVM flags) in front of it, 15 s of wrk
# to warm it up, then a 20 s JFR recording (settings=profile) under wrk at CONNS connections (default 32), the
# access log at ACCESS_LOG_LEVEL (default INFO, to a file). Writes OUT_PREFIX.jfr and OUT_PREFIX.txt (the summary of
# jfr-summary.py over the event loops, then over every thread). BENCH_GATEWAY_JAR measures another build;
# BENCH_PORT_BASE (default 18300) picks the ports; PROFILE_JVM adds JVM options (e.g. -Dsmart.x=y). PROFILE_H2=1
# profiles HTTP/2 over TLS instead (server.tls with a self-signed certificate, h2load with CONNS connections of 8
# streams each, as bench/run's h2 phase).
set -euo pipefail
OUT="$1"; LEVEL="${2:-INFO}"; CONNS="${3:-32}"; BODY="${4:-100}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="${BENCH_GATEWAY_JAR:-$REPO/gateway/target/smart-gateway.jar}"
BASE="${BENCH_PORT_BASE:-18300}"
WORK="$(mktemp -d /tmp/profile-warm.XXXX)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
wait_port() { for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "no port $1" >&2; exit 1; }
java -Xms256m -Xmx1g -jar "$REPO/cloud-mock/target/cloud-mock.jar" --host 127.0.0.1 --port "$BASE" \
  --boot-min-ms 0 --boot-max-ms 0 --seed 42 >"$WORK/mock.log" 2>&1 &
PIDS+=($!); wait_port "$BASE"
ENDPOINT="$(java -jar "$REPO/bench/driver/target/bench-driver.jar" start-vm --mock "http://127.0.0.1:$BASE" \
  --resource warm --group bench)"
cat >"$WORK/gateway.yaml" <<YAML
server: {host: 127.0.0.1, port: $((BASE + 10))}
provider:
  type: static
  endpoints:
    warm: $ENDPOINT
defaults: {idleTimeout: 10m}
admin: {port: $((BASE + 9))}
state: {dir: $WORK/state}
YAML
SCHEME=http
if [[ "${PROFILE_H2:-0}" == 1 ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
  sed -i "s|^server: {host: 127.0.0.1, port: \([0-9]*\)}|server: {host: 127.0.0.1, port: \1, tls: {cert: $WORK/cert.pem, key: $WORK/key.pem}}|" \
    "$WORK/gateway.yaml"
  SCHEME=https
fi
# load SECONDS: wrk, or h2load under PROFILE_H2=1; the summary line on stdout.
load() {
  if [[ "$SCHEME" == https ]]; then
    h2load -c "$CONNS" -m 8 -t 2 -D "$1" "$URL" | grep -E '^finished in|^requests:'
  else
    wrk -t2 -c"$CONNS" -d"$1"s "$URL" | grep -E 'Requests/sec|Latency'
  fi
}
# shellcheck disable=SC2086
SMART_GATEWAY_ACCESS_LOG="$LEVEL" java -Xms1g -Xmx1g -XX:+UseG1GC ${PROFILE_JVM:-} -XX:+FlightRecorder \
  -jar "$JAR" --config "$WORK/gateway.yaml" >"$WORK/gateway.log" 2>&1 &
GW=$!; PIDS+=($GW); wait_port $((BASE + 10))
URL="$SCHEME://127.0.0.1:$((BASE + 10))/smart_proxy/warm/bench/bytes?n=$BODY"
load 15 >/dev/null
jcmd "$GW" JFR.start name=warm settings=profile filename="$OUT.jfr" >/dev/null
load 20 | tee "$WORK/wrk.txt" >&2
jcmd "$GW" JFR.stop name=warm >/dev/null
{
  echo "# $(basename "$OUT"): gateway ${BENCH_GATEWAY_JAR:+$(basename "$BENCH_GATEWAY_JAR") (not this checkout), }$(cd "$REPO" && git rev-parse --short HEAD) checked out, $SCHEME, access log $LEVEL, ${CONNS} conns, ${BODY} B"
  echo "# $(grep -E 'Requests/sec|^finished in' "$WORK/wrk.txt")  (2 shared cores: absolute figures are noise; read the shares)"
  echo "## event loops"; python3 "$REPO/bench/lib/jfr-summary.py" "$OUT.jfr" vert.x-eventloop
  echo; echo "## every thread"; python3 "$REPO/bench/lib/jfr-summary.py" "$OUT.jfr"
} >"$OUT.txt"
grep -i "transport" "$WORK/gateway.log" >&2 || true
echo "$OUT.txt" >&2
