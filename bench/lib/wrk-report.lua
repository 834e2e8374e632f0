-- wrk script: at the end of a run, print one JSON line with throughput, latency and errors.
-- The caller names the run through the environment (BENCH_TARGET, BENCH_BODY, BENCH_CONNS, BENCH_RUN).
done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"target":"%s","bodyBytes":%s,"connections":%s,"run":%s,"seconds":%.3f,"requests":%d,' ..
    '"rps":%.1f,"p50Ms":%.3f,"p99Ms":%.3f,"maxMs":%.3f,"errors":%d,"non2xx":%d}\n',
    os.getenv("BENCH_TARGET"), os.getenv("BENCH_BODY"), os.getenv("BENCH_CONNS"), os.getenv("BENCH_RUN"),
    seconds, summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
