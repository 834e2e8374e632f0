package dev.smartgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The warm phase's second set ({@code pairs.jsonl}, 64 connections, interleaved in the same runs as the warm path):
 * each row a subject measured against its peer run by run — the gateway and nginx both writing an access log to a
 * file (their defaults), the gateway as a user runs it (default settings, mock adapter, access log on) against the
 * logging nginx, and with {@code --compare REF} this commit's gateway against REF's (A/B).
 */
final class Pairs {

  /** subject, peer, what the row says. */
  private static final String[][] ROWS = {
      {"gateway-log", "nginx-log", "both writing an access log to a file"},
      {"gateway-user", "nginx-log", "the gateway as a user runs it (default settings, mock adapter, access log) vs nginx logging"},
      {"gateway", "gateway-ref", "this commit's gateway vs --compare's (no logs)"},
  };

  private Pairs() {
  }

  /** One row per (pair, body size) measured, or null when the set did not run. */
  static JsonArray read(Path work) throws IOException {
    Map<Integer, List<JsonObject>> byBody = RunLines.byBody(work.resolve("pairs.jsonl"));
    if (byBody == null) {
      return null;
    }
    JsonArray rows = new JsonArray();
    for (String[] pair : ROWS) {
      byBody.forEach((body, runs) -> {
        Map<Integer, JsonObject> subject = RunLines.byRun(runs, pair[0]);
        Map<Integer, JsonObject> peer = RunLines.byRun(runs, pair[1]);
        if (subject.isEmpty() || peer.isEmpty()) {
          return;
        }
        List<Double> throughput = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        subject.forEach((run, s) -> {
          JsonObject p = peer.get(run);
          if (p != null) {
            throughput.add(ratio(s.getDouble("rps"), p.getDouble("rps")));
            p99.add(ratio(s.getDouble("p99Ms"), p.getDouble("p99Ms")));
            cpu.add(ratio(RunLines.cpuUsPerRequest(s), RunLines.cpuUsPerRequest(p)));
          }
        });
        rows.add(new JsonObject().put("subject", pair[0]).put("peer", pair[1]).put("what", pair[2])
            .put("bodyBytes", body).put("connections", 64)
            .put("subjectRps", Stats.spread(values(subject, "rps"))).put("peerRps", Stats.spread(values(peer, "rps")))
            .put("ratioThroughput", Stats.spread(throughput)).put("ratioP99", Stats.spread(p99))
            .put("ratioCpuPerRequest", Stats.spread(cpu)));
      });
    }
    return rows.isEmpty() ? null : rows;
  }

  static void markdown(StringBuilder md, JsonArray rows) {
    md.append("\n## Logged and compared\n\n");
    md.append("At 64 connections, interleaved with the warm path's runs: each subject against its peer, ratios taken ")
        .append("run by run, `median (min–max)`. nginx logs with its default `access_log` (combined format) to a ")
        .append("file; the gateway with its default access log (JSON lines) to a file.\n\n");
    md.append("| subject | peer | body | subject req/s | peer req/s | throughput ratio | p99 ratio | CPU/req ratio |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      md.append("| ").append(r.getString("subject")).append(" | ").append(r.getString("peer"))
          .append(" | ").append(r.getInteger("bodyBytes")).append(" B")
          .append(" | ").append(spread(r.getJsonObject("subjectRps"), 0))
          .append(" | ").append(spread(r.getJsonObject("peerRps"), 0))
          .append(" | ").append(spread(r.getJsonObject("ratioThroughput"), 2))
          .append(" | ").append(spread(r.getJsonObject("ratioP99"), 2))
          .append(" | ").append(spread(r.getJsonObject("ratioCpuPerRequest"), 2)).append(" |\n");
    }
  }


  private static List<Double> values(Map<Integer, JsonObject> runs, String field) {
    return runs.values().stream().map(l -> l.getDouble(field)).collect(Collectors.toList());
  }


  private static Double ratio(Double a, Double b) {
    return a == null || b == null || b == 0.0 ? null : a / b;
  }

  private static String spread(JsonObject s, int decimals) {
    if (s == null || s.getValue("median") == null) {
      return "n/a";
    }
    String f = "%,." + decimals + "f";
    return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", s.getDouble("median"), s.getDouble("min"),
        s.getDouble("max"));
  }
}
