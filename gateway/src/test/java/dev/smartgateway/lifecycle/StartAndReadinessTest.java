package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StartAndReadinessTest {

  @Test
  void manyHeldRequestsOfOnePoolShareOneStart() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 100}");
    List<Waiter> held = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      held.add(rig.hold("r", "g1"));
    }
    assertThat(rig.cloud.count("start")).isEqualTo(1);
    assertThat(held).noneMatch(w -> w.future().isComplete());
    assertThat(rig.manager.waiting()).isEqualTo(50);

    rig.boot("vm-1");
    Rig.granted(held.get(0)).answered(); // the first goes alone; once the VM answered it, the others
    rig.clock.settle();

    assertThat(held).allMatch(w -> w.future().succeeded());
    assertThat(held).allMatch(w -> w.future().result().instanceId().equals("vm-1"));
    assertThat(rig.manager.waiting()).isZero();
    assertThat(rig.types()).containsExactly(Type.STARTING, Type.WARMING, Type.READY);
  }

  @Test
  void aCallerHoldingMoreGroupsWaitsForTheInstanceAlreadyComingInsteadOfStartingAnother() {
    Rig rig = new Rig("");
    Waiter narrow = rig.hold("r", "g1");
    Waiter wide = rig.hold("r", "g1", "g2");
    Waiter other = rig.hold("r", "g2");

    assertThat(rig.cloud.count("start")).as("g1 and {g1,g2} share a VM; g2 alone needs its own").isEqualTo(2);
    rig.boot("vm-1");
    Rig.granted(narrow).answered();
    rig.clock.settle();
    assertThat(Rig.granted(narrow).instanceId()).isEqualTo("vm-1");
    assertThat(Rig.granted(wide).instanceId()).isEqualTo("vm-1");
    assertThat(other.future().isComplete()).isFalse();
  }

  @Test
  void aVmIsReadyOnlyOnceTheCloudSaysRunningAndTheProbePasses() {
    Rig rig = new Rig("defaults: {readiness: {interval: 25ms}}");
    Waiter w = rig.hold("r", "g");
    rig.prober.answer(20000, 503);
    rig.boot("vm-1");
    assertThat(rig.instance("vm-1").state()).isEqualTo(LifecycleState.WARMING);
    assertThat(w.future().isComplete()).isFalse();

    rig.clock.advance(25);
    assertThat(rig.instance("vm-1").state()).as("still 503").isEqualTo(LifecycleState.WARMING);

    rig.prober.answer(20000, 200);
    rig.clock.advance(25);
    assertThat(Rig.granted(w).instanceId()).isEqualTo("vm-1");
  }

  @Test
  void withoutPushedEventsTheCloudIsPolledWithBackoffFrom50msTo1s() {
    Rig rig = new Rig("", false);
    Waiter w = rig.hold("r", "g");
    rig.clock.advance(50);
    rig.clock.advance(100);
    rig.clock.advance(200);
    assertThat(rig.cloud.count("describe")).isEqualTo(3);
    rig.clock.advance(400 + 800 + 1000);
    assertThat(rig.cloud.count("describe")).as("50, 100, 200, 400, 800, then every 1 s").isEqualTo(6);

    rig.cloud.run("vm-1");
    rig.clock.advance(1000);
    assertThat(Rig.granted(w).instanceId()).isEqualTo("vm-1");
  }

  @Test
  void aRunningEventThatOvertakesTheStartAnswerIsNotLost() {
    Rig rig = new Rig("");
    rig.cloud.manualStarts = true;
    Waiter w = rig.hold("r", "g");
    var vm = rig.cloud.create("r", java.util.Set.of("g"));
    rig.cloud.run(vm.id());
    rig.clock.settle();
    rig.cloud.pendingStarts.get(0).complete(vm);
    rig.clock.settle();
    assertThat(Rig.granted(w).instanceId()).isEqualTo(vm.id());
  }

  /** The READY event's observers (log, history, metrics) took milliseconds the first held request waited through. */
  @Test
  void heldRequestsAreReleasedBeforeTheReadyEventIsPublished() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 2}");
    List<Waiter> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(rig.hold("r", "g"));
    }
    List<Long> grantedAtReady = new ArrayList<>();
    rig.core.events.subscribe(e -> {
      if (e.type() == Type.READY) {
        grantedAtReady.add(held.stream().filter(w -> w.future().succeeded()).count());
      }
    });
    rig.boot("vm-1");

    assertThat(grantedAtReady).as("the first release is out when observers hear of it").containsExactly(1L);
    assertThat(rig.types("vm-1")).endsWith(Type.READY);
  }

  @Test
  void eventsCarryThePhasesOfTheStart() {
    Rig rig = new Rig("");
    rig.cloud.manualStarts = true;
    Waiter w = rig.hold("r", "g");
    rig.clock.advance(40);
    rig.cloud.pendingStarts.get(0).complete(rig.cloud.create("r", java.util.Set.of("g")));
    rig.clock.advance(300);
    rig.prober.hold(20000);
    rig.boot("vm-1");
    rig.clock.advance(7);
    rig.prober.pending.get(0).answer().complete(200);
    rig.clock.settle();

    Rig.granted(w);
    LifecycleEvent ready = rig.events.get(rig.events.size() - 1);
    assertThat(ready.type()).isEqualTo(Type.READY);
    assertThat(ready.phases()).isEqualTo(new LifecycleEvent.Phases(40, 300, 7));
    assertThat(ready.resource()).isEqualTo("r");
    assertThat(ready.groups()).containsExactly("g");
    assertThat(ready.from()).isEqualTo(LifecycleState.WARMING);
    assertThat(ready.to()).isEqualTo(LifecycleState.READY);
  }

  @Test
  void aBootFailureFailsEveryHeldRequestWith502AndStopsTheVm() {
    Rig rig = new Rig("");
    Waiter a = rig.hold("r", "g");
    Waiter b = rig.hold("r", "g");
    rig.cloud.report("vm-1", InstanceState.FAILED);
    rig.clock.settle();

    assertThat(Rig.refused(a).type()).isEqualTo(ErrorType.BOOT_FAILED);
    assertThat(Rig.refused(b).detail()).contains("vm-1", "FAILED");
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.cloud.count("start")).isEqualTo(1);
    rig.clock.advance(61_000);
    assertThat(rig.core.table.resourceCount()).as("nothing left of the resource once its backoff is over").isZero();
  }

  @Test
  void aVmNotReadyWithinStartTimeoutIsStoppedAndItsRequestsGet504() {
    Rig rig = new Rig("defaults: {startTimeout: 2s}");
    Waiter w = rig.hold("r", "g");
    rig.clock.advance(1999);
    assertThat(w.future().isComplete()).isFalse();
    rig.clock.advance(1);
    assertThat(Rig.refused(w).type()).isEqualTo(ErrorType.START_TIMEOUT);
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.types()).containsExactly(Type.STARTING, Type.FAILED, Type.STOPPED);
  }

  @Test
  void eachHeldRequestGetsItsStartTimeoutExactlyWithOneTimerForThePool() {
    Rig rig = new Rig("defaults: {startTimeout: 5s}");
    rig.warmUp("r", "g").release();
    // The VM refused a connection and its check hangs: requests wait on the pool with no VM coming up.
    rig.prober.hold(rig.port("vm-1"));
    rig.tryLease("r", "g").releaseUnreachable();
    Waiter first = rig.hold("r", "g");
    rig.clock.advance(1000);
    Waiter second = rig.hold("r", "g");
    rig.clock.advance(1000);
    Waiter third = rig.hold("r", "g");
    int timers = rig.clock.pendingTimers();
    for (int i = 0; i < 100; i++) {
      rig.hold("r", "g");
    }
    assertThat(rig.clock.pendingTimers()).as("no timer per held request").isEqualTo(timers);

    rig.clock.advance(2999);
    assertThat(first.future().isComplete()).isFalse();
    rig.clock.advance(1);
    assertThat(Rig.refused(first).type()).isEqualTo(ErrorType.START_TIMEOUT);
    assertThat(second.future().isComplete()).isFalse();
    rig.clock.advance(1000);
    assertThat(Rig.refused(second).type()).isEqualTo(ErrorType.START_TIMEOUT);
    assertThat(third.future().isComplete()).isFalse();
    rig.clock.advance(1000);
    assertThat(Rig.refused(third).type()).isEqualTo(ErrorType.START_TIMEOUT);
    rig.clock.advance(1000);
    assertThat(rig.manager.waiting()).isZero();
  }

  @Test
  void requestsMovedToAFreshVmKeepTheirOwnDeadlines() {
    Rig rig = new Rig("defaults: {startTimeout: 10s, releaseConcurrency: 1}");
    Waiter a = rig.hold("r", "g");
    Waiter b = rig.hold("r", "g");
    Waiter c = rig.hold("r", "g");
    rig.boot("vm-1");
    Rig.granted(a);
    rig.clock.advance(50);
    Waiter later = rig.hold("r", "g"); // queued behind b and c with a deadline 50 ms later
    rig.cloud.report("vm-1", dev.smartgateway.cloud.InstanceState.FAILED);
    rig.clock.settle();
    assertThat(rig.cloud.count("start")).as("b, c and the later one move to a fresh VM").isEqualTo(2);

    rig.clock.advance(9_950);
    assertThat(Rig.refused(b).type()).as("10 s after it came, not after the move").isEqualTo(ErrorType.START_TIMEOUT);
    assertThat(Rig.refused(c).type()).isEqualTo(ErrorType.START_TIMEOUT);
    assertThat(later.future().isComplete()).isFalse();
    rig.boot("vm-2");
    assertThat(Rig.granted(later).instanceId()).isEqualTo("vm-2");
  }

  @Test
  void aStartAnsweredAfterTheStartTimeoutIsStoppedAtOnce() {
    Rig rig = new Rig("defaults: {startTimeout: 1s}");
    rig.cloud.manualStarts = true;
    Waiter w = rig.hold("r", "g");
    rig.clock.advance(1000);
    assertThat(Rig.refused(w).type()).isEqualTo(ErrorType.START_TIMEOUT);

    rig.cloud.pendingStarts.get(0).complete(rig.cloud.create("r", java.util.Set.of("g")));
    rig.clock.settle();
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.manager.pendingStops()).isZero();
  }

  @Test
  void cloudRefusalsBecomeTheirProblems() {
    for (var kind : dev.smartgateway.cloud.CloudException.Kind.values()) {
      Rig rig = new Rig("");
      rig.cloud.startFailure = r -> new dev.smartgateway.cloud.CloudException(kind, "no");
      ErrorType expected = switch (kind) {
        case UNKNOWN_RESOURCE -> ErrorType.UNKNOWN_RESOURCE;
        case REFUSED -> ErrorType.FORBIDDEN;
        case CAPACITY -> ErrorType.NO_CAPACITY;
        case TRANSIENT, TIMEOUT -> ErrorType.CLOUD_UNAVAILABLE;
        default -> ErrorType.CLOUD_FAILED;
      };
      assertThat(Rig.refused(rig.hold("r", "g")).type()).as("%s", kind).isEqualTo(expected);
      rig.clock.advance(100_000); // past the longest backoff (no capacity: 30 s) and its memory (1 min)
      assertThat(rig.core.table.resourceCount()).isZero();
    }
  }

  @Test
  void runningVmsOfTheCloudAreAdoptedAtStartUp() {
    Rig first = new Rig("");
    first.warmUp("r", "g").release();

    Rig second = new Rig("", first.cloud);

    Lease lease = second.tryLease("r", "g");
    assertThat(lease).as("served by the adopted VM at once").isNotNull();
    assertThat(lease.instanceId()).isEqualTo("vm-1");
    assertThat(first.cloud.count("start")).isEqualTo(1);
    assertThat(second.types()).containsExactly(Type.STARTING, Type.WARMING, Type.READY);
    assertThat(second.events.get(0).reason()).startsWith("adopted");
  }
}
