package dev.smartgateway.observe.metrics;

import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.lifecycle.LifecycleEvent.Cause;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import dev.smartgateway.lifecycle.LifecycleState;
import dev.smartgateway.proxy.RequestRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.smartgateway.lifecycle.LifecycleState.DRAINING;
import static dev.smartgateway.lifecycle.LifecycleState.FAILED;
import static dev.smartgateway.lifecycle.LifecycleState.READY;
import static dev.smartgateway.lifecycle.LifecycleState.STARTING;
import static dev.smartgateway.lifecycle.LifecycleState.STOPPED;
import static dev.smartgateway.lifecycle.LifecycleState.STOPPING;
import static dev.smartgateway.lifecycle.LifecycleState.WARMING;
import static org.assertj.core.api.Assertions.assertThat;

class CategoriesTest {

  private static LifecycleEvent event(Type type, LifecycleState from, LifecycleState to, Cause cause) {
    return new LifecycleEvent(type, "r", List.of("g"), "vm-1", "r#1", from, to, "free text " + System.nanoTime(), 0,
        LifecycleEvent.Phases.NONE, cause);
  }

  @Test
  void aStartEndsReadyTimedOutFailedOrCancelled() {
    assertThat(Categories.startOutcome(event(Type.READY, WARMING, READY, Cause.PROBE))).isEqualTo("ready");
    assertThat(Categories.startOutcome(event(Type.FAILED, STARTING, FAILED, Cause.START_TIMEOUT))).isEqualTo("timeout");
    assertThat(Categories.startOutcome(event(Type.FAILED, WARMING, FAILED, Cause.START_TIMEOUT))).isEqualTo("timeout");
    assertThat(Categories.startOutcome(event(Type.FAILED, STARTING, FAILED, Cause.START_FAILED))).isEqualTo("failed");
    assertThat(Categories.startOutcome(event(Type.STOPPING, STARTING, STOPPING, Cause.BY_HAND))).isEqualTo("cancelled");
    assertThat(Categories.startOutcome(event(Type.STOPPING, WARMING, STOPPING, Cause.UNREGISTERED)))
        .isEqualTo("cancelled");
  }

  @Test
  void eventsThatEndNoStartHaveNoOutcome() {
    assertThat(Categories.startOutcome(event(Type.STARTING, null, STARTING, Cause.REQUEST))).isNull();
    assertThat(Categories.startOutcome(event(Type.WARMING, STARTING, WARMING, Cause.CLOUD))).isNull();
    assertThat(Categories.startOutcome(event(Type.FAILED, READY, FAILED, Cause.VM_FAILED))).isNull();
    assertThat(Categories.startOutcome(event(Type.FAILED, STOPPING, FAILED, Cause.START_FAILED))).isNull();
    assertThat(Categories.startOutcome(event(Type.STOPPING, DRAINING, STOPPING, Cause.IDLE))).isNull();
    assertThat(Categories.startOutcome(event(Type.STOPPED, STOPPING, STOPPED, Cause.CLOUD))).isNull();
  }

  @Test
  void startReasonsAreAFixedSet() {
    assertThat(Categories.startReason(Cause.REQUEST)).isEqualTo("request");
    assertThat(Categories.startReason(Cause.BY_HAND)).isEqualTo("by_hand");
    assertThat(Categories.startReason(Cause.ADOPTED)).isEqualTo("adopted");
    assertThat(Categories.startReason(Cause.LOAD)).isEqualTo("load");
    assertThat(Categories.startReason(Cause.FLOOR)).isEqualTo("floor");
    assertThat(Categories.startReason(Cause.PROBE)).isEqualTo("other");
  }

