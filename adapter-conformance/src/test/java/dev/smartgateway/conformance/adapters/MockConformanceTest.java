package dev.smartgateway.conformance.adapters;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.ProviderContext;
import dev.smartgateway.cloud.mock.MockCloudProviderFactory;
import dev.smartgateway.cloudmock.MockCloud;
import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.conformance.CloudProviderContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code mock} adapter, against a mock cloud in this JVM. The cloud is started by the test exactly as
 * {@code embedded: true} starts it, and every provider is pointed at it by {@code url}: with {@code embedded: true}
 * each provider would start a cloud of its own that dies with it, while the contract needs several providers (other
 * owners, the same owner after a close) on one cloud, as gateways sharing a mock cloud have.
 */
class MockConformanceTest extends CloudProviderContract {

  private MockCloud cloud;

  @BeforeEach
  void startMockCloud(Vertx vertx) throws Exception {
    // Boots take long enough for a provider's event stream to be connected before the first VM is ready.
    cloud = MockCloud.start(vertx, MockCloudOptions.defaults().withHost("127.0.0.1").withPort(0)
            .withBootDelay(200, 600).withSeed(7L).withResources(Set.of("app")))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopMockCloud() throws Exception {
    if (cloud != null) {
      cloud.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  protected Future<CloudProvider> createProvider(Vertx vertx, ProviderContext context) {
    return new MockCloudProviderFactory().create(vertx, new JsonObject().put("url", cloud.baseUrl()), context);
  }

  @Override
  protected String startableResource() {
    return "app";
  }
}
