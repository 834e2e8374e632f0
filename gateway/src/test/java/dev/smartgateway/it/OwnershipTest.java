package dev.smartgateway.it;

import dev.smartgateway.lifecycle.InstanceView;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateways on one cloud never take each other's VMs (issue #10): every VM a gateway starts carries its
 * {@code gateway.id}, and a restarted gateway adopts, and so may stop, only its own. Real gateways, a real mock
 * cloud, real HTTP on loopback.
 */
class OwnershipTest {

  private static final String A = "gateway: {id: gw-a}\ndefaults: {idleTimeout: 10m}\n";
  private static final String B = "gateway: {id: gw-b}\ndefaults: {idleTimeout: 10m}\n";
  /** The second gateway after its restart: its own VM, idle from its point of view, stops after 1 s. */
  private static final String B_RESTARTED = "gateway: {id: gw-b}\ndefaults: {idleTimeout: 1s}\n";

  @Test
  void aRestartedGatewayAdoptsOnlyItsOwnVmAndNeverStopsTheOtherGatewaysBusyVm() {
    try (Harness a = Harness.start(200, 400, A);
         LogCapture lifecycleLog = LogCapture.of("dev.smartgateway.lifecycle")) {
      String vmA = await(a.get("/smart_proxy/demo/g1/")).json().getString("vm");
      assertThat(a.vm(vmA).getJsonObject("labels")).isEqualTo(new JsonObject().put("owner", "gw-a"));

      String vmB;
      try (Harness b = a.anotherGatewayOnThisMock(B)) {
        Harness.Reply first = await(b.get("/smart_proxy/demo/g1/"));
        assertThat(first.status()).isEqualTo(200);
        vmB = first.json().getString("vm");
        assertThat(vmB).as("the second gateway started a VM of its own").isNotEqualTo(vmA);
        assertThat(a.vm(vmB).getJsonObject("labels")).isEqualTo(new JsonObject().put("owner", "gw-b"));
      }
      assertThat(a.vmState(vmB)).as("left running by the closed gateway").isEqualTo("RUNNING");

      try (Traffic traffic = new Traffic(a, "/smart_proxy/demo/g1/busy");
           Harness restarted = a.anotherGatewayOnThisMock(B_RESTARTED)) {
        traffic.awaitAnswers(3);

        eventually("the restarted gateway adopts its own VM and stops it when idle", () -> a.vmState(vmB).equals("STOPPED"));

        assertThat(a.vmState(vmA)).isEqualTo("RUNNING");
        traffic.awaitAnswers(traffic.answered() + 3);
        assertThat(await(restarted.gateway.lifecycle().instances())).extracting(InstanceView::instanceId)
            .doesNotContain(vmA);
        traffic.stopAndAwaitQuiet();
        assertThat(traffic.failures()).as("the first gateway's VM served throughout").isEmpty();
        assertThat(traffic.servedBy()).containsOnly(vmA);
      }
      Harness.Reply after = await(a.get("/smart_proxy/demo/g1/after"));
      assertThat(after.status()).isEqualTo(200);
      assertThat(after.json().getString("vm")).isEqualTo(vmA);
      assertThat(a.vmState(vmA)).isEqualTo("RUNNING");
      assertThat(a.stats().getInteger("started")).isEqualTo(2);
      assertThat(a.calls("stop")).as("only the second gateway's own VM was stopped").isEqualTo(1);
      assertThat(lifecycleLog.matching("left 1 instance(s) of other gateways alone", "gw-b", "gw-a=1"))
          .as("the second gateway, once at each start-up").hasSize(2);
    }
  }

  @Test
  void aGatewayRestartedWithTheSameIdAdoptsItsOwnVm() {
    try (Harness a = Harness.start(200, 400, A)) {
      String before = await(a.get("/smart_proxy/demo/g1/")).json().getString("vm");

      a.stopGateway();
      a.startGateway();
      Harness.Reply after = await(a.get("/smart_proxy/demo/g1/again"));

      assertThat(after.status()).isEqualTo(200);
      assertThat(after.json().getString("vm")).isEqualTo(before);
      assertThat(a.stats().getInteger("started")).isEqualTo(1);
    }
  }

  @Test
  void aVmWithoutAnOwnerIsNotAdoptedAndIsNamedInAWarning() {
    try (Harness a = Harness.start(200, 400, A);
         LogCapture lifecycleLog = LogCapture.of("dev.smartgateway.lifecycle")) {
      Harness.Reply created = a.mockApi(HttpMethod.POST, "/api/vms",
          Buffer.buffer("{\"resource\":\"demo\",\"groups\":[\"g1\"]}"));
      assertThat(created.status()).isEqualTo(201);
      String unowned = created.json().getString("id");
      eventually(unowned + " running", () -> a.vmState(unowned).equals("RUNNING"));

      a.stopGateway();
      a.startGateway();

      assertThat(lifecycleLog.matching("not adopting 1 instance(s) that carry no owner", unowned + " (demo, RUNNING)"))
          .hasSize(1);
      Harness.Reply reply = await(a.get("/smart_proxy/demo/g1/"));
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("vm")).as("a VM of its own, not the unowned one").isNotEqualTo(unowned);
      assertThat(a.vmState(unowned)).isEqualTo("RUNNING");
      assertThat(a.calls("stop")).isZero();
    }
  }

  /**
   * Requests through a gateway every 100 ms (about the 2 req/s, and more), on the harness's context;
   * records who served each and any answer other than 200.
   */
  private static final class Traffic implements AutoCloseable {
    private final Harness harness;
    private final String uri;
    private final long timer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<String> servedBy = new CopyOnWriteArrayList<>();
    private boolean stopped;

    Traffic(Harness harness, String uri) {
      this.harness = harness;
      this.uri = uri;
      this.timer = harness.vertx.setPeriodic(0, 100, id -> send());
    }

    private void send() {
      synchronized (this) {
        if (stopped) {
          return;
        }
        inFlight.incrementAndGet();
      }
      harness.get(uri).onComplete(ar -> {
        if (ar.failed()) {
          failures.add(ar.cause().toString());
        } else if (ar.result().status() != 200) {
          failures.add(ar.result().status() + " " + ar.result().body());
        } else {
          servedBy.add(ar.result().json().getString("vm"));
        }
        answered.incrementAndGet();
        inFlight.decrementAndGet();
      });
    }

    int answered() {
      return answered.get();
    }

    void awaitAnswers(int n) {
      eventually(n + " requests answered through the first gateway", () -> answered.get() >= n);
    }

    void stopAndAwaitQuiet() {
      close();
      eventually("no request in flight", () -> inFlight.get() == 0);
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    List<String> servedBy() {
      return List.copyOf(servedBy);
    }

    @Override
    public void close() {
      synchronized (this) {
        stopped = true;
      }
      harness.vertx.cancelTimer(timer);
    }
  }
}
