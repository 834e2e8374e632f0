package dev.smartgateway.observe.metrics;

import dev.smartgateway.cloud.CloudCallListener;
import dev.smartgateway.cloud.CloudException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Cloud API calls as meters: each attempt's latency by provider, operation and outcome ({@code ok}, or the
 * {@link CloudException.Kind} it failed with, lower case; {@code error} for anything else), and the calls the
 * circuit breaker refused. Labels come from the configuration and fixed sets, so they are bounded.
 */
final class CloudCallMetrics implements CloudCallListener {

  private final Meter.MeterProvider<Timer> calls;
  private final Meter.MeterProvider<Counter> refused;

  CloudCallMetrics(MeterRegistry registry) {
    this.calls = Timer.builder(Names.CLOUD_CALL)
        .description("Cloud API calls (each attempt; retries count again) by provider, operation (start, describe,"
            + " stop, list) and outcome (ok, transient, timeout, capacity, refused, unknown_resource,"
            + " instance_not_found, permanent, error)")
        .serviceLevelObjectives(Names.CLOUD_BUCKETS)
        .withRegistry(registry);
    this.refused = Counter.builder(Names.CLOUD_CALLS_REFUSED)
        .description("Cloud API calls not made because the provider's circuit breaker was open")
        .withRegistry(registry);
  }

  /** Registers a provider's refusal counters at 0, so that a rate over them works from its first refusal on. */
  void prepare(String provider) {
    for (String operation : new String[] {"start", "describe", "stop", "list"}) {
      refused.withTags("provider", provider, "operation", operation);
    }
  }

  @Override
  public void attempted(String provider, String operation, long nanos, Throwable failure) {
    calls.withTags("provider", provider, "operation", operation, "outcome", outcome(failure))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void refused(String provider, String operation) {
    refused.withTags("provider", provider, "operation", operation).increment();
  }

  static String outcome(Throwable failure) {
    if (failure == null) {
      return "ok";
    }
    return failure instanceof CloudException ce ? ce.kind().name().toLowerCase(Locale.ROOT) : "error";
  }
}
