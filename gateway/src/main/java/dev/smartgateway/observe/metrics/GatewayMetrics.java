package dev.smartgateway.observe.metrics;

import dev.smartgateway.cloud.CloudCallListener;
import dev.smartgateway.cloud.ProviderRegistry;
import dev.smartgateway.cloud.ResilientCloudProvider;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.MetricsConfig;
import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.proxy.AccessLog;
import dev.smartgateway.proxy.RequestHook;
import dev.smartgateway.store.StoreWriter;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The gateway's metrics (DESIGN section 9), exported in Prometheus' text format at {@code GET /metrics} on the
 * admin listener. Like the rest of {@code observe} it stands beside the data path and learns of everything
 * through what the others publish: lifecycle events ({@link #lifecycleEvents()}), the end-of-request hook
 * ({@link #hooks()}), cloud calls ({@link #cloudCalls()}); it reads a few counters the others keep (held
 * requests, the store's queue, the access log's drops) when it is scraped. Nothing here is called by the data
 * path, and nothing here calls into it.
 *
 * <p>One registry holds it all: the one Vert.x's own metrics go to when the gateway's Vert.x was created with
 * them ({@link MetricsVertx}), else one of its own (the gateway's series only). With {@code metrics.enabled:
 * false} this is {@link #off()}: no hook, no subscriber, no {@code /metrics}.
 */
public final class GatewayMetrics {

  private static final GatewayMetrics OFF = new GatewayMetrics();

  private final PrometheusMeterRegistry registry;
  private final boolean ownRegistry;
  private final ResourceLabels<ResourceMeters> labels;
  private final LifecycleMetrics lifecycle;
  private final RequestMetrics requests;
  private final CloudCallMetrics cloudCalls;
  private volatile IntSupplier held = () -> 0;

  private GatewayMetrics() {
    registry = null;
    ownRegistry = false;
    labels = null;
    lifecycle = null;
    requests = null;
    cloudCalls = null;
  }

  private GatewayMetrics(MetricsConfig config, PrometheusMeterRegistry registry, boolean ownRegistry,
                         Iterable<String> configured) {
    this.registry = registry;
    this.ownRegistry = ownRegistry;
    this.labels = new ResourceLabels<>(config.maxResources(), label -> new ResourceMeters(label, registry));
    // Resources listed in the configuration are real: they take their places first, in the order of their names.
    configured.forEach(resource -> labels.get(resource, true));
    this.lifecycle = new LifecycleMetrics(registry, labels);
    this.requests = new RequestMetrics(registry, labels);
    this.cloudCalls = new CloudCallMetrics(registry);
    Gauge.builder(Names.HELD_REQUESTS, this, m -> m.held.getAsInt())
        .description("Requests held now, waiting for a VM to become ready")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder(Names.ACCESS_LOG_DROPPED, AccessLog.class, c -> AccessLog.dropped())
        .description("Access log lines dropped since start because stdout did not keep up (README \"Logs\")")
        .register(registry);
  }

  /**
   * The metrics of a gateway with this configuration.
   *
   * @param vertxRegistry the registry Vert.x's own metrics go to ({@link MetricsVertx}), or null: then the gateway
   *                      keeps a registry of its own
   */
  public static GatewayMetrics create(GatewayConfig config, PrometheusMeterRegistry vertxRegistry) {
    MetricsConfig settings = config.metrics();
    if (!settings.enabled()) {
      return OFF;
    }
    boolean own = vertxRegistry == null;
    PrometheusMeterRegistry registry = own ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : vertxRegistry;
    return new GatewayMetrics(settings, registry, own, new TreeSet<>(config.resources().keySet()));
  }

  /** No metrics ({@code metrics.enabled: false}). */
  public static GatewayMetrics off() {
    return OFF;
  }

  public boolean enabled() {
    return registry != null;
  }

  /** Told of every cloud API call ({@link ProviderRegistry#create(io.vertx.core.Vertx, GatewayConfig, CloudCallListener)}). */
  public CloudCallListener cloudCalls() {
    return enabled() ? cloudCalls : CloudCallListener.NONE;
  }

  /** The lifecycle event subscriber (it must see every event from the first). */
  public Consumer<LifecycleEvent> lifecycleEvents() {
    return enabled() ? lifecycle : e -> { };
  }

  /** The end-of-request hook's subscribers: none when metrics are off (the warm path then pays nothing). */
  public List<RequestHook> hooks() {
    return enabled() ? List.of(requests) : List.of();
  }

  /** Watches what the providers and the store keep: the circuit breakers' state and calls, the store's queue. */
  public void watch(ProviderRegistry providers, StoreWriter writer) {
    if (!enabled()) {
      return;
    }
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(providers.breakers()).bindTo(registry);
    for (var provider : providers.all()) {
      if (provider instanceof ResilientCloudProvider resilient) {
        cloudCalls.prepare(resilient.name());
      }
    }
    FunctionCounter.builder(Names.STORE_DROPPED, writer, StoreWriter::dropped)
        .description("Store writes (history, tasks, usage) dropped since start because the write queue was full")
        .register(registry);
    Gauge.builder(Names.STORE_QUEUE, writer, StoreWriter::queued)
        .description("Store writes waiting for the database")
        .strongReference(true)
        .register(registry);
  }

  /** Where the response caches' bytes are counted ({@code ResponseCaches::storedBytes}). */
  public void watchCache(java.util.function.LongSupplier storedBytes) {
    if (enabled()) {
      requests.cache.watch(storedBytes);
    }
  }

  /** Where held requests are counted ({@code LifecycleManager::waiting}), once the lifecycle runs. */
  public void watchHeld(IntSupplier waiting) {
    held = waiting;
  }

  /** Mounts {@code GET /metrics} (the admin listener's bearer token applies); nothing when metrics are off. */
  public void mount(Router router) {
    if (enabled()) {
      router.get(MetricsEndpoint.PATH).handler(new MetricsEndpoint(registry));
    }
  }

  /** The registry (tests, embedders that add meters of their own); null when metrics are off. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Removes this gateway's meters (a registry shared with Vert.x outlives it, and a gateway started again on the
   * same Vert.x registers its own); closes the registry if it is the gateway's own.
   */
  public void close() {
    if (!enabled()) {
      return;
    }
    List<Meter> ours = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getName();
      if (name.startsWith("smart.gateway.") || name.startsWith("resilience4j.circuitbreaker.")) {
        ours.add(meter);
      }
    }
    ours.forEach(registry::remove);
    if (ownRegistry) {
      registry.close();
    }
  }
}
