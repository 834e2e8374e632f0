package dev.smartgateway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns the raw files of one {@code bench/run} (work dir) into the results: {@code BASE.json}, {@code BASE.md},
 * the chart's data files, and the README's performance section (between its bench markers).
 */
final class Report {
  static final String START = "<!-- bench:start -->";
  static final String END = "<!-- bench:end -->";
  private static final String[] TARGETS = {"direct", "nginx", "gateway"};

  private Report() {
  }

  static void run(Args a) throws IOException {
    Path work = Path.of(a.str("work"));
    Path base = Path.of(a.str("out"));
    Map<String, String> meta = readMeta(work.resolve("meta.properties"));
    JsonObject result = new JsonObject();
    meta.forEach((k, v) -> nest(result, k, v));
    JsonObject warm = warm(work.resolve("warm.jsonl"));
    JsonArray cold = cold(work);
    JsonObject churn = Files.exists(work.resolve("churn.json"))
        ? new JsonObject(Files.readString(work.resolve("churn.json"))) : null;
    result.put("warm", warm).put("cold", cold).put("churn", churn).put("cachedHit", CachedHits.read(work))
        .put("realMachines", RealMachines.read(work)).put("loggedAndCompared", Pairs.read(work))
        .put("http2", Http2Warm.read(work)).put("cluster", ClusterBench.read(work));
    JsonArray targets = targets(warm, cold, churn, result.getJsonArray("loggedAndCompared"));
    result.put("targets", targets);

    Files.createDirectories(base.toAbsolutePath().getParent());
    Files.writeString(Path.of(base + ".json"), result.encodePrettily() + "\n");
    String name = base.getFileName().toString();
    Files.writeString(Path.of(base + ".md"), markdown(result, name));
    writeChartData(work, warm, work);
    String readme = a.str("readme", "");
    if (!readme.isEmpty()) {
      updateReadme(Path.of(readme), readmeSection(result, a.str("results-link", "bench/results/") + name));
    }
    System.err.println("[report] wrote " + base + ".json and .md");
  }

  // ---------------------------------------------------------------- warm path

