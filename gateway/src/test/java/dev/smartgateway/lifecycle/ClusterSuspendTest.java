package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idlePolicy: suspend} in a cluster (DESIGN sections 6 and 10) on fake clocks: a VM paused by its manager
 * stays known to every member, and a request on another member has the manager resume it — never a fresh start.
 */
class ClusterSuspendTest {

  private static final long IDLE_MS = 10_000;

  private final FakeCluster cluster = new FakeCluster();
  private Rig a;
  private Rig b;

  @BeforeEach
  void twoMembersWithAPausedVm() {
    FakeCloud cloud = new FakeCloud();
    cloud.pushes = false;
    a = new Rig(yaml("a"), cloud, cluster.join("A"));
    b = new Rig(yaml("b"), cloud, cluster.join("B"));

    Waiter first = a.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle();
    a.cloud.run("vm-1");
    advance(200);
    Rig.granted(first).release();
    advance(IDLE_MS + 2 * FakeCluster.REPORT_MS + 6_000);
    assertThat(a.instance("vm-1").state()).isEqualTo(LifecycleState.SUSPENDED);
    assertThat(cluster.records()).as("its record says so").singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo("SUSPENDED"));
  }

  private static String yaml(String id) {
    return "gateway: {id: " + id + "}\ncluster: {enabled: true, name: shop-cluster}\n"
        + "defaults: {idleTimeout: 10s, drainTimeout: 5s, startTimeout: 30s, idlePolicy: suspend}\n";
  }

  @Test
  void theOtherMemberKnowsThePausedVmAndForwardsNothingToIt() {
    ManagedInstance mirror = b.core.cluster.mirrors.get("shop|staff#0");
    assertThat(mirror).as("B still mirrors the paused VM").isNotNull();
    assertThat(mirror.state()).isEqualTo(LifecycleState.SUSPENDED);
    assertThat(b.tryLease("shop", "staff")).as("a paused VM takes no request").isNull();
  }

  @Test
  void aRequestOnTheOtherMemberHasTheManagerResumeThePausedVm() {
    Waiter onB = b.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    settle();
    assertThat(a.cloud.count("resume")).as("A resumed it for B").isEqualTo(1);
    assertThat(a.types("vm-1")).contains(Type.RESUMED);
    advance(200);
    assertThat(Rig.granted(onB).instanceId()).isEqualTo("vm-1");
    assertThat(a.cloud.count("start")).as("never a fresh start").isEqualTo(1);
  }

  @Test
  void manyRequestsOnTheOtherMemberAskForOneResume() {
    for (int i = 0; i < 50; i++) {
      b.manager.hold("shop", GroupSet.of("staff"), Runnable::run);
    }
    settle();
    assertThat(cluster.reports.getOrDefault("shop|staff#0", 0)).as("resume asks sent").isEqualTo(1);
    assertThat(a.cloud.count("resume")).isEqualTo(1);
  }

  private void settle() {
    for (int i = 0; i < 5; i++) {
      a.clock.settle();
      b.clock.settle();
    }
  }

  private void advance(long ms) {
    for (long done = 0; done < ms; done += 50) {
      a.clock.advance(50);
      b.clock.advance(50);
      settle();
    }
  }
}
