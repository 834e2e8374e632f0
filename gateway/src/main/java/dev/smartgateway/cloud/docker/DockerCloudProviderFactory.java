package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.cloud.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code provider.type: docker}: a container per instance, through the Docker Engine API on its unix socket (or
 * Podman's Docker-compatible one) or a TCP address. Public with a no-argument constructor because
 * {@link java.util.ServiceLoader} instantiates it.
 */
public final class DockerCloudProviderFactory implements CloudProviderFactory {

  public static final String TYPE = "docker";

  @Override
  public String type() {
    return TYPE;
  }

  /** A provider without an owner (embedding, tests): its containers carry no owner label, and it adopts only such. */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config) {
    return open(vertx, config, null);
  }

  /**
   * Every container is labelled with {@code context.owner()}; only that owner's containers are listed, adopted and
   * stopped, so gateways sharing one daemon never take or stop each other's.
   */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config, ProviderContext context) {
    return open(vertx, config, context.owner());
  }

  private static Future<CloudProvider> open(Vertx vertx, JsonObject config, String owner) {
    DockerSettings settings;
    try {
      settings = DockerConfigParser.parse(config == null ? new JsonObject() : config, System.getenv());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return DockerCloudProvider.open(vertx, settings, owner);
  }
}