  @Test
  void stopReasonsAreIdleByHandUnregisteredLoadOrFailed() {
    assertThat(Categories.stopReason(event(Type.STOPPING, DRAINING, STOPPING, Cause.IDLE))).isEqualTo("idle");
    assertThat(Categories.stopReason(event(Type.STOPPING, READY, STOPPING, Cause.BY_HAND))).isEqualTo("by_hand");
    assertThat(Categories.stopReason(event(Type.STOPPING, STARTING, STOPPING, Cause.BY_HAND))).isEqualTo("by_hand");
    assertThat(Categories.stopReason(event(Type.STOPPING, DRAINING, STOPPING, Cause.UNREGISTERED)))
        .isEqualTo("unregistered");
    assertThat(Categories.stopReason(event(Type.STOPPING, DRAINING, STOPPING, Cause.LOAD)))
        .as("a pool that fit in one VM fewer").isEqualTo("load");
    assertThat(Categories.stopReason(event(Type.FAILED, READY, FAILED, Cause.VM_FAILED))).isEqualTo("failed");
    assertThat(Categories.stopReason(event(Type.FAILED, STARTING, FAILED, Cause.START_TIMEOUT))).isEqualTo("failed");
    assertThat(Categories.stopReason(event(Type.FAILED, STOPPING, FAILED, Cause.START_FAILED)))
        .as("already counted when it began stopping").isNull();
    assertThat(Categories.stopReason(event(Type.DRAINING, READY, DRAINING, Cause.IDLE))).isNull();
    assertThat(Categories.stopReason(event(Type.STOPPED, STOPPING, STOPPED, Cause.CLOUD))).isNull();
    for (Cause cause : Cause.values()) {
      assertThat(Categories.stopReason(event(Type.STOPPING, READY, STOPPING, cause)))
          .isIn("idle", "by_hand", "unregistered", "load", "other");
    }
  }

  private static RequestRecord held(int status, String error) {
    return new RequestRecord("GET", "/smart_proxy/r/g/", "r", null, null, status, 120, 130, 0, 10, error, true, -1);
  }

  @Test
  void aHeldRequestEndsReadyTimedOutCancelledFailedAbandonedOrOther() {
    assertThat(Categories.heldOutcome(held(200, null))).isEqualTo("ready");
    assertThat(Categories.heldOutcome(held(500, null))).as("the VM's own 500 still means a VM took it")
        .isEqualTo("ready");
    assertThat(Categories.heldOutcome(held(504, "start-timeout: the VM did not become ready within 2m")))
        .isEqualTo("timeout");
    assertThat(Categories.heldOutcome(held(503, "start-cancelled: cancelled by hand"))).isEqualTo("cancelled");
    assertThat(Categories.heldOutcome(held(502, "boot-failed: the cloud reports the VM vm-1 FAILED")))
        .isEqualTo("failed");
    assertThat(Categories.heldOutcome(held(503, "no-capacity: quota"))).isEqualTo("failed");
    assertThat(Categories.heldOutcome(held(499, "client-closed: the client closed the connection while held")))
        .isEqualTo("abandoned");
    assertThat(Categories.heldOutcome(held(503, "waiters-full: 1000 held"))).isEqualTo("other");
    assertThat(Categories.heldOutcome(held(503, "something new"))).isEqualTo("other");
  }

  @Test
  void rejectionsAreTheProblemSlugsOfAnsweredErrors() {
    assertThat(Categories.rejection(held(503, "waiters-full: 1000 held"))).isEqualTo("waiters-full");
    assertThat(Categories.rejection(held(400, "bad-virtual-url: dot segment"))).isEqualTo("bad-virtual-url");
    assertThat(Categories.rejection(held(499, "client-closed: gone"))).as("nothing was answered").isNull();
    assertThat(Categories.rejection(held(503, "starting"))).as("the waiting page is no rejection").isNull();
    assertThat(Categories.rejection(held(200, null))).isNull();
    assertThat(Categories.rejection(held(503, "made-up: a slug that is not a problem"))).isNull();
  }

  @Test
  void statusClassesAreFiveAndOutOfRangeStatusesCountWithTheNearest() {
    assertThat(Categories.statusClass(101)).isZero();
    assertThat(Categories.statusClass(204)).isEqualTo(1);
    assertThat(Categories.statusClass(304)).isEqualTo(2);
    assertThat(Categories.statusClass(499)).isEqualTo(3);
    assertThat(Categories.statusClass(503)).isEqualTo(4);
    assertThat(Categories.statusClass(0)).isZero();
    assertThat(Categories.statusClass(999)).isEqualTo(4);
  }
}
