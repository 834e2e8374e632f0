package dev.smartgateway.cloud;

import dev.smartgateway.config.CloudCallsConfig;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The providers a gateway uses: the default one and any per-resource overrides, each created once from
 * the {@link CloudProviderFactory} that {@link ServiceLoader} finds for its {@code type}, and each wrapped in
 * a {@link ResilientCloudProvider} (timeouts, retries, circuit breaker).
 */
public final class ProviderRegistry {

  private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

  private final CloudProvider defaultProvider;
  private final Map<String, CloudProvider> perResource;
  private final List<CloudProvider> all;

  private ProviderRegistry(CloudProvider defaultProvider, Map<String, CloudProvider> perResource, List<CloudProvider> all) {
    this.defaultProvider = defaultProvider;
    this.perResource = Map.copyOf(perResource);
    this.all = List.copyOf(all);
  }

  /** Discovers the factories (classpath scanning: off the event loop) and creates every configured provider. */
  public static Future<ProviderRegistry> create(Vertx vertx, GatewayConfig config) {
    return vertx.executeBlocking(ProviderRegistry::discoverFactories, false)
        .compose(factories -> {
          Map<JsonObject, Future<CloudProvider>> byConfig = new LinkedHashMap<>();
          ProviderContext context = ProviderContext.of(config.gateway().id());
          log.info("gateway id '{}': every instance it starts carries it as its owner; it adopts only its own",
              context.owner());
          Future<CloudProvider> defaultFuture = createOnce(vertx, factories, config.provider(), config.cloud(), context,
              "provider", byConfig);
          Map<String, Future<CloudProvider>> overrides = new HashMap<>();
          config.resources().forEach((resource, settings) -> {
            ProviderConfig own = settings.provider();
            if (own != null) {
              overrides.put(resource, createOnce(vertx, factories, own, config.cloud(), context,
                  "resources." + resource + ".provider", byConfig));
            }
          });
          return Future.all(new ArrayList<>(byConfig.values())).map(done -> {
            Map<String, CloudProvider> perResource = new HashMap<>();
            overrides.forEach((resource, future) -> perResource.put(resource, future.result()));
            List<CloudProvider> all = new ArrayList<>();
            byConfig.values().forEach(f -> all.add(f.result()));
            return new ProviderRegistry(defaultFuture.result(), perResource, all);
          });
        });
  }

  /** Builds a registry around providers that already exist (tests, embedding). */
  public static ProviderRegistry of(CloudProvider defaultProvider) {
    return new ProviderRegistry(defaultProvider, Map.of(), List.of(defaultProvider));
  }

  public CloudProvider forResource(String resource) {
    CloudProvider own = perResource.get(resource);
    return own != null ? own : defaultProvider;
  }

  /** Every distinct provider, for adoption and event subscription. */
  public Collection<CloudProvider> all() {
    return all;
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    all.forEach(p -> closing.add(p.close()));
    return Future.join(closing).mapEmpty();
  }

  /** Whether the factory overrides the owner-aware {@code create}: one written before owners existed does not. */
  static boolean recordsOwners(CloudProviderFactory factory) {
    try {
      return factory.getClass().getMethod("create", Vertx.class, JsonObject.class, ProviderContext.class)
          .getDeclaringClass() != CloudProviderFactory.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** The factories on the classpath, by type. */
  public static Map<String, CloudProviderFactory> discoverFactories() {
    Map<String, CloudProviderFactory> factories = new HashMap<>();
    for (CloudProviderFactory factory : ServiceLoader.load(CloudProviderFactory.class)) {
      factories.putIfAbsent(factory.type(), factory);
    }
    return factories;
  }

  private static Future<CloudProvider> createOnce(Vertx vertx, Map<String, CloudProviderFactory> factories,
                                                  ProviderConfig config, CloudCallsConfig cloudCalls,
                                                  ProviderContext context, String key,
                                                  Map<JsonObject, Future<CloudProvider>> byConfig) {
    JsonObject settings = config.settings();
    return byConfig.computeIfAbsent(settings, s -> {
      CloudProviderFactory factory = factories.get(config.type());
      if (factory == null) {
        return Future.failedFuture(new IllegalArgumentException(key + ".type: unknown provider type '" + config.type()
            + "' (available: " + String.join(", ", new TreeSet<>(factories.keySet())) + ")"));
      }
      if (!recordsOwners(factory)) {
        log.warn("{}: the '{}' adapter ({}) does not record owners: the instances it starts carry no owner, so no"
            + " gateway adopts them after a restart (they are left running); they must be stopped by hand", key,
            config.type(), factory.getClass().getName());
      }
      return factory.create(vertx, s, context)
          .<CloudProvider>map(p -> new ResilientCloudProvider(vertx, p, cloudCalls, config.type()))
          .recover(err -> Future.failedFuture(new IllegalArgumentException(key + ": " + err.getMessage(), err)));
    });
  }
}
