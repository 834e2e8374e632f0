package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** A READY VM crashes or stops answering: it is replaced, and at most the request it was serving fails. */
class VmFailureTest {

  private Harness harness;

  @AfterEach
  void stop() {
    if (harness == null) {
      return;
    }
    try {
      harness.assertNoLeaks();
    } finally {
      harness.close();
    }
  }

  @Test
  void aCrashedVmIsReplacedAndNoRequestAfterTheCrashFails() {
    harness = Harness.start(100, 200, "");
    String first = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");

    harness.mockApi(HttpMethod.POST, "/api/vms/" + first + "/crash", null);
    List<Future<Harness.Reply>> after = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      after.add(harness.send(HttpMethod.POST, "/smart_proxy/demo/g1/after/" + i, io.vertx.core.buffer.Buffer.buffer("x")));
    }
    await(Future.join(after));

    Set<String> servedBy = new HashSet<>();
    for (Future<Harness.Reply> f : after) {
      assertThat(f.succeeded()).isTrue();
      assertThat(f.result().status()).isEqualTo(200);
      servedBy.add(f.result().json().getString("vm"));
    }
    assertThat(servedBy).hasSize(1).doesNotContain(first);
    assertThat(harness.stats().getInteger("started")).isEqualTo(2);
  }

  @Test
  void aCrashDuringARequestFailsOnlyThatRequestWithADefinedError() {
    harness = Harness.start(100, 200, "");
    String first = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");
    // A PUT is idempotent, but its body bytes reached the VM: it cannot be replayed, so it is the one request
    // that fails, and it fails the same way every time.
    Future<Harness.Reply> inFlight = harness.send(HttpMethod.PUT, "/smart_proxy/demo/g1/slow?ms=600000",
        io.vertx.core.buffer.Buffer.buffer("payload"));
    harness.awaitInFlight(1);

    harness.crash(first);

    Harness.Reply reply = await(inFlight);
    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.json().getString("type")).isEqualTo("urn:smart-gateway:problem:backend-failed");
    assertThat(reply.json().getString("resource")).isEqualTo("demo");
    Harness.Reply next = await(harness.get("/smart_proxy/demo/g1/next"));
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().getString("vm")).isNotEqualTo(first);
  }

  @Test
  void withoutPushEventsACrashedVmIsFoundByLivenessPingsAndReplacedBeforeAnyRequestFails() {
    harness = Harness.start(100, 200, "events: false", """
        defaults: {liveness: {ping: 100ms, misses: 2, pongDiscardTimeout: 5s}}
        """);
    String first = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");

    harness.mockApi(HttpMethod.POST, "/api/vms/" + first + "/crash", null);
    eventually("liveness pings fail the crashed VM", () -> await(harness.gateway.lifecycle().instances()).isEmpty());

    Harness.Reply next = await(harness.get("/smart_proxy/demo/g1/next"));
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().getString("vm")).isNotEqualTo(first);
  }
}
