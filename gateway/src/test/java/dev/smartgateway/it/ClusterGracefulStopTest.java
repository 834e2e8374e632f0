package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clustered gateway stopped gracefully (SIGTERM) while it holds a cold burst (README "Cluster", rolling restarts):
 * the VM the burst waits for lives on after the member has gone, so the member keeps what it holds and forwards it
 * once the VM is ready — within {@code server.shutdownGrace}; what is still held when that runs out gets 503 +
 * Retry-After. Three gateway JVMs, the mock cloud's boot slowed to seconds so that the SIGTERM comes mid-boot.
 */
class ClusterGracefulStopTest {

  private static final String RESOURCE = "shop";
  private static final int BURST = 20;
  private static final String CLUSTER_KEYS = "heartbeat: 1s, failureTimeout: 5s";
  private static final String SECTIONS = "admin: {port: 0}\nstore: {type: memory}\n";

  private ClusterHarness cluster;

  @AfterEach
  void stopEverything() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aStoppingMemberForwardsWhatItHeldToTheVmItStartedOnceItBootsThenExitsAndTheClusterKeepsTheVm()
      throws Exception {
    cluster = ClusterHarness.start(6_000, 6_000, "idleTimeout: 5m", CLUSTER_KEYS, SECTIONS, "shutdownGrace: 60s");
    List<Future<ClusterHarness.Reply>> burst = burst(0, "own");
    waitUntilHeld(0, BURST);
    assertThat(mirrored(0)).as("gateway 0 manages the VM it holds the burst for").isFalse();

    everyHeldRequestIsAnsweredByTheVmAfterSigterm(0, burst);
  }

  @Test
  void aStoppingMemberForwardsWhatItHeldToTheVmAnotherMemberStartsOnceThatOneReportsItReady() throws Exception {
    cluster = ClusterHarness.start(6_000, 6_000, "idleTimeout: 5m", CLUSTER_KEYS, SECTIONS, "shutdownGrace: 60s");
    // Gateway 1 starts the VM; gateway 0's burst waits for it (a mirror of gateway 1's record).
    Future<ClusterHarness.Reply> starter = cluster.get(1, "/smart_proxy/" + RESOURCE + "/staff/?starter");
    ClusterHarness.waitFor("gateway 1 to start the VM", () -> stat("started") == 1);
    List<Future<ClusterHarness.Reply>> burst = burst(0, "mirror");
    waitUntilHeld(0, BURST);
    assertThat(mirrored(0)).as("gateway 0 holds the burst for a VM another member manages").isTrue();
    assertThat(mirrored(1)).as("gateway 1 manages it").isFalse();

    everyHeldRequestIsAnsweredByTheVmAfterSigterm(0, burst);
    assertThat(cluster.await(starter).status()).isEqualTo(200);
  }

  @Test
  void heldRequestsStillWaitingWhenTheShutdownGraceRunsOutGet503WithRetryAfterAndTheMemberExitsOnTime()
      throws Exception {
    Duration grace = Duration.ofSeconds(2);
    cluster = ClusterHarness.start(20_000, 20_000, "idleTimeout: 5m", CLUSTER_KEYS, SECTIONS, "shutdownGrace: 2s");
    List<Future<ClusterHarness.Reply>> burst = burst(0, "bound");
    waitUntilHeld(0, BURST);
    assertThat(stat("running")).as("the VM still boots at the SIGTERM").isZero();

    long sigterm = System.nanoTime();
    CompletableFuture<Boolean> exited = stopAsync(0, Duration.ofSeconds(40));
    List<Long> answeredAfterMs = new ArrayList<>();
    for (Future<ClusterHarness.Reply> reply : burst) {
      ClusterHarness.Reply r = cluster.await(reply);
      answeredAfterMs.add((System.nanoTime() - sigterm) / 1_000_000);
      assertThat(r.status()).as("a request still held when the grace ran out: %s", r.body()).isEqualTo(503);
      assertThat(r.retryAfter()).as("its Retry-After").isNotBlank();
      assertThat(new JsonObject(r.body()).getString("type")).endsWith("shutting-down");
    }
    assertThat(answeredAfterMs).as("each held for the grace (ms after the SIGTERM)")
        .allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(grace.toMillis()));
    // On time: by itself, long before the 20 s boot would have let it answer them.
    assertThat(exited.get(60, TimeUnit.SECONDS)).as("gateway 0 ended by itself; %s", cluster.outputs()).isTrue();
    long exitedAfterMs = (System.nanoTime() - sigterm) / 1_000_000;
    assertThat(exitedAfterMs).as("ms from SIGTERM to exit").isLessThan(15_000);
    assertThat(stat("running")).as("the VM had not booted when gateway 0 had gone").isZero();
    System.out.printf("graceful stop, grace %s < boot: %d held answered 503 %d..%d ms after SIGTERM; exited after"
        + " %d ms%n", grace, BURST, answeredAfterMs.stream().mapToLong(Long::longValue).min().orElse(-1),
        answeredAfterMs.stream().mapToLong(Long::longValue).max().orElse(-1), exitedAfterMs);

