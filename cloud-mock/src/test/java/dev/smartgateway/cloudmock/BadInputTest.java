package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class BadInputTest extends MockCloudTestBase {

  static Stream<Arguments> badRequests() {
    return Stream.of(
        arguments("POST", "/api/vms", "{not json", 400),
        arguments("POST", "/api/vms", "", 400),
        arguments("POST", "/api/vms", "[\"resource\"]", 400),
        arguments("POST", "/api/vms", "{\"groups\":[\"g\"]}", 400),
        arguments("POST", "/api/vms", "{\"resource\":42}", 400),
        arguments("POST", "/api/vms", "{\"resource\":null}", 400),
        arguments("POST", "/api/vms", "{\"resource\":\"../etc\"}", 400),
        arguments("POST", "/api/vms", "{\"resource\":\"r\",\"groups\":\"g\"}", 400),
        arguments("POST", "/api/vms", "{\"resource\":\"r\",\"groups\":[1]}", 400),
        arguments("POST", "/api/vms", "{\"resource\":\"r\",\"groups\":[\"a b\"]}", 400),
        arguments("POST", "/api/vms", "{\"resource\":\"" + "r".repeat(70_000) + "\"}", 413),
        arguments("GET", "/api/vms/vm-404", null, 404),
        arguments("DELETE", "/api/vms/vm-404", null, 404),
        arguments("POST", "/api/vms/vm-404/crash", null, 404),
        arguments("PATCH", "/api/vms", "{}", 405),
        arguments("PUT", "/api/vms/vm-1", "{}", 405),
        arguments("GET", "/api/vms/vm-1/crash", null, 405),
        arguments("DELETE", "/api/stats", null, 405),
        arguments("POST", "/api/events", null, 405),
        arguments("POST", "/api/faults", "{}", 405),
        arguments("PUT", "/api/faults", "{\"bootFailureRate\":1.5}", 400),
        arguments("PUT", "/api/faults", "{\"apiErrorRate\":-0.1}", 400),
        arguments("PUT", "/api/faults", "{\"apiLatencyMs\":-1}", 400),
        arguments("PUT", "/api/faults", "{\"warmupMs\":1.5}", 400),
        arguments("PUT", "/api/faults", "{\"stopDelayMs\":\"10\"}", 400),
        arguments("PUT", "/api/faults", "{\"stopDelay\":10}", 400),
        arguments("PUT", "/api/faults", "{", 400),
        arguments("GET", "/api/nothing", null, 404),
        arguments("GET", "/", null, 404));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("badRequests")
  void badInputIsAProblemJson4xxNeverA500(String method, String path, String body, int status) {
    HttpResponse<Buffer> response = api.send(HttpMethod.valueOf(method), path, body);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).startsWith("urn:smart-gateway:mock:problem:");
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("detail")).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void refusedInputChangesNothing(String method, String path, String body, int status) {
    api.send(HttpMethod.valueOf(method), path, body);

    assertThat(api.stats().getInteger("started")).isZero();
    assertThat(api.send(HttpMethod.GET, "/api/faults", null).bodyAsJsonObject())
        .isEqualTo(FaultSettings.NONE.toJson());
  }
}
