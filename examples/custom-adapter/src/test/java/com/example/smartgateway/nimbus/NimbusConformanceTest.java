package com.example.smartgateway.nimbus;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.ProviderContext;
import dev.smartgateway.conformance.CloudProviderContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's adapter conformance kit, run against this adapter: every test of {@link CloudProviderContract}
 * (start, readiness, describe, owners, list, stop, close, failures, concurrency) against a {@link FakeNimbus} whose
 * machines turn {@code active} a moment after their creation, at the address of a small HTTP server in this JVM.
 * All that an adapter author writes is how to create the provider for an owner and which resource starts.
 */
class NimbusConformanceTest extends CloudProviderContract {

  private FakeNimbus nimbus;

  @BeforeEach
  void startNimbus(Vertx vertx) throws Exception {
    HttpServer machines = vertx.createHttpServer().requestHandler(request -> request.response().end("a machine"));
    machines.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    nimbus = new FakeNimbus(Set.of("img-hello")).start(vertx)
        .activateAfter(Duration.ofMillis(200), "127.0.0.1", machines.actualPort());
  }

  /** As the gateway creates it: the provider section of its configuration, and the gateway's owner. */
  @Override
  protected Future<CloudProvider> createProvider(Vertx vertx, ProviderContext context) {
    return new NimbusCloudProviderFactory().create(vertx, new JsonObject()
        .put("type", "example-cloud")
        .put("apiUrl", nimbus.url())
        .put("token", FakeNimbus.TOKEN)
        .put("images", new JsonObject().put("hello", "img-hello").put("ghost", "img-missing")), context);
  }

  @Override
  protected String startableResource() {
    return "hello";
  }

  /** Configured, but Nimbus does not know its image: the API's 404 on create, not just a missing entry. */
  @Override
  protected Optional<String> unknownResource() {
    return Optional.of("ghost");
  }
}
