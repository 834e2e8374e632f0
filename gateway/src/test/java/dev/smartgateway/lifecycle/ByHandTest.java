package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators do by hand: pre-warm, stop, cancel, retire — on a fake clock and a fake cloud. */
class ByHandTest {

  private static <T> T done(Rig rig, Future<T> future) {
    rig.clock.settle();
    assertThat(future.isComplete()).as("answered").isTrue();
    assertThat(future.succeeded()).as("succeeded: %s", future.cause()).isTrue();
    return future.result();
  }

  private static GatewayException failed(Rig rig, Future<?> future) {
    rig.clock.settle();
    assertThat(future.failed()).as("failed").isTrue();
    return (GatewayException) future.cause();
  }

  @Test
  void aPreWarmStartsOneVmAndASecondPreWarmFindsIt() {
    Rig rig = new Rig("");
    InstanceView first = done(rig, rig.manager.startByHand("r", GroupSet.of("g")));
    InstanceView second = done(rig, rig.manager.startByHand("r", GroupSet.of("g")));
    assertThat(rig.cloud.count("start")).isEqualTo(1);
    assertThat(second.ref()).isEqualTo(first.ref());
    assertThat(rig.events.get(0).reason()).isEqualTo("started by hand");
    rig.boot("vm-1");
    assertThat(rig.tryLease("r", "g")).as("the pre-warmed VM serves the first request").isNotNull();
  }

  @Test
  void everyEventOfAnInstanceCarriesTheSameRefFromBeforeTheCloudAnswered() {
    Rig rig = new Rig("defaults: {idleTimeout: 1s}");
    rig.cloud.manualStarts = true;
    rig.manager.startByHand("r", GroupSet.of("g"));
    rig.clock.settle();
    LifecycleEvent starting = rig.events.get(0);
    assertThat(starting.instanceId()).as("the cloud has not answered").isNull();
    assertThat(starting.ref()).isNotBlank();
    rig.cloud.manualStarts = false;
    rig.cloud.pendingStarts.remove(0).complete(rig.cloud.create("r", java.util.Set.of("g")));
    rig.clock.settle();
    rig.boot("vm-1");
    rig.clock.advance(1000);
    assertThat(rig.events).extracting(LifecycleEvent::ref).containsOnly(starting.ref());
    assertThat(rig.types()).containsExactly(Type.STARTING, Type.WARMING, Type.READY, Type.DRAINING, Type.STOPPING,
        Type.STOPPED);
  }

  @Test
  void cancellingAStartStopsTheVmAndAnswersItsHeldRequestsWith503AndTheReason() {
    Rig rig = new Rig("");
    Waiter held = rig.hold("r", "g");
    String ref = rig.events.get(0).ref();
    InstanceView cancelled = done(rig, rig.manager.cancelStart(ref, "cancelled by an operator: wrong image"));
    assertThat(cancelled.state()).isEqualTo(LifecycleState.STOPPING);
    GatewayException answer = Rig.refused(held);
    assertThat(answer.type()).isEqualTo(ErrorType.START_CANCELLED);
    assertThat(answer.detail()).isEqualTo("cancelled by an operator: wrong image");
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.types()).containsExactly(Type.STARTING, Type.STOPPING, Type.STOPPED);
    Waiter next = rig.hold("r", "g");
    assertThat(rig.cloud.count("start")).as("no backoff after a cancel: the next request starts at once").isEqualTo(2);
    rig.boot("vm-2");
    Rig.granted(next);
  }

  @Test
  void aStartCancelledBeforeTheCloudAnsweredIsStoppedWhenTheAnswerComes() {
    Rig rig = new Rig("");
    rig.cloud.manualStarts = true;
    rig.hold("r", "g");
    String ref = rig.events.get(0).ref();
    done(rig, rig.manager.cancelStart(ref, "not needed"));
    assertThat(rig.cloud.stopped()).isEmpty();
    rig.cloud.pendingStarts.remove(0).complete(rig.cloud.create("r", java.util.Set.of("g")));
    rig.clock.settle();
    assertThat(rig.cloud.stopped()).as("no VM left running").containsExactly("vm-1");
  }

  @Test
  void onlyARunningStartCanBeCancelled() {
    Rig rig = new Rig("");
    rig.warmUp("r", "g").release();
    GatewayException refused = failed(rig, rig.manager.cancelStart("vm-1", "late"));
    assertThat(refused.type()).isEqualTo(ErrorType.CONFLICT);
    assertThat(failed(rig, rig.manager.cancelStart("vm-9", "who")).type()).isEqualTo(ErrorType.NOT_FOUND);
  }

  @Test
  void stoppingByHandDrainsFirstAndStopsWhenTheLastRequestEnds() {
    Rig rig = new Rig("defaults: {drainTimeout: 30s}");
    Lease busy = rig.warmUp("r", "g");
    InstanceView view = done(rig, rig.manager.stopByHand("vm-1", false));
    assertThat(view.state()).isEqualTo(LifecycleState.DRAINING);
    assertThat(rig.cloud.stopped()).isEmpty();
    busy.release();
    rig.clock.settle();
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.events.get(rig.events.size() - 3).reason()).isEqualTo("stopped by hand");
  }

  @Test
  void aForcedStopDoesNotWaitForRequestsInFlight() {
    Rig rig = new Rig("defaults: {drainTimeout: 30s}");
    rig.warmUp("r", "g");
    InstanceView view = done(rig, rig.manager.stopByHand("vm-1", true));
    assertThat(view.state()).isEqualTo(LifecycleState.STOPPING);
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.tryLease("r", "g")).isNull();
  }

  @Test
  void stoppingAnInstanceThatIsAlreadyStoppingIsAConflict() {
    Rig rig = new Rig("");
    rig.warmUp("r", "g").release();
    rig.cloud.manualStops = true;
    done(rig, rig.manager.stopByHand("vm-1", true));
    assertThat(failed(rig, rig.manager.stopByHand("vm-1", true)).type()).isEqualTo(ErrorType.CONFLICT);
  }

  @Test
  void retiringAResourceCancelsItsStartsAndDrainsItsServingVms() {
    Rig rig = new Rig("");
    rig.warmUp("r", "a").release();
    Waiter held = rig.hold("r", "b");
    List<InstanceView> affected = done(rig, rig.manager.retire("r", "resource unregistered"));
    assertThat(affected).hasSize(2);
    assertThat(Rig.refused(held).type()).isEqualTo(ErrorType.START_CANCELLED);
    assertThat(rig.cloud.stopped()).containsExactlyInAnyOrder("vm-1", "vm-2");
    assertThat(rig.manager.waiting()).isZero();
  }
}
