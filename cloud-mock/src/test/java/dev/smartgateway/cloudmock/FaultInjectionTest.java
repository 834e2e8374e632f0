package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.smartgateway.cloudmock.Await.await;
import static dev.smartgateway.cloudmock.Await.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

class FaultInjectionTest extends MockCloudTestBase {

  @Test
  void faultsStartOffAndPartialUpdatesChangeOnlyTheGivenFields() {
    JsonObject none = api.send(HttpMethod.GET, "/api/faults", null).bodyAsJsonObject();
    assertThat(none).isEqualTo(new JsonObject("""
        {"bootFailureRate":0.0,"apiErrorRate":0.0,"apiLatencyMs":0,"warmupMs":0,"stopDelayMs":0,
         "startError":"none","stopError":false,"describeError":false,"listError":false,
         "startLatencyMs":0,"describeLatencyMs":0,"stopLatencyMs":0,"listLatencyMs":0,
         "startFaultCalls":0,"describeFaultCalls":0,"stopFaultCalls":0,"listFaultCalls":0,"holdBoots":false}"""));

    api.faults("{\"warmupMs\":250,\"stopError\":true}");
    JsonObject updated = api.faults("{\"bootFailureRate\":0.5,\"listLatencyMs\":7}");

    assertThat(updated).isEqualTo(new JsonObject("""
        {"bootFailureRate":0.5,"apiErrorRate":0.0,"apiLatencyMs":0,"warmupMs":250,"stopDelayMs":0,
         "startError":"none","stopError":true,"describeError":false,"listError":false,
         "startLatencyMs":0,"describeLatencyMs":0,"stopLatencyMs":0,"listLatencyMs":7,
         "startFaultCalls":0,"describeFaultCalls":0,"stopFaultCalls":0,"listFaultCalls":0,"holdBoots":false}"""));
    assertThat(api.send(HttpMethod.GET, "/api/faults", null).bodyAsJsonObject()).isEqualTo(updated);
  }

  @Test
  void bootFailureRateOneFailsTheBootAndThePortNeverOpens() {
    api.faults("{\"bootFailureRate\":1.0}");
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));
    String id = api.start("app").getString("id");

    JsonObject failed = events.awaitState(id, "FAILED");

    assertThat(events.statesOf(id)).containsExactly("BOOTING", "FAILED");
    assertThat(failed.getValue("endpoint")).isNull();
    assertThat(failed.getValue("readyAt")).as("never listened").isNull();
    assertThat(api.stats().getInteger("failed")).isEqualTo(1);
    events.close();
  }

  @Test
  void apiErrorRateOneFailsEveryVmCallWith500ButNeverFaultsStatsOrEvents() {
    String id = api.start("app").getString("id");
    api.faults("{\"apiErrorRate\":1.0}");

    for (HttpResponse<Buffer> response : List.of(
        api.send(HttpMethod.POST, "/api/vms", "{\"resource\":\"app\"}"),
        api.send(HttpMethod.GET, "/api/vms", null),
        api.send(HttpMethod.GET, "/api/vms/" + id, null),
        api.send(HttpMethod.DELETE, "/api/vms/" + id, null),
        api.send(HttpMethod.POST, "/api/vms/" + id + "/crash", null))) {
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.bodyAsJsonObject().getString("type")).endsWith("injected-error");
    }
    assertThat(api.stats().getInteger("started")).as("the failed start did nothing").isEqualTo(1);
    assertThat(api.send(HttpMethod.GET, "/api/faults", null).statusCode()).isEqualTo(200);
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));
    assertThat(events.response().statusCode()).isEqualTo(200);
    events.close();

    api.faults("{\"apiErrorRate\":0.0}");
    assertThat(api.vm(id).getString("state")).as("the failed stop did nothing").isIn("BOOTING", "RUNNING");
  }

  @Test
  void apiLatencyDelaysEveryVmCall() {
    api.faults("{\"apiLatencyMs\":400}");

    long start = System.nanoTime();
    HttpResponse<Buffer> response = api.send(HttpMethod.GET, "/api/vms", null);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(400);
  }

  @Test
  void warmupAnswers503UntilItIsOverThen200() {
    api.faults("{\"warmupMs\":1500}");
    JsonObject vm = api.startRunning("app");
    HttpClient client = vertx.createHttpClient();

    HttpClientResponse warming = await(client.request(HttpMethod.GET, CloudApi.port(vm), "127.0.0.1", "/health")
        .compose(request -> request.send()));
    assertThat(warming.statusCode()).isEqualTo(503);
    assertThat(warming.getHeader("Retry-After")).isNotNull();
    assertThat(warming.getHeader("X-Mock-Vm")).isEqualTo(vm.getString("id"));

    awaitUntil(vertx, "the app to finish warming up",
        () -> client.request(HttpMethod.GET, CloudApi.port(vm), "127.0.0.1", "/health")
            .compose(request -> request.send())
            .map(HttpClientResponse::statusCode),
        status -> status == 200);
    assertThat(System.currentTimeMillis()).as("not before the warm-up ended")
        .isGreaterThanOrEqualTo(vm.getLong("readyAt") + 1500);
  }

  @Test
  void stopDelayKeepsTheVmStoppingAndServingForThatLong() {
    api.faults("{\"stopDelayMs\":1000}");
    JsonObject vm = api.startRunning("app");
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));

    long start = System.currentTimeMillis();
    JsonObject stopping = api.stop(vm.getString("id"));
    assertThat(stopping.getString("state")).isEqualTo("STOPPING");
    assertThat(stopping.getString("endpoint")).isEqualTo(vm.getString("endpoint"));

    events.awaitState(vm.getString("id"), "STOPPED");
    assertThat(System.currentTimeMillis() - start).isGreaterThanOrEqualTo(1000);
    assertThat(events.statesOf(vm.getString("id"))).containsExactly("STOPPING", "STOPPED");
    events.close();
  }
}
