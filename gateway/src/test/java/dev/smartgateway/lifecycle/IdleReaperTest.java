package dev.smartgateway.lifecycle;

import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdleReaperTest {

  private static final String YAML = "defaults: {idleTimeout: 10s, drainTimeout: 5s}";

  @Test
  void aVmWithoutTrafficForIdleTimeoutIsStopped() {
    Rig rig = new Rig(YAML);
    rig.warmUp("r", "g").release();
    rig.clock.advance(9_999);
    assertThat(rig.cloud.stopped()).isEmpty();
    rig.clock.advance(1);
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.types()).containsExactly(Type.STARTING, Type.WARMING, Type.READY, Type.DRAINING, Type.STOPPING, Type.STOPPED);
    assertThat(rig.core.table.resourceCount()).as("the resource is forgotten").isZero();
  }

  @Test
  void theIdleClockRunsFromTheEndOfTheLastRequest() {
    Rig rig = new Rig(YAML);
    rig.warmUp("r", "g").release();
    rig.clock.advance(8_000);
    rig.tryLease("r", "g").release();
    rig.clock.advance(9_999);
    assertThat(rig.cloud.stopped()).isEmpty();
    rig.clock.advance(1);
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
  }

  @Test
  void aLongRequestKeepsItsVm() {
    Rig rig = new Rig(YAML);
    Lease streaming = rig.warmUp("r", "g");
    rig.clock.advance(60_000);
    assertThat(rig.instance("vm-1").state()).isEqualTo(LifecycleState.READY);
    streaming.release();
    rig.clock.advance(20_000);
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
  }

  /**
   * Issue #9: the idle check saw nothing in flight, a request leased just then, and the drain began with it
   * running (the drain timer armed); a second request revived the VM; the timer then saw READY, did nothing,
   * and nothing re-armed the idle clock: the VM ran for good. Reproduced here by draining with a request in
   * flight.
   */
  @Test
  void aVmRevivedWhileDrainingStillStopsAfterIdleTimeout() {
    Rig rig = new Rig(YAML);
    Lease inFlight = rig.warmUp("r", "g");
    ManagedInstance mi = rig.instance("vm-1");
    rig.core.idle.drain(mi, "idle");
    assertThat(mi.state()).isEqualTo(LifecycleState.DRAINING);

    Lease revive = rig.tryLease("r", "g");
    assertThat(revive).as("a request revives a draining VM").isNotNull();
    rig.clock.settle();
    assertThat(rig.types()).containsSubsequence(Type.DRAINING, Type.REVIVED);
    inFlight.release();
    revive.release();

    rig.clock.advance(9_999);
    assertThat(rig.cloud.stopped()).as("the old drain timer must not stop a revived VM").isEmpty();
    rig.clock.advance(1);
    assertThat(rig.cloud.stopped()).as("idle again for idleTimeout after its last request").containsExactly("vm-1");
  }

  /** Issue #9: DRAINING → STOPPING after the drain timeout was check-then-act: a lease in between went to a stopping VM. */
  @Test
  void afterTheDrainTimeoutNoLeaseReachesTheStoppingVm() {
    Rig rig = new Rig(YAML);
    Lease stuck = rig.warmUp("r", "g");
    ManagedInstance mi = rig.instance("vm-1");
    rig.core.idle.drain(mi, "idle");
    rig.clock.advance(5_000);

    assertThat(mi.state().isServing()).isFalse();
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.events.stream().filter(e -> e.type() == Type.STOPPING).findFirst().orElseThrow().reason())
        .contains("1 requests still running after drainTimeout 5s");
    assertThat(rig.tryLease("r", "g")).as("no lease on a STOPPING VM").isNull();
    stuck.release();
  }

  @Test
  void aLeaseTakenJustBeforeTheDrainTimeoutWinsAndTheVmStays() {
    Rig rig = new Rig(YAML);
    Lease stuck = rig.warmUp("r", "g");
    ManagedInstance mi = rig.instance("vm-1");
    rig.core.idle.drain(mi, "idle");
    rig.clock.advance(4_999);
    Lease late = rig.tryLease("r", "g");
    assertThat(late).isNotNull();
    rig.clock.advance(1);

    assertThat(mi.state()).isEqualTo(LifecycleState.READY);
    assertThat(rig.cloud.stopped()).isEmpty();
    stuck.release();
    late.release();
    rig.clock.advance(10_000);
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
  }

  @Test
  void aDrainingVmStopsTheMomentItsLastRequestEnds() {
    Rig rig = new Rig(YAML);
    Lease stuck = rig.warmUp("r", "g");
    ManagedInstance mi = rig.instance("vm-1");
    rig.core.idle.drain(mi, "idle");
    assertThat(rig.cloud.stopped()).isEmpty();
    stuck.release();
    rig.clock.settle();
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
  }
}
