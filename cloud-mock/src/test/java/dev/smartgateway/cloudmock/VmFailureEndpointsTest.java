package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeoutException;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The VM app's failure endpoints: {@code /reset} closes the connection before any response byte, {@code /hang} stops answering. */
class VmFailureEndpointsTest extends MockCloudTestBase {

  // A field, not inline: Vert.x 5 closes a client nothing references any more.
  private HttpClient client;

  @BeforeEach
  void client() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
  }

  @Test
  void resetWithAKeyClosesTheFirstNRequestsWithoutAnswerThenEchoesHowManyArrived() {
    JsonObject vm = api.startRunning("app");

    for (int i = 0; i < 2; i++) {
      assertThat(failure(send(vm, HttpMethod.GET, "/reset?key=k1&times=2", null)))
          .as("attempt %d", i + 1).isInstanceOf(HttpClosedException.class);
    }
    JsonObject echo = await(send(vm, HttpMethod.GET, "/reset?key=k1&times=2", null)).body;

    assertThat(echo.getString("path")).isEqualTo("/reset");
    assertThat(echo.getLong("seen")).isEqualTo(3);
    assertThat(echo.getString("vm")).isEqualTo(vm.getString("id"));
    // Another key has a count of its own.
    assertThat(await(send(vm, HttpMethod.GET, "/reset?key=k2&times=0", null)).body.getLong("seen")).isEqualTo(1);
  }

  @Test
  void resetReadsTheWholeBodyFirstAndWithoutAKeyResetsEveryRequest() {
    JsonObject vm = api.startRunning("app");

    for (int i = 0; i < 3; i++) {
      assertThat(failure(send(vm, HttpMethod.POST, "/reset", Buffer.buffer("x".repeat(100_000)))))
          .isInstanceOf(HttpClosedException.class);
    }
    JsonObject echo = await(send(vm, HttpMethod.POST, "/reset?key=p&times=0", Buffer.buffer("hello"))).body;
    assertThat(echo.getLong("bodyBytes")).isEqualTo(5);
  }

  @Test
  void resetCountsAKeyOverEveryVmOfTheCloud() {
    JsonObject first = api.startRunning("app");
    JsonObject second = api.startRunning("app");

    assertThat(failure(send(first, HttpMethod.GET, "/reset?key=shared", null))).isInstanceOf(HttpClosedException.class);
    JsonObject echo = await(send(second, HttpMethod.GET, "/reset?key=shared", null)).body;

    assertThat(echo.getString("vm")).isEqualTo(second.getString("id"));
    assertThat(echo.getLong("seen")).isEqualTo(2);
  }

  @Test
  void resetRefusesABadTimesWith400() {
    JsonObject vm = api.startRunning("app");

    Reply reply = await(send(vm, HttpMethod.GET, "/reset?key=k&times=-1", null));

    assertThat(reply.status).isEqualTo(400);
    // A refused request is not counted.
    assertThat(await(send(vm, HttpMethod.GET, "/reset?key=k&times=0", null)).body.getLong("seen")).isEqualTo(1);
  }

  @Test
  void hangStopsAnsweringEveryRequestWhileThePortStillAccepts() {
    JsonObject vm = api.startRunning("app");

    assertThat(failure(send(vm, HttpMethod.GET, "/hang", null, 300))).isInstanceOf(TimeoutException.class);
    assertThat(failure(send(vm, HttpMethod.GET, "/health", null, 300))).isInstanceOf(TimeoutException.class);
    assertThat(failure(send(vm, HttpMethod.POST, "/anything", Buffer.buffer("x"), 300))).isInstanceOf(TimeoutException.class);

    assertThat(await(api.refuses(CloudApi.port(vm)))).as("the port still accepts connections").isFalse();
    assertThat(api.vm(vm.getString("id")).getString("state")).isEqualTo("RUNNING");
    // Another VM is not affected.
    JsonObject other = api.startRunning("app");
    assertThat(await(send(other, HttpMethod.GET, "/health", null)).status).isEqualTo(200);
  }

  @Test
  void aStoppedHungVmClosesItsOpenConnections() {
    JsonObject vm = api.startRunning("app");
    Future<Reply> hanging = send(vm, HttpMethod.GET, "/hang", null);

    api.stop(vm.getString("id"));

    assertThat(failure(hanging)).isInstanceOf(HttpClosedException.class);
  }

  private record Reply(int status, JsonObject body) {
  }

  private Future<Reply> send(JsonObject vm, HttpMethod method, String uri, Buffer body) {
    return send(vm, method, uri, body, 0);
  }

  /** @param idleTimeoutMs 0 for none: the request fails with a timeout if nothing comes back for that long */
  private Future<Reply> send(JsonObject vm, HttpMethod method, String uri, Buffer body, long idleTimeoutMs) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(CloudApi.port(vm))
        .setURI(uri);
    if (idleTimeoutMs > 0) {
      options.setIdleTimeout(idleTimeoutMs);
    }
    return onContext(() -> client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(),
            resp.statusCode() == 200 ? b.toJsonObject() : null))));
  }

  /** The failure of a future expected to fail (within the deadline). */
  private static Throwable failure(Future<?> future) {
    Object result;
    try {
      result = future.toCompletionStage().toCompletableFuture()
          .get(Await.DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException | InterruptedException e) {
      throw new AssertionError("no outcome within " + Await.DEADLINE, e);
    }
    throw new AssertionError("expected a failure, got " + result);
  }
}
