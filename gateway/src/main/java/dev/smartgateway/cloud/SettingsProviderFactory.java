package dev.smartgateway.cloud;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The shape every built-in adapter's factory has: parse the {@code provider} section into settings (a refusal
 * fails the future, so the gateway reports it as a configuration problem), then open a provider acting for an owner.
 * Without a context there is no owner (embedding, tests): such a provider records none on what it starts and adopts
 * only what records none. Subclasses stay public with a no-argument constructor for {@link java.util.ServiceLoader}.
 *
 * @param <S> the adapter's parsed settings
 */
public abstract class SettingsProviderFactory<S> implements CloudProviderFactory {

  /** @throws RuntimeException (a {@link dev.smartgateway.config.ConfigException} naming the key) for bad settings */
  protected abstract S parse(JsonObject provider);

  /** @param owner recorded on every instance the provider starts; null for none */
  protected abstract Future<CloudProvider> open(Vertx vertx, S settings, String owner);

  @Override
  public final Future<CloudProvider> create(Vertx vertx, JsonObject config) {
    return create(vertx, config, (String) null);
  }

  @Override
  public final Future<CloudProvider> create(Vertx vertx, JsonObject config, ProviderContext context) {
    return create(vertx, config, context.owner());
  }

  private Future<CloudProvider> create(Vertx vertx, JsonObject config, String owner) {
    S settings;
    try {
      settings = parse(config == null ? new JsonObject() : config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return open(vertx, settings, owner);
  }
}
