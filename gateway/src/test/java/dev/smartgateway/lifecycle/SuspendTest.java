package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code idlePolicy: suspend}: idle VMs are paused, not stopped, and the next request resumes them (DESIGN §6). */
class SuspendTest {

  private static final String YAML = "defaults: {idleTimeout: 10s, drainTimeout: 5s, idlePolicy: suspend}";

  private static Rig suspendedRig() {
    Rig rig = new Rig(YAML);
    rig.warmUp("r", "g").release();
    rig.clock.advance(10_000);
    return rig;
  }

  @Test
  void anIdleVmIsSuspendedInsteadOfStopped() {
    Rig rig = suspendedRig();

    assertThat(rig.cloud.count("suspend")).isEqualTo(1);
    assertThat(rig.cloud.stopped()).isEmpty();
    assertThat(rig.instance("vm-1").state()).isEqualTo(LifecycleState.SUSPENDED);
    assertThat(rig.types()).endsWith(Type.DRAINING, Type.SUSPENDED);
    assertThat(rig.tryLease("r", "g")).as("a paused VM takes no request").isNull();
  }

  @Test
  void theNextRequestResumesTheSameVmWithoutAStart() {
    Rig rig = suspendedRig();

    Waiter w = rig.hold("r", "g");

    Lease lease = Rig.granted(w);
    assertThat(lease.instanceId()).isEqualTo("vm-1");
    assertThat(rig.cloud.count("resume")).isEqualTo(1);
    assertThat(rig.cloud.count("start")).isEqualTo(1);
    assertThat(rig.types()).endsWith(Type.SUSPENDED, Type.RESUMED, Type.READY);
    LifecycleEvent ready = rig.events.get(rig.events.size() - 1);
    assertThat(ready.phases().cloudCallMs()).as("a resume is no cold start: no cloud-call or boot phase").isEqualTo(-1);
    assertThat(ready.phases().bootMs()).isEqualTo(-1);
  }

  @Test
  void aResumedVmIsProbedBeforeItServes() {
    Rig rig = suspendedRig();
    rig.prober.hold(rig.port("vm-1"));

    Waiter w = rig.hold("r", "g");

    assertThat(w.future().isComplete()).as("held until the probe passes").isFalse();
    assertThat(rig.instance("vm-1").state()).isEqualTo(LifecycleState.WARMING);
    rig.prober.pending.remove(0).answer().complete(200);
    rig.clock.settle();
    assertThat(Rig.granted(w).instanceId()).isEqualTo("vm-1");
  }

  @Test
  void aResumedVmIsSuspendedAgainAfterIdleTimeout() {
    Rig rig = suspendedRig();
    Rig.granted(rig.hold("r", "g")).release();

    rig.clock.advance(9_999);
    assertThat(rig.cloud.count("suspend")).isEqualTo(1);
    rig.clock.advance(1);
    assertThat(rig.cloud.count("suspend")).isEqualTo(2);
    assertThat(rig.cloud.stopped()).isEmpty();
  }

  @Test
  void aRequestDuringTheSuspendCallResumesOnceThePauseIsConfirmed() {
    Rig rig = new Rig(YAML);
    rig.cloud.manualPauses = true;
    rig.warmUp("r", "g").release();
    rig.clock.advance(10_000);
    assertThat(rig.cloud.pendingPauses).hasSize(1);

    Waiter w = rig.hold("r", "g");
    assertThat(rig.cloud.count("resume")).as("one call at a time: the resume waits for the pause").isZero();

    rig.cloud.pendingPauses.remove(0).complete();
    rig.clock.settle();
    assertThat(rig.cloud.count("resume")).isEqualTo(1);
    rig.cloud.pendingPauses.remove(0).complete();
    rig.clock.settle();
    assertThat(Rig.granted(w).instanceId()).isEqualTo("vm-1");
    assertThat(rig.cloud.count("start")).isEqualTo(1);
  }

