package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.cloud.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code provider.type: process}: runs a configured local command per instance, on a free loopback port.
 * Public with a no-argument constructor because {@link java.util.ServiceLoader} instantiates it.
 */
public final class ProcessCloudProviderFactory implements CloudProviderFactory {

  public static final String TYPE = "process";

  @Override
  public String type() {
    return TYPE;
  }

  /** A provider without an owner (embedding, tests): it adopts only children recorded without one. */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config) {
    return open(vertx, config, null);
  }

  /**
   * Every child is recorded with {@code context.owner()} in its pid file; only that owner's children are
   * adopted, so gateways that share a {@code stateDir} never take or stop each other's.
   */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config, ProviderContext context) {
    return open(vertx, config, context.owner());
  }

  private static Future<CloudProvider> open(Vertx vertx, JsonObject config, String owner) {
    ProcessSettings settings;
    try {
      settings = ProcessConfigParser.parse(config == null ? new JsonObject() : config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return ProcessCloudProvider.open(vertx, settings, owner);
  }
}
