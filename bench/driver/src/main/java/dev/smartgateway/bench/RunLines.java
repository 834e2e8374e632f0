package dev.smartgateway.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The lines a phase writes one per load-generator run ({@code cache.jsonl}, {@code h2.jsonl}, {@code pairs.jsonl}:
 * target, body size, run number, requests/s, p99, errors, the proxy's CPU ms) and what the report tables make of them:
 * grouped by body size, then by target run by run, summarised over the runs. One place for what the cached-hit, HTTP/2
 * and logged-and-compared tables share.
 */
final class RunLines {

  private RunLines() {
  }

  /** The file's lines grouped by body size (ascending), or null when the phase did not write it. */
  static Map<Integer, List<JsonObject>> byBody(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(JsonObject::new)
        .collect(Collectors.groupingBy(l -> l.getInteger("bodyBytes"), TreeMap::new, Collectors.toList()));
  }

  /**
   * The gateway against nginx on one body size's lines: each one's {@link #figures}, and the throughput and p99
   * ratios gateway/nginx taken run by run (the runs are interleaved), put into {@code row}.
   */
  static JsonObject versusNginx(JsonObject row, List<JsonObject> runs, String gatewayTarget, String nginxTarget) {
    Map<Integer, JsonObject> nginx = byRun(runs, nginxTarget);
    Map<Integer, JsonObject> gateway = byRun(runs, gatewayTarget);
    row.put("nginx", figures(nginx.values())).put("gateway", figures(gateway.values()));
    List<Double> throughput = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    gateway.forEach((run, g) -> {
      JsonObject n = nginx.get(run);
      if (n != null && n.getDouble("rps", 0.0) > 0 && n.getDouble("p99Ms") != null && n.getDouble("p99Ms") > 0
          && g.getDouble("p99Ms") != null) {
        throughput.add(g.getDouble("rps") / n.getDouble("rps"));
        p99.add(g.getDouble("p99Ms") / n.getDouble("p99Ms"));
      }
    });
    return row.put("ratioThroughputVsNginx", Stats.spread(throughput)).put("ratioP99VsNginx", Stats.spread(p99));
  }

  /** One target's lines by run number. */
  static Map<Integer, JsonObject> byRun(List<JsonObject> runs, String target) {
    Map<Integer, JsonObject> byRun = new TreeMap<>();
    runs.stream().filter(l -> target.equals(l.getString("target"))).forEach(l -> byRun.put(l.getInteger("run"), l));
    return byRun;
  }

  /** Requests/s, p99 and proxy CPU µs per request (min/median/max over the runs), and the errors summed. */
  static JsonObject figures(Collection<JsonObject> runs) {
    List<Double> cpu = runs.stream().map(RunLines::cpuUsPerRequest).collect(Collectors.toList());
    return new JsonObject()
        .put("rps", Stats.spread(runs.stream().map(l -> l.getDouble("rps")).collect(Collectors.toList())))
        .put("p99Ms", Stats.spread(runs.stream().map(l -> l.getDouble("p99Ms")).collect(Collectors.toList())))
        .put("proxyCpuUsPerRequest", Stats.spread(cpu))
        .put("errors", runs.stream().mapToLong(l -> l.getLong("errors", 0L)).sum());
  }

  /** The proxy's CPU µs per request of one run; null when not read. */
  static Double cpuUsPerRequest(JsonObject line) {
    return line.getValue("proxyCpuMs") == null || line.getLong("requests", 0L) == 0 ? null
        : line.getDouble("proxyCpuMs") * 1000.0 / line.getLong("requests");
  }

  /** The median of one of {@link #figures}' fields, formatted. */
  static String median(JsonObject figures, String field, int decimals) {
    JsonObject spread = figures.getJsonObject(field);
    return spread == null ? "n/a" : num(spread.getDouble("median"), decimals);
  }

  static String num(Double v, int decimals) {
    return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }
}
