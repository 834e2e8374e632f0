package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KnownResourcesTest extends MockCloudTestBase {

  @Override
  MockCloudOptions options() {
    return super.options().withResources(Set.of("known", "other"));
  }

  @Test
  void aResourceOutsideTheKnownSetIsNotFound() {
    HttpResponse<Buffer> response = api.send(HttpMethod.POST, "/api/vms", "{\"resource\":\"stranger\"}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).endsWith(":unknown-resource");
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("stranger");
    assertThat(api.stats().getInteger("started")).isZero();
  }

  @Test
  void aKnownResourceStarts() {
    assertThat(api.start("known").getString("state")).isEqualTo("BOOTING");
    assertThat(api.stats().getInteger("started")).isEqualTo(1);
  }
}
