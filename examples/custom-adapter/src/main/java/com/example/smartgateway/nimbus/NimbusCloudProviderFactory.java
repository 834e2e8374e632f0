package com.example.smartgateway.nimbus;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code provider.type: example-cloud}: machines in the (made-up) Nimbus cloud. Listed in
 * {@code META-INF/services/dev.smartgateway.cloud.CloudProviderFactory}, so the gateway finds it with
 * {@link java.util.ServiceLoader} once this jar is on its classpath.
 */
public final class NimbusCloudProviderFactory implements CloudProviderFactory {

  @Override
  public String type() {
    return "example-cloud";
  }

  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config) {
    try {
      return Future.succeededFuture(new NimbusCloudProvider(vertx, NimbusSettings.parse(config)));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }
}
