package dev.smartgateway.lifecycle;

import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectFailureTest {

  /**
   * Issue #9: the retry of a refused request leased the dead VM again before the control context had marked
   * it failed. The lease now takes the VM out of rotation on the caller's own thread.
   */
  @Test
  void aRefusedConnectionTakesTheVmOutOfRotationBeforeTheRetryAsksForALease() {
    Rig rig = new Rig("");
    rig.warmUp("r", "g").release();
    rig.prober.refuse(rig.port("vm-1"));

    Lease first = rig.tryLease("r", "g");
    first.releaseUnreachable();
    // No control-context step has run yet: this is the retry on the request's own thread.
    assertThat(rig.tryLease("r", "g")).as("the retry must not get the refusing VM").isNull();

    Waiter retry = rig.hold("r", "g");
    assertThat(rig.cloud.count("start")).as("the VM failed its check: a fresh one starts").isEqualTo(2);
    rig.boot("vm-2");
    assertThat(Rig.granted(retry).instanceId()).isEqualTo("vm-2");
    assertThat(rig.types()).contains(Type.FAILED);
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
  }

  @Test
  void oneFailedConnectToAVmThatStillAnswersCostsNothing() {
    Rig rig = new Rig("");
    rig.warmUp("r", "g").release();
    rig.tryLease("r", "g").releaseUnreachable();
    Waiter retry = rig.hold("r", "g");

    assertThat(Rig.granted(retry).instanceId()).as("the check passed: back in rotation").isEqualTo("vm-1");
    assertThat(rig.cloud.count("start")).isEqualTo(1);
    assertThat(rig.types()).doesNotContain(Type.FAILED);
    assertThat(rig.tryLease("r", "g")).isNotNull();
  }

  @Test
  void connectFailuresInARowFailTheVmEvenIfItAnswersProbes() {
    Rig rig = new Rig("defaults: {liveness: {connectFailures: 3}}");
    rig.warmUp("r", "g").release();
    for (int i = 0; i < 2; i++) {
      rig.tryLease("r", "g").releaseUnreachable();
      rig.clock.settle();
      assertThat(rig.instance("vm-1").state()).isEqualTo(LifecycleState.READY);
    }
    rig.tryLease("r", "g").releaseUnreachable();
    rig.clock.settle();
    assertThat(rig.types()).contains(Type.FAILED);
    assertThat(rig.events.get(rig.events.size() - 2).reason()).contains("refused 3 connections in a row");
  }

  @Test
  void aRequestThatReachesTheVmResetsTheCount() {
    Rig rig = new Rig("defaults: {liveness: {connectFailures: 2}}");
    rig.warmUp("r", "g").release();
    for (int i = 0; i < 5; i++) {
      rig.tryLease("r", "g").releaseUnreachable();
      rig.clock.settle();
      rig.tryLease("r", "g").release();
    }
    assertThat(rig.types()).doesNotContain(Type.FAILED);
  }

  @Test
  void requestsArrivingWhileTheVmIsCheckedWaitForTheVerdictInsteadOfStartingAnotherVm() {
    Rig rig = new Rig("");
    rig.warmUp("r", "g").release();
    rig.prober.hold(rig.port("vm-1"));
    rig.tryLease("r", "g").releaseUnreachable();
    Waiter during = rig.hold("r", "g");
    assertThat(during.future().isComplete()).isFalse();
    assertThat(rig.cloud.count("start")).isEqualTo(1);

    rig.prober.pending.get(0).answer().complete(200);
    rig.clock.settle();
    assertThat(Rig.granted(during).instanceId()).isEqualTo("vm-1");
  }

  @Test
  void aCrashReportedByTheCloudMovesHeldRequestsToAFreshVm() {
    Rig rig = new Rig("");
    rig.warmUp("r", "g").release();
    rig.cloud.report("vm-1", dev.smartgateway.cloud.InstanceState.FAILED);
    rig.clock.settle();
    assertThat(rig.tryLease("r", "g")).isNull();
    Waiter next = rig.hold("r", "g");
    rig.boot("vm-2");
    assertThat(Rig.granted(next).instanceId()).isEqualTo("vm-2");
  }
}
