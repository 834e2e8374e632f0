package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three gateways as one (DESIGN section 10): however a burst is spread over them, one VM starts for it, and every
 * gateway forwards to it — the held requests of each are released on that gateway when the VM is ready elsewhere.
 */
class ClusterSingleFlightTest {

  private ClusterHarness cluster;

  @AfterEach
  void killTheGateways() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aBurstSpreadOverThreeGatewaysStartsOneVmAndEveryRequestIsAnswered() throws Exception {
    cluster = ClusterHarness.start(1500, 2000, "idleTimeout: 5m, targetConcurrency: 10000", "heartbeat: 1s,"
        + " failureTimeout: 5s");

    List<Future<ClusterHarness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      replies.add(cluster.get(i % 3, "/smart_proxy/shop/staff/orders?n=" + i));
    }
    Future.join(replies).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

    TreeMap<Integer, Long> statuses = replies.stream().collect(Collectors.groupingBy(r -> r.result().status(),
        TreeMap::new, Collectors.counting()));
    assertThat(statuses).as(cluster.outputs()).containsExactly(java.util.Map.entry(200, 600L));
    Set<String> vms = replies.stream().map(r -> new JsonObject(r.result().body()).getString("vm"))
        .collect(Collectors.toSet());
    assertThat(vms).as("every gateway forwarded to the one VM").hasSize(1);
    JsonObject stats = cluster.stats();
    assertThat(stats.getLong("started")).as("VMs started for the burst; " + cluster.outputs()).isEqualTo(1);
  }
}
