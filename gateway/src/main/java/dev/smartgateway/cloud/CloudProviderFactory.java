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
   * Creates a provider that knows no owner. The gateway does not call this one when the factory overrides
   * {@link #create(Vertx, JsonObject, ProviderContext)}; such a factory may implement it as
   * {@code create(vertx, config, ProviderContext.of(...))} with an owner of its choice, or refuse.
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

  /**
   * Creates the provider for one gateway: the one the gateway calls. The provider must stamp
   * {@link ProviderContext#owner()} on every instance it starts, durably (a tag or label in the cloud, a field
   * of a state file: whatever outlives the gateway), and report it in {@link Instance#metadata()} under
   * {@link Instance#OWNER} wherever it reports that instance ({@code start}, {@code describe}, {@code list},
   * {@code events}). A gateway adopts and stops only instances that carry its own owner; {@code list} may
   * return other owners' instances (the gateway leaves them alone) or filter them out at the source. Whatever
   * the provider does on its own (stopping instances on {@code close}, cleaning up) must touch only instances
   * of its owner.
   *
   * <p>The default calls {@link #create(Vertx, JsonObject)}: an adapter written before owners existed keeps
   * working, but the instances it starts carry no owner, so no gateway adopts them after a restart (the
   * gateway logs a warning naming them); they must then be stopped by hand.
   *
   * @param context who the provider acts for
   */
  default Future<CloudProvider> create(Vertx vertx, JsonObject config, ProviderContext context) {
    return create(vertx, config);
  }
}
