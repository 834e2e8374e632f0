package dev.smartgateway.observe.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.LongAdder;

/**
 * One {@code resource} label's request counters: requests by status class and body bytes each way. Plain
 * {@link LongAdder}s that the registry reads when it is scraped ({@link FunctionCounter}s): counting a request is
 * a few uncontended adds, with no meter lookup, no tag objects and no lock. (The registry holds its counters'
 * objects weakly: these live as long as the {@link ResourceLabels} that keeps them, which is the gateway's.)
 */
final class ResourceMeters {

  final String label;
  private final LongAdder[] byClass = new LongAdder[Categories.STATUS_CLASSES.length];
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();

  /** Registers the counters of this label (every status class from 0 on, so a rate sees the first request). */
  ResourceMeters(String label, MeterRegistry registry) {
    this.label = label;
    for (int i = 0; i < byClass.length; i++) {
      byClass[i] = new LongAdder();
      FunctionCounter.builder(Names.REQUESTS, byClass[i], LongAdder::doubleValue)
          .description("Requests answered, by resource and status class (resource: other beyond metrics.maxResources,"
              + " none when the URL named no valid resource)")
          .tags("resource", label, "status_class", Categories.STATUS_CLASSES[i])
          .register(registry);
    }
    FunctionCounter.builder(Names.REQUEST_BYTES, bytesIn, LongAdder::doubleValue)
        .description("Body bytes of proxied requests: in = request bodies passed to the VM, out = response bodies"
            + " sent to the client")
        .tags("resource", label, "direction", "in")
        .register(registry);
    FunctionCounter.builder(Names.REQUEST_BYTES, bytesOut, LongAdder::doubleValue)
        .description("Body bytes of proxied requests: in = request bodies passed to the VM, out = response bodies"
            + " sent to the client")
        .tags("resource", label, "direction", "out")
        .register(registry);
  }

  /** One request answered. */
  void count(int status, long in, long out) {
    byClass[Categories.statusClass(status)].increment();
    if (in > 0) {
      bytesIn.add(in);
    }
    if (out > 0) {
      bytesOut.add(out);
    }
  }
}
