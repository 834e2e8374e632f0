package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StopAndLivenessTest {

  @Test
  void aStopTheCloudKeepsFailingIsRetriedWithBackoffUntilConfirmed() {
    Rig rig = new Rig("defaults: {idleTimeout: 1s}");
    rig.warmUp("r", "g").release();
    rig.cloud.manualStops = true;
    rig.clock.advance(1000);
    assertThat(rig.manager.pendingStops()).isEqualTo(1);
    rig.cloud.pendingStops.remove(0).fail(new CloudException(CloudException.Kind.TRANSIENT, "500"));
    rig.clock.settle();
    rig.clock.advance(999);
    assertThat(rig.cloud.count("stop")).isEqualTo(1);
    rig.clock.advance(1);
    assertThat(rig.cloud.count("stop")).isEqualTo(2);
    rig.cloud.pendingStops.remove(0).fail(new CloudException(CloudException.Kind.TIMEOUT, "slow"));
    rig.clock.advance(2000);
    assertThat(rig.cloud.count("stop")).as("1 s, then 2 s").isEqualTo(3);
    rig.cloud.pendingStops.remove(0).complete();
    rig.clock.settle();
    assertThat(rig.manager.pendingStops()).isZero();
    assertThat(rig.types()).endsWith(Type.STOPPING, Type.STOPPED);
  }

  @Test
  void aRequestArrivingWhileTheVmStopsIsHeldForAFreshOne() {
    Rig rig = new Rig("defaults: {idleTimeout: 1s}");
    rig.warmUp("r", "g").release();
    rig.cloud.manualStops = true;
    rig.clock.advance(1000);
    assertThat(rig.tryLease("r", "g")).isNull();
    Waiter w = rig.hold("r", "g");
    rig.boot("vm-2");
    assertThat(Rig.granted(w).instanceId()).isEqualTo("vm-2");
  }

  @Test
  void aPingUnderWayWhenTheGatewayClosesSchedulesNoOther() {
    Rig rig = new Rig("defaults: {liveness: {ping: 10s}}");
    rig.warmUp("r", "g").release();
    rig.prober.hold(rig.port("vm-1"));
    rig.clock.advance(15_000); // a ping goes out and waits for its answer
    assertThat(rig.prober.pending).hasSize(1);
    int before = rig.prober.probes;

    rig.manager.close();
    rig.prober.pending.remove(0).answer().complete(200);
    rig.clock.advance(60_000);

    assertThat(rig.prober.probes).as("its prober is closed: another ping could only fail").isEqualTo(before);
    assertThat(rig.cloud.stopped()).as("left running for the next gateway").isEmpty();
  }

  @Test
  void aVmMissingItsLivenessPingsIsFailedAndReplaced() {
    Rig rig = new Rig("defaults: {liveness: {ping: 10s, misses: 3, pongDiscardTimeout: 1h}}");
    rig.warmUp("r", "g").release();
    rig.prober.answer(rig.port("vm-1"), 500);
    rig.clock.advance(24_000);
    assertThat(rig.instance("vm-1").state()).as("two misses").isEqualTo(LifecycleState.READY);
    rig.clock.advance(12_000);
    assertThat(rig.types()).contains(Type.FAILED);
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    Waiter w = rig.hold("r", "g");
    rig.boot("vm-2");
    assertThat(Rig.granted(w).instanceId()).isEqualTo("vm-2");
  }

  @Test
  void aVmSilentForPongDiscardTimeoutIsFailedEvenBeforeItsMisses() {
    Rig rig = new Rig("defaults: {liveness: {ping: 10s, misses: 100, pongDiscardTimeout: 25s}}");
    rig.warmUp("r", "g").release();
    rig.prober.refuse(rig.port("vm-1"));
    rig.clock.advance(40_000);
    assertThat(rig.types()).contains(Type.FAILED);
  }
}
