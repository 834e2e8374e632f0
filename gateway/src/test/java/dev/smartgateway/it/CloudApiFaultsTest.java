package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The cloud's API fails, answers slowly or not at all: requests get an answer, the breaker protects, nothing leaks. */
class CloudApiFaultsTest {

  private Harness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.faults(new JsonObject().put("apiErrorRate", 0.0).put("apiLatencyMs", 0));
      harness.assertNoLeaks();
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

    eventually("the first start attempt failed", () -> harness.stats().getInteger("apiCalls") >= 1);
    harness.faults(new JsonObject().put("apiErrorRate", 0.0));

    assertThat(await(reply).status()).isEqualTo(200);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void aDownCloudOpensTheBreakerSoRequestsFailFastWith503AndItClosesOnceTheCloudIsBack() {
    harness = Harness.start(50, 100, """
        cloud: {retryCount: 0, retryInterval: 50ms, breaker: {window: 4, minimumCalls: 4, failureRate: 50, openFor: 1s, halfOpenCalls: 1}}
        """);
    harness.faults(new JsonObject().put("apiErrorRate", 1.0));
    for (int i = 0; i < 4; i++) {
      Harness.Reply failed = await(harness.get("/smart_proxy/r" + i + "/g1/"));
      assertThat(failed.status()).isEqualTo(503);
      assertThat(failed.json().getString("type")).isEqualTo("urn:smart-gateway:problem:cloud-unavailable");
    }
    int callsWhenOpen = harness.stats().getInteger("apiCalls");

    Harness.Reply fast = await(harness.get("/smart_proxy/other/g1/"));

    assertThat(fast.status()).isEqualTo(503);
    assertThat(fast.header("Retry-After")).isNotNull();
    assertThat(fast.json().getString("detail")).contains("circuit open");
    assertThat(harness.stats().getInteger("apiCalls")).as("an open breaker calls nobody").isEqualTo(callsWhenOpen);

    harness.faults(new JsonObject().put("apiErrorRate", 0.0));
    eventually("the half-open trial succeeds and the breaker closes", Duration.ofSeconds(10),
        () -> await(harness.get("/smart_proxy/other/g1/")).status() == 200);
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
