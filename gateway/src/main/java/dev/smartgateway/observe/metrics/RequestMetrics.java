package dev.smartgateway.observe.metrics;

import dev.smartgateway.proxy.RequestHook;
import dev.smartgateway.proxy.RequestRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The end-of-request hook's metrics subscriber: requests by resource and status class, body bytes, rejections by
 * problem, held requests' waits, and the first_byte phase of cold starts.
 *
 * <p>It runs once per request on the event loop that served it, so the warm path pays for it on every request. What
 * a warm request costs here: one {@link ConcurrentHashMap#get} for its resource's {@link ResourceMeters} (the label is
 * resolved once, when the resource is admitted, never per request), one status-class index and two or three
 * {@link java.util.concurrent.atomic.LongAdder} adds. No meter is looked up, no tag or string is built, nothing is
 * locked; a Prometheus scrape reads the adders. Rejections (a handful of problem slugs) have their counters cached
 * per slug; only held requests, which have just waited for a VM, touch a histogram.
 */
final class RequestMetrics implements RequestHook {

  private final ResourceLabels<ResourceMeters> labels;
  private final Meter.MeterProvider<Timer> coldStart;
  private final Meter.MeterProvider<Counter> rejectionCounter;
  private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
  private final Map<String, Timer> holds = new ConcurrentHashMap<>();
  private final Meter.MeterProvider<Timer> hold;
  final CacheMeters cache;

  RequestMetrics(MeterRegistry registry, ResourceLabels<ResourceMeters> labels) {
    this.labels = labels;
    this.coldStart = LifecycleMetrics.coldStartTimer(registry);
    this.cache = new CacheMeters(registry);
    this.rejectionCounter = Counter.builder(Names.REJECTIONS)
        .description("Requests the gateway answered with a problem, by its slug (waiters-full, start-timeout,"
            + " boot-failed, unknown-resource, ...; README \"Errors\")")
        .withRegistry(registry);
    this.hold = Timer.builder(Names.HOLD)
        .description("How long held (cold) requests waited for a VM, by how the wait ended (ready, timeout, failed,"
            + " cancelled, abandoned, other)")
        .serviceLevelObjectives(Names.START_BUCKETS)
        .withRegistry(registry);
  }

  @Override
  public void requestFinished(RequestRecord r) {
    // A resource takes a label of its own once a VM has served it: made-up names cannot use up the places.
    ResourceMeters meters = labels.get(r.resource(), r.error() == null && r.instance() != null);
    meters.count(r.status(), r.bytesIn(), r.bytesOut());
    if (r.error() != null) {
      String slug = Categories.rejection(r);
      if (slug != null) {
        rejections.computeIfAbsent(slug, s -> rejectionCounter.withTags("reason", s)).increment();
      }
    }
    if (r.held()) {
      held(r, meters.label);
    }
    if (r.cache() != null) {
      cache.count(r.cache());
    }
  }

  /** A request that was held for a VM: its wait, and for a start's outcome the time to its first byte. */
  private void held(RequestRecord r, String resource) {
    String outcome = Categories.heldOutcome(r);
    holds.computeIfAbsent(outcome, o -> hold.withTags("outcome", o)).record(r.waitMs(), TimeUnit.MILLISECONDS);
    if (outcome.equals(Categories.ABANDONED) || outcome.equals(Categories.OTHER)) {
      return;
    }
    // The VM's first byte; for a failed start its problem, which is all the client gets.
    long firstByte = outcome.equals(Categories.READY) && r.firstByteMs() >= 0 ? r.firstByteMs() : r.totalMs();
    coldStart.withTags("phase", Names.FIRST_BYTE, "outcome", outcome, "resource", resource)
        .record(firstByte, TimeUnit.MILLISECONDS);
  }
}
