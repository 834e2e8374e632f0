package com.example.smartgateway.nimbus;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.cloud.ProviderContext;
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

  /**
   * What the gateway calls: the provider labels every machine it creates with {@code context.owner()} (the
   * gateway's id), so that a restarted gateway adopts its own machines and no other gateway's.
   */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config, ProviderContext context) {
    return create(vertx, config, context.owner());
  }

  /** A provider without an owner: its machines are never adopted after a restart. */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config) {
    return create(vertx, config, (String) null);
  }

  private static Future<CloudProvider> create(Vertx vertx, JsonObject config, String owner) {
    try {
      return Future.succeededFuture(new NimbusCloudProvider(vertx, NimbusSettings.parse(config), owner));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }
}