  @Test
  void aVmTheCloudCannotSuspendIsStoppedInstead() {
    Rig rig = new Rig(YAML);
    rig.cloud.pauseFailure = new CloudException(CloudException.Kind.PERMANENT, "the hypervisor refused");
    rig.warmUp("r", "g").release();

    rig.clock.advance(10_000);

    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.types()).endsWith(Type.SUSPENDED, Type.STOPPING, Type.STOPPED);
  }

  @Test
  void aFailedResumeGivesTheHeldRequestAFreshVm() {
    Rig rig = suspendedRig();
    rig.cloud.pauseFailure = new CloudException(CloudException.Kind.PERMANENT, "the memory image is gone");

    Waiter w = rig.hold("r", "g");

    assertThat(w.future().isComplete()).as("still held: a fresh VM starts for it").isFalse();
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.cloud.count("start")).isEqualTo(2);
    rig.boot("vm-2");
    assertThat(Rig.granted(w).instanceId()).isEqualTo("vm-2");
  }

  @Test
  void aProviderThatCannotPauseStopsIdleVms() {
    FakeCloud cloud = new FakeCloud();
    cloud.suspends = false;
    Rig rig = new Rig(YAML, cloud);
    rig.warmUp("r", "g").release();

    rig.clock.advance(10_000);

    assertThat(cloud.count("suspend")).isZero();
    assertThat(cloud.stopped()).containsExactly("vm-1");
  }

  @Test
  void theDefaultPolicyStops() {
    Rig rig = new Rig("defaults: {idleTimeout: 10s}");
    rig.warmUp("r", "g").release();

    rig.clock.advance(10_000);

    assertThat(rig.cloud.count("suspend")).isZero();
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
  }

  @Test
  void aStopByHandEndsASuspendedVm() {
    Rig rig = suspendedRig();

    Future<InstanceView> stopped = rig.manager.stopByHand("vm-1", false);
    rig.clock.settle();

    assertThat(stopped.succeeded()).as("%s", stopped.cause()).isTrue();
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
    assertThat(rig.types()).endsWith(Type.SUSPENDED, Type.STOPPING, Type.STOPPED);
  }

  @Test
  void aDrainByHandStopsEvenUnderTheSuspendPolicy() {
    Rig rig = new Rig(YAML);
    rig.warmUp("r", "g").release();

    rig.manager.stopByHand("vm-1", false);
    rig.clock.settle();

    assertThat(rig.cloud.count("suspend")).isZero();
    assertThat(rig.cloud.stopped()).containsExactly("vm-1");
  }

  @Test
  void aPreWarmByHandResumesASuspendedVm() {
    Rig rig = suspendedRig();

    rig.manager.startByHand("r", dev.smartgateway.access.GroupSet.of("g"));
    rig.clock.settle();

    assertThat(rig.cloud.count("resume")).isEqualTo(1);
    assertThat(rig.instance("vm-1").state()).isEqualTo(LifecycleState.READY);
    assertThat(rig.events.get(rig.events.size() - 2).cause()).isEqualTo(LifecycleEvent.Cause.BY_HAND);
  }

  @Test
  void aSuspendedVmTheCloudLostIsReplacedOnTheNextRequest() {
    Rig rig = suspendedRig();

    rig.cloud.report("vm-1", InstanceState.STOPPED);
    rig.clock.settle();
    Waiter w = rig.hold("r", "g");

    assertThat(rig.cloud.count("resume")).isZero();
    rig.boot("vm-2");
    assertThat(Rig.granted(w).instanceId()).isEqualTo("vm-2");
  }

  @Test
  void aSuspendedVmIsAdoptedSuspendedAndResumedWhenNeeded() {
    Rig first = suspendedRig();

    Rig again = new Rig(YAML, first.cloud);

    ManagedInstance adopted = again.instance("vm-1");
    assertThat(adopted.state()).isEqualTo(LifecycleState.SUSPENDED);
    assertThat(first.cloud.count("resume")).as("nobody asked for it yet").isZero();
    Waiter w = again.hold("r", "g");
    assertThat(Rig.granted(w).instanceId()).isEqualTo("vm-1");
    assertThat(first.cloud.count("start")).isEqualTo(1);
  }
}
