package dev.smartgateway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One cold burst: N concurrent requests (one connection each) to a stopped resource through the gateway, the
 * gateway's memory while they are held, the wake-up overhead measured from the VM's {@code readyAt} (the mock
 * records when its port opened), then the same N requests sent straight to that now-running VM.
 */
final class Cold {
  private static final int DIRECT_WARMUP_ROUNDS = 2;
  private static final int DIRECT_ROUNDS = 3;
  private Cold() {
  }

  /**
   * The driver is a fresh JVM for every burst, and the direct comparison runs later in the same JVM: without
   * this, the first measured responses would go through the driver's own cold (interpreted) client code and
   * the gateway would be charged for it. Three unmeasured bursts through the same code (connect N, send,
   * read) against the mock's stats endpoint warm it; they start no VM.
   */
  static void warmUpDriver(Vertx vertx, URI mock, int n, long timeoutMs) throws Exception {
    for (int round = 0; round < 3; round++) {
      Burst warm = new Burst(vertx, mock.getHost(), mock.getPort(), "/api/stats", Math.min(n, 1000), timeoutMs);
      warm.connectAll();
      warm.sendAll();
      warm.awaitSent();
      warm.awaitDone();
      warm.close();
    }
  }

  static void run(Vertx vertx, Args a) throws Exception {
    URI gateway = URI.create(a.str("gateway"));
    Control mock = new Control(a.str("mock"));
    long pid = a.pid("pid");
    int n = a.integer("n");
    String resource = a.str("resource");
    String group = a.str("group", "bench");
    String path = a.str("path", "/cold");
    String prefix = a.str("prefix", "smart_proxy");
    long timeoutMs = a.integer("timeout-ms", 300_000);
    int settleMs = a.integer("settle-ms", 1000);
    Path out = Path.of(a.str("out"));
    Clock clock = new Clock();

    warmUpDriver(vertx, URI.create(a.str("mock")), n, timeoutMs);
    JsonObject statsBefore = mock.stats();
    Jvm.Memory baseline = Jvm.measure(pid, clock);

    Burst burst = new Burst(vertx, gateway.getHost(), gateway.getPort(),
        "/" + prefix + "/" + resource + "/" + group + path, n, timeoutMs);
    int connectFailures = burst.connectAll();
    log("cold n=%d: %d connections open (%d failed), sending", n, n - connectFailures, connectFailures);
    burst.sendAll();
    boolean allSent = burst.awaitSent();
    double allSentMs = burst.nowMs();
    Thread.sleep(settleMs);
    int arrivedBeforeReading = burst.arrived();
    Jvm.Memory held = Jvm.measure(pid, clock);
    int arrivedAfterReading = burst.arrived();
    log("cold n=%d: all sent=%s, heap held %d MiB (baseline %d MiB), %d answered meanwhile", n, allSent,
        held.heapUsedBytes() >> 20, baseline.heapUsedBytes() >> 20, arrivedAfterReading);
    boolean allDone = burst.awaitDone();

    JsonObject vm = readyVm(mock.vms(resource));
    JsonObject statsAfter = mock.stats();
    int starts = statsAfter.getInteger("started") - statsBefore.getInteger("started");
    burst.close();

    JsonObject r = new JsonObject().put("n", n).put("resource", resource).put("starts", starts)
        .put("answered", burst.answered()).put("errors", n - burst.answered())
        .put("statusCounts", new JsonObject(new java.util.HashMap<>(burst.statusCounts())))
        .put("errorSamples", new JsonObject(new java.util.HashMap<>(burst.errorSamples())))
        .put("connectFailures", connectFailures).put("allSent", allSent).put("allDone", allDone)
        .put("sendStartMs", burst.sendStartMs).put("allSentMs", allSentMs)
        .put("heapBaselineBytes", baseline.heapUsedBytes()).put("heapHeldBytes", held.heapUsedBytes())
        .put("heapBytesPerWaiter", (held.heapUsedBytes() - baseline.heapUsedBytes()) / (double) n)
        .put("rssBaselineBytes", baseline.rssBytes()).put("rssHeldBytes", held.rssBytes())
        .put("rssBytesPerWaiter", (held.rssBytes() - baseline.rssBytes()) / (double) n)
        .put("heldReadingAtMs", held.atMs())
        .put("answeredBeforeHeldReading", arrivedAfterReading)
        .put("waitHeaderP50Ms", Stats.round(Stats.percentile(sorted(burst.waitHeaderMs), 50)));

    if (vm == null) {
      r.put("problem", "no VM of " + resource + " with readyAt in the mock");
    } else {
      long readyAt = vm.getLong("readyAt");
      double[] since = burst.successArrivalsSince(readyAt);
      // Valid only if the reading ended while every request was still held (before the port opened).
      r.put("heldReadingValid", arrivedBeforeReading == 0 && arrivedAfterReading == 0 && held.atMs() < readyAt);
      r.put("readyAtMs", readyAt).put("vmCreatedAtMs", vm.getValue("createdAt")).put("bootMs", vm.getValue("bootMs"));
      if (since.length > 0) {
        double drain = since[since.length - 1];
        r.put("wakeupFirstMs", Stats.round(since[0]))
            .put("wakeupP50Ms", Stats.round(Stats.percentile(since, 50)))
            .put("wakeupP99Ms", Stats.round(Stats.percentile(since, 99)))
            .put("wakeupMaxMs", Stats.round(drain))
            .put("gatewayDrainMs", Stats.round(drain));
        Direct direct = direct(vertx, URI.create(vm.getString("endpoint")), path, n, timeoutMs);
        r.put("directDrainMs", Stats.round(direct.drainMs())).put("directRoundsMs", direct.roundsMs())
            .put("directAnswered", direct.answered())
            .put("drainVsDirect", Stats.round(drain / direct.drainMs()));
        r.put("wakeupSinceReadyMs", Stats.sortedArray(since));
      }
    }
    Files.writeString(out, r.encodePrettily());
    log("cold n=%d: starts=%d answered=%d first=%sms p99=%sms drainVsDirect=%s heap/waiter=%s B", n, starts,
        burst.answered(), r.getValue("wakeupFirstMs"), r.getValue("wakeupP99Ms"), r.getValue("drainVsDirect"),
        Math.round(r.getDouble("heapBytesPerWaiter")));
  }

