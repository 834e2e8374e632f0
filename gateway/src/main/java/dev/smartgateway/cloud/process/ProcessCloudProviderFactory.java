package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.SettingsProviderFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code provider.type: process}: runs a configured local command per instance, on a free loopback port.
 * Public with a no-argument constructor because {@link java.util.ServiceLoader} instantiates it.
 *
 * <p>Every child is recorded with the owner in its pid file; only that owner's children are adopted, so gateways
 * that share a {@code stateDir} never take or stop each other's.
 */
public final class ProcessCloudProviderFactory extends SettingsProviderFactory<ProcessSettings> {

  public static final String TYPE = "process";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  protected ProcessSettings parse(JsonObject provider) {
    return ProcessConfigParser.parse(provider);
  }

  @Override
  protected Future<CloudProvider> open(Vertx vertx, ProcessSettings settings, String owner) {
    return ProcessCloudProvider.open(vertx, settings, owner);
  }
}
