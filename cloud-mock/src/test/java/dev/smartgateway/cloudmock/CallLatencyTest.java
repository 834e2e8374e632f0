package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code startLatencyMs} and friends: one kind of call is slow, the others answer meanwhile. */
class CallLatencyTest extends MockCloudTestBase {

  private static final long SLOW_MS = 5000;

  @ParameterizedTest
  @EnumSource(CallKind.class)
  void aKindsLatencyDelaysOnlyThatKind(CallKind slowKind) {
    String id = api.start("app").getString("id");
    api.faults(new JsonObject().put(slowKind.json() + "LatencyMs", SLOW_MS).encode());

    long sent = System.nanoTime();
    Future<HttpResponse<Buffer>> slow = call(slowKind, id);
    for (CallKind other : CallKind.values()) {
      if (other != slowKind) {
        HttpResponse<Buffer> answer = await(call(other, id));
        assertThat(answer.statusCode()).as("%s while %s is slow", other, slowKind).isEqualTo(expectedStatus(other));
        assertThat(slow.isComplete()).as("%s still pending when %s answered", slowKind, other).isFalse();
      }
    }

    assertThat(await(slow).statusCode()).isEqualTo(expectedStatus(slowKind));
    assertThat((System.nanoTime() - sent) / 1_000_000).isGreaterThanOrEqualTo(SLOW_MS);
  }

  @Test
  void aKindsLatencyComesOnTopOfApiLatency() {
    api.faults("{\"apiLatencyMs\":300,\"listLatencyMs\":400}");

    long sent = System.nanoTime();
    HttpResponse<Buffer> list = api.send(HttpMethod.GET, "/api/vms", null);

    assertThat(list.statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - sent) / 1_000_000).isGreaterThanOrEqualTo(700);
  }

  @Test
  void aStartIsNotCreatedBeforeItsLatencyIsOver() {
    api.faults("{\"startLatencyMs\":" + SLOW_MS + "}");

    Future<HttpResponse<Buffer>> slow = call(CallKind.START, null);
    assertThat(api.send(HttpMethod.GET, "/api/vms", null).bodyAsJsonArray()).isEmpty();
    assertThat(slow.isComplete()).isFalse();

    assertThat(await(slow).statusCode()).isEqualTo(201);
    assertThat(api.stats().getInteger("started")).isEqualTo(1);
  }

  private Future<HttpResponse<Buffer>> call(CallKind kind, String id) {
    return switch (kind) {
      case START -> api.call(HttpMethod.POST, "/api/vms", "{\"resource\":\"app\"}");
      case DESCRIBE -> api.call(HttpMethod.GET, "/api/vms/" + id, null);
      case STOP -> api.call(HttpMethod.DELETE, "/api/vms/" + id, null);
      case LIST -> api.call(HttpMethod.GET, "/api/vms", null);
    };
  }

  private static int expectedStatus(CallKind kind) {
    return switch (kind) {
      case START -> 201;
      case STOP -> 202;
      case DESCRIBE, LIST -> 200;
    };
  }
}
