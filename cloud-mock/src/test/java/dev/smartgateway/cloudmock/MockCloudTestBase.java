package dev.smartgateway.cloudmock;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.function.Supplier;

import static dev.smartgateway.cloudmock.Await.await;

/** Starts a fresh mock cloud on an ephemeral port for every test, with short seeded boot delays. */
@ExtendWith(VertxExtension.class)
abstract class MockCloudTestBase {

  protected Vertx vertx;
  protected MockCloud cloud;
  protected CloudApi api;
  private Context clientContext;

  MockCloudOptions options() {
    return MockCloudOptions.defaults().withPort(0).withBootDelay(50, 200).withSeed(42L);
  }

  @BeforeEach
  void startCloud(Vertx vertx) {
    this.vertx = vertx;
    this.clientContext = vertx.getOrCreateContext();
    cloud = await(MockCloud.start(vertx, options()));
    api = new CloudApi(vertx, cloud.port());
  }

  /**
   * Runs a test's client call on one context of its own. From the JUnit thread every call would get a fresh
   * context, and a keep-alive connection pooled by one context and handed to a request of another can race with
   * its own release (under load the request then waits forever): the gateway never mixes them, nor do the tests.
   */
  protected <T> Future<T> onContext(Supplier<Future<T>> call) {
    return CloudApi.onContext(clientContext, call);
  }

  @AfterEach
  void closeCloud() {
    if (cloud != null) {
      await(cloud.close());
    }
  }
}
