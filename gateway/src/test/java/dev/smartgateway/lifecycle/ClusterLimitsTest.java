package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ErrorType;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway-wide bounds of a cluster (DESIGN section 10) on fake clocks: limits.maxInstances and
 * limits.maxWaitingTotal hold over all members, and a start that failed on one member backs the pool off on all.
 */
class ClusterLimitsTest {

  private final FakeCluster cluster = new FakeCluster();
  private final FakeCloud cloud = new FakeCloud();
  private FakeCluster.Member memberA;
  private Rig a;
  private Rig b;

  private void twoMembers(String sections) {
    cloud.pushes = false;
    memberA = cluster.join("A");
    a = new Rig(yaml("a", sections), cloud, memberA);
    b = new Rig(yaml("b", sections), cloud, cluster.join("B"));
  }

  private static String yaml(String id, String sections) {
    return "gateway: {id: " + id + "}\ncluster: {enabled: true, name: shop-cluster}\n" + sections;
  }

  @Test
  void theInstanceLimitCountsTheVmsOfEveryMember() {
    twoMembers("limits: {maxInstances: 2}\ndefaults: {startTimeout: 30s}\n");
    a.hold("shop", "staff");
    a.hold("wiki", "staff");
    settle();
    assertThat(cloud.count("start")).isEqualTo(2);

    Waiter onB = b.hold("blog", "staff");
    settle();
    assertThat(Rig.refused(onB).type()).isEqualTo(ErrorType.INSTANCE_LIMIT);
    assertThat(Rig.refused(onB).detail()).contains("the cluster already runs 2 VMs");
    assertThat(cloud.count("start")).as("B started nothing").isEqualTo(2);
  }

  @Test
  void twoMembersRacingForTheLastPlaceStartOneVmBetweenThem() {
    twoMembers("limits: {maxInstances: 1}\ndefaults: {startTimeout: 30s}\n");
    // Both ask before either hears of the other's claim: the count after each claim sees the other's.
    Waiter onA = a.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    Waiter onB = b.manager.hold("wiki", GroupSet.of("staff"), Runnable::run);
    settle();
    advance(2000); // whoever gave up looks again after a random short while

    assertThat(cloud.count("start")).as("start calls").isEqualTo(1);
    Waiter refused = onA.future().failed() ? onA : onB;
    assertThat(Rig.refused(refused).type()).isEqualTo(ErrorType.INSTANCE_LIMIT);
    Waiter other = refused == onA ? onB : onA;
    assertThat(other.future().isComplete()).as("the other is held for the VM that starts").isFalse();
    assertThat(cluster.records()).hasSize(1);
  }

  @Test
  void heldRequestsCountAgainstTheBoundOnEveryMemberAndLeaveWithTheirMember() {
    twoMembers("limits: {maxWaitingTotal: 3}\ndefaults: {startTimeout: 30s}\n");
    a.hold("shop", "staff");
    a.hold("shop", "staff");
    advance(WaitingShares.REPORT_MS + 50);

    Waiter third = b.hold("shop", "staff");
    assertThat(third.future().isComplete()).as("the third is held").isFalse();
    advance(WaitingShares.REPORT_MS + 50);
    Waiter fourthOnA = a.hold("shop", "staff");
    assertThat(Rig.refused(fourthOnA).type()).isEqualTo(ErrorType.WAITERS_FULL);
    assertThat(Rig.refused(fourthOnA).detail()).contains("the cluster already holds 3 requests");

    cluster.leave(memberA); // A's two held requests died with it
    settle();
    Waiter afterwards = b.hold("shop", "staff");
    assertThat(afterwards.future().isComplete()).as("B holds it: only its own count is left").isFalse();
  }

  @Test
  void aStartThatFailedOnOneMemberBacksThePoolOffOnTheOthers() {
    twoMembers("defaults: {startTimeout: 30s, startBackoff: {initial: 10s, max: 1m}}\n");
    cloud.bootFails = true;
    Waiter onA = a.hold("shop", "staff");
    settle();
    Waiter onB = b.hold("shop", "staff"); // held on A's record: A is starting it
    advance(500);

    assertThat(Rig.refused(onA).type()).isEqualTo(ErrorType.BOOT_FAILED);
    assertThat(Rig.refused(onB).type()).as("B's held request gets the failure too").isEqualTo(ErrorType.BOOT_FAILED);
    assertThat(cloud.count("start")).isEqualTo(1);

    Waiter reloadOnB = b.hold("shop", "staff");
    assertThat(Rig.refused(reloadOnB).detail()).as("answered from the shared backoff").contains("the next start is in");
    assertThat(Rig.refused(reloadOnB).retryAfter().toSeconds()).isBetween(8L, 10L);
    assertThat(cloud.count("start")).as("B did not start it in turn").isEqualTo(1);

    cloud.bootFails = false;
    advance(10_000);
    b.hold("shop", "staff");
    settle();
    assertThat(cloud.count("start")).as("once the backoff is over, one start").isEqualTo(2);
  }

  private void settle() {
    for (int i = 0; i < 5; i++) {
      a.clock.settle();
      b.clock.settle();
    }
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
