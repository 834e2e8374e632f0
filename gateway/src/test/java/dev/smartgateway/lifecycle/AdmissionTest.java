package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.error.ErrorType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionTest {

  @Test
  void heldRequestsOverMaxWaitingGet503WithRetryAfter() {
    Rig rig = new Rig("defaults: {maxWaiting: 2}");
    rig.hold("r", "g");
    rig.hold("r", "g");
    var refused = Rig.refused(rig.hold("r", "g"));
    assertThat(refused.type()).isEqualTo(ErrorType.WAITERS_FULL);
    assertThat(refused.retryAfter()).isNotNull();
    assertThat(rig.hold("other", "g").future().isComplete()).as("per resource").isFalse();
  }

  @Test
  void heldRequestsOverMaxWaitingTotalGet503() {
    Rig rig = new Rig("limits: {maxWaitingTotal: 3}");
    rig.hold("a", "g");
    rig.hold("b", "g");
    rig.hold("c", "g");
    assertThat(Rig.refused(rig.hold("d", "g")).detail()).contains("3 requests");
    assertThat(rig.manager.waiting()).isEqualTo(3);
  }

  @Test
  void aClientThatHangsUpLeavesTheQueueAtOnceAndIsTold499() {
    Rig rig = new Rig("defaults: {maxWaiting: 1}");
    Waiter gone = rig.hold("r", "g");
    rig.manager.withdraw(gone);
    rig.clock.settle();
    assertThat(Rig.refused(gone).type()).isEqualTo(ErrorType.CLIENT_CLOSED);
    assertThat(rig.manager.waiting()).isZero();
    Waiter next = rig.hold("r", "g");
    rig.boot("vm-1");
    assertThat(Rig.granted(next).instanceId()).isEqualTo("vm-1");
  }

  @Test
  void unknownResourcesAreAnsweredFromMemoryForTheirTtl() {
    Rig rig = new Rig("limits: {unknownResourceTtl: 30s}");
    rig.cloud.startFailure = r -> new CloudException(CloudException.Kind.UNKNOWN_RESOURCE, "no " + r);
    assertThat(Rig.refused(rig.hold("nope", "g")).type()).isEqualTo(ErrorType.UNKNOWN_RESOURCE);
    assertThat(Rig.refused(rig.hold("nope", "g")).type()).isEqualTo(ErrorType.UNKNOWN_RESOURCE);
    rig.manager.ensureStarting("nope", dev.smartgateway.access.GroupSet.of("g"));
    rig.clock.settle();
    assertThat(rig.cloud.count("start")).as("asked once").isEqualTo(1);

    rig.clock.advance(30_000);
    Rig.refused(rig.hold("nope", "g"));
    assertThat(rig.cloud.count("start")).as("asked again after the TTL").isEqualTo(2);
  }

  /**
   * Issue #9: 100 000 requests for distinct unknown names left 100 002 entries on the heap and made 100 000
   * cloud calls. Here an attacker sends them at 1 000 per second for 100 s.
   */
  @Test
  void sprayedUnknownNamesLeaveMemoryAndCloudCallsBounded() {
    Rig rig = new Rig("limits: {startsPerSecond: 100}");
    rig.cloud.startFailure = r -> new CloudException(CloudException.Kind.UNKNOWN_RESOURCE, "no " + r);
    int refusedFast = 0;
    for (int i = 0; i < 100_000; i++) {
      Waiter w = rig.hold("name-" + i, "g");
      // Refused without a cloud call by a bound: the start throttle, or the instances still starting.
      if (w.future().failed() && java.util.Set.of(ErrorType.STARTS_THROTTLED, ErrorType.INSTANCE_LIMIT)
          .contains(((dev.smartgateway.error.GatewayException) w.future().cause()).type())) {
        refusedFast++;
      }
      if (i % 1000 == 999) {
        rig.clock.advance(1000);
      }
    }
    rig.clock.advance(10_000);

    assertThat(rig.cloud.count("start")).as("cloud calls: a second's burst plus 100/s over 110 s")
        .isLessThanOrEqualTo(100 + 100 * 110);
    assertThat(refusedFast).isGreaterThan(80_000);
    assertThat(rig.core.table.resourceCount()).as("nothing held for names that are gone").isZero();
    assertThat(rig.core.unknown.size()).isLessThanOrEqualTo(Lifecycle.UNKNOWN_KEPT);
    assertThat(rig.manager.waiting()).isZero();
    assertThat(rig.clock.pendingTimers()).isZero();
  }

  @Test
  void theStartThrottleSpacesStartsAndRefusesThoseThatWouldWaitTooLong() {
    Rig rig = new Rig("limits: {startsPerSecond: 2}");
    for (int i = 0; i < 4; i++) {
      rig.hold("r" + i, "g");
    }
    assertThat(rig.cloud.count("start")).as("a burst of a second's worth").isEqualTo(2);
    rig.clock.advance(500);
    assertThat(rig.cloud.count("start")).isEqualTo(3);
    rig.clock.advance(500);
    assertThat(rig.cloud.count("start")).isEqualTo(4);
    for (int i = 4; i < 20; i++) {
      rig.hold("r" + i, "g");
    }
    Waiter late = rig.hold("late", "g");
    assertThat(Rig.refused(late).type()).isEqualTo(ErrorType.STARTS_THROTTLED);
  }

  @Test
  void shuttingDownAnswersEveryHeldRequest() {
    Rig rig = new Rig("");
    Waiter held = rig.hold("r", "g");
    rig.manager.close();
    rig.clock.settle();
    assertThat(Rig.refused(held).type()).isEqualTo(ErrorType.SHUTTING_DOWN);
    assertThat(Rig.refused(rig.hold("r", "g")).type()).isEqualTo(ErrorType.SHUTTING_DOWN);
  }
}
