package dev.smartgateway.it;

import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

class IdleStopTest {

  private Harness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void aVmWithNoTrafficIsStoppedAfterIdleTimeout() {
    harness = Harness.start(50, 100, "defaults: {idleTimeout: 500ms}\n");
    String vm = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");

    eventually("the idle VM is stopped", () -> "STOPPED".equals(harness.vm(vm).getString("state")));
    assertThat(harness.stats().getInteger("running")).isZero();
  }

  /**
   * Scale-down after scale-down, a burst lands while the VM stops (its STOPPING event has been seen, and a VM
   * never leaves STOPPING but to STOPPED): every request is answered, by the fresh VM, never by the stopping
   * one, which the slow stop keeps serving in the cloud meanwhile.
   */
  @Test
  void requestsArrivingAcrossScaleDownsAreAllAnsweredNeverRefused() {
    harness = Harness.start(50, 100, "defaults: {idleTimeout: 200ms}\n");
    harness.faults("{\"stopDelayMs\":300}");
    try (LifecycleRecorder events = harness.recordEvents()) {
      String current = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");
      for (int round = 0; round < 3; round++) {
        events.await(Type.STOPPING, current);
        List<Future<Harness.Reply>> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          burst.add(harness.get("/smart_proxy/demo/g1/r" + round + "-" + i));
        }
        await(Future.join(burst));

        Set<String> servedBy = new HashSet<>();
        for (Future<Harness.Reply> f : burst) {
          assertThat(f.succeeded()).as("round %d: %s", round, f.cause()).isTrue();
          assertThat(f.result().status()).as("round %d", round).isEqualTo(200);
          servedBy.add(f.result().json().getString("vm"));
        }
        assertThat(servedBy).as("round %d: one fresh VM, not the stopping one", round).hasSize(1)
            .doesNotContain(current);
        current = servedBy.iterator().next();
      }
      assertThat(harness.stats().getInteger("started")).isEqualTo(4);
      harness.assertNoLeaks();
    }
  }

  @Test
  void aLongStreamingResponseKeepsItsVmAlive() {
    harness = Harness.start(50, 100, "defaults: {idleTimeout: 300ms}\n");
    try (LifecycleRecorder events = harness.recordEvents()) {
      long sent = System.currentTimeMillis();
      // 12 chunks 100 ms apart: the response lasts four idle timeouts.
      Harness.Reply reply = await(harness.get("/smart_proxy/demo/g1/stream?chunks=12&intervalMs=100"));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body().toString()).contains("chunk 11");
      String vm = reply.header("X-Mock-Vm");
      // The VM's timer sends the last chunk no earlier than 1.1 s after the request was sent; a VM drained
      // while its stream was open would show a DRAINING event before that.
      LifecycleEvent drained = events.await(Type.DRAINING, vm);
      assertThat(drained.at()).as("drained only after the stream").isGreaterThanOrEqualTo(sent + 1100);
      assertThat(events.typesOf(vm)).as("drained once, then stopped").containsSubsequence(Type.READY, Type.DRAINING,
          Type.STOPPING).doesNotContain(Type.REVIVED);
      eventually("stopped once the stream is over and idle", () -> "STOPPED".equals(harness.vm(vm).getString("state")));
    }
  }
}
