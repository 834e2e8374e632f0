package dev.smartgateway.config;

/**
 * Metrics (DESIGN section 9): Prometheus text at {@code GET /metrics} on the admin listener.
 *
 * @param enabled      whether the gateway keeps metrics at all ({@code metrics.enabled}, default true); off, the
 *                     request hook and the lifecycle subscriber are not installed and {@code /metrics} is not served
 *                     (an A/B of what metrics cost the warm path)
 * @param vertx        whether Vert.x's own HTTP server and client metrics are kept too ({@code metrics.vertx}, default false); they are switched on when Vert.x is created, so only where the gateway creates its Vert.x
 *                     ({@code GatewayMain}), not for an embedder's
 * @param maxResources resources that get a {@code resource} label of their own ({@code metrics.maxResources}, default
 *                     100): the first ones served since start (those listed under {@code resources} first); the rest
 *                     are counted as {@code other}. 0: no per-resource series at all
 */
public record MetricsConfig(boolean enabled, boolean vertx, int maxResources) {

  public static MetricsConfig defaults() {
    return new MetricsConfig(true, false, 100);
  }

  /** Metrics off (tests, embedding). */
  public static MetricsConfig off() {
    return new MetricsConfig(false, false, 100);
  }
}
