package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
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

  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config) {
    ProcessSettings settings;
    try {
      settings = ProcessConfigParser.parse(config == null ? new JsonObject() : config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return ProcessCloudProvider.open(vertx, settings);
  }
}
