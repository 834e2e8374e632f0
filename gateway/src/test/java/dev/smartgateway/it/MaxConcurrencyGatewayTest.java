package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code maxConcurrency} through a real gateway and the mock cloud: a VM gets no more requests at once than its
 * application takes, the rest wait in the gateway and are all answered (README, "Configuration").
 */
class MaxConcurrencyGatewayTest {

  private static final int SLOW_MS = 300;
  private Harness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void aVmWithMaxConcurrencyTwoNeverHasMoreThanTwoRequestsAndTheRestWaitTheirTurn() {
    harness = Harness.start(20, 50, "resources: {demo: {maxConcurrency: 2, maxInstances: 1}}\n");
    // Warm: the VM is ready before the burst, so every wait below is a wait for a place, not for a start.
    assertThat(await(harness.get("/smart_proxy/demo/g1/")).status()).isEqualTo(200);

    List<Future<Harness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      replies.add(harness.get("/smart_proxy/demo/g1/slow?ms=" + SLOW_MS));
    }
    Future<?> all = Future.all(replies);
    int peak = 0;
    while (!all.isComplete()) { // the admin API's view, polled for as long as the burst lasts
      for (Object o : harness.adminGet("/admin/instances").json().getJsonArray("instances")) {
        peak = Math.max(peak, ((JsonObject) o).getInteger("inFlight"));
      }
    }
    await(all);

    long longestWait = 0;
    for (Future<Harness.Reply> f : replies) {
      Harness.Reply reply = f.result();
      assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
      String wait = reply.header("X-Smart-Gateway-Wait-Ms");
      longestWait = Math.max(longestWait, wait == null ? 0 : Long.parseLong(wait));
    }
    assertThat(peak).as("requests in flight to the VM, as the admin API saw them").isBetween(1, 2);
    assertThat(longestWait).as("eight at two at a time: the last pair waited for three pairs before it")
        .isGreaterThanOrEqualTo(3L * SLOW_MS - 100);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }
}
