package dev.smartgateway.observe.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The response cache's series: requests a cache answered (hit) or passed to the VM (miss), and the bytes it holds.
 * Counted from the end-of-request record (its {@code cache} field) with two uncontended adds; the bytes are read from
 * the caches when Prometheus scrapes.
 */
final class CacheMeters {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private volatile LongSupplier storedBytes = () -> 0;

  CacheMeters(MeterRegistry registry) {
    for (String result : new String[] {"hit", "miss"}) {
      FunctionCounter.builder(Names.CACHE_REQUESTS, result.equals("hit") ? hits : misses, LongAdder::doubleValue)
          .description("Requests to resources with a response cache that could use it: hit = answered from the cache"
              + " (no VM), miss = answered by the VM")
          .tags("result", result)
          .register(registry);
    }
    Gauge.builder(Names.CACHE_STORED, this, m -> m.storedBytes.getAsLong())
        .description("Bytes the response caches hold (bodies and headers), all resources together")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
  }

  /** One request's {@code cache} field: HIT, MISS, none or null. */
  void count(String cache) {
    if ("HIT".equals(cache)) {
      hits.increment();
    } else if ("MISS".equals(cache)) {
      misses.increment();
    }
  }

  void watch(LongSupplier bytes) {
    storedBytes = bytes;
  }
}
