package dev.smartgateway.it;

import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM (Gateway.close): stop accepting, let in-flight requests finish, answer held ones 503, keep VMs. */
class ShutdownTest {

  private Harness harness;

  @BeforeEach
  void start() {
    harness = Harness.start(3000, 3000, "");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void inFlightRequestsFinishHeldOnesGet503AndVmsKeepRunning() {
    String vm = await(harness.get("/smart_proxy/warm/g1/")).json().getString("vm");
    Future<Harness.Reply> inFlight = harness.get("/smart_proxy/warm/g1/slow?ms=1500");
    Future<Harness.Reply> held = harness.get("/smart_proxy/cold/g1/");
    eventually("one request in flight, one held", () -> harness.gateway.lifecycle().waiting() == 1
        && await(harness.gateway.lifecycle().instances()).stream().anyMatch(v -> v.inFlight() == 1));

    Future<Void> closing = harness.gateway.close();

    Harness.Reply heldReply = await(held);
    assertThat(heldReply.status()).isEqualTo(503);
    assertThat(heldReply.header("Retry-After")).isNotNull();
    assertThat(heldReply.json().getString("type")).isEqualTo("urn:smart-gateway:problem:shutting-down");
    Harness.Reply finished = await(inFlight);
    assertThat(finished.status()).isEqualTo(200);
    assertThat(finished.json().getString("path")).isEqualTo("/slow");
    await(closing);
    assertThat(harness.vm(vm).getString("state")).isEqualTo("RUNNING");
    harness.gateway = null;
  }
}
