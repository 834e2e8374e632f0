package dev.smartgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The "cluster" phase ({@code bench/run --only cluster}): cold bursts split over three clustered gateways
 * ({@code cluster-cold-N-RUN.json}, from {@link ClusterCold}) and the warm path of one gateway alone against one
 * member of a cluster of three — the member that manages the VM and one that only forwards to it — over the same
 * mock cloud ({@code cluster-warm.jsonl}, one wrk line per run, interleaved), with the ratios taken run by run.
 */
final class ClusterBench {

  static final String ALONE = "alone";
  static final String[] MEMBERS = {"member-manager", "member-mirror"};

  private ClusterBench() {
  }

  /** {@code {coldBursts: [...], warm: [...]}}, or null when the phase did not run. */
  static JsonObject read(Path work) throws IOException {
    JsonArray cold = cold(work);
    JsonArray warm = warm(work.resolve("cluster-warm.jsonl"));
    if (cold.isEmpty() && warm == null) {
      return null;
    }
    return new JsonObject().put("coldBursts", cold).put("warm", warm);
  }

  private static JsonArray cold(Path work) throws IOException {
    List<JsonObject> runs = new ArrayList<>();
    try (Stream<Path> files = Files.list(work)) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("cluster-cold-\\d+-\\d+\\.json")).sorted()
          .collect(Collectors.toList())) {
        runs.add(new JsonObject(Files.readString(f)));
      }
    }
    Map<Integer, List<JsonObject>> byN = runs.stream()
        .collect(Collectors.groupingBy(r -> r.getInteger("n"), TreeMap::new, Collectors.toList()));
    JsonArray out = new JsonArray();
    byN.forEach((n, rs) -> {
      // Counts report the worst run; times the median over runs (with min and max).
      JsonObject c = new JsonObject().put("n", n).put("gateways", rs.get(0).getInteger("gateways"))
          .put("runs", rs.size())
          .put("starts", rs.stream().mapToInt(r -> r.getInteger("starts")).max().getAsInt())
          .put("answered", rs.stream().mapToInt(r -> r.getInteger("answered")).min().getAsInt())
          .put("errors", rs.stream().mapToInt(r -> r.getInteger("errors")).max().getAsInt())
          .put("allSentBeforeReady", rs.stream().allMatch(r -> r.getBoolean("allSentBeforeReady", false)));
      for (String f : new String[] {"wakeupFirstMs", "wakeupP50Ms", "wakeupP99Ms", "wakeupMaxMs"}) {
        c.put(f, Stats.spread(rs.stream().map(r -> r.getDouble(f)).collect(Collectors.toList())));
      }
      c.put("runsRaw", new JsonArray(rs));
      out.add(c);
    });
    return out;
  }

  /** Per body size: each target's figures, and each member's throughput and CPU per request over the lone gateway's. */
  private static JsonArray warm(Path file) throws IOException {
    Map<Integer, List<JsonObject>> byBody = RunLines.byBody(file);
    if (byBody == null) {
      return null;
    }
    JsonArray rows = new JsonArray();
    byBody.forEach((body, runs) -> {
      Map<Integer, JsonObject> alone = RunLines.byRun(runs, ALONE);
      JsonObject row = new JsonObject().put("bodyBytes", body).put("connections", runs.get(0).getInteger("connections"))
          .put(ALONE, RunLines.figures(alone.values()));
      for (String member : MEMBERS) {
        Map<Integer, JsonObject> clustered = RunLines.byRun(runs, member);
        List<Double> throughput = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        clustered.forEach((run, m) -> {
          JsonObject a = alone.get(run);
          if (a != null && a.getDouble("rps", 0.0) > 0) {
            throughput.add(m.getDouble("rps") / a.getDouble("rps"));
            Double mine = RunLines.cpuUsPerRequest(m);
            Double theirs = RunLines.cpuUsPerRequest(a);
            if (mine != null && theirs != null && theirs > 0) {
              cpu.add(mine / theirs);
            }
          }
        });
        row.put(member, RunLines.figures(clustered.values()).put("ratioThroughputVsAlone", Stats.spread(throughput))
            .put("ratioCpuPerRequestVsAlone", Stats.spread(cpu)));
      }
      rows.add(row);
    });
    return rows;
  }

  /** The markdown section of {@link #read}'s result. */
  static void markdown(StringBuilder md, JsonObject cluster) {
    md.append("\n## Cluster\n\n");
    JsonArray cold = cluster.getJsonArray("coldBursts");
    if (cold != null && !cold.isEmpty()) {
      md.append("A cold burst split round-robin over three clustered gateways (one mock cloud, a fixed boot): N ")
          .append("concurrent requests, one connection each, all written before the VM's port opened. Times in ms from ")
          .append("the port opening (mock `readyAt`) to each answer, median (min–max) over runs; per gateway (in ")
          .append("the order of the members' ports): its first answer — the member that won the start releases on its ")
          .append("own readiness probe, the others when the registry's record says READY.\n\n");
      md.append("| N | gateways | runs | VM starts | answered | errors | first | p50 | p99 | max | first per gateway "
          + "| all sent before the port opened |\n");
      md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|:---:|\n");
      for (Object o : cold) {
        JsonObject c = (JsonObject) o;
        md.append("| ").append(c.getInteger("n")).append(" | ").append(c.getInteger("gateways"))
            .append(" | ").append(c.getInteger("runs")).append(" | ").append(c.getInteger("starts"))
            .append(" | ").append(c.getInteger("answered")).append(" | ").append(c.getInteger("errors"))
            .append(" | ").append(spread(c, "wakeupFirstMs")).append(" | ").append(spread(c, "wakeupP50Ms"))
            .append(" | ").append(spread(c, "wakeupP99Ms")).append(" | ").append(spread(c, "wakeupMaxMs"))
            .append(" | ").append(firstPerGateway(c)).append(" | ")
            .append(c.getBoolean("allSentBeforeReady") ? "yes" : "no").append(" |\n");
      }
    }
    JsonArray warm = cluster.getJsonArray("warm");
    if (warm != null) {
      md.append("\nThe warm path of one gateway alone against one member of a cluster of three (wrk against that ")
          .append("member only; the other two idle), each forwarding to a running VM of the same mock cloud (mock ")
          .append("adapter, access logs off): the member that manages its VM, and one that only forwards to a VM ")
          .append("another member manages (it reports its use once per `cluster.activityReport`). Interleaved runs; ")
          .append("ratios over the lone gateway run by run, median (min–max).\n\n");
      md.append("| body | conns | alone req/s | manager req/s | mirror req/s | manager / alone | mirror / alone "
          + "| CPU µs/req alone / manager / mirror | CPU/req manager / alone | CPU/req mirror / alone "
          + "| p99 alone / manager / mirror (ms) | errors |\n");
      md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Object o : warm) {
        JsonObject r = (JsonObject) o;
        JsonObject alone = r.getJsonObject(ALONE);
        JsonObject manager = r.getJsonObject(MEMBERS[0]);
        JsonObject mirror = r.getJsonObject(MEMBERS[1]);
        md.append("| ").append(r.getInteger("bodyBytes")).append(" B | ").append(r.getInteger("connections"))
            .append(" | ").append(RunLines.median(alone, "rps", 0)).append(" | ")
            .append(RunLines.median(manager, "rps", 0)).append(" | ").append(RunLines.median(mirror, "rps", 0))
            .append(" | ").append(spread(manager, "ratioThroughputVsAlone")).append(" | ")
            .append(spread(mirror, "ratioThroughputVsAlone"))
            .append(" | ").append(RunLines.median(alone, "proxyCpuUsPerRequest", 1)).append(" / ")
            .append(RunLines.median(manager, "proxyCpuUsPerRequest", 1)).append(" / ")
            .append(RunLines.median(mirror, "proxyCpuUsPerRequest", 1))
            .append(" | ").append(spread(manager, "ratioCpuPerRequestVsAlone")).append(" | ")
            .append(spread(mirror, "ratioCpuPerRequestVsAlone"))
            .append(" | ").append(RunLines.median(alone, "p99Ms", 2)).append(" / ")
            .append(RunLines.median(manager, "p99Ms", 2)).append(" / ").append(RunLines.median(mirror, "p99Ms", 2))
            .append(" | ").append(alone.getLong("errors") + manager.getLong("errors") + mirror.getLong("errors"))
            .append(" |\n");
      }
    }
  }

  private static String firstPerGateway(JsonObject c) {
    // From the median run's view is not defined per gateway; the first run's are shown (one run in quick mode).
    JsonArray per = c.getJsonArray("runsRaw").getJsonObject(0).getJsonArray("perGateway");
    if (per == null) {
      return "—";
    }
    List<String> firsts = new ArrayList<>();
    for (Object o : per) {
      Object first = ((JsonObject) o).getValue("firstMs");
      firsts.add(first == null ? "—" : RunLines.num(((Number) first).doubleValue(), 1));
    }
    return String.join(" / ", firsts) + (c.getInteger("runs") > 1 ? " (run 1)" : "");
  }

  private static String spread(JsonObject row, String field) {
    JsonObject s = row.getJsonObject(field);
    if (s == null || s.getValue("median") == null) {
      return "n/a";
    }
    String median = RunLines.num(s.getDouble("median"), 2);
    return s.getDouble("min").equals(s.getDouble("max")) ? median
        : median + " (" + RunLines.num(s.getDouble("min"), 2) + "–" + RunLines.num(s.getDouble("max"), 2) + ")";
  }
}
