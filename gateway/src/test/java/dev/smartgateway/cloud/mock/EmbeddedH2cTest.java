package dev.smartgateway.cloud.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code h2cResources} of the embedded mock: those resources' VMs speak HTTP/2 with prior knowledge. */
@ExtendWith(VertxExtension.class)
class EmbeddedH2cTest {

  @Test
  void theVmsOfAnH2cResourceAnswerHttp2(Vertx vertx) throws Exception {
    CloudProvider provider = await(new MockCloudProviderFactory().create(vertx, new JsonObject()
        .put("bootMinMs", 0).put("bootMaxMs", 0).put("h2cResources", new JsonArray().add("grpc"))));
    HttpClientAgent h2 = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)).build();
    try {
      Instance vm = await(provider.start("grpc", Set.of("g")));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (vm.state() != InstanceState.RUNNING && System.nanoTime() < deadline) {
        vm = await(provider.describe(vm.id()));
      }
      assertThat(vm.state()).isEqualTo(InstanceState.RUNNING);

      int port = vm.endpoint().getPort();
      JsonObject echo = await(h2.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/echo"))
          .compose(req -> req.send()).compose(HttpClientResponse::body)).toJsonObject();

      assertThat(echo.getString("httpVersion")).isEqualTo("HTTP/2");
    } finally {
      await(h2.close());
      await(provider.close());
    }
  }

  @Test
  void h2cResourcesMustBeAListOfIds(Vertx vertx) {
    Future<CloudProvider> created = new MockCloudProviderFactory().create(vertx, new JsonObject()
        .put("h2cResources", "grpc"));

    Throwable failure = awaitFailure(created);
    assertThat(failure).hasMessageContaining("h2cResources: must be a list of resource ids");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable awaitFailure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }
}
