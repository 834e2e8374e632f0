package dev.smartgateway.cloud.mock;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.cloud.ProviderContext;
import dev.smartgateway.cloudmock.MockCloud;
import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code provider.type: mock}. Keys: {@code embedded} (start the mock cloud in-process on a free loopback
 * port; default true unless {@code url} is set), {@code url} (an external mock, e.g. http://127.0.0.1:9090),
 * {@code events} (follow the SSE stream, default true), {@code timeout} (per API call, default 10s), and for
 * the embedded mock {@code bootMinMs}, {@code bootMaxMs}, {@code seed}, {@code resources}, {@code h2cResources}
 * (resources whose VMs speak h2c and serve the gRPC service {@code mock.Echo}; {@code "*"} for all).
 */
public final class MockCloudProviderFactory implements CloudProviderFactory {

  private static final Logger log = LoggerFactory.getLogger(MockCloudProviderFactory.class);
  private static final Set<String> KEYS = Set.of("type", "embedded", "url", "events", "timeout",
      "bootMinMs", "bootMaxMs", "seed", "resources", "h2cResources");

  @Override
  public String type() {
    return "mock";
  }

  /** A provider whose VMs carry no owner (embedding and tests); the gateway uses the owner-aware one. */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config) {
    return create(vertx, config, (String) null);
  }

  /** Every VM it starts is labelled {@code owner: <context.owner()>}. */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config, ProviderContext context) {
    return create(vertx, config, context.owner());
  }

  private Future<CloudProvider> create(Vertx vertx, JsonObject config, String owner) {
    try {
      for (String key : config.fieldNames()) {
        if (!KEYS.contains(key)) {
          throw new IllegalArgumentException("unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
        }
      }
      String url = config.getString("url");
      boolean embedded = config.getBoolean("embedded", url == null);
      if (embedded == (url != null)) {
        throw new IllegalArgumentException(embedded ? "set either embedded: true or url, not both" : "url: required unless embedded: true");
      }
      long timeoutMs = Durations.parse(config.getString("timeout", "10s")).toMillis();
      boolean followEvents = config.getBoolean("events", true);
      if (!embedded) {
        URI api = parseUrl(url);
        return provider(vertx, api, timeoutMs, followEvents, () -> { }, owner);
      }
      MockCloudOptions options = embeddedOptions(config);
      return MockCloud.start(vertx, options).compose(mock -> {
        log.info("embedded mock cloud on {} (boot {}..{} ms)", mock.baseUrl(), options.bootMinMs(), options.bootMaxMs());
        return provider(vertx, URI.create(mock.baseUrl()), timeoutMs, followEvents, mock::close, owner);
      });
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException(e.getMessage(), e));
    }
  }

  /**
   * The provider, answered once its event stream is subscribed: a VM started through it right away (a first request
   * after start-up) must not boot before the stream is there to report it RUNNING. If the first attempt fails, or
   * takes longer than an API call may, the provider answers anyway: the stream retries on its own, and the gateway
   * polls describe meanwhile.
   */
  private static Future<CloudProvider> provider(Vertx vertx, URI api, long timeoutMs, boolean followEvents,
                                                Runnable onClose, String owner) {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setTcpNoDelay(true).setUserAgent("smart-gateway"));
    if (!followEvents) {
      return Future.succeededFuture(new MockCloudProvider(client, api, timeoutMs, null, onClose, owner));
    }
    MockEventStream events = new MockEventStream(vertx, api);
    events.connect();
    CloudProvider provider = new MockCloudProvider(client, api, timeoutMs, events, onClose, owner);
    return events.firstAttempt().timeout(timeoutMs, TimeUnit.MILLISECONDS).otherwiseEmpty().map(v -> provider);
  }

  private static MockCloudOptions embeddedOptions(JsonObject config) {
    long bootMin = nonNegative(config, "bootMinMs", 1000);
    long bootMax = nonNegative(config, "bootMaxMs", Math.max(bootMin, 3000));
    if (bootMax < bootMin) {
      throw new IllegalArgumentException("bootMaxMs: must be >= bootMinMs");
    }
    Set<String> resources = names(config, "resources");
    Set<String> h2cResources = names(config, "h2cResources");
    Long seed = config.getLong("seed");
    return MockCloudOptions.defaults()
        .withHost("127.0.0.1")
        .withPort(0)
        .withBootDelay(bootMin, bootMax)
        .withSeed(seed)
        .withResources(resources)
        .withH2cResources(h2cResources);
  }

  private static Set<String> names(JsonObject config, String key) {
    Object value = config.getValue(key);
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof JsonArray list) || list.stream().anyMatch(v -> !(v instanceof String))) {
      throw new IllegalArgumentException(key + ": must be a list of resource ids");
    }
    Set<String> names = new HashSet<>();
    list.forEach(v -> names.add((String) v));
    return names;
  }

  private static long nonNegative(JsonObject config, String key, long fallback) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.longValue() < 0) {
      throw new IllegalArgumentException(key + ": must be a non-negative number of milliseconds");
    }
    return n.longValue();
  }

  private static URI parseUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url: '" + url + "' is not a URL");
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
      throw new IllegalArgumentException("url: expected http://host:port, got '" + url + "'");
    }
    return uri;
  }
}
