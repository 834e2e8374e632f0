package dev.smartgateway.cloudmock;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.smartgateway.cloudmock.Await.await;

/** Starts a fresh mock cloud on an ephemeral port for every test, with short seeded boot delays. */
@ExtendWith(VertxExtension.class)
abstract class MockCloudTestBase {

  protected Vertx vertx;
  protected MockCloud cloud;
  protected CloudApi api;

  MockCloudOptions options() {
    return MockCloudOptions.defaults().withPort(0).withBootDelay(50, 200).withSeed(42L);
  }

  @BeforeEach
  void startCloud(Vertx vertx) {
    this.vertx = vertx;
    cloud = await(MockCloud.start(vertx, options()));
    api = new CloudApi(vertx, cloud.port());
  }

  @AfterEach
  void closeCloud() {
    if (cloud != null) {
      await(cloud.close());
    }
  }
}
