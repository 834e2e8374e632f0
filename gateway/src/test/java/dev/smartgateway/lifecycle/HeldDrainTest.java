package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ErrorType;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A graceful stop's held requests ({@link HeldDrain}), on fake clocks: alone, answered at once; clustered, left to
 * their VM — this member's own start or another member's — until the bound, then answered 503. New requests are
 * refused from the start either way.
 */
class HeldDrainTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  private final FakeCluster cluster = new FakeCluster();

  @Test
  void aloneHeldRequestsAreAnsweredShuttingDownAtOnce() {
    Rig rig = new Rig("defaults: {startTimeout: 60s}\n");
    Waiter held = rig.hold("shop", "staff");
    Future<Void> drained = rig.manager.drainHeld(BOUND);
    rig.clock.settle();
    assertThat(Rig.refused(held).type()).isEqualTo(ErrorType.SHUTTING_DOWN);
    assertThat(drained.succeeded()).as("nothing left to wait for").isTrue();
  }

  @Test
  void clusteredAHeldRequestWaitsForTheVmThisMemberStartedAndGoesToItOnceReady() {
    FakeCloud cloud = new FakeCloud();
    Rig a = new Rig(yaml("a"), cloud, cluster.join("A"));
    Waiter held = a.hold("shop", "staff");
    Future<Void> drained = a.manager.drainHeld(BOUND);
    a.clock.settle();
    assertThat(held.future().isComplete()).as("still held while the VM boots").isFalse();
    assertThat(Rig.refused(a.hold("shop", "staff")).type()).as("a new request").isEqualTo(ErrorType.SHUTTING_DOWN);
    assertThat(drained.isComplete()).isFalse();

    a.boot("vm-1");
    assertThat(Rig.granted(held).port()).isEqualTo(a.port("vm-1"));
    assertThat(drained.succeeded()).as("the drain ends with the last held request").isTrue();
    assertThat(cloud.count("start")).isEqualTo(1);
  }

  @Test
  void clusteredAHeldRequestGoesToTheVmAnotherMemberReportsReady() {
    FakeCloud cloud = new FakeCloud();
    cloud.pushes = false;
    Rig a = new Rig(yaml("a"), cloud, cluster.join("A"));
    Rig b = new Rig(yaml("b"), cloud, cluster.join("B"));
    a.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle(a, b);
    Waiter onB = b.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle(a, b);
    Future<Void> drained = b.manager.drainHeld(BOUND);
    settle(a, b);
    assertThat(onB.future().isComplete()).as("held on B while A's VM boots").isFalse();

    a.cloud.run("vm-1");
    for (int step = 0; step < 4; step++) {
      a.clock.advance(50);
      b.clock.advance(50);
      settle(a, b);
    }
    assertThat(Rig.granted(onB).port()).as("B, stopping, forwards to A's VM").isEqualTo(a.port("vm-1"));
    assertThat(drained.succeeded()).isTrue();
  }

  @Test
  void clusteredWhatIsStillHeldWhenTheBoundRunsOutIsAnsweredShuttingDownWithARetry() {
    Rig a = new Rig(yaml("a"), new FakeCloud(), cluster.join("A"));
    Waiter held = a.hold("shop", "staff");
    Future<Void> drained = a.manager.drainHeld(Duration.ofSeconds(2));
    a.clock.settle();
    a.clock.advance(1_900);
    a.clock.settle();
    assertThat(held.future().isComplete()).isFalse();

    a.clock.advance(200);
    a.clock.settle();
    assertThat(Rig.refused(held).type()).isEqualTo(ErrorType.SHUTTING_DOWN);
    assertThat(Rig.refused(held).retryAfter()).isNotNull();
    assertThat(drained.succeeded()).isTrue();
  }

  @Test
  void clusteredAStoppingMemberStartsNoVmItsHeldRequestIsAnsweredInsteadWhenTheStartItWaitedForIsDropped() {
    FakeCloud cloud = new FakeCloud();
    cloud.pushes = false;
    cloud.manualStarts = true;
    FakeCluster.Member memberA = cluster.join("A");
    Rig a = new Rig(yaml("a"), cloud, memberA);
    Rig b = new Rig(yaml("b"), cloud, cluster.join("B"));
    a.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle(a, b);
    Waiter onB = b.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle(a, b);
    b.manager.drainHeld(BOUND);
    settle(a, b);

    cluster.leave(memberA); // before the cloud named its VM: no start to carry on, the record is dropped
    b.clock.settle();
    assertThat(Rig.refused(onB).type()).as("answered, not started afresh by a member on its way out")
        .isEqualTo(ErrorType.SHUTTING_DOWN);
    assertThat(cloud.count("start")).as("start calls").isEqualTo(1);
  }

  private static String yaml(String id) {
    return "gateway: {id: " + id + "}\ncluster: {enabled: true, name: shop-cluster}\n"
        + "defaults: {idleTimeout: 10s, startTimeout: 60s}\n";
  }

  private static void settle(Rig a, Rig b) {
    for (int i = 0; i < 5; i++) {
      a.clock.settle();
      b.clock.settle();
    }
  }
}
