package dev.smartgateway.cloud.fixed;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.cloud.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code provider.type: static}: fixed endpoints, nothing is ever started or stopped — the gateway as a plain
 * reverse proxy with the same URLs, groups and errors.
 * <pre>
 * provider:
 *   type: static
 *   endpoints:
 *     wiki: http://127.0.0.1:3000
 * </pre>
 */
public final class StaticCloudProviderFactory implements CloudProviderFactory {

  @Override
  public String type() {
    return "static";
  }

  /**
   * The owner is not needed: a static endpoint is no instance anyone started, {@code list} adopts nothing and
   * {@code stop} stops nothing, so no gateway can take another's.
   */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config, ProviderContext context) {
    return create(vertx, config);
  }

  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config) {
    for (String key : config.fieldNames()) {
      if (!key.equals("type") && !key.equals("endpoints")) {
        return Future.failedFuture(new IllegalArgumentException("unknown key '" + key + "' (known: endpoints)"));
      }
    }
    Object raw = config.getValue("endpoints");
    if (!(raw instanceof JsonObject endpoints) || endpoints.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("endpoints: required, a map of resource: http://host:port"));
    }
    Map<String, URI> byResource = new HashMap<>();
    for (String resource : endpoints.fieldNames()) {
      Object value = endpoints.getValue(resource);
      URI uri;
      try {
        uri = value instanceof String s ? URI.create(s) : null;
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || !"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0
          || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
        return Future.failedFuture(new IllegalArgumentException(
            "endpoints." + resource + ": expected http://host:port, got '" + value + "'"));
      }
      byResource.put(resource, URI.create("http://" + uri.getHost() + ":" + uri.getPort()));
    }
    return Future.succeededFuture(new StaticCloudProvider(Map.copyOf(byResource)));
  }

  /** For embedding and tests. */
  public static CloudProvider of(Map<String, URI> endpoints) {
    return new StaticCloudProvider(Map.copyOf(endpoints));
  }
}
