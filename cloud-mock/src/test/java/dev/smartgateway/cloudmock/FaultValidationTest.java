package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A bad value for a per-call fault is a 400 naming the field, and changes no fault. */
class FaultValidationTest extends MockCloudTestBase {

  static Stream<Arguments> badPatches() {
    return Stream.of(
        arguments("{\"startError\":\"full\"}", "startError"),
        arguments("{\"startError\":\"CAPACITY\"}", "startError"),
        arguments("{\"startError\":null}", "startError"),
        arguments("{\"startError\":1}", "startError"),
        arguments("{\"stopError\":\"true\"}", "stopError"),
        arguments("{\"stopError\":1}", "stopError"),
        arguments("{\"describeError\":null}", "describeError"),
        arguments("{\"listError\":\"yes\"}", "listError"),
        arguments("{\"startLatencyMs\":-1}", "startLatencyMs"),
        arguments("{\"describeLatencyMs\":86400001}", "describeLatencyMs"),
        arguments("{\"stopLatencyMs\":1.5}", "stopLatencyMs"),
        arguments("{\"listLatencyMs\":\"5\"}", "listLatencyMs"),
        arguments("{\"listLatencyMs\":null}", "listLatencyMs"),
        arguments("{\"stopFaultCalls\":-1}", "stopFaultCalls"),
        arguments("{\"startFaultCalls\":1.5}", "startFaultCalls"),
        arguments("{\"listFaultCalls\":1000000001}", "listFaultCalls"),
        arguments("{\"describeFaultCalls\":\"2\"}", "describeFaultCalls"),
        arguments("{\"holdBoots\":\"yes\"}", "holdBoots"),
        arguments("{\"stopError\":true,\"startErrors\":\"none\"}", "startErrors"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPatches")
  void aBadValueIsRefusedWith400NamingTheField(String patch, String field) {
    HttpResponse<Buffer> response = api.send(HttpMethod.PUT, "/api/faults", patch);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("urn:smart-gateway:mock:problem:bad-request");
    assertThat(response.bodyAsJsonObject().getString("detail")).contains(field);
    assertThat(api.send(HttpMethod.GET, "/api/faults", null).bodyAsJsonObject())
        .as("nothing changed").isEqualTo(FaultSettings.NONE.toJson());
  }
}
