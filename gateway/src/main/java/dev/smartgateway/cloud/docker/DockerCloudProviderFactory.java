package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.SettingsProviderFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code provider.type: docker}: a container per instance, through the Docker Engine API on its unix socket (or
 * Podman's Docker-compatible one) or a TCP address. Public with a no-argument constructor because
 * {@link java.util.ServiceLoader} instantiates it.
 *
 * <p>Every container is labelled with the owner; only that owner's containers are listed, adopted and stopped, so
 * gateways sharing one daemon never take or stop each other's.
 */
public final class DockerCloudProviderFactory extends SettingsProviderFactory<DockerSettings> {

  public static final String TYPE = "docker";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  protected DockerSettings parse(JsonObject provider) {
    return DockerConfigParser.parse(provider, System.getenv());
  }

  @Override
  protected Future<CloudProvider> open(Vertx vertx, DockerSettings settings, String owner) {
    return DockerCloudProvider.open(vertx, settings, owner);
  }
}
