package dev.smartgateway.cloudmock;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.net.ConnectException;
import java.net.URI;

import static dev.smartgateway.cloudmock.Await.await;
import static dev.smartgateway.cloudmock.Await.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** A test's view of a mock cloud: its REST API over real HTTP, plus port probes. */
final class CloudApi {

  private final Vertx vertx;
  private final io.vertx.core.Context context;
  private final WebClient client;
  private final NetClient probes;
  private final int port;

  CloudApi(Vertx vertx, int port) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = WebClient.create(vertx);
    this.probes = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
    this.port = port;
  }

  /** One API call, on this view's own context (see MockCloudTestBase#onContext for why). */
  Future<HttpResponse<Buffer>> call(HttpMethod method, String path, String body) {
    return onContext(context, () -> {
      var request = client.request(method, port, "127.0.0.1", path);
      return body == null ? request.send() : request.putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer(body));
    });
  }

  /** Runs {@code call} on {@code context}, whatever thread asks. */
  static <T> Future<T> onContext(io.vertx.core.Context context, java.util.function.Supplier<Future<T>> call) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        call.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String body) {
    return await(call(method, path, body));
  }

  /** Starts a VM and checks the 201. */
  JsonObject start(String resource, String... groups) {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/api/vms",
        new JsonObject().put("resource", resource).put("groups", new JsonArray(java.util.List.of(groups)))
            .encode());
    assertThat(response.statusCode()).as("start %s: %s", resource, response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  JsonObject vm(String id) {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/api/vms/" + id, null);
    assertThat(response.statusCode()).as("GET %s", id).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  JsonObject stop(String id) {
    HttpResponse<Buffer> response = send(HttpMethod.DELETE, "/api/vms/" + id, null);
    assertThat(response.statusCode()).as("DELETE %s: %s", id, response.bodyAsString()).isEqualTo(202);
    return response.bodyAsJsonObject();
  }

  JsonObject stats() {
    return send(HttpMethod.GET, "/api/stats", null).bodyAsJsonObject();
  }

  JsonObject faults(String patch) {
    HttpResponse<Buffer> response = send(HttpMethod.PUT, "/api/faults", patch);
    assertThat(response.statusCode()).as("PUT faults %s: %s", patch, response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /** Polls the VM until it is in {@code state}. */
  JsonObject awaitState(String id, String state) {
    return awaitUntil(vertx, id + " " + state,
        () -> call(HttpMethod.GET, "/api/vms/" + id, null).map(HttpResponse::bodyAsJsonObject),
        vm -> state.equals(vm.getString("state")));
  }

  /** Polls the VM until its boot is over, whichever way it went (RUNNING or FAILED). */
  JsonObject awaitBootEnd(String id) {
    return awaitUntil(vertx, id + " RUNNING or FAILED",
        () -> call(HttpMethod.GET, "/api/vms/" + id, null).map(HttpResponse::bodyAsJsonObject),
        vm -> "RUNNING".equals(vm.getString("state")) || "FAILED".equals(vm.getString("state")));
  }

  /** Starts a VM and waits until it runs. */
  JsonObject startRunning(String resource, String... groups) {
    return awaitState(start(resource, groups).getString("id"), "RUNNING");
  }

  /**
   * True if a TCP connection to the port is refused, false if it is accepted; fails on anything else.
   * A connect timeout is a {@link ConnectException} too, but it says nothing about the port, so it fails.
   */
  Future<Boolean> refuses(int vmPort) {
    return probes.connect(vmPort, "127.0.0.1")
        .compose(socket -> socket.close().map(false),
            err -> err instanceof ConnectException && !(err instanceof ConnectTimeoutException)
                ? Future.succeededFuture(true)
                : Future.failedFuture(err));
  }

  static int port(JsonObject vm) {
    return URI.create(vm.getString("endpoint")).getPort();
  }
}
