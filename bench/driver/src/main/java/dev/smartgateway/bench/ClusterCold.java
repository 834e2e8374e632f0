package dev.smartgateway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One cold burst across clustered gateways ({@code cluster-cold}): N concurrent requests (one connection each) to a
 * stopped resource, split round-robin over the gateways — as a load balancer without stickiness spreads them —, all
 * connections opened first, then every request written at once. Reports the VMs the mock started for it (one, if the
 * cluster's single-flight start holds), the answers, and each answer's arrival after the VM's port opened (the mock's
 * {@code readyAt}), overall and per gateway: the member that started the VM releases its held requests on its own
 * readiness probe, the others when the registry tells them the VM is ready.
 */
final class ClusterCold {
  private ClusterCold() {
  }

  static void run(Vertx vertx, Args a) throws Exception {
    List<URI> gateways = Arrays.stream(a.str("gateways").split(",")).map(URI::create).toList();
    Control mock = new Control(a.str("mock"));
    int n = a.integer("n");
    String resource = a.str("resource");
    String uri = "/smart_proxy/" + resource + "/" + a.str("group", "bench") + a.str("path", "/cold");
    long timeoutMs = a.integer("timeout-ms", 300_000);
    Path out = Path.of(a.str("out"));

    Cold.warmUpDriver(vertx, URI.create(a.str("mock")), n, timeoutMs);
    JsonObject statsBefore = mock.stats();
    Burst[] bursts = new Burst[gateways.size()];
    int connectFailures = 0;
    for (int g = 0; g < bursts.length; g++) {
      // Round-robin: gateway g gets requests g, g + k, g + 2k, ...
      int share = n / bursts.length + (g < n % bursts.length ? 1 : 0);
      bursts[g] = new Burst(vertx, gateways.get(g).getHost(), gateways.get(g).getPort(), uri, share, timeoutMs);
      connectFailures += bursts[g].connectAll();
    }
    Cold.log("cluster cold n=%d over %d gateways: connections open (%d failed), sending", n, bursts.length,
        connectFailures);
    for (Burst burst : bursts) {
      burst.sendAll();
    }
    boolean allSent = true;
    for (Burst burst : bursts) {
      allSent &= burst.awaitSent();
    }
    double allSentMs = bursts[0].nowMs();
    boolean allDone = true;
    for (Burst burst : bursts) {
      allDone &= burst.awaitDone();
    }

    JsonObject vm = Cold.readyVm(mock.vms(resource));
    int starts = mock.stats().getInteger("started") - statsBefore.getInteger("started");
    int answered = 0;
    Map<String, Integer> statuses = new TreeMap<>();
    Map<String, Integer> errors = new TreeMap<>();
    for (Burst burst : bursts) {
      answered += burst.answered();
      burst.statusCounts().forEach((k, v) -> statuses.merge(k, v, Integer::sum));
      burst.errorSamples().forEach((k, v) -> errors.merge(k, v, Integer::sum));
    }
    JsonObject r = new JsonObject().put("n", n).put("gateways", bursts.length).put("resource", resource)
        .put("starts", starts).put("answered", answered).put("errors", n - answered)
        .put("statusCounts", new JsonObject(new java.util.HashMap<>(statuses)))
        .put("errorSamples", new JsonObject(new java.util.HashMap<>(errors)))
        .put("connectFailures", connectFailures).put("allSent", allSent).put("allDone", allDone);
    if (vm == null) {
      r.put("problem", "no VM of " + resource + " with readyAt in the mock");
    } else {
      long readyAt = vm.getLong("readyAt");
      // The figures mean a wake-up only if every request was written before the port opened.
      r.put("readyAtMs", readyAt).put("allSentBeforeReady", allSent && allSentMs < readyAt);
      double[] since = new double[0];
      JsonArray perGateway = new JsonArray();
      for (Burst burst : bursts) {
        double[] mine = burst.successArrivalsSince(readyAt);
        perGateway.add(new JsonObject().put("answered", burst.answered())
            .put("firstMs", mine.length > 0 ? Stats.round(mine[0]) : null)
            .put("p99Ms", Stats.round(Stats.percentile(mine, 99))));
        since = concat(since, mine);
      }
      Arrays.sort(since);
      r.put("perGateway", perGateway);
      if (since.length > 0) {
        r.put("wakeupFirstMs", Stats.round(since[0]))
            .put("wakeupP50Ms", Stats.round(Stats.percentile(since, 50)))
            .put("wakeupP99Ms", Stats.round(Stats.percentile(since, 99)))
            .put("wakeupMaxMs", Stats.round(since[since.length - 1]));
      }
    }
    for (Burst burst : bursts) {
      burst.close();
    }
    Files.writeString(out, r.encodePrettily());
    Cold.log("cluster cold n=%d: starts=%d answered=%d first=%sms p50=%sms p99=%sms", n, starts, answered,
        r.getValue("wakeupFirstMs"), r.getValue("wakeupP50Ms"), r.getValue("wakeupP99Ms"));
  }

  private static double[] concat(double[] a, double[] b) {
    double[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
