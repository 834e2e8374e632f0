package dev.smartgateway.observe.metrics;

import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.lifecycle.LifecycleState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What lifecycle events say, as meters: the cold-start histogram of every start by phase and outcome, starts
 * and stops by reason, instances by state. A lifecycle event subscriber: it runs on the control context, after
 * the fact, and is never called by the data path. Its maps are the control context's; the instance counts are
 * atomics because the scrape reads them from elsewhere.
 */
final class LifecycleMetrics implements java.util.function.Consumer<LifecycleEvent> {

  /** The states an instance is counted in; FAILED and STOPPED are ends (the instance is gone, or going). */
  static final List<LifecycleState> COUNTED = List.of(LifecycleState.STARTING, LifecycleState.WARMING,
      LifecycleState.READY, LifecycleState.DRAINING, LifecycleState.SUSPENDED, LifecycleState.STOPPING);

  private final ResourceLabels<ResourceMeters> labels;
  private final Meter.MeterProvider<Timer> coldStart;
  private final Meter.MeterProvider<Counter> starts;
  private final Meter.MeterProvider<Counter> stops;
  private final Map<LifecycleState, AtomicInteger> counts = new EnumMap<>(LifecycleState.class);
  /** Instance ref → its state, for the counts. */
  private final Map<String, LifecycleState> states = new HashMap<>();
  /** Instance ref → its start, until the start's outcome. */
  private final Map<String, Start> open = new HashMap<>();

  private record Start(LifecycleEvent.Cause cause, long at) {
  }

  LifecycleMetrics(MeterRegistry registry, ResourceLabels<ResourceMeters> labels) {
    this.labels = labels;
    this.coldStart = coldStartTimer(registry);
    this.starts = Counter.builder(Names.STARTS)
        .description("Starts ended, by why they began (request, by_hand, adopted, load, floor) and how they ended (ready,"
            + " timeout, failed, cancelled)")
        .withRegistry(registry);
    this.stops = Counter.builder(Names.STOPS)
        .description("Instances ended, by why (idle, by_hand, unregistered, load, failed)")
        .withRegistry(registry);
    for (LifecycleState state : COUNTED) {
      AtomicInteger count = new AtomicInteger();
      counts.put(state, count);
      Gauge.builder(Names.INSTANCES, count, AtomicInteger::get)
          .description("Instances of this gateway now, by state (STARTING, WARMING, READY, DRAINING, SUSPENDED, STOPPING)")
          .tag("state", state.name())
          .strongReference(true)
          .register(registry);
    }
  }

  /** The cold-start histogram (shared with the request hook, which records the first_byte phase). */
  static Meter.MeterProvider<Timer> coldStartTimer(MeterRegistry registry) {
    return Timer.builder(Names.COLD_START)
        .description("Cold starts by phase (cloud_call: the start call until the cloud accepted it; boot: until it"
            + " reported the VM running; probe: port open until the readiness probe passed; first_byte: a held"
            + " request until its first response byte; total: the start until its outcome) and outcome (ready,"
            + " timeout, failed, cancelled)")
        .serviceLevelObjectives(Names.START_BUCKETS)
        .withRegistry(registry);
  }

  @Override
  public void accept(LifecycleEvent e) {
    count(e);
    if (e.type() == LifecycleEvent.Type.STARTING) {
      open.put(e.ref(), new Start(e.cause(), e.at()));
    }
    String outcome = Categories.startOutcome(e);
    if (outcome != null) {
      ended(e, outcome);
    }
    String stopReason = Categories.stopReason(e);
    if (stopReason != null) {
      stops.withTags("reason", stopReason).increment();
    }
  }

  private void ended(LifecycleEvent e, String outcome) {
    Start start = open.remove(e.ref());
    if (start == null) {
      return;
    }
    starts.withTags("reason", Categories.startReason(start.cause()), "outcome", outcome).increment();
    if (start.cause() == LifecycleEvent.Cause.ADOPTED) {
      // Found running at start-up: its phases were not seen, and it was no cold start of this gateway's.
      return;
    }
    // A resource that became ready is real: it may take a label of its own. Failures only use one it has.
    String resource = labels.get(e.resource(), outcome.equals(Categories.READY)).label;
    LifecycleEvent.Phases p = e.phases();
    record(Names.CLOUD_CALL_PHASE, outcome, resource, p.cloudCallMs());
    record(Names.BOOT, outcome, resource, p.bootMs());
    record(Names.PROBE, outcome, resource, p.probeMs());
    record(Names.TOTAL, outcome, resource, e.at() - start.at());
  }

  private void record(String phase, String outcome, String resource, long ms) {
    if (ms >= 0) {
      coldStart.withTags("phase", phase, "outcome", outcome, "resource", resource).record(ms, TimeUnit.MILLISECONDS);
    }
  }

  private void count(LifecycleEvent e) {
    LifecycleState before = states.remove(e.ref());
    if (before != null) {
      counts.get(before).decrementAndGet();
    }
    AtomicInteger now = counts.get(e.to());
    if (now != null) {
      now.incrementAndGet();
      states.put(e.ref(), e.to());
    }
  }
}
