package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code stopError}, {@code describeError}, {@code listError}: one kind of call answers 500, the others work. */
class CallErrorsTest extends MockCloudTestBase {

  @Test
  void stopErrorAnswers500AndTheVmKeepsRunningUntilReset() {
    String id = api.startRunning("app").getString("id");
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));
    api.faults("{\"stopError\":true}");

    assertInjected500(api.send(HttpMethod.DELETE, "/api/vms/" + id, null), "stopError");
    assertInjected500(api.send(HttpMethod.DELETE, "/api/vms/vm-404", null), "stopError");

    // A stop that happened would have made the VM STOPPING before its answer.
    assertThat(api.vm(id).getString("state")).isEqualTo("RUNNING");
    assertThat(api.send(HttpMethod.GET, "/api/vms", null).statusCode()).isEqualTo(200);
    assertThat(api.start("app").getString("state")).isEqualTo("BOOTING");

    api.faults(FaultSettings.NONE.toJson().encode());
    assertThat(api.stop(id).getString("state")).isEqualTo("STOPPING");
    events.awaitState(id, "STOPPED");
    assertThat(events.statesOf(id)).as("no stop before the reset").containsExactly("STOPPING", "STOPPED");
    events.close();
  }

  @Test
  void describeErrorAnswers500ToDescribesOnly() {
    String id = api.start("app").getString("id");
    api.faults("{\"describeError\":true}");

    assertInjected500(api.send(HttpMethod.GET, "/api/vms/" + id, null), "describeError");
    assertThat(api.send(HttpMethod.GET, "/api/vms", null).bodyAsJsonArray()).hasSize(1);
    assertThat(api.start("app").getString("state")).isEqualTo("BOOTING");

    api.faults("{\"describeError\":false}");
    assertThat(api.vm(id).getString("id")).isEqualTo(id);
  }

  @Test
  void listErrorAnswers500ToListsOnly() {
    String id = api.start("app").getString("id");
    api.faults("{\"listError\":true}");

    assertInjected500(api.send(HttpMethod.GET, "/api/vms", null), "listError");
    assertInjected500(api.send(HttpMethod.GET, "/api/vms?resource=app", null), "listError");
    assertThat(api.vm(id).getString("id")).isEqualTo(id);

    api.faults("{\"listError\":false}");
    assertThat(api.send(HttpMethod.GET, "/api/vms", null).bodyAsJsonArray()).hasSize(1);
  }

  @Test
  void puttingTheDefaultsResetsEveryFault() {
    api.faults("""
        {"startError":"capacity","stopError":true,"describeError":true,"listError":true,
         "startLatencyMs":10,"describeLatencyMs":10,"stopLatencyMs":10,"listLatencyMs":10}""");

    JsonObject reset = api.faults(FaultSettings.NONE.toJson().encode());

    assertThat(reset).isEqualTo(FaultSettings.NONE.toJson());
    String id = api.start("app").getString("id");
    assertThat(api.vm(id).getString("id")).isEqualTo(id);
    assertThat(api.send(HttpMethod.GET, "/api/vms", null).statusCode()).isEqualTo(200);
    assertThat(api.stop(id).getString("state")).isEqualTo("STOPPING");
  }

  private static void assertInjected500(HttpResponse<Buffer> response, String fault) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(500);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("urn:smart-gateway:mock:problem:injected-error");
    assertThat(response.bodyAsJsonObject().getString("detail")).contains(fault);
  }
}
