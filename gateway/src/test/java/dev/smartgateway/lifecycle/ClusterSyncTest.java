package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateways as one (DESIGN section 10) on fake clocks, a fake cloud and a cluster in memory: single flight across
 * members, held requests released by the other member's READY, activity across members, drains revived from
 * elsewhere, and takeover when a member leaves.
 */
class ClusterSyncTest {

  private static final long IDLE_MS = 10_000;

  private final FakeCluster cluster = new FakeCluster();
  private FakeCluster.Member memberA;
  private Rig a;
  private Rig b;

  @BeforeEach
  void twoMembers() {
    FakeCloud cloud = new FakeCloud();
    cloud.pushes = false;
    memberA = cluster.join("A");
    a = new Rig(yaml("a"), cloud, memberA);
    b = new Rig(yaml("b"), cloud, cluster.join("B"));
  }

  private static String yaml(String id) {
    return "gateway: {id: " + id + "}\ncluster: {enabled: true, name: shop-cluster}\n"
        + "defaults: {idleTimeout: 10s, startTimeout: 30s, targetConcurrency: 1000}\n";
  }

  @Test
  void requestsOnBothMembersAtOnceStartOneVmAndAreReleasedOnTheirOwnMember() {
    Waiter onA = a.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    Waiter onB = b.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle(); // both asked before either heard of the other: B's claim loses, and it waits for A's record

    assertThat(a.cloud.count("start")).as("start calls").isEqualTo(1);
    assertThat(onB.future().isComplete()).as("held on B while A's VM boots").isFalse();

    a.cloud.run("vm-1");
    advance(200);
    assertThat(Rig.granted(onA).port()).isEqualTo(a.port("vm-1"));
    assertThat(Rig.granted(onB).port()).as("B forwards to A's VM").isEqualTo(a.port("vm-1"));
    assertThat(b.events).as("B publishes nothing for a VM it only mirrors").isEmpty();
  }

  @Test
  void aVmTheOtherMemberKeepsUsingIsNotStoppedAndIsStoppedOnceNobodyDoes() {
    readyOnA();
    for (int second = 0; second < 3 * IDLE_MS / 1000; second++) {
      Lease lease = b.tryLease("shop", "staff");
      assertThat(lease).as("B's warm path at second %d", second).isNotNull();
      lease.release();
      advance(1000);
    }
    assertThat(a.cloud.stopped()).isEmpty();
    assertThat(a.types("vm-1")).as("reports kept its idle clock from running out").doesNotContain(Type.DRAINING);

    advance(IDLE_MS + 2 * FakeCluster.REPORT_MS + 1000);
    assertThat(a.cloud.stopped()).containsExactly("vm-1");
    assertThat(b.tryLease("shop", "staff")).as("B no longer forwards there").isNull();
  }

  @Test
  void aRequestOnTheOtherMemberWhileTheVmDrainsRevivesIt() {
    readyOnA();
    advance(IDLE_MS + FakeCluster.REPORT_MS + 200); // B's one use was reported up to a report interval later
    assertThat(a.instance("vm-1").state()).isEqualTo(LifecycleState.DRAINING);

    Lease lease = b.tryLease("shop", "staff");
    assertThat(lease).as("a draining VM still serves").isNotNull();
    settle();
    lease.release();
    advance(2 * FakeCluster.REPORT_MS + 500);

    assertThat(a.types("vm-1")).contains(Type.REVIVED);
    assertThat(a.instance("vm-1").state()).isEqualTo(LifecycleState.READY);
    assertThat(a.cloud.stopped()).isEmpty();
  }

  @Test
  void whenTheManagingMemberLeavesAnotherTakesItsVmOverAndStopsItWhenIdle() {
    readyOnA();
    cluster.leave(memberA); // A is gone: its clock stands still from here on
    settleB();

    ManagedInstance taken = b.core.table.byId("vm-1");
    assertThat(taken).as("B took vm-1 over").isNotNull();
    assertThat(taken.isMirror()).isFalse();
    assertThat(b.tryLease("shop", "staff")).as("and serves from it meanwhile").isNotNull().satisfies(Lease::release);

    b.clock.advance(IDLE_MS + 2 * FakeCluster.REPORT_MS + 1000);
    assertThat(a.cloud.stopped()).containsExactly("vm-1");
    assertThat(a.cloud.count("start")).as("never started twice").isEqualTo(1);
    assertThat(cluster.records()).as("its record is gone").isEmpty();
  }

