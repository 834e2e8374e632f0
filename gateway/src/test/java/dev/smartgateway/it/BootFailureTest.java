package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/** VMs that fail while booting: every held request gets a 502 naming the resource, the next request tries again. */
class BootFailureTest {

  private Harness harness;

  @BeforeEach
  void start() {
    harness = Harness.start(200, 300, "");
  }

  @AfterEach
  void stop() {
    try {
      harness.assertNoLeaks();
    } finally {
      harness.close();
    }
  }

  @Test
  void everyRequestHeldForAVmThatFailsToBootGets502AndOnlyOneStartWasMade() {
    // The boot is held until all twenty are waiting for it, then released into a failure.
    harness.faults(new JsonObject().put("holdBoots", true));
    List<Future<Harness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(harness.get("/smart_proxy/demo/g1/" + i));
    }
    harness.awaitWaiting(20);
    harness.faults(new JsonObject().put("bootFailureRate", 1.0).put("holdBoots", false));
    await(Future.all(replies));

    for (Future<Harness.Reply> f : replies) {
      Harness.Reply reply = f.result();
      assertThat(reply.status()).isEqualTo(502);
      assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(reply.json().getString("type")).isEqualTo("urn:smart-gateway:problem:boot-failed");
      assertThat(reply.json().getString("resource")).isEqualTo("demo");
      assertThat(reply.json().getString("detail")).contains("FAILED");
    }
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void aRequestAfterTheBackoffOfABootFailureStartsAFreshVmAndIsServed() {
    harness.faults(new JsonObject().put("bootFailureRate", 1.0));
    assertThat(await(harness.get("/smart_proxy/demo/g1/")).status()).isEqualTo(502);

    harness.faults(new JsonObject().put("bootFailureRate", 0.0));
    Harness.Reply reply = harness.servedAfterTheBackoff("/smart_proxy/demo/g1/", "boot-failed");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(harness.stats().getInteger("started")).isEqualTo(2);
    assertThat(harness.stats().getInteger("running")).isEqualTo(1);
  }
}
