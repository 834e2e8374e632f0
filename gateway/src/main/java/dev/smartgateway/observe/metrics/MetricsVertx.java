package dev.smartgateway.observe.metrics;

import dev.smartgateway.config.MetricsConfig;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vert.x with its own metrics on (vertx-micrometer-metrics), going to the registry the gateway's metrics use:
 * HTTP server and client requests, response times and sizes, open connections and WebSockets, and the JVM's
 * memory, GC and threads. Vert.x metrics can only be switched on when Vert.x is created, so {@code GatewayMain}
 * creates its Vert.x here; a gateway started on any other Vert.x (tests, embedders) has the gateway's series only.
 *
 * <p>Kept bounded: only the HTTP server and client domains (no event bus, pools, verticles, net or datagram
 * series), and only the {@code method} and {@code code} labels — never the path, the route or a remote address (a
 * VM's address changes with every start). Methods outside the standard ones are counted as {@code other}: a client
 * may send any token as a method.
 */
public final class MetricsVertx {

  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
      "TRACE", "PATCH");
  /** Vert.x keeps backend registries by name, process-wide: each of ours is a name of its own. */
  private static final AtomicInteger NAMES = new AtomicInteger();

  /**
   * A Vert.x, and the registry its metrics go to (null if it has none).
   *
   * @param vertx    the Vert.x to run the gateway on
   * @param registry give it to {@code Gateway.start}: the gateway's series join Vert.x's there
   */
  public record Created(Vertx vertx, PrometheusMeterRegistry registry) {
  }

  private MetricsVertx() {
  }

  /** A Vert.x with metrics if {@code metrics.enabled} and {@code metrics.vertx}; a plain one otherwise. */
  public static Created create(MetricsConfig config) {
    Prepared prepared = prepare(config, new VertxOptions());
    return new Created(prepared.builder().build(), prepared.registry());
  }

  /** A builder of such a Vert.x over {@code options} (a clustered one is built from it), and its registry. */
  public record Prepared(io.vertx.core.VertxBuilder builder, PrometheusMeterRegistry registry) {
  }

  /** As {@link #create}, but not built yet: {@code options} are the caller's (the cluster's event bus, say). */
  public static Prepared prepare(MetricsConfig config, VertxOptions base) {
    if (!config.enabled() || !config.vertx()) {
      return new Prepared(Vertx.builder().with(base), null);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.replaceTagValues(Label.HTTP_METHOD.toString(),
        method -> METHODS.contains(method) ? method : "other"));
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName("smart-gateway-" + NAMES.incrementAndGet())
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE));
    for (MetricsDomain domain : EnumSet.complementOf(EnumSet.of(MetricsDomain.HTTP_SERVER, MetricsDomain.HTTP_CLIENT))) {
      options.addDisabledMetricsCategory(domain);
    }
    return new Prepared(Vertx.builder()
        .with(base.setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(registry)), registry);
  }
}
