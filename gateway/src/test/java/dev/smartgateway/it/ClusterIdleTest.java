package dev.smartgateway.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle stop across gateways (DESIGN section 10): a VM one gateway started is not stopped while another gateway
 * sends it requests (their activity reaches its idle clock), and is stopped once none does.
 */
class ClusterIdleTest {

  private static final Duration IDLE = Duration.ofSeconds(3);

  private ClusterHarness cluster;

  @AfterEach
  void killTheGateways() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aVmIsStoppedOnlyAfterEveryGatewayLeftItIdle() throws Exception {
    cluster = ClusterHarness.start(300, 500, "idleTimeout: 3s", "heartbeat: 1s, failureTimeout: 5s,"
        + " activityReport: 500ms");
    // Gateway 0 starts the VM (and manages it); from then on only the other two use it.
    assertThat(cluster.await(cluster.get(0, "/smart_proxy/shop/staff/")).status()).isEqualTo(200);

    long until = System.nanoTime() + IDLE.multipliedBy(3).toNanos();
    int sent = 0;
    while (System.nanoTime() - until < 0) {
      ClusterHarness.Reply reply = cluster.await(cluster.get(1 + sent % 2, "/smart_proxy/shop/staff/n" + sent));
      assertThat(reply.status()).as("request %d; %s", sent, cluster.outputs()).isEqualTo(200);
      sent++;
      Thread.sleep(300);
    }
    assertThat(cluster.stat("stopped")).as("stopped while gateways 1 and 2 used it for three idleTimeouts; "
        + cluster.outputs()).isZero();
    assertThat(cluster.gateway(0).output()).as("the others' reports kept its idle clock from running out, not only"
        + " the revival of a drain").doesNotContain("draining resource=shop");

    // Nobody uses it now: it goes after idleTimeout (and the drain's grace for the others' reports).
    ClusterHarness.waitFor("the idle VM to be stopped", Duration.ofSeconds(20), () -> stopped() == 1);
    assertThat(cluster.stat("started")).isEqualTo(1);

    // The next request, through any gateway, starts a fresh one: the registry let go of the stopped one.
    assertThat(cluster.await(cluster.get(2, "/smart_proxy/shop/staff/again")).status()).isEqualTo(200);
    assertThat(cluster.stat("started")).isEqualTo(2);
  }

  private long stopped() {
    try {
      return cluster.stat("stopped");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