  private static JsonObject warm(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    List<JsonObject> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(JsonObject::new)
        .collect(Collectors.toList());
    Map<String, List<JsonObject>> byPoint = lines.stream().collect(Collectors.groupingBy(
        l -> String.format("%09d|%06d", l.getInteger("bodyBytes"), l.getInteger("connections")),
        TreeMap::new, Collectors.toList()));
    JsonArray points = new JsonArray();
    for (List<JsonObject> runs : byPoint.values()) {
      JsonObject p = new JsonObject().put("bodyBytes", runs.get(0).getInteger("bodyBytes"))
          .put("connections", runs.get(0).getInteger("connections"));
      Map<String, Map<Integer, JsonObject>> byTarget = new LinkedHashMap<>();
      for (String t : TARGETS) {
        Map<Integer, JsonObject> byRun = runs.stream().filter(l -> t.equals(l.getString("target")))
            .collect(Collectors.toMap(l -> l.getInteger("run"), Function.identity(), (x, y) -> y, TreeMap::new));
        byTarget.put(t, byRun);
        p.put(t, new JsonObject()
            .put("rps", Stats.spread(values(byRun.values(), "rps")))
            .put("p50Ms", Stats.spread(values(byRun.values(), "p50Ms")))
            .put("p99Ms", Stats.spread(values(byRun.values(), "p99Ms")))
            .put("proxyCpuUsPerRequest", Stats.spread(perRequest(byRun.values(), "proxyCpuMs")))
            .put("backendCpuUsPerRequest", Stats.spread(perRequest(byRun.values(), "backendCpuMs")))
            .put("errors", byRun.values().stream().mapToLong(l -> l.getLong("errors", 0L)).sum())
            .put("runs", byRun.size()));
      }
      // Ratios are taken run by run (the targets of one run are interleaved), then summarised.
      p.put("ratioThroughputVsNginx", Stats.spread(ratios(byTarget, "gateway", "nginx", "rps")));
      p.put("ratioP99VsNginx", Stats.spread(ratios(byTarget, "gateway", "nginx", "p99Ms")));
      p.put("ratioThroughputVsDirect", Stats.spread(ratios(byTarget, "gateway", "direct", "rps")));
      p.put("ratioP99VsDirect", Stats.spread(ratios(byTarget, "gateway", "direct", "p99Ms")));
      p.put("ratioCpuPerRequestVsNginx", Stats.spread(cpuRatios(byTarget)));
      p.put("nginxThroughputVsDirect", Stats.spread(ratios(byTarget, "nginx", "direct", "rps")));
      points.add(p);
    }
    if (points.isEmpty()) {
      return null;
    }
    // Headline: the smallest body at the connection count closest to 64.
    int smallest = points.stream().map(o -> ((JsonObject) o).getInteger("bodyBytes")).min(Integer::compare).get();
    JsonObject ref = points.stream().map(o -> (JsonObject) o).filter(o -> o.getInteger("bodyBytes") == smallest)
        .min(Comparator.comparingInt(o -> Math.abs(o.getInteger("connections") - 64))).get();
    JsonObject w = new JsonObject()
        .put("reference", new JsonObject().put("bodyBytes", smallest).put("connections", ref.getInteger("connections")))
        .put("directRps", med(ref, "direct", "rps")).put("nginxRps", med(ref, "nginx", "rps"))
        .put("gatewayRps", med(ref, "gateway", "rps"))
        .put("directP99Ms", med(ref, "direct", "p99Ms")).put("nginxP99Ms", med(ref, "nginx", "p99Ms"))
        .put("gatewayP99Ms", med(ref, "gateway", "p99Ms"))
        .put("ratioThroughputVsNginx", ref.getJsonObject("ratioThroughputVsNginx").getValue("median"))
        .put("ratioP99VsNginx", ref.getJsonObject("ratioP99VsNginx").getValue("median"))
        .put("ratioThroughputVsDirect", ref.getJsonObject("ratioThroughputVsDirect").getValue("median"))
        .put("ratioP99VsDirect", ref.getJsonObject("ratioP99VsDirect").getValue("median"))
        .put("nginxCpuUsPerRequest", med(ref, "nginx", "proxyCpuUsPerRequest"))
        .put("gatewayCpuUsPerRequest", med(ref, "gateway", "proxyCpuUsPerRequest"))
        .put("ratioCpuPerRequestVsNginx", ref.getJsonObject("ratioCpuPerRequestVsNginx").getValue("median"));
    w.put("worstRatioThroughputVsNginx", Stats.round(points.stream()
        .map(o -> ((JsonObject) o).getJsonObject("ratioThroughputVsNginx").getDouble("median"))
        .filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));
    w.put("worstRatioP99VsNginx", Stats.round(points.stream()
        .map(o -> ((JsonObject) o).getJsonObject("ratioP99VsNginx").getDouble("median"))
        .filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
    w.put("points", points);
    return w;
  }

  /** CPU µs per request of each run, from the CPU ms the run script read around it. */
  private static List<Double> perRequest(java.util.Collection<JsonObject> runs, String cpuField) {
    return runs.stream().map(l -> l.getValue(cpuField) == null || l.getLong("requests", 0L) == 0 ? null
        : l.getDouble(cpuField) * 1000.0 / l.getLong("requests")).collect(Collectors.toList());
  }

  /** Gateway CPU per request / nginx CPU per request (all its processes), run by run. */
  private static List<Double> cpuRatios(Map<String, Map<Integer, JsonObject>> byTarget) {
    List<Double> out = new ArrayList<>();
    byTarget.get("gateway").forEach((run, g) -> {
      JsonObject ng = byTarget.get("nginx").get(run);
      List<Double> gw = perRequest(List.of(g), "proxyCpuMs");
      List<Double> nx = ng == null ? List.of() : perRequest(List.of(ng), "proxyCpuMs");
      if (!nx.isEmpty() && gw.get(0) != null && nx.get(0) != null && nx.get(0) > 0) {
        out.add(gw.get(0) / nx.get(0));
      }
    });
    return out;
  }

  private static Double med(JsonObject point, String target, String field) {
    return point.getJsonObject(target).getJsonObject(field).getDouble("median");
  }

  private static List<Double> values(java.util.Collection<JsonObject> runs, String field) {
    return runs.stream().map(l -> l.getDouble(field)).collect(Collectors.toList());
  }

  private static List<Double> ratios(Map<String, Map<Integer, JsonObject>> byTarget, String num, String den,
                                     String field) {
    List<Double> out = new ArrayList<>();
    byTarget.get(num).forEach((run, l) -> {
      JsonObject d = byTarget.get(den).get(run);
      if (d != null && l.getDouble(field) != null && d.getDouble(field) != null && d.getDouble(field) > 0) {
        out.add(l.getDouble(field) / d.getDouble(field));
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- cold burst

  private static JsonArray cold(Path work) throws IOException {
    List<JsonObject> runs = new ArrayList<>();
    try (Stream<Path> files = Files.list(work)) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("cold-\\d+-\\d+\\.json")).sorted()
          .collect(Collectors.toList())) {
        runs.add(new JsonObject(Files.readString(f)));
      }
    }
    Map<Integer, List<JsonObject>> byN = runs.stream()
        .collect(Collectors.groupingBy(r -> r.getInteger("n"), TreeMap::new, Collectors.toList()));
    JsonArray out = new JsonArray();
    String[] medianFields = {"wakeupFirstMs", "wakeupP50Ms", "wakeupP99Ms", "wakeupMaxMs", "gatewayDrainMs",
        "directDrainMs", "drainVsDirect", "heapBytesPerWaiter", "rssBytesPerWaiter", "waitHeaderP50Ms"};
    byN.forEach((n, rs) -> {
      // Counts report the worst run; measured figures the median over runs (spread holds min/median/max).
      JsonObject c = new JsonObject().put("n", n).put("runs", rs.size())
          .put("starts", rs.stream().mapToInt(r -> r.getInteger("starts")).max().getAsInt())
          .put("answered", rs.stream().mapToInt(r -> r.getInteger("answered")).min().getAsInt())
          .put("errors", rs.stream().mapToInt(r -> r.getInteger("errors")).max().getAsInt())
          .put("heldReadingValid", rs.stream().allMatch(r -> r.getBoolean("heldReadingValid", false)));
      JsonObject spread = new JsonObject();
      for (String f : medianFields) {
        JsonObject s = Stats.spread(values(rs, f));
        spread.put(f, s);
        c.put(f, s.getValue("median"));
      }
      c.put("spread", spread);
      c.put("runsRaw", new JsonArray(rs.stream().map(r -> {
        JsonObject copy = r.copy();
        copy.remove("wakeupSinceReadyMs");
        return copy;
      }).collect(Collectors.toList())));
      out.add(c);
    });
    return out;
  }

  // ---------------------------------------------------------------- targets

  /** The targets of issue 16 (README "Performance"): reported as met or not, never enforced. */
  private static JsonArray targets(JsonObject warm, JsonArray cold, JsonObject churn, JsonArray logged) {
    JsonArray t = new JsonArray();
    if (warm != null) {
      String ref = warm.getJsonObject("reference").getInteger("bodyBytes") + " B, "
          + warm.getJsonObject("reference").getInteger("connections") + " conns";
      t.add(target("Warm throughput / nginx (" + ref + ")", "≥ 0.9", warm.getDouble("ratioThroughputVsNginx"),
          v -> v >= 0.9));
      JsonObject large = largestBodyPoint(warm);
      if (large != null) {
        t.add(target("Warm throughput / nginx (" + large.getInteger("bodyBytes") / 1024 + " KiB, "
                + large.getInteger("connections") + " conns)", "≥ 0.9",
            large.getJsonObject("ratioThroughputVsNginx").getDouble("median"), v -> v >= 0.9));
      }
      t.add(target("Warm throughput / nginx (worst point)", "≥ 0.9", warm.getDouble("worstRatioThroughputVsNginx"),
          v -> v >= 0.9));
      t.add(target("Warm p99 / nginx (" + ref + ")", "≤ 1.5", warm.getDouble("ratioP99VsNginx"), v -> v <= 1.5));
      t.add(target("Warm p99 / nginx (worst point)", "≤ 2", warm.getDouble("worstRatioP99VsNginx"), v -> v <= 2));
      t.add(target("Proxy CPU per request / nginx's (" + ref + ")", "≤ 1.5",
          warm.getDouble("ratioCpuPerRequestVsNginx"), v -> v <= 1.5));
    }
    if (logged != null) {
      for (Object o : logged) {
        JsonObject row = (JsonObject) o;
        if ("gateway-log".equals(row.getString("subject")) && row.getInteger("bodyBytes") <= 1024) {
          t.add(target("Warm throughput / nginx, both logging (" + row.getInteger("bodyBytes") + " B, 64 conns)",
              "≥ 0.9", row.getJsonObject("ratioThroughput").getDouble("median"), v -> v >= 0.9));
        }
      }
    }
    for (Object o : cold) {
      JsonObject c = (JsonObject) o;
      int n = c.getInteger("n");
      t.add(target("First response after port open, N=" + n + " (ms)", "≤ 10", c.getDouble("wakeupFirstMs"),
          v -> v <= 10));
      if (n == 1000) {
        t.add(target("drainVsDirect, N=1000", "≤ 1.5", c.getDouble("drainVsDirect"), v -> v <= 1.5));
      }
      if (n == 10000) {
        t.add(target("VM starts, N=10000", "= 1", (double) c.getInteger("starts"), v -> v == 1));
        t.add(target("Answered, N=10000", "= 10000", (double) c.getInteger("answered"), v -> v == 10000));
        t.add(target("Heap per held request, N=10000 (bytes)", "≤ 4096", c.getDouble("heapBytesPerWaiter"),
            v -> v <= 4096));
      }
    }
    if (churn != null) {
      t.add(new JsonObject().put("name", "All " + churn.getInteger("resources") + " idle VMs stopped after idle timeout")
          .put("target", "yes").put("value", churn.getBoolean("allStopped") ? "yes" : "no")
          .put("met", churn.getBoolean("allStopped")));
    }
    return t;
  }

  /** The warm point with the largest body at the connection count closest to 64, or null with one body size. */
  private static JsonObject largestBodyPoint(JsonObject warm) {
    int smallest = warm.getJsonObject("reference").getInteger("bodyBytes");
    return warm.getJsonArray("points").stream().map(o -> (JsonObject) o)
        .filter(p -> p.getInteger("bodyBytes") > smallest)
        .max(Comparator.<JsonObject>comparingInt(p -> p.getInteger("bodyBytes"))
            .thenComparingInt(p -> -Math.abs(p.getInteger("connections") - 64)))
        .orElse(null);
  }

  private static JsonObject target(String name, String goal, Double value, java.util.function.DoublePredicate ok) {
    return new JsonObject().put("name", name).put("target", goal).put("value", value)
        .put("met", value == null ? null : ok.test(value));
  }

  // ---------------------------------------------------------------- Markdown

  private static String markdown(JsonObject r, String name) {
    StringBuilder md = new StringBuilder();
    md.append("# Smart Gateway benchmark — ").append(r.getString("date", "?")).append(", commit `")
        .append(r.getString("commit", "?")).append("` (").append(r.getString("mode", "?")).append(")\n\n");
    md.append("Produced by `").append(r.getString("command", "bench/run")).append("`. Raw figures: `")
        .append(name).append(".json`. Chart: `").append(name).append(".png`.\n\n");
    md.append("![warm path and wake-up overhead](").append(name).append(".png)\n\n");
    md.append("## Machine and versions\n\n");
    appendKeyValues(md, r.getJsonObject("machine"));
    appendKeyValues(md, r.getJsonObject("versions"));
    appendKeyValues(md, r.getJsonObject("settings"));
    md.append("\n## Targets\n\n").append(targetTable(r.getJsonArray("targets")));
    md.append("\nMeasured figures are medians over runs; counts (starts, answered, errors) are the worst run.\n");

    JsonObject warm = r.getJsonObject("warm");
    if (warm != null) {
      md.append("\n## Warm path\n\nRequests/s and latency (wrk), `median (min–max)` over interleaved runs. ")
          .append("Same backend for all three: ").append(r.getJsonObject("settings", new JsonObject())
              .getString("warmBackend", "a mock VM")).append(". Proxy CPU µs/req = user + system CPU time of ")
          .append("the proxy's processes during the run / requests served: less sensitive than requests/s to ")
          .append("what else the machine is doing.\n\n");
      md.append("| body | conns | direct req/s | nginx req/s | gateway req/s | gw/nginx | gw/direct | "
          + "p50 direct / nginx / gw (ms) | p99 direct / nginx / gw (ms) | p99 gw/nginx | "
          + "proxy CPU µs/req nginx / gw | CPU/req gw/nginx | errors (d/n/g) |\n");
      md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Object o : warm.getJsonArray("points")) {
        JsonObject p = (JsonObject) o;
        md.append("| ").append(bytes(p.getInteger("bodyBytes"))).append(" | ").append(p.getInteger("connections"))
            .append(" | ").append(spread(p.getJsonObject("direct").getJsonObject("rps"), 0))
            .append(" | ").append(spread(p.getJsonObject("nginx").getJsonObject("rps"), 0))
            .append(" | ").append(spread(p.getJsonObject("gateway").getJsonObject("rps"), 0))
            .append(" | ").append(spread(p.getJsonObject("ratioThroughputVsNginx"), 2))
            .append(" | ").append(spread(p.getJsonObject("ratioThroughputVsDirect"), 2))
            .append(" | ").append(trio(p, "p50Ms")).append(" | ").append(trio(p, "p99Ms"))
            .append(" | ").append(spread(p.getJsonObject("ratioP99VsNginx"), 2))
            .append(" | ").append(num(med(p, "nginx", "proxyCpuUsPerRequest"), 1)).append(" / ")
            .append(num(med(p, "gateway", "proxyCpuUsPerRequest"), 1))
            .append(" | ").append(spread(p.getJsonObject("ratioCpuPerRequestVsNginx"), 2))
            .append(" | ").append(p.getJsonObject("direct").getLong("errors")).append("/")
            .append(p.getJsonObject("nginx").getLong("errors")).append("/")
            .append(p.getJsonObject("gateway").getLong("errors")).append(" |\n");
      }
    }

    JsonArray cold = r.getJsonArray("cold");
    if (cold != null && !cold.isEmpty()) {
      md.append("\n## Cold burst\n\nN concurrent requests, one connection each, to a stopped resource; times in ms ")
          .append("from the VM's port opening (mock `readyAt`) to each response's arrival. `drainVsDirect` = time ")
          .append("to answer all N after the port opened / time to answer N concurrent requests sent straight to ")
          .append("the running VM. Heap = used heap after a full GC, read while the N requests are held, minus ")
          .append("the same reading just before the burst.\n\n");
      md.append("| N | runs | starts | answered | errors | first | p50 | p99 | max | drain gw / direct (ms) | "
          + "drainVsDirect | heap B/held req | RSS B/held req | heap read while held |\n");
      md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
      for (Object o : cold) {
        JsonObject c = (JsonObject) o;
        JsonObject s = c.getJsonObject("spread");
        md.append("| ").append(c.getInteger("n")).append(" | ").append(c.getInteger("runs"))
            .append(" | ").append(c.getInteger("starts")).append(" | ").append(c.getInteger("answered"))
            .append(" | ").append(c.getInteger("errors"))
            .append(" | ").append(spread(s.getJsonObject("wakeupFirstMs"), 1))
            .append(" | ").append(spread(s.getJsonObject("wakeupP50Ms"), 1))
            .append(" | ").append(spread(s.getJsonObject("wakeupP99Ms"), 1))
            .append(" | ").append(spread(s.getJsonObject("wakeupMaxMs"), 1))
            .append(" | ").append(num(c.getDouble("gatewayDrainMs"), 1)).append(" / ")
            .append(num(c.getDouble("directDrainMs"), 1))
            .append(" | ").append(spread(s.getJsonObject("drainVsDirect"), 2))
            .append(" | ").append(spread(s.getJsonObject("heapBytesPerWaiter"), 0))
            .append(" | ").append(spread(s.getJsonObject("rssBytesPerWaiter"), 0))
            .append(" | ").append(c.getBoolean("heldReadingValid") ? "yes" : "no").append(" |\n");
      }
    }

    JsonObject churn = r.getJsonObject("churn");
    if (churn != null) {
      md.append("\n## Idle churn\n\n");
      md.append("| resources | answered | errors | VMs started | touch p50 / p99 (ms) | heap B/resource (VMs running) | "
          + "heap B/resource (all stopped) | all stopped | stopped after last touch (ms) | idle timeout (ms) |\n");
      md.append("|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|\n");
      md.append("| ").append(churn.getInteger("resources")).append(" | ").append(churn.getInteger("answered"))
          .append(" | ").append(churn.getInteger("errors")).append(" | ").append(churn.getInteger("vmsStarted"))
          .append(" | ").append(num(churn.getDouble("touchLatencyP50Ms"), 1)).append(" / ")
          .append(num(churn.getDouble("touchLatencyP99Ms"), 1))
          .append(" | ").append(num(churn.getDouble("heapBytesPerResourceActive"), 0))
          .append(" | ").append(num(churn.getDouble("heapBytesPerResourceIdle"), 0))
          .append(" | ").append(churn.getBoolean("allStopped") ? "yes" : "no")
          .append(" | ").append(num(churn.getDouble("stoppedAfterLastTouchMs"), 0))
          .append(" | ").append(churn.getLong("idleTimeoutMs")).append(" |\n");
      md.append("\nOne churn run per benchmark run (it waits out the idle timeout).\n");
    }
    if (r.getJsonArray("loggedAndCompared") != null) {
      Pairs.markdown(md, r.getJsonArray("loggedAndCompared"));
    }
    if (r.getJsonArray("cachedHit") != null) {
      CachedHits.markdown(md, r.getJsonArray("cachedHit"));
    }
    if (r.getJsonArray("http2") != null) {
      Http2Warm.markdown(md, r.getJsonArray("http2"));
    }
    if (r.getJsonArray("realMachines") != null) {
      RealMachines.markdown(md, r.getJsonArray("realMachines"));
    }
    if (r.getJsonObject("cluster") != null) {
      ClusterBench.markdown(md, r.getJsonObject("cluster"));
    }
    md.append("\n## How to read this\n\nAll processes (load generator, proxies, backend, mock cloud) share one ")
        .append("machine; on 2 cores they compete for CPU, so absolute figures are low and noisy. Compare the ")
        .append("ratios, which come from interleaved runs in the same invocation. See `bench/README.md`.\n");
    return md.toString();
  }

  private static String targetTable(JsonArray targets) {
    StringBuilder md = new StringBuilder("| figure | target | measured | met |\n|---|---:|---:|:---:|\n");
    for (Object o : targets) {
      JsonObject t = (JsonObject) o;
      Object v = t.getValue("value");
      String value = String.valueOf(v);
      if (v instanceof Number) {
        double d = ((Number) v).doubleValue();
        value = num(d, d == Math.rint(d) && Math.abs(d) >= 1 ? 0 : 2);
      }
      Boolean met = t.getBoolean("met");
      md.append("| ").append(t.getString("name")).append(" | ").append(t.getString("target")).append(" | ")
          .append(value).append(" | ").append(met == null ? "n/a" : met ? "yes" : "**no**").append(" |\n");
    }
    return md.toString();
  }

  private static String readmeSection(JsonObject r, String link) {
    JsonObject machine = r.getJsonObject("machine", new JsonObject());
    return "Measured by `bench/run` on " + machine.getValue("cpus", "?") + " cores ("
        + machine.getString("cpuModel", "?") + "), " + r.getString("date", "?") + ", commit `"
        + r.getString("commit", "?") + "`, mode `" + r.getString("mode", "?") + "`. Gateway, nginx (the peer: "
        + "`proxy_pass` with a keep-alive upstream) and a direct connection to the same backend are measured "
        + "side by side in one run; figures are medians over runs. Full report: [" + link + ".md](" + link
        + ".md), raw figures: [" + link + ".json](" + link + ".json).\n\n"
        + targetTable(r.getJsonArray("targets")) + "\n"
        + headlines(r)
        + "![warm path and wake-up overhead](" + link + ".png)\n\n"
        + "Reproduce (installs nginx-light, wrk and gnuplot-nox if missing, builds the jars if missing):\n\n"
        + "```\nbench/run --quick   # a few minutes, routine check\nbench/run           # full: 3 "
        + "interleaved runs of 10 s, about 30 minutes\n```\n\n"
        + "On a 2-core machine the load generator, the proxies and the backend share the CPU: absolute figures "
        + "are noisy, the ratios are what to compare. See [bench/README.md](bench/README.md).\n";
  }

  /** The absolute figures behind the ratios: warm reference point and each burst size. */
  private static String headlines(JsonObject r) {
    StringBuilder md = new StringBuilder();
    JsonObject warm = r.getJsonObject("warm");
    if (warm != null) {
      JsonObject ref = warm.getJsonObject("reference");
      md.append("Warm path, ").append(bytes(ref.getInteger("bodyBytes"))).append(" bodies, ")
          .append(ref.getInteger("connections")).append(" connections: direct ")
          .append(num(warm.getDouble("directRps"), 0)).append(" req/s (p99 ").append(num(warm.getDouble("directP99Ms"), 1))
          .append(" ms), nginx ").append(num(warm.getDouble("nginxRps"), 0)).append(" req/s (p99 ")
          .append(num(warm.getDouble("nginxP99Ms"), 1)).append(" ms), gateway ")
          .append(num(warm.getDouble("gatewayRps"), 0)).append(" req/s (p99 ")
          .append(num(warm.getDouble("gatewayP99Ms"), 1)).append(" ms). CPU per proxied request: nginx ")
          .append(num(warm.getDouble("nginxCpuUsPerRequest"), 1)).append(" µs, gateway ")
          .append(num(warm.getDouble("gatewayCpuUsPerRequest"), 1)).append(" µs.\n\n");
    }
    JsonArray pairs = r.getJsonArray("loggedAndCompared");
    if (pairs != null) {
      for (Object o : pairs) {
        JsonObject p = (JsonObject) o;
        md.append("- ").append(p.getString("subject")).append(" / ").append(p.getString("peer")).append(", ")
            .append(bytes(p.getInteger("bodyBytes"))).append(", 64 connections (").append(p.getString("what"))
            .append("): throughput ").append(num(p.getJsonObject("ratioThroughput").getDouble("median"), 2))
            .append(", p99 ").append(num(p.getJsonObject("ratioP99").getDouble("median"), 2))
            .append(", CPU per request ").append(num(p.getJsonObject("ratioCpuPerRequest").getDouble("median"), 2))
            .append('\n');
      }
      md.append('\n');
    }
    JsonArray cold = r.getJsonArray("cold");
    if (cold != null && !cold.isEmpty()) {
      md.append("| cold burst N | VM starts | answered | first / p50 / p99 after port open (ms) | drainVsDirect | "
          + "heap per held request |\n|---:|---:|---:|---:|---:|---:|\n");
      for (Object o : cold) {
        JsonObject c = (JsonObject) o;
        md.append("| ").append(num((double) c.getInteger("n"), 0)).append(" | ").append(c.getInteger("starts"))
            .append(" | ").append(c.getInteger("answered")).append(" | ")
            .append(num(c.getDouble("wakeupFirstMs"), 1)).append(" / ").append(num(c.getDouble("wakeupP50Ms"), 1))
            .append(" / ").append(num(c.getDouble("wakeupP99Ms"), 1)).append(" | ")
            .append(num(c.getDouble("drainVsDirect"), 2)).append(" | ")
            .append(num(c.getDouble("heapBytesPerWaiter"), 0)).append(" B |\n");
      }
      md.append('\n');
    }
    JsonObject churn = r.getJsonObject("churn");
    if (churn != null) {
      md.append("Idle churn: ").append(churn.getInteger("resources")).append(" resources touched once: heap ")
          .append(num(churn.getDouble("heapBytesPerResourceActive"), 0)).append(" B per resource while their VMs ")
          .append("ran, ").append(num(churn.getDouble("heapBytesPerResourceIdle"), 0))
          .append(" B after all were stopped; all stopped: ").append(churn.getBoolean("allStopped") ? "yes" : "no")
          .append(" (").append(num(churn.getDouble("stoppedAfterLastTouchMs"), 0)).append(" ms after the last ")
          .append("request, idle timeout ").append(churn.getLong("idleTimeoutMs")).append(" ms).\n\n");
    }
    JsonArray real = r.getJsonArray("realMachines");
    if (real != null) {
      RealMachines.table(md, real);
      md.append("\n(ms, median (min–max): a cold start split where the adapter said RUNNING and where the guest answered "
          + "the gateway's probe; the gateway's share is from that answer to the client's first byte; resume from "
          + "SUSPENDED.)\n\n");
    }
    return md.toString();
  }

  static void updateReadme(Path readme, String section) throws IOException {
    String block = START + "\n" + section + END;
    String text = Files.exists(readme) ? Files.readString(readme) : "";
    int s = text.indexOf(START);
    int e = text.indexOf(END);
    if (s >= 0 && e > s) {
      text = text.substring(0, s) + block + text.substring(e + END.length());
    } else {
      text = (text.isEmpty() || text.endsWith("\n") ? text : text + "\n") + (text.isEmpty() ? "" : "\n")
          + "## Performance\n\n" + block + "\n";
    }
    Files.writeString(readme, text);
  }

  // ---------------------------------------------------------------- chart data

  private static void writeChartData(Path work, JsonObject warm, Path dir) throws IOException {
    StringBuilder w = new StringBuilder("# point direct nginx gateway (requests/s, medians)\n");
    if (warm != null) {
      for (Object o : warm.getJsonArray("points")) {
        JsonObject p = (JsonObject) o;
        w.append('"').append(bytes(p.getInteger("bodyBytes"))).append(" c").append(p.getInteger("connections"))
            .append('"');
        for (String t : TARGETS) {
          Double v = med(p, t, "rps");
          w.append(' ').append(v == null ? "NaN" : String.format(Locale.ROOT, "%.0f", v));
        }
        w.append('\n');
      }
    }
    Files.writeString(dir.resolve("warm.dat"), w.toString());

    // Wake-up CDF per N: the run with the median p99, downsampled to at most 400 points.
    StringBuilder c = new StringBuilder();
    Map<Integer, List<JsonObject>> byN = new TreeMap<>();
    try (Stream<Path> files = Files.list(work)) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("cold-\\d+-\\d+\\.json")).sorted()
          .collect(Collectors.toList())) {
        JsonObject run = new JsonObject(Files.readString(f));
        if (run.getJsonArray("wakeupSinceReadyMs") != null) {
          byN.computeIfAbsent(run.getInteger("n"), k -> new ArrayList<>()).add(run);
        }
      }
    }
    for (Map.Entry<Integer, List<JsonObject>> e : byN.entrySet()) {
      List<JsonObject> rs = e.getValue();
      rs.sort(Comparator.comparingDouble(x -> x.getDouble("wakeupP99Ms")));
      JsonArray a = rs.get(rs.size() / 2).getJsonArray("wakeupSinceReadyMs");
      c.append("\"N=").append(e.getKey()).append("\"\n");
      int step = Math.max(1, a.size() / 400);
      for (int i = 0; i < a.size(); i += step) {
        c.append(String.format(Locale.ROOT, "%.2f %.4f%n", Math.max(0.1, a.getDouble(i)), (i + 1) / (double) a.size()));
      }
      c.append(String.format(Locale.ROOT, "%.2f %.4f%n%n%n", Math.max(0.1, a.getDouble(a.size() - 1)), 1.0));
    }
    Files.writeString(dir.resolve("wakeup.dat"), c.toString());
  }

  // ---------------------------------------------------------------- helpers

  private static Map<String, String> readMeta(Path file) throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          meta.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    }
    return meta;
  }

  /** {@code a.b=v} becomes {@code {"a":{"b":v}}}; numbers and booleans keep their type. */
  private static void nest(JsonObject root, String key, String value) {
    String[] parts = key.split("\\.");
    JsonObject o = root;
    for (int i = 0; i < parts.length - 1; i++) {
      if (o.getJsonObject(parts[i]) == null) {
        o.put(parts[i], new JsonObject());
      }
      o = o.getJsonObject(parts[i]);
    }
    Object v = value;
    if (value.matches("-?\\d{1,15}")) {
      v = Long.parseLong(value);
    } else if (value.matches("-?\\d+\\.\\d+")) {
      v = Double.parseDouble(value);
    } else if (value.equals("true") || value.equals("false")) {
      v = Boolean.parseBoolean(value);
    }
    o.put(parts[parts.length - 1], v);
  }

  private static void appendKeyValues(StringBuilder md, JsonObject o) {
    if (o != null) {
      o.forEach(e -> md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
    }
  }

  private static String trio(JsonObject p, String field) {
    return num(med(p, "direct", field), 2) + " / " + num(med(p, "nginx", field), 2) + " / "
        + num(med(p, "gateway", field), 2);
  }

  /** "median (min–max)", or just the value when all runs agree or there was one run. */
  private static String spread(JsonObject s, int decimals) {
    if (s == null || s.getValue("median") == null) {
      return "n/a";
    }
    String med = num(s.getDouble("median"), decimals);
    String min = num(s.getDouble("min"), decimals);
    String max = num(s.getDouble("max"), decimals);
    return min.equals(max) ? med : med + " (" + min + "–" + max + ")";
  }

  private static String num(Double v, int decimals) {
    if (v == null || v.isNaN()) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  private static String bytes(int n) {
    return n >= 1024 && n % 1024 == 0 ? (n / 1024) + " KiB" : n + " B";
  }
}
