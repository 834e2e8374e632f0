package dev.smartgateway.cloud;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Entry point of a cloud adapter, found with {@link java.util.ServiceLoader}: an adapter jar lists its
 * factory in {@code META-INF/services/dev.smartgateway.cloud.CloudProviderFactory}, and the gateway picks
 * it when the config's {@code provider.type} equals {@link #type()}.
 */
public interface CloudProviderFactory {

  /** The name used in {@code provider.type}, e.g. {@code mock}, {@code static}. */
  String type();

  /**
   * Creates the provider.
   *
   * @param vertx  the gateway's Vert.x: use its event loop, timers and clients
   * @param config the whole {@code provider} section of the configuration, as JSON
   * @return the provider once it is usable. A failed future stops the gateway: settings the adapter refuses are
   *     reported as configuration problems (exit status 2, no stack trace) when it fails with an
   *     {@link IllegalArgumentException} or a {@link dev.smartgateway.config.ConfigException} whose message names
   *     the key ({@code provider.url: expected http://host:port}); any other failure is reported as a failure to
   *     start (exit status 1, with its stack trace)
   */
  Future<CloudProvider> create(Vertx vertx, JsonObject config);
}