  /** Drain time (median of the measured rounds) and the fewest answers of a round. */
  record Direct(double drainMs, int answered, JsonArray roundsMs) {
  }

  /**
   * N concurrent requests straight to the VM, over N pre-opened connections: unmeasured rounds first (they warm
   * the driver's JIT up, as the gateway burst did not need), then measured rounds, of which the median counts.
   */
  private static Direct direct(Vertx vertx, URI endpoint, String path, int n, long timeoutMs) throws Exception {
    List<Double> drains = new ArrayList<>();
    int answered = n;
    for (int round = 0; round < DIRECT_WARMUP_ROUNDS + DIRECT_ROUNDS; round++) {
      Burst b = new Burst(vertx, endpoint.getHost(), endpoint.getPort(), path, n, timeoutMs);
      b.connectAll();
      b.sendAll();
      b.awaitDone();
      b.close();
      if (round >= DIRECT_WARMUP_ROUNDS) {
        drains.add(b.lastArrivalMs() - b.sendStartMs);
        answered = Math.min(answered, b.answered());
      }
    }
    JsonArray rounds = new JsonArray();
    drains.forEach(d -> rounds.add(Stats.round(d)));
    return new Direct(Stats.median(drains), answered, rounds);
  }

  /** {@code burst}: the direct burst alone, repeated, reporting send and drain times. */
  static void repeatDirect(Vertx vertx, Args a) throws Exception {
    URI url = URI.create(a.str("url"));
    int n = a.integer("n");
    for (int i = 0, r = a.integer("repeat", 5); i < r; i++) {
      Burst b = new Burst(vertx, url.getHost(), url.getPort(), url.getRawPath(), n, 60_000);
      b.connectAll();
      b.sendAll();
      b.awaitSent();
      double sent = b.nowMs() - b.sendStartMs;
      b.awaitDone();
      double[] since = b.successArrivalsSince(b.sendStartMs);
      log("burst n=%d: all written after %.1f ms, first answer %.1f ms, last %.1f ms, answered %d", n, sent,
          since.length > 0 ? since[0] : Double.NaN, since.length > 0 ? since[since.length - 1] : Double.NaN,
          b.answered());
      b.close();
    }
  }

  /** The resource's VM whose port opened first (there should be exactly one). */
  static JsonObject readyVm(JsonArray vms) {
    JsonObject best = null;
    for (int i = 0; i < vms.size(); i++) {
      JsonObject vm = vms.getJsonObject(i);
      if (vm.getValue("readyAt") != null && (best == null || vm.getLong("readyAt") < best.getLong("readyAt"))) {
        best = vm;
      }
    }
    return best;
  }

  private static double[] sorted(double[] values) {
    return java.util.Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
  }

  static void log(String format, Object... args) {
    System.err.println("[driver] " + String.format(format, args));
  }
}
