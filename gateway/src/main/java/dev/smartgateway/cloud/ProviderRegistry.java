package dev.smartgateway.cloud;

import dev.smartgateway.config.CloudCallsConfig;
import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ProviderConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The providers a gateway uses: the default one and any per-resource overrides, each created once from
 * the {@link CloudProviderFactory} that {@link ServiceLoader} finds for its {@code type}, and each wrapped in
 * a {@link ResilientCloudProvider} (timeouts, retries, circuit breaker). Each goes by its type in logs and
 * metrics, numbered from the second provider of the same type on ({@code mock}, {@code mock-2}); their breakers
 * are in {@link #breakers()}.
 */
public final class ProviderRegistry {

  private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

  private final CloudProvider defaultProvider;
  private final Map<String, CloudProvider> perResource;
  private final List<CloudProvider> all;
  private final CircuitBreakerRegistry breakers;

  private ProviderRegistry(CloudProvider defaultProvider, Map<String, CloudProvider> perResource, List<CloudProvider> all,
                           CircuitBreakerRegistry breakers) {
    this.defaultProvider = defaultProvider;
    this.perResource = Map.copyOf(perResource);
    this.all = List.copyOf(all);
    this.breakers = breakers;
  }

  /** Discovers the factories (classpath scanning: off the event loop) and creates every configured provider. */
  public static Future<ProviderRegistry> create(Vertx vertx, GatewayConfig config) {
    return create(vertx, config, CloudCallListener.NONE);
  }

  /** As {@link #create(Vertx, GatewayConfig)}, every cloud call reported to {@code listener}. */
  public static Future<ProviderRegistry> create(Vertx vertx, GatewayConfig config, CloudCallListener listener) {
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    Naming naming = new Naming(breakers, listener);
    return vertx.executeBlocking(ProviderRegistry::discoverFactories, false)
        .compose(factories -> {
          Map<JsonObject, Future<CloudProvider>> byConfig = new LinkedHashMap<>();
          ProviderContext context = ProviderContext.of(config.owner());
          log.info("{} '{}': every instance it starts carries it as its owner; it adopts only those",
              config.cluster().enabled() ? "cluster" : "gateway id", context.owner());
          Future<CloudProvider> defaultFuture = createOnce(vertx, factories, config.provider(), config.cloud(), context,
              "provider", byConfig, naming);
          Map<String, Future<CloudProvider>> overrides = new HashMap<>();
          // In the order of their names: a provider's name (mock-2) is the same from one run to the next.
          new java.util.TreeMap<>(config.resources()).forEach((resource, settings) -> {
            ProviderConfig own = settings.provider();
            if (own != null) {
              overrides.put(resource, createOnce(vertx, factories, own, config.cloud(), context,
                  "resources." + resource + ".provider", byConfig, naming));
            }
          });
          // Every provider is waited for: all their configuration problems are reported together, and the ones
          // that did start are closed again when another failed.
          return Future.join(new ArrayList<>(byConfig.values())).transform(done -> {
            if (done.succeeded()) {
              Map<String, CloudProvider> perResource = new HashMap<>();
              overrides.forEach((resource, future) -> perResource.put(resource, future.result()));
              List<CloudProvider> all = new ArrayList<>();
              byConfig.values().forEach(f -> all.add(f.result()));
              return Future.succeededFuture(new ProviderRegistry(defaultFuture.result(), perResource, all, breakers));
            }
            return failure(byConfig.values());
          });
        });
  }

  /** Closes the providers that started; fails with every configuration problem, or else the first other failure. */
  private static Future<ProviderRegistry> failure(Collection<Future<CloudProvider>> created) {
    List<ConfigException> problems = new ArrayList<>();
    Throwable other = null;
    List<Future<Void>> closing = new ArrayList<>();
    for (Future<CloudProvider> f : created) {
      if (f.succeeded()) {
        closing.add(f.result().close());
      } else if (f.cause() instanceof ConfigException problem) {
        problems.add(problem);
      } else if (other == null) {
        other = f.cause();
      }
    }
    Throwable cause = other != null ? other : ConfigException.of(problems);
    return Future.join(closing).transform(x -> Future.failedFuture(cause));
  }

  /** Builds a registry around providers that already exist (tests, embedding). */
  public static ProviderRegistry of(CloudProvider defaultProvider) {
    return new ProviderRegistry(defaultProvider, Map.of(), List.of(defaultProvider), CircuitBreakerRegistry.ofDefaults());
  }

  /** ... with per-resource providers (tests, embedding). */
  public static ProviderRegistry of(CloudProvider defaultProvider, Map<String, CloudProvider> perResource) {
    List<CloudProvider> all = new ArrayList<>(List.of(defaultProvider));
    perResource.values().stream().filter(p -> !all.contains(p)).forEach(all::add);
    return new ProviderRegistry(defaultProvider, perResource, all, CircuitBreakerRegistry.ofDefaults());
  }

  /** The circuit breakers of the providers created by {@link #create}, one per provider ({@code cloud-<name>}). */
  public CircuitBreakerRegistry breakers() {
    return breakers;
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
                                                  Map<JsonObject, Future<CloudProvider>> byConfig, Naming naming) {
    JsonObject settings = config.settings();
    return byConfig.computeIfAbsent(settings, s -> {
      CloudProviderFactory factory = factories.get(config.type());
      if (factory == null) {
        return Future.failedFuture(new ConfigException(key + ".type", "unknown provider type '" + config.type()
            + "' (available: " + String.join(", ", new TreeSet<>(factories.keySet())) + ")"));
      }
      if (!recordsOwners(factory)) {
        log.warn("{}: the '{}' adapter ({}) does not record owners: the instances it starts carry no owner, so no"
            + " gateway adopts them after a restart (they are left running); they must be stopped by hand", key,
            config.type(), factory.getClass().getName());
      }
      Future<CloudProvider> created;
      try {
        created = factory.create(vertx, s, context);
      } catch (RuntimeException e) {
        created = Future.failedFuture(e);
      }
      String name = naming.next(config.type());
      return created
          .<CloudProvider>map(p -> new ResilientCloudProvider(vertx, p, cloudCalls, name, naming.breakers, naming.listener))
          .recover(err -> Future.failedFuture(asProblem(key, err)));
    });
  }

  /** Names providers by type, numbering the second and later of one type; carries what each provider is given. */
  private static final class Naming {
    final CircuitBreakerRegistry breakers;
    final CloudCallListener listener;
    private final Map<String, Integer> perType = new HashMap<>();

    Naming(CircuitBreakerRegistry breakers, CloudCallListener listener) {
      this.breakers = breakers;
      this.listener = listener;
    }

    String next(String type) {
      int n = perType.merge(type, 1, Integer::sum);
      return n == 1 ? type : type + "-" + n;
    }
  }

  /**
   * A factory's failure as the gateway reports it: settings it refused ({@link IllegalArgumentException} or
   * {@link ConfigException}, see {@link CloudProviderFactory#create}) are configuration problems under the
   * section's key; anything else is a failure to start, named after the section.
   */
  static Throwable asProblem(String key, Throwable err) {
    if (err instanceof ConfigException problems) {
      // Adapters name their keys from "provider" (e.g. provider.resources.files.command): put them where the section is.
      return problems.map(p -> new ConfigException(p.source(), rebase(key, p.key()), p.reason()));
    }
    if (err instanceof IllegalArgumentException) {
      String message = String.valueOf(err.getMessage());
      Matcher named = NAMED_KEY.matcher(message);
      return named.matches() ? new ConfigException(rebase(key, named.group(1)), named.group(2))
          : new ConfigException(key, message);
    }
    return new IllegalStateException(key + ": " + err.getMessage(), err);
  }

  /**
   * An adapter's message that starts with the key it is about: in full ({@code provider.images: required}) or
   * within the section ({@code url: expected http://host:port}).
   */
  private static final Pattern NAMED_KEY = Pattern.compile("([A-Za-z][\\w.\\[\\]-]*): (.*)", Pattern.DOTALL);

  private static String rebase(String section, String key) {
    if (key == null || key.isEmpty() || key.equals("provider")) {
      return section;
    }
    if (key.startsWith("provider.") || key.startsWith("provider[")) {
      return section + key.substring("provider".length());
    }
    return section + "." + key;
  }
}
