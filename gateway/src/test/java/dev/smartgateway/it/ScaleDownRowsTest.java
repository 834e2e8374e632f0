package dev.smartgateway.it;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.it.Harness.Reply;
import dev.smartgateway.lifecycle.Lease;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * README "Failure behaviour", its closing rule: idle scale-down never costs a request. A request arriving
 * while a VM drains revives it; one arriving while it stops is held for a fresh VM; none is ever sent to a
 * VM that is stopping. The drain and stop states are found through lifecycle events, never by timing.
 */
class ScaleDownRowsTest {

  /**
   * An idle VM with nothing in flight drains and stops in one step of the lifecycle's control context, so no
   * client can aim a request between the two. The hook runs inside that step, right after DRAINING, and
   * takes a lease exactly as the request path does first ({@code tryLease}, the warm path): the lease a
   * request arriving at that moment would get.
   */
  @Test
  void aRequestArrivingWhileTheVmDrainsRevivesIt() {
    try (Harness h = Harness.start(50, 100, "defaults: {idleTimeout: 300ms}\n");
         LifecycleRecorder events = h.recordEvents()) {
      String vm = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");
      AtomicReference<Lease> arrived = new AtomicReference<>();
      events.onceOn(Type.DRAINING, vm, e -> arrived.set(h.gateway.lifecycle().tryLease("demo", GroupSet.of("g1"))));

      events.await(Type.REVIVED, vm);

      assertThat(arrived.get()).as("the draining VM took the request").isNotNull();
      assertThat(arrived.get().instanceId()).isEqualTo(vm);
      assertThat(events.typesOf(vm)).containsSubsequence(Type.READY, Type.DRAINING, Type.REVIVED)
          .doesNotContain(Type.STOPPING);
      Reply meanwhile = await(h.get("/smart_proxy/demo/g1/meanwhile"));
      assertThat(meanwhile.json().getString("vm")).as("back to READY and serving").isEqualTo(vm);
      assertThat(meanwhile.header("X-Smart-Gateway-Wait-Ms")).as("not held").isNull();
      arrived.get().release();

      // Its idle clock runs again: once idle for idleTimeout, it drains and stops after all.
      events.awaitNth(2, Type.DRAINING, vm);
      events.await(Type.STOPPED, vm);
      assertThat(events.typesOf(vm)).containsSubsequence(Type.DRAINING, Type.REVIVED, Type.DRAINING, Type.STOPPING,
          Type.STOPPED);
      assertThat(h.stats().getInteger("started")).isEqualTo(1);
      h.assertNoLeaks();
    }
  }

  @Test
  void aRequestArrivingWhileTheVmStopsIsHeldForAFreshOne() {
    // The stopping VM keeps serving in the cloud for a minute: a request sent to it would be answered by it.
    try (Harness h = Harness.start(50, 100, "defaults: {idleTimeout: 300ms}\n");
         LifecycleRecorder events = h.recordEvents()) {
      h.faults("{\"stopDelayMs\":60000}");
      String stopping = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");
      events.await(Type.STOPPING, stopping);

      Reply reply = await(h.get("/smart_proxy/demo/g1/during-stop"));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("vm")).as("never the stopping VM").isNotEqualTo(stopping);
      assertThat(reply.header("X-Smart-Gateway-Wait-Ms")).as("held for the fresh VM").isNotNull();
      assertThat(h.vm(stopping).getString("endpoint")).as("the old VM still listens: it could have answered").isNotNull();
      assertThat(h.stats().getInteger("started")).isEqualTo(2);
      h.assertNoLeaks();
    }
  }
}
