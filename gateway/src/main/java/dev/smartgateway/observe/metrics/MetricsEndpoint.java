package dev.smartgateway.observe.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: the registry in Prometheus' text format (version 0.0.4). The text is written on a worker
 * thread: with many resources a scrape formats thousands of series, and the admin listener's event loop may be
 * one that carries traffic too.
 */
final class MetricsEndpoint implements Handler<RoutingContext> {

  static final String PATH = "/metrics";
  /** What Prometheus asks for by default and what every scraper reads. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  MetricsEndpoint(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.vertx().executeBlocking(registry::scrape, false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(500, ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(ar.result());
      }
    });
  }
}
