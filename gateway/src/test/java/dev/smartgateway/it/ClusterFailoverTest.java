package dev.smartgateway.it;

import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway that dies (DESIGN section 10): killed with SIGKILL in the middle of a burst, it loses only the requests
 * that were on it; the others answer all of theirs from the VM it managed, one of them takes the VM over, and stops
 * it once idle: never orphaned, never started twice.
 */
class ClusterFailoverTest {

  private ClusterHarness cluster;

  @AfterEach
  void killTheGateways() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aKilledGatewayLosesOnlyItsOwnRequestsAndTheOthersStopItsVmWhenIdle() throws Exception {
    cluster = ClusterHarness.start(300, 500, "idleTimeout: 3s", "heartbeat: 1s, failureTimeout: 3s,"
        + " activityReport: 500ms");
    // Gateway 0 starts the VM and manages it.
    assertThat(cluster.await(cluster.get(0, "/smart_proxy/shop/staff/")).status()).isEqualTo(200);

    List<Future<ClusterHarness.Reply>> onOthers = new ArrayList<>();
    List<Future<ClusterHarness.Reply>> onKilled = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      // Each answer takes a second: the burst is still running when gateway 0 dies.
      onKilled.add(cluster.get(0, "/smart_proxy/shop/staff/slow?ms=1000&n=" + i));
      onOthers.add(cluster.get(1 + i % 2, "/smart_proxy/shop/staff/slow?ms=1000&n=" + i));
    }
    Thread.sleep(300);
    cluster.gateway(0).kill();

    Future.join(onOthers).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(onOthers).as(cluster.outputs()).allSatisfy(reply -> assertThat(reply.result().status()).isEqualTo(200));
    Future.join(onKilled).otherwiseEmpty().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(onKilled).as("requests on the killed gateway").anyMatch(Future::failed);

    ClusterHarness.waitFor("a survivor to take the VM over", Duration.ofSeconds(30),
        () -> cluster.gateway(1).output().contains("took over") || cluster.gateway(2).output().contains("took over"));
    ClusterHarness.waitFor("the VM to be stopped once idle", Duration.ofSeconds(30), () -> stat("stopped") == 1);
    assertThat(stat("started")).as("VMs started; " + cluster.outputs()).isEqualTo(1);
  }

  @Test
  void aGatewayKilledWhileItsVmBootsHandsTheStartToTheOthersWhoServeFromThatVmNeverStartingASecond() throws Exception {
    cluster = ClusterHarness.start(6000, 6000, "idleTimeout: 5m", "heartbeat: 1s, failureTimeout: 3s",
        "admin: {port: 0}\nstore: {type: memory}\n");
    // Gateway 0 claims the pool's place and asks the cloud; the others learn the VM's id from its record.
    Future<ClusterHarness.Reply> onKilled = cluster.get(0, "/smart_proxy/shop/staff/");
    ClusterHarness.waitFor("gateway 1 to mirror the VM gateway 0 starts, named by the cloud",
        () -> instanceId(1) != null);

    List<Future<ClusterHarness.Reply>> onOthers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      onOthers.add(cluster.get(1 + i % 2, "/smart_proxy/shop/staff/?n=" + i));
    }
    cluster.gateway(0).kill(); // mid-boot: the VM is the cloud's, its start nobody's until a survivor takes it

    Future.join(onOthers).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(onOthers).as(cluster.outputs()).allSatisfy(reply -> assertThat(reply.result().status()).isEqualTo(200));
    assertThat(onOthers.stream().map(r -> new io.vertx.core.json.JsonObject(r.result().body()).getString("vm"))
        .distinct()).as("one VM served them all").hasSize(1);
    assertThat(cluster.gateway(1).output() + cluster.gateway(2).output()).contains("took over the start of");
    assertThat(stat("started")).as("VMs started; " + cluster.outputs()).isEqualTo(1);
    Future.join(List.of(onKilled)).otherwiseEmpty().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The instance id gateway {@code i}'s admin API shows for the one VM of {@code shop}; null if none yet. */
  private String instanceId(int i) {
    try {
      io.vertx.core.json.JsonArray instances = cluster.admin(i, "/admin/instances?resource=shop")
          .getJsonArray("instances");
      return instances.isEmpty() ? null : instances.getJsonObject(0).getString("instanceId");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long stat(String name) {
    try {
      return cluster.stat(name);
    } catch (Exception e) {
      throw new IllegalStateException("the mock's stats did not answer: " + e + "\n" + cluster.outputs(), e);
    }
  }
}