    // The start it left behind is carried on by the cluster: the next request elsewhere gets that VM, no second one.
    ClusterHarness.Reply later = cluster.await(cluster.get(1, "/smart_proxy/" + RESOURCE + "/staff/?after"));
    assertThat(later.status()).as("%s", cluster.outputs()).isEqualTo(200);
    assertThat(stat("started")).as("VMs started").isEqualTo(1);
  }

  /**
   * SIGTERM to gateway {@code i} while the VM boots: every request it holds is answered 200 by the one VM, the
   * gateway then ends by itself, and the VM serves on through the others (never started twice, never stopped).
   */
  private void everyHeldRequestIsAnsweredByTheVmAfterSigterm(int i, List<Future<ClusterHarness.Reply>> burst)
      throws Exception {
    assertThat(stat("running")).as("the VM still boots at the SIGTERM").isZero();
    long sigterm = System.nanoTime();
    CompletableFuture<Boolean> exited = stopAsync(i, ClusterHarness.DEADLINE);
    Set<String> vms = new HashSet<>();
    long lastMs = 0;
    for (Future<ClusterHarness.Reply> reply : burst) {
      ClusterHarness.Reply r = cluster.await(reply);
      lastMs = Math.max(lastMs, (System.nanoTime() - sigterm) / 1_000_000);
      assertThat(r.status()).as("a request gateway %d held at its SIGTERM: %s; %s", i, r.body(), cluster.outputs())
          .isEqualTo(200);
      vms.add(new JsonObject(r.body()).getString("vm"));
    }
    assertThat(vms).as("every held request answered by the one VM").hasSize(1);
    assertThat(exited.get(ClusterHarness.DEADLINE.toSeconds() + 15, TimeUnit.SECONDS))
        .as("gateway %d ended by itself after answering; %s", i, cluster.outputs()).isTrue();
    long exitedMs = (System.nanoTime() - sigterm) / 1_000_000;
    System.out.printf("graceful stop mid-boot: %d held requests answered 200, the last %d ms after SIGTERM; exited"
        + " after %d ms%n", burst.size(), lastMs, exitedMs);

    int other = (i + 1) % 3;
    ClusterHarness.Reply later = cluster.await(cluster.get(other, "/smart_proxy/" + RESOURCE + "/staff/?after"));
    assertThat(later.status()).isEqualTo(200);
    assertThat(new JsonObject(later.body()).getString("vm")).as("the VM serves on").isEqualTo(vms.iterator().next());
    assertThat(stat("started")).as("VMs started").isEqualTo(1);
    assertThat(stat("stopped")).as("VMs stopped").isZero();
  }

  /** {@link #BURST} cold requests to gateway {@code i}, each with a query of its own. */
  private List<Future<ClusterHarness.Reply>> burst(int i, String tag) {
    List<Future<ClusterHarness.Reply>> replies = new ArrayList<>();
    for (int n = 0; n < BURST; n++) {
      replies.add(cluster.get(i, "/smart_proxy/" + RESOURCE + "/staff/?" + tag + "=" + n));
    }
    return replies;
  }

  /** Until gateway {@code i} holds {@code count} requests for the resource (its admin API's instance list). */
  private void waitUntilHeld(int i, int count) throws InterruptedException {
    ClusterHarness.waitFor("gateway " + i + " to hold " + count + " requests", () -> {
      try {
        JsonArray instances = cluster.admin(i, "/admin/instances?resource=" + RESOURCE).getJsonArray("instances");
        int held = 0;
        for (int n = 0; n < instances.size(); n++) {
          held += instances.getJsonObject(n).getInteger("waiting");
        }
        return held == count;
      } catch (Exception e) {
        return false;
      }
    });
  }

  /** Whether gateway {@code i} lists the resource's one instance as another member's (a mirror). */
  private boolean mirrored(int i) throws Exception {
    JsonArray instances = cluster.admin(i, "/admin/instances?resource=" + RESOURCE).getJsonArray("instances");
    assertThat(instances).as("instances on gateway %d", i).hasSize(1);
    return instances.getJsonObject(0).getBoolean("mirrored");
  }

  /** SIGTERM to gateway {@code i} now; completes with whether it ended by itself within {@code deadline}. */
  private CompletableFuture<Boolean> stopAsync(int i, Duration deadline) {
    GatewayProcess process = cluster.gateway(i);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return process.stop(deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
  }

  private long stat(String name) {
    try {
      return cluster.stat(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
