package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/** The one atomic word of state and in-flight count, raced from two threads as the warm path and the control context do. */
class ManagedInstanceTest {

  private static ManagedInstance draining(int inFlight) {
    ManagedInstance mi = new ManagedInstance(new Pool("r", GroupSet.of("g")), "ref-1", 0, 0);
    mi.compareAndSet(LifecycleState.STARTING, LifecycleState.WARMING);
    mi.compareAndSet(LifecycleState.WARMING, LifecycleState.READY);
    for (int i = 0; i < inFlight; i++) {
      mi.tryAcquire();
    }
    mi.compareAndSet(LifecycleState.READY, LifecycleState.DRAINING);
    return mi;
  }

  @Test
  void aLeaseAndTheDrainTimeoutStopNeverBothWin() throws Exception {
    race(mi -> mi.compareAndSet(LifecycleState.DRAINING, LifecycleState.STOPPING));
  }

  @Test
  void theLastReleaseOfADrainingInstanceAndARevivingLeaseNeverBothWin() throws Exception {
    race(mi -> mi.release(0) && mi.compareAndSetDrained(LifecycleState.STOPPING));
  }

  /**
   * Round after round, a lease on the warm path against {@code stop} on the control context, on a draining
   * instance with one request in flight: exactly one wins, and a lease never lands on a stopping VM.
   */
  private static void race(java.util.function.Predicate<ManagedInstance> stop) throws InterruptedException {
    CyclicBarrier start = new CyclicBarrier(2);
    for (int round = 0; round < 2_000; round++) {
      ManagedInstance mi = draining(1);
      boolean[] leased = new boolean[1];
      Thread warmPath = new Thread(() -> {
        await(start);
        leased[0] = mi.tryAcquire() != null;
      });
      warmPath.start();
      await(start);
      boolean stopped = stop.test(mi);
      warmPath.join();
      assertThat(leased[0] && stopped).as("round %d: a lease on a stopped VM", round).isFalse();
      assertThat(leased[0] || stopped).as("round %d: one of them wins", round).isTrue();
      assertThat(mi.state()).isEqualTo(stopped ? LifecycleState.STOPPING : LifecycleState.READY);
    }
  }

  @Test
  void aSuspectInstanceGivesNoLease() {
    ManagedInstance mi = draining(0);
    mi.suspect(true);
    assertThat(mi.tryAcquire()).isNull();
    assertThat(mi.isLeasable()).isFalse();
    mi.suspect(false);
    assertThat(mi.tryAcquire()).isEqualTo(LifecycleState.DRAINING);
    assertThat(mi.state()).isEqualTo(LifecycleState.READY);
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
