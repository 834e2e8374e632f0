package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code <kind>FaultCalls}: only the next N calls of a kind meet its faults, then they switch off by themselves. */
class CountedFaultsTest extends MockCloudTestBase {

  @Test
  void onlyTheCountedStopsFailThenTheStopFaultIsOff() {
    String id = api.startRunning("app").getString("id");
    api.faults("{\"stopError\":true,\"stopFaultCalls\":2}");

    assertThat(api.send(HttpMethod.DELETE, "/api/vms/" + id, null).statusCode()).isEqualTo(500);
    assertThat(api.faults("{}").getLong("stopFaultCalls")).as("one counted call left").isEqualTo(1);
    assertThat(api.send(HttpMethod.DELETE, "/api/vms/" + id, null).statusCode()).isEqualTo(500);

    JsonObject faults = api.faults("{}");
    assertThat(faults.getBoolean("stopError")).isFalse();
    assertThat(faults.getLong("stopFaultCalls")).isZero();
    assertThat(api.stop(id).getString("state")).isEqualTo("STOPPING");
    assertThat(api.stats().getJsonObject("calls").getLong("stop")).isEqualTo(3);
  }

  @Test
  void otherKindsAreNotCountedNorSwitchedOff() {
    String id = api.startRunning("app").getString("id");
    api.faults("{\"describeError\":true,\"listError\":true,\"listFaultCalls\":1}");

    assertThat(api.send(HttpMethod.GET, "/api/vms/" + id, null).statusCode()).isEqualTo(500);
    assertThat(api.send(HttpMethod.GET, "/api/vms", null).statusCode()).isEqualTo(500);

    assertThat(api.send(HttpMethod.GET, "/api/vms", null).statusCode()).isEqualTo(200);
    assertThat(api.send(HttpMethod.GET, "/api/vms/" + id, null).statusCode())
        .as("describeError has no count: it stays on").isEqualTo(500);
  }

  @Test
  void aCountedSlowCallIsSlowAndTheNextOneIsFast() {
    api.faults("{\"listLatencyMs\":60000,\"listFaultCalls\":1}");

    Future<HttpResponse<Buffer>> slow = api.call(HttpMethod.GET, "/api/vms", null);
    HttpResponse<Buffer> fast = api.send(HttpMethod.GET, "/api/vms", null);

    assertThat(fast.statusCode()).isEqualTo(200);
    assertThat(slow.isComplete()).as("the counted call still waits out its latency").isFalse();
    assertThat(api.faults("{}").getLong("listLatencyMs")).isZero();
  }

  @Test
  void countedStartsAreRefusedWithTheStartErrorTheyMetOnArrival() {
    // The second start arrives while the first waits out its latency: both were counted, both are refused,
    // although the refusal is switched off (by the second) before either is answered.
    api.faults("{\"startError\":\"capacity\",\"startLatencyMs\":300,\"startFaultCalls\":2}");

    Future<HttpResponse<Buffer>> first = api.call(HttpMethod.POST, "/api/vms", "{\"resource\":\"app\"}");
    Future<HttpResponse<Buffer>> second = api.call(HttpMethod.POST, "/api/vms", "{\"resource\":\"app\"}");
    await(Future.join(first, second));

    assertThat(first.result().statusCode()).isEqualTo(503);
    assertThat(second.result().statusCode()).isEqualTo(503);
    assertThat(second.result().getHeader("Retry-After")).isEqualTo("30");
    assertThat(api.faults("{}").getString("startError")).isEqualTo("none");
    assertThat(api.start("app").getString("state")).isEqualTo("BOOTING");
    assertThat(api.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void aCountOfZeroMeansEveryCallAsBefore() {
    api.faults("{\"startError\":\"refused\",\"startFaultCalls\":0}");

    for (int i = 0; i < 3; i++) {
      assertThat(api.send(HttpMethod.POST, "/api/vms", "{\"resource\":\"app\"}").statusCode()).isEqualTo(403);
    }
    assertThat(api.faults("{}").getString("startError")).isEqualTo("refused");
  }
}
