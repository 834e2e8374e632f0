package dev.smartgateway.cloudmock;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code holdBoots}: VMs stay BOOTING past their boot delay until the fault is switched off, then boot at once. */
class HoldBootsTest extends MockCloudTestBase {

  @Test
  void aHeldVmStaysBootingWithItsPortClosedUntilReleased() {
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));
    api.faults("{\"holdBoots\":true}");
    JsonObject vm = api.start("app");
    String id = vm.getString("id");
    awaitHeld(id);

    assertThat(await(api.refuses(vm.getInteger("port")))).isTrue();

    api.faults("{\"holdBoots\":false}");

    assertThat(api.awaitState(id, "RUNNING").getString("endpoint")).isNotNull();
    assertThat(events.statesOf(id)).containsExactly("BOOTING", "RUNNING");
    events.close();
  }

  @Test
  void vmsStartedWhileBootsAreHeldAreNotDelayedOnceReleased() {
    api.faults("{\"holdBoots\":true}");
    String held = api.start("app").getString("id");
    awaitHeld(held);
    api.faults("{\"holdBoots\":false}");

    String fresh = api.start("app").getString("id");

    api.awaitState(held, "RUNNING");
    api.awaitState(fresh, "RUNNING");
  }

  @Test
  void aReleasedBootMeetsTheBootFailureRateInForceThen() {
    api.faults("{\"holdBoots\":true}");
    String id = api.start("app").getString("id");
    awaitHeld(id);

    api.faults("{\"holdBoots\":false,\"bootFailureRate\":1.0}");

    api.awaitState(id, "FAILED");
  }

  @Test
  void aHeldVmCanBeStoppedOrCrashedAndNeverOpensItsPort() {
    api.faults("{\"holdBoots\":true}");
    JsonObject stopped = api.start("app");
    JsonObject crashed = api.start("app");
    awaitHeld(stopped.getString("id"));
    awaitHeld(crashed.getString("id"));

    api.stop(stopped.getString("id"));
    assertThat(api.send(HttpMethod.POST, "/api/vms/" + crashed.getString("id") + "/crash", null).statusCode()).isEqualTo(200);
    api.awaitState(stopped.getString("id"), "STOPPED");
    api.faults("{\"holdBoots\":false}");

    assertThat(api.vm(stopped.getString("id")).getString("state")).isEqualTo("STOPPED");
    assertThat(api.vm(crashed.getString("id")).getString("state")).isEqualTo("FAILED");
    assertThat(await(api.refuses(stopped.getInteger("port")))).isTrue();
    assertThat(api.stats().getInteger("running")).isZero();
  }

  /** Waits until the VM's boot delay is over (createdAt + bootMs, by the mock's own clock) while held. */
  private void awaitHeld(String id) {
    JsonObject vm = api.vm(id);
    long bootEnds = vm.getLong("createdAt") + vm.getLong("bootMs");
    Await.awaitUntil(vertx, id + " past its boot delay", () -> io.vertx.core.Future.succeededFuture(System.currentTimeMillis()),
        now -> now > bootEnds + 50);
    assertThat(api.vm(id).getString("state")).as("%s held", id).isEqualTo("BOOTING");
  }
}