  @Test
  void aVmTheLeavingMemberWasStillStartingIsTakenOverAndServesTheHeldRequestsNeverStartedTwice() {
    a.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle();
    Waiter onB = b.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle();
    assertThat(a.cloud.count("start")).isEqualTo(1);

    cluster.leave(memberA); // the cloud had named vm-1, which still boots
    settleB();
    assertThat(a.cloud.count("start")).as("B carries A's start on instead of starting another").isEqualTo(1);
    assertThat(onB.future().isComplete()).as("held on B while vm-1 boots").isFalse();
    assertThat(cluster.records()).as("the record names B now").singleElement()
        .satisfies(r -> assertThat(r.member()).isEqualTo("B"));

    a.cloud.run("vm-1");
    b.clock.advance(1200); // B polls the cloud (nothing is pushed here), then probes
    assertThat(Rig.granted(onB).port()).isEqualTo(a.port("vm-1"));
    Rig.granted(onB).release();
    assertThat(b.types("vm-1")).as("B's own start events from WARMING on").contains(Type.WARMING, Type.READY);

    b.clock.advance(IDLE_MS + 2 * FakeCluster.REPORT_MS + 1000);
    assertThat(a.cloud.stopped()).as("stopped once idle, by B").containsExactly("vm-1");
    assertThat(a.cloud.count("start")).as("never started twice").isEqualTo(1);
  }

  @Test
  void aVmTheLeavingMemberAskedForButWasNotYetToldOfIsAdoptedOnceItRunsNeverOrphaned() {
    a.cloud.manualStarts = true;
    a.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle();
    Waiter onB = b.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle();
    assertThat(a.cloud.count("start")).isEqualTo(1);
    a.cloud.create("shop", java.util.Set.of("staff")); // the cloud made vm-1; A left before the answer came

    cluster.leave(memberA);
    settleB();
    // No VM to follow, none to forward to: B starts one of its own for its held request.
    assertThat(a.cloud.count("start")).isEqualTo(2);
    a.cloud.pendingStarts.get(1).complete(a.cloud.create("shop", java.util.Set.of("staff")));
    a.cloud.run("vm-2");
    b.clock.advance(1200);
    assertThat(Rig.granted(onB).port()).isEqualTo(a.port("vm-2"));
    Rig.granted(onB).release();

    a.cloud.run("vm-1"); // the VM A asked for comes up after all: nobody's, until a sweep finds it
    b.clock.advance(30_000);
    assertThat(b.core.table.byId("vm-1")).as("adopted by B").isNotNull();
    b.clock.advance(IDLE_MS + 2 * FakeCluster.REPORT_MS + 1000);
    assertThat(a.cloud.stopped()).contains("vm-1");
  }

  @Test
  void aStopByHandOnTheOtherMemberIsDoneByTheManagingMember() {
    readyOnA();
    io.vertx.core.Future<InstanceView> stopped = b.manager.stopByHand("vm-1", true);
    settle();

    assertThat(stopped.succeeded()).as("answered, not 409: %s", stopped.cause()).isTrue();
    assertThat(stopped.result().manager()).isEqualTo("A");
    assertThat(a.types("vm-1")).as("A stopped it, by hand").contains(Type.STOPPING);
    assertThat(a.cloud.stopped()).containsExactly("vm-1");
    assertThat(b.tryLease("shop", "staff")).as("B forwards there no more").isNull();
  }

  /** A starts vm-1 for a request and it becomes ready; the request's lease is released again. */
  private void readyOnA() {
    Waiter w = a.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle();
    a.cloud.run("vm-1");
    advance(200);
    Rig.granted(w).release();
    settle();
    assertThat(b.tryLease("shop", "staff")).as("B mirrors A's ready VM").isNotNull().satisfies(Lease::release);
    settle();
  }

  private void settle() {
    for (int i = 0; i < 5; i++) {
      a.clock.settle();
      b.clock.settle();
    }
  }

  private void settleB() {
    b.clock.settle();
  }

  /** Both clocks move on together, in steps of 50 ms. */
  private void advance(long ms) {
    for (long done = 0; done < ms; done += 50) {
      a.clock.advance(50);
      b.clock.advance(50);
      settle();
    }
  }
}
