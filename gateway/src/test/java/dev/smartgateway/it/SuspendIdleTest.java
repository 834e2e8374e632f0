package dev.smartgateway.it;

import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idlePolicy: suspend} through a real gateway and the mock cloud, whose suspended VMs hold requests
 * unanswered until resumed: an idle VM is paused, not stopped, and the next requests are served by the same VM
 * once it is resumed — with no new start.
 */
class SuspendIdleTest {

  private static final String YAML = "defaults: {idleTimeout: 300ms, idlePolicy: suspend}\n";

  private Harness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void anIdleVmIsSuspendedAndTheNextBurstResumesTheSameVm() {
    harness = Harness.start(50, 100, YAML);
    try (LifecycleRecorder events = harness.recordEvents()) {
      String vm = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");
      eventually("the idle VM is suspended", () -> "SUSPENDED".equals(harness.vm(vm).getString("state")));

      List<Future<Harness.Reply>> burst = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        burst.add(harness.get("/smart_proxy/demo/g1/after/" + i));
      }
      await(Future.join(burst));

      for (Future<Harness.Reply> f : burst) {
        assertThat(f.succeeded()).as("%s", f.cause()).isTrue();
        assertThat(f.result().status()).isEqualTo(200);
        assertThat(f.result().json().getString("vm")).as("served by the resumed VM").isEqualTo(vm);
      }
      assertThat(harness.stats().getInteger("started")).as("no second start").isEqualTo(1);
      assertThat(harness.vm(vm).getString("state")).isEqualTo("RUNNING");
      assertThat(events.typesOf(vm)).containsSubsequence(Type.READY, Type.DRAINING, Type.SUSPENDED, Type.RESUMED,
          Type.READY).doesNotContain(Type.STOPPING);
    }
  }

  @Test
  void aSuspendAndAResumeAreTasksInTheAdminApi() {
    harness = Harness.start(50, 100, YAML);
    String vm = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");
    eventually("the idle VM is suspended", () -> "SUSPENDED".equals(harness.vm(vm).getString("state")));
    assertThat(await(harness.get("/smart_proxy/demo/g1/again")).status()).isEqualTo(200);

    eventually("a succeeded suspend task", () -> harness.adminGet("/admin/tasks?kind=suspend").body().toString()
        .contains("\"state\":\"succeeded\""));
    eventually("a succeeded resume task", () -> harness.adminGet("/admin/tasks?kind=resume").body().toString()
        .contains("\"state\":\"succeeded\""));
    assertThat(harness.adminGet("/admin/tasks?kind=stop").body().toJsonObject().getJsonArray("tasks")).isEmpty();
  }

  @Test
  void aRestartedGatewayAdoptsTheSuspendedVmAndResumesItOnDemand() {
    harness = Harness.start(50, 100, YAML);
    String vm = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");
    eventually("the idle VM is suspended", () -> "SUSPENDED".equals(harness.vm(vm).getString("state")));

    harness.stopGateway();
    harness.startGateway();
    assertThat(harness.vm(vm).getString("state")).as("adopted, still paused: nobody asked for it").isEqualTo("SUSPENDED");
    Harness.Reply after = await(harness.get("/smart_proxy/demo/g1/again"));

    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json().getString("vm")).isEqualTo(vm);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }
}
