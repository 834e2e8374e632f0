package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.smartgateway.cloudmock.Await.await;
import static dev.smartgateway.cloudmock.Await.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentStartsTest extends MockCloudTestBase {

  private static final int STARTS = 50;

  @Test
  void fiftyConcurrentStartsYieldFiftyDistinctVmsThatAllRun() {
    List<Future<JsonObject>> starts = new ArrayList<>();
    IntStream.range(0, STARTS).forEach(i -> starts.add(
        api.call(HttpMethod.POST, "/api/vms", "{\"resource\":\"r" + (i % 5) + "\",\"groups\":[\"g\"]}")
            .map(response -> {
              assertThat(response.statusCode()).isEqualTo(201);
              return response.bodyAsJsonObject();
            })));

    List<JsonObject> vms = await(Future.all(starts)).list();

    assertThat(vms.stream().map(vm -> vm.getString("id")).distinct()).hasSize(STARTS);
    assertThat(vms).allSatisfy(vm -> assertThat(vm.getString("state")).isEqualTo("BOOTING"));
    JsonObject stats = awaitUntil(vertx, "all " + STARTS + " running",
        () -> api.call(HttpMethod.GET, "/api/stats", null).map(r -> r.bodyAsJsonObject()),
        s -> s.getInteger("running") == STARTS);
    assertThat(stats.getInteger("started")).isEqualTo(STARTS);
    assertThat(stats.getInteger("failed")).isZero();
    assertThat(stats.getLong("apiCalls")).as("only /api/vms* calls count").isEqualTo(STARTS);

    var listed = api.send(HttpMethod.GET, "/api/vms", null).bodyAsJsonArray();
    assertThat(listed.stream().map(vm -> ((JsonObject) vm).getString("endpoint")).distinct())
        .as("every VM has a port of its own").hasSize(STARTS);
  }
}
