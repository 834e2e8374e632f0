package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code maxConcurrency}: a VM whose application takes only so many requests at once gets no more from the
 * gateway; the rest wait in the gateway, in order, and go as places free up.
 */
class MaxConcurrencyTest {

  @Test
  void aColdBurstIsReleasedNoFasterThanTheVmTakesIt() {
    Rig rig = new Rig("resources: {r: {maxConcurrency: 3, releaseConcurrency: 64, maxInstances: 1}}");
    List<Waiter> held = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      held.add(rig.hold("r", "g"));
    }
    rig.boot("vm-1");
    Rig.granted(held.get(0)).answered(); // release pacing: the first goes alone, the rest once it is answered
    rig.clock.settle();
    assertThat(held.stream().filter(w -> w.future().isComplete())).hasSize(3);

    rig.clock.advance(Dispatcher.PACING_WINDOW_MS * 10);
    assertThat(held.stream().filter(w -> w.future().isComplete()))
        .as("answered or not, three in flight are all the VM takes: time alone frees no place").hasSize(3);

    Rig.granted(held.get(0)).release();
    rig.clock.settle();
    assertThat(held.stream().filter(w -> w.future().isComplete())).as("one answered: the next in line goes").hasSize(4);
    assertThat(held.get(3).future().isComplete()).as("in the order they came").isTrue();
    assertThat(rig.instance("vm-1").inFlight()).isEqualTo(3);
  }

  @Test
  void aWarmRequestFindingTheVmFullWaitsInLineAndGoesWhenAPlaceFrees() {
    Rig rig = new Rig("resources: {r: {maxConcurrency: 2, maxInstances: 1, idleTimeout: 1h}}");
    Lease first = rig.warmUp("r", "g");
    Lease second = rig.tryLease("r", "g");
    assertThat(second).isNotNull();
    assertThat(rig.tryLease("r", "g")).as("the VM is full: no lease on the warm path").isNull();

    Waiter third = rig.hold("r", "g");
    assertThat(third.future().isComplete()).isFalse();
    assertThat(rig.cloud.count("start")).as("a full VM is no reason for a cold start").isEqualTo(1);

    first.release();
    rig.clock.settle();
    assertThat(Rig.granted(third).instanceId()).isEqualTo("vm-1");
    assertThat(rig.tryLease("r", "g")).as("full again").isNull();
  }

  @Test
  void aRequestThatFindsNoPlaceWithinStartTimeoutGetsGatewayBusyNotAStartTimeout() {
    Rig rig = new Rig("resources: {r: {maxConcurrency: 1, maxInstances: 1, startTimeout: 5s, idleTimeout: 1h}}");
    rig.warmUp("r", "g"); // never released: the VM stays full
    Waiter late = rig.hold("r", "g");

    rig.clock.advance(5_001);

    assertThat(Rig.refused(late).type()).isEqualTo(ErrorType.GATEWAY_BUSY);
    assertThat(Rig.refused(late).detail()).contains("maxConcurrency (1)");
    assertThat(Rig.refused(late).retryAfter()).isNotNull();
  }

  @Test
  void aPoolWhoseVmsAreFullWhileRequestsWaitGrowsByOneVm() {
    Rig rig = new Rig("resources: {r: {maxConcurrency: 2, targetConcurrency: 100, maxInstances: 3, idleTimeout: 1h}}");
    rig.warmUp("r", "g");
    assertThat(rig.tryLease("r", "g")).isNotNull();
    Waiter waiting = rig.hold("r", "g");

    rig.clock.advance(Scaler.SCALE_UP_AFTER_MS + Scaler.TICK_MS);
    assertThat(rig.cloud.count("start")).as("full and a backlog: one more VM, though far below targetConcurrency")
        .isEqualTo(2);
    rig.boot("vm-2");
    assertThat(Rig.granted(waiting).instanceId()).isEqualTo("vm-2");
    assertThat(rig.events.stream().filter(e -> e.type() == Type.STARTING)).hasSize(2);
  }

  @Test
  void fullVmsWithNobodyWaitingAreNoReasonToGrow() {
    Rig rig = new Rig("resources: {r: {maxConcurrency: 2, maxInstances: 3, idleTimeout: 1h}}");
    rig.warmUp("r", "g");
    assertThat(rig.tryLease("r", "g")).isNotNull();

    rig.clock.advance(10_000);

    assertThat(rig.cloud.count("start")).isEqualTo(1);
  }

  @Test
  void requestsWaitingForAPlaceOnAVmThatDiesGoToAFreshOneNotToTheDeadOne() {
    Rig rig = new Rig("resources: {r: {maxConcurrency: 1, maxInstances: 1, idleTimeout: 1h}}");
    Lease busy = rig.warmUp("r", "g");
    Waiter waiting = rig.hold("r", "g");
    assertThat(waiting.future().isComplete()).isFalse();

    rig.cloud.report("vm-1", InstanceState.FAILED);
    rig.clock.settle();
    busy.release(); // the dead VM's request ends: its place must not go to the one waiting

    assertThat(waiting.future().isComplete()).as("held for the fresh VM").isFalse();
    assertThat(rig.cloud.count("start")).isEqualTo(2);
    rig.boot("vm-2");
    assertThat(Rig.granted(waiting).instanceId()).isEqualTo("vm-2");
  }

  @Test
  void withoutMaxConcurrencyAVmTakesEveryRequest() {
    Rig rig = new Rig("resources: {r: {maxInstances: 1}}");
    rig.warmUp("r", "g");
    for (int i = 0; i < 1_000; i++) {
      assertThat(rig.tryLease("r", "g")).isNotNull();
    }
  }
}
