package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code startError}: every well-formed start is refused the way a cloud says no, and nothing is created. */
class StartErrorTest extends MockCloudTestBase {

  private static final String START_APP = "{\"resource\":\"app\",\"groups\":[\"g1\"]}";

  @Override
  MockCloudOptions options() {
    return super.options().withResources(Set.of("app"));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(nullValues = "-", value = {
      "capacity,         503, capacity,         30",
      "refused,          403, refused,          -",
      "unknown-resource, 404, unknown-resource, -",
      "error,            500, injected-error,   -"})
  void everyStartIsRefusedWithoutCreatingAVmUntilTheFaultIsReset(String fault, int status, String slug,
                                                                 String retryAfter) {
    String running = api.start("app").getString("id");
    api.faults(new JsonObject().put("startError", fault).encode());

    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> refused = api.send(HttpMethod.POST, "/api/vms", START_APP);
      assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(status);
      assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(refused.bodyAsJsonObject().getString("type")).isEqualTo("urn:smart-gateway:mock:problem:" + slug);
      assertThat(refused.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
      assertThat(refused.getHeader("Location")).isNull();
      assertThat(refused.getHeader("Retry-After")).isEqualTo(retryAfter);
    }
    assertThat(api.send(HttpMethod.POST, "/api/vms", "{\"resource\":7}").statusCode())
        .as("a malformed start is still a 400").isEqualTo(400);
    assertThat(api.stats().getInteger("started")).as("nothing created").isEqualTo(1);
    assertThat(api.send(HttpMethod.GET, "/api/vms", null).bodyAsJsonArray()).hasSize(1);
    assertThat(api.vm(running).getString("id")).as("other calls are not affected").isEqualTo(running);
    assertThat(api.stop(running).getString("state")).isEqualTo("STOPPING");

    api.faults(FaultSettings.NONE.toJson().encode());

    assertThat(api.start("app").getString("id")).isEqualTo("vm-2");
  }

  @Test
  void unknownResourceAnswersExactlyAsForAResourceTheMockWasToldNotToKnow() {
    JsonObject stranger = api.send(HttpMethod.POST, "/api/vms", "{\"resource\":\"stranger\"}").bodyAsJsonObject();
    api.faults("{\"startError\":\"unknown-resource\"}");

    JsonObject app = api.send(HttpMethod.POST, "/api/vms", START_APP).bodyAsJsonObject();

    assertThat(app.copy().put("detail", "")).isEqualTo(stranger.copy().put("detail", ""));
    assertThat(app.getString("detail")).isEqualTo(stranger.getString("detail").replace("stranger", "app"));
  }
}
