package dev.smartgateway.observe.metrics;

import java.time.Duration;

/**
 * The gateway's meters, in Micrometer's dotted form; the Prometheus registry writes them in snake case with the
 * unit and {@code _total} added ({@code smart.gateway.cold.start} is {@code smart_gateway_cold_start_seconds}).
 * README "Metrics" lists them as scraped.
 */
final class Names {

  static final String COLD_START = "smart.gateway.cold.start";
  static final String HOLD = "smart.gateway.hold";
  static final String HELD_REQUESTS = "smart.gateway.held.requests";
  static final String REJECTIONS = "smart.gateway.rejections";
  static final String INSTANCES = "smart.gateway.instances";
  static final String STARTS = "smart.gateway.starts";
  static final String STOPS = "smart.gateway.stops";
  static final String CLOUD_CALL = "smart.gateway.cloud.call";
  static final String CLOUD_CALLS_REFUSED = "smart.gateway.cloud.calls.refused";
  static final String REQUESTS = "smart.gateway.requests";
  static final String REQUEST_BYTES = "smart.gateway.request.bytes";
  static final String ACCESS_LOG_DROPPED = "smart.gateway.access.log.dropped";
  static final String STORE_DROPPED = "smart.gateway.store.dropped";
  static final String STORE_QUEUE = "smart.gateway.store.queue";
  static final String CACHE_REQUESTS = "smart.gateway.cache.requests";
  static final String CACHE_STORED = "smart.gateway.cache.stored";

  /** Phases of the cold-start histogram. */
  static final String CLOUD_CALL_PHASE = "cloud_call";
  static final String BOOT = "boot";
  static final String PROBE = "probe";
  static final String FIRST_BYTE = "first_byte";
  static final String TOTAL = "total";

  /** Buckets of a cold start or a hold: 10 ms to 10 min. */
  static final Duration[] START_BUCKETS = durations(10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000,
      30_000, 60_000, 120_000, 300_000, 600_000);
  /** Buckets of one cloud API call: 5 ms to 1 min. */
  static final Duration[] CLOUD_BUCKETS = durations(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000,
      30_000, 60_000);

  private Names() {
  }

  private static Duration[] durations(long... millis) {
    Duration[] out = new Duration[millis.length];
    for (int i = 0; i < millis.length; i++) {
      out[i] = Duration.ofMillis(millis[i]);
    }
    return out;
  }
}
