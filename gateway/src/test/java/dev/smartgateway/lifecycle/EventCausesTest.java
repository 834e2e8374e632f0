package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.lifecycle.LifecycleEvent.Cause;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event carries a cause a program can switch on (metrics' reason and outcome labels), set where the
 * transition is decided, whatever the free-text reason says.
 */
class EventCausesTest {

  private static List<String> causes(Rig rig) {
    return rig.events.stream().map(e -> e.type() + " " + e.cause()).toList();
  }

  @Test
  void aColdStartThenAnIdleStop() {
    Rig rig = new Rig("defaults: {idleTimeout: 10s}");
    rig.warmUp("r", "g").release();
    rig.clock.advance(10_000);
    assertThat(causes(rig)).containsExactly("STARTING REQUEST", "WARMING CLOUD", "READY PROBE", "DRAINING IDLE",
        "STOPPING IDLE", "STOPPED CLOUD");
  }

  @Test
  void aPreWarmAndAStopByHandThatDrainsFirst() {
    Rig rig = new Rig("defaults: {drainTimeout: 5s}");
    rig.manager.startByHand("r", GroupSet.of("g"));
    rig.clock.settle();
    rig.boot("vm-1");
    Lease running = rig.tryLease("r", "g");
    rig.manager.stopByHand("vm-1", false);
    rig.clock.settle();
    running.release();
    rig.clock.settle();
    assertThat(causes(rig)).containsExactly("STARTING BY_HAND", "WARMING CLOUD", "READY PROBE", "DRAINING BY_HAND",
        "STOPPING BY_HAND", "STOPPED CLOUD");
  }

  @Test
  void aStartCancelledByHandAndOneCancelledByUnregistering() {
    Rig rig = new Rig("");
    rig.hold("r", "a");
    rig.manager.cancelStart(rig.events.get(0).ref(), "cancelled by hand");
    rig.clock.settle();
    rig.hold("s", "a");
    rig.manager.retire("s", "resource unregistered");
    rig.clock.settle();
    assertThat(rig.events.stream().filter(e -> e.type() == Type.STOPPING).map(e -> e.from() + " " + e.cause()))
        .containsExactly("STARTING BY_HAND", "STARTING UNREGISTERED");
  }

  @Test
  void aStartTimeoutIsToldApartFromAFailedBootAndFromAServingVmThatFails() {
    Rig rig = new Rig("defaults: {startTimeout: 2s, startBackoff: {initial: 1ms, max: 1ms}}");
    rig.hold("timeout", "g");
    rig.clock.advance(2_000);
    rig.cloud.bootFails = true;
    rig.hold("boot", "g");
    rig.cloud.bootFails = false;
    rig.warmUp("crash", "g").release();
    rig.cloud.report("vm-3", InstanceState.FAILED);
    rig.clock.settle();
    assertThat(rig.events.stream().filter(e -> e.type() == Type.FAILED).map(e -> e.resource() + " " + e.cause()))
        .containsExactly("timeout START_TIMEOUT", "boot START_FAILED", "crash VM_FAILED");
  }
}
