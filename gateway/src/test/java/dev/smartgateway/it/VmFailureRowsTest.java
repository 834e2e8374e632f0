package dev.smartgateway.it;

import dev.smartgateway.it.Harness.Reply;
import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.it.Harness.assertProblem;
import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * README "Failure behaviour", the rows about a VM failing: while booting, too slow to boot, crashing or going
 * silent while READY, refusing connections. One test per row; the failure is produced on demand (held boots
 * released into a boot failure, a crash, the VM app's {@code /hang}) and what the gateway did is read from its
 * lifecycle events.
 */
class VmFailureRowsTest {

  @Test
  void aVmFailingWhileBootingGets502BootFailedForEveryHeldRequestAndAfterTheBackoffARequestStartsAFreshOne() {
    try (Harness h = Harness.start(50, 100, "");
         LifecycleRecorder events = h.recordEvents()) {
      h.faults("{\"holdBoots\":true}");
      List<Future<Reply>> held = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        held.add(h.get("/smart_proxy/demo/g1/" + i));
      }
      h.awaitWaiting(10);

      h.faults("{\"holdBoots\":false,\"bootFailureRate\":1.0}");

      for (Future<Reply> f : held) {
        String detail = assertProblem(await(f), 502, "boot-failed", "demo").getString("detail");
        assertThat(detail).contains("vm-1").contains("FAILED");
      }
      assertThat(h.calls("start")).as("one start for all of them").isEqualTo(1);
      events.await(Type.STOPPED, "vm-1");
      assertThat(h.calls("stop")).as("the failed VM is stopped").isEqualTo(1);

      h.faults("{\"bootFailureRate\":0.0}");
      Reply next = h.servedAfterTheBackoff("/smart_proxy/demo/g1/next", "boot-failed");

      assertThat(next.status()).isEqualTo(200);
      assertThat(next.json().getString("vm")).isEqualTo("vm-2");
      assertThat(h.stats().getInteger("started")).isEqualTo(2);
      h.assertNoLeaks();
    }
  }

  @Test
  void aVmNotReadyWithinStartTimeoutGets504AndIsStopped() {
    try (Harness h = Harness.start(50, 100, "defaults: {startTimeout: 2s}\n");
         LifecycleRecorder events = h.recordEvents()) {
      h.faults("{\"holdBoots\":true}");

      assertProblem(await(h.get("/smart_proxy/demo/g1/")), 504, "start-timeout", "demo");

      events.await(Type.FAILED, "vm-1");
      events.await(Type.STOPPED, "vm-1");
      eventually("the VM is stopped in the cloud", () -> "STOPPED".equals(h.vmState("vm-1")));
      assertThat(h.calls("stop")).isEqualTo(1);

      h.faults("{\"holdBoots\":false}");
      Reply later = h.servedAfterTheBackoff("/smart_proxy/demo/g1/later", "start-timeout");

      assertThat(later.status()).isEqualTo(200);
      assertThat(later.json().getString("vm")).as("a fresh VM").isEqualTo("vm-2");
      h.assertNoLeaks();
    }
  }

  @Test
  void aReadyVmThatCrashesIsReplaced() {
    try (Harness h = Harness.start(50, 100, "");
         LifecycleRecorder events = h.recordEvents()) {
      String crashed = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");
      // A POST is never retried: the one request the VM was serving fails, with a defined error.
      Future<Reply> serving = h.send(HttpMethod.POST, "/smart_proxy/demo/g1/slow?ms=600000", Buffer.buffer("x"));
      h.awaitInFlight(1);

      h.crash(crashed);

      assertProblem(await(serving), 502, "backend-failed", "demo");
      LifecycleEvent failed = events.await(Type.FAILED, crashed);
      assertThat(failed.reason()).contains("the cloud reports the VM " + crashed + " FAILED");
      Set<String> servedBy = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        Reply reply = await(i % 2 == 0 ? h.get("/smart_proxy/demo/g1/after/" + i)
            : h.send(HttpMethod.POST, "/smart_proxy/demo/g1/after/" + i, Buffer.buffer("body " + i)));
        assertThat(reply.status()).as("request %d after the crash", i).isEqualTo(200);
        servedBy.add(reply.json().getString("vm"));
      }
      assertThat(servedBy).hasSize(1).doesNotContain(crashed);
      assertThat(h.stats().getInteger("started")).isEqualTo(2);
      events.await(Type.STOPPED, crashed);
      assertThat(h.calls("stop")).as("the crashed VM is stopped").isEqualTo(1);
      h.assertNoLeaks();
    }
  }

  @Test
  void aReadyVmThatStopsAnsweringIsReplacedByLiveness() {
    // Two ways to give up on a silent VM: misses in a row, or pongDiscardTimeout without an answer.
    try (Harness h = Harness.start(50, 100, """
        resources:
          misses: {liveness: {ping: 100ms, misses: 2, pongDiscardTimeout: 1h}, readiness: {timeout: 200ms}}
          silent: {liveness: {ping: 100ms, misses: 1000, pongDiscardTimeout: 600ms}, readiness: {timeout: 200ms}}
        """);
         LifecycleRecorder events = h.recordEvents()) {
      for (String resource : List.of("misses", "silent")) {
        String hung = await(h.get("/smart_proxy/" + resource + "/g1/")).json().getString("vm");

        hang(h, hung);

        LifecycleEvent failed = events.await(Type.FAILED, hung);
        assertThat(failed.reason()).contains("liveness pings");
        // (STARTING has no instance id yet: the start call had not answered.)
        assertThat(events.typesOf(hung)).as("nothing between READY and FAILED")
            .startsWith(Type.WARMING, Type.READY, Type.FAILED);
        Reply next = await(h.get("/smart_proxy/" + resource + "/g1/next"));
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.json().getString("vm")).isNotEqualTo(hung);
        eventually("the silent VM is stopped in the cloud", () -> "STOPPED".equals(h.vmState(hung)));
      }
      assertThat(h.stats().getInteger("started")).isEqualTo(4);
      h.assertNoLeaks();
    }
  }

  @Test
  void aRefusedConnectionIsRetriedOnAFreshVmForAGet() {
    refusedConnectionsAreRetriedOnAFreshVm(HttpMethod.GET, null);
  }

  @Test
  void aRefusedConnectionIsRetriedOnAFreshVmForAPostWithABody() {
    refusedConnectionsAreRetriedOnAFreshVm(HttpMethod.POST, "a body the crashed VM never saw");
  }

  /**
   * Only the request path can find the crash: no pushed events, and liveness pings far apart. Each round
   * crashes the VM the gateway believes READY and sends one request: it is refused, retried, and served by
   * a fresh VM. Several rounds, because a race here used to lose most of them.
   */
  private static void refusedConnectionsAreRetriedOnAFreshVm(HttpMethod method, String body) {
    try (Harness h = Harness.start(50, 100, "events: false",
        "defaults: {liveness: {ping: 1h, pongDiscardTimeout: 2h, misses: 100}}\n");
         LifecycleRecorder events = h.recordEvents()) {
      String current = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");
      for (int round = 1; round <= 6; round++) {
        h.crash(current);

        Reply reply = await(h.send(method, "/smart_proxy/demo/g1/round/" + round,
            body == null ? null : Buffer.buffer(body + round)));

        assertThat(reply.status()).as("round %d: %s", round, reply.body()).isEqualTo(200);
        String servedBy = reply.json().getString("vm");
        assertThat(servedBy).as("round %d", round).isNotEqualTo(current);
        assertThat(reply.json().getString("method")).isEqualTo(method.name());
        if (body != null) {
          assertThat(reply.json().getLong("bodyBytes")).isEqualTo((body + round).length());
        }
        assertThat(h.stats().getInteger("started")).as("round %d", round).isEqualTo(round + 1);
        assertThat(events.await(Type.FAILED, current).reason()).contains("refused");
        current = servedBy;
      }
      h.assertNoLeaks();
    }
  }

  /** Tells the VM app to stop answering, straight at the VM (the request never gets an answer). */
  private static void hang(Harness h, String vmId) {
    URI endpoint = URI.create(h.vm(vmId).getString("endpoint"));
    RequestOptions options = new RequestOptions().setHost(endpoint.getHost()).setPort(endpoint.getPort()).setURI("/hang");
    h.onContext(() -> h.client.request(options).compose(req -> req.send()));
    eventually(vmId + " stops answering", () -> await(h.onContext(() -> h.client.request(new RequestOptions(options)
        .setURI("/health").setIdleTimeout(200)).compose(req -> req.send()).map(resp -> false).otherwise(true))));
  }
}
