package dev.smartgateway.cloudmock;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/stats} counts the calls of each kind that reached the API, faulted ones included. */
class CallCountsTest extends MockCloudTestBase {

  @Test
  void callsAreCountedPerKindIncludingFaultedOnes() {
    assertThat(api.stats().getJsonObject("calls")).isEqualTo(counts(0, 0, 0, 0));

    String id = api.start("app").getString("id");
    api.vm(id);
    api.vm(id);
    api.send(HttpMethod.GET, "/api/vms/", null);
    api.send(HttpMethod.GET, "/api/vms/vm-404", null);
    api.faults("{\"startError\":\"capacity\",\"describeError\":true,\"stopError\":true}");
    api.send(HttpMethod.POST, "/api/vms", "{\"resource\":\"app\"}");
    api.send(HttpMethod.GET, "/api/vms/" + id, null);
    api.send(HttpMethod.DELETE, "/api/vms/" + id, null);
    api.faults("{\"apiErrorRate\":1.0}");
    api.send(HttpMethod.GET, "/api/vms", null);
    api.send(HttpMethod.POST, "/api/vms/" + id + "/crash", null);
    api.send(HttpMethod.PATCH, "/api/vms", "{}");

    JsonObject stats = api.stats();
    assertThat(stats.getJsonObject("calls")).isEqualTo(counts(2, 4, 1, 2));
    assertThat(stats.getLong("apiCalls")).as("every /api/vms* call, of a kind or not").isEqualTo(11);
    assertThat(stats.fieldNames()).containsExactly("started", "running", "suspended", "stopped", "failed", "apiCalls", "calls");
  }

  private static JsonObject counts(int start, int describe, int stop, int list) {
    return new JsonObject().put("start", start).put("describe", describe).put("stop", stop).put("list", list);
  }
}
