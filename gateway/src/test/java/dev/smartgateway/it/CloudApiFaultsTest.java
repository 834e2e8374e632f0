package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cloud's whole API fails or answers slowly ({@code apiErrorRate}, {@code apiLatencyMs}): requests get an
 * answer and nothing leaks. The breaker, and each cloud row of README's "Failure behaviour" table, have tests
 * of their own in {@link CloudCallFailureRowsTest}.
 */
class CloudApiFaultsTest {

  private Harness harness;

  @AfterEach
  void stop() {
    if (harness == null) {
      return;
    }
    try {
      harness.faults(new JsonObject().put("apiErrorRate", 0.0).put("apiLatencyMs", 0));
      harness.assertNoLeaks();
    } finally {
      harness.close();
    }
  }

  @Test
  void aStartThatFailsTransientlyIsRetriedAndTheHeldRequestServed() {
    harness = Harness.start(50, 100, """
        cloud: {retryCount: 5, retryInterval: 300ms}
        """);
    harness.faults(new JsonObject().put("apiErrorRate", 1.0));
    Future<Harness.Reply> reply = harness.get("/smart_proxy/demo/g1/");

    // (apiCalls also counts the list the gateway makes at start-up: count the starts.)
    eventually("a start failed and was retried", () -> harness.calls("start") >= 2);
    assertThat(reply.isComplete()).as("held meanwhile").isFalse();
    harness.faults(new JsonObject().put("apiErrorRate", 0.0));

    assertThat(await(reply).status()).isEqualTo(200);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void aStartAnsweredAfterTheCallTimeoutIs503AndTheLateVmIsStopped() {
    harness = Harness.start(50, 100, """
        cloud: {timeout: 300ms, retryCount: 2, retryInterval: 50ms}
        """);
    harness.faults(new JsonObject().put("apiLatencyMs", 800));

    Harness.Reply reply = await(harness.get("/smart_proxy/demo/g1/"));

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.json().getString("type")).isEqualTo("urn:smart-gateway:problem:cloud-unavailable");
    harness.faults(new JsonObject().put("apiLatencyMs", 0));
    eventually("the VM the late answer created is stopped, not orphaned",
        () -> harness.stats().getInteger("started") == 1 && harness.stats().getInteger("running") == 0
            && harness.vms().stream().map(JsonObject.class::cast).allMatch(vm -> vm.getString("state").startsWith("STOP")));
  }
}
