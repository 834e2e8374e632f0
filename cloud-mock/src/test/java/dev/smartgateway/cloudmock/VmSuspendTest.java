package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/vms/{id}/suspend} and {@code /resume}: a paused VM holds requests until it runs again. */
class VmSuspendTest extends MockCloudTestBase {

  // A field, not inline: Vert.x 5 closes a client nothing references any more.
  private HttpClient client;

  @BeforeEach
  void client() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
  }

  private Future<String> get(JsonObject vm, String path) {
    return onContext(() -> client.request(HttpMethod.GET, CloudApi.port(vm), "127.0.0.1", path)
        .compose(req -> req.send()))
        .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b.toJsonObject().getString("path")));
  }

  @Test
  void aSuspendedVmHoldsRequestsAndAnswersThemInOrderOnceResumed() {
    JsonObject vm = api.startRunning("app");
    String id = vm.getString("id");

    HttpResponse<Buffer> suspended = api.send(HttpMethod.POST, "/api/vms/" + id + "/suspend", null);
    assertThat(suspended.statusCode()).isEqualTo(200);
    assertThat(suspended.bodyAsJsonObject().getString("state")).isEqualTo("SUSPENDED");
    assertThat(suspended.bodyAsJsonObject().getString("endpoint")).as("it keeps its address").isEqualTo(vm.getString("endpoint"));
    Future<String> first = get(vm, "/one");
    Future<String> second = get(vm, "/two");
    assertThat(await(api.refuses(CloudApi.port(vm)))).as("the port still accepts").isFalse();
    assertThat(first.isComplete() || second.isComplete()).as("nothing answered while paused").isFalse();
    assertThat(api.stats().getInteger("suspended")).isEqualTo(1);

    HttpResponse<Buffer> resumed = api.send(HttpMethod.POST, "/api/vms/" + id + "/resume", null);

    assertThat(resumed.bodyAsJsonObject().getString("state")).isEqualTo("RUNNING");
    assertThat(await(first)).isEqualTo("200 /one");
    assertThat(await(second)).isEqualTo("200 /two");
  }

  @Test
  void suspendAndResumeAreIdempotent() {
    String id = api.startRunning("app").getString("id");

    assertThat(api.send(HttpMethod.POST, "/api/vms/" + id + "/resume", null).statusCode()).isEqualTo(200);
    assertThat(api.send(HttpMethod.POST, "/api/vms/" + id + "/suspend", null).statusCode()).isEqualTo(200);
    assertThat(api.send(HttpMethod.POST, "/api/vms/" + id + "/suspend", null).bodyAsJsonObject().getString("state"))
        .isEqualTo("SUSPENDED");
  }

  @Test
  void aStoppedVmCannotBeSuspendedOrResumed() {
    String id = api.startRunning("app").getString("id");
    api.stop(id);
    api.awaitState(id, "STOPPED");

    HttpResponse<Buffer> suspend = api.send(HttpMethod.POST, "/api/vms/" + id + "/suspend", null);
    HttpResponse<Buffer> resume = api.send(HttpMethod.POST, "/api/vms/" + id + "/resume", null);

    assertThat(suspend.statusCode()).isEqualTo(409);
    assertThat(suspend.bodyAsJsonObject().getString("type")).endsWith("vm-not-running");
    assertThat(resume.statusCode()).isEqualTo(409);
  }

  @Test
  void aSuspendedVmCanBeStopped() {
    String id = api.startRunning("app").getString("id");
    api.send(HttpMethod.POST, "/api/vms/" + id + "/suspend", null);

    api.stop(id);

    api.awaitState(id, "STOPPED");
  }
}
