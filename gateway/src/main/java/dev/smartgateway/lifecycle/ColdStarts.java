package dev.smartgateway.lifecycle;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How long a resource's VMs usually take to start, for "usually ready in about N s": the median of the last
 * {@value #SAMPLES} STARTING → READY durations of each resource, learnt from the lifecycle's own READY events
 * (their phases add up to the whole start). Adopted VMs, whose start the gateway did not see, are not counted.
 * Bounded: {@value #SAMPLES} numbers per resource, and the resources whose last cold start is the oldest are
 * forgotten first past {@code maxResources}. Control context only (events are published there).
 */
final class ColdStarts implements Consumer<LifecycleEvent> {

  static final int SAMPLES = 20;
  /** Resources kept at most (each about 250 bytes). */
  static final int RESOURCES_KEPT = 10_000;

  private final Map<String, Samples> byResource;

  ColdStarts() {
    this(RESOURCES_KEPT);
  }

  ColdStarts(int maxResources) {
    this.byResource = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Samples> eldest) {
        return size() > maxResources;
      }
    };
  }

  @Override
  public void accept(LifecycleEvent event) {
    if (event.type() != LifecycleEvent.Type.READY) {
      return;
    }
    LifecycleEvent.Phases p = event.phases();
    if (p.cloudCallMs() < 0 || p.bootMs() < 0 || p.probeMs() < 0) {
      return;
    }
    record(event.resource(), p.cloudCallMs() + p.bootMs() + p.probeMs());
  }

  void record(String resource, long ms) {
    Samples samples = byResource.remove(resource); // re-inserted: the most recent cold start is the last forgotten
    if (samples == null) {
      samples = new Samples();
    }
    samples.add(ms);
    byResource.put(resource, samples);
  }

  /** The median of the resource's recent cold starts in ms, or null if none is known. */
  Long typicalMs(String resource) {
    Samples samples = byResource.get(resource);
    return samples == null ? null : samples.median();
  }

  int size() {
    return byResource.size();
  }

  /** A ring of the last {@value #SAMPLES} durations. */
  private static final class Samples {
    private final long[] ring = new long[SAMPLES];
    private int count;
    private int next;

    void add(long ms) {
      ring[next] = ms;
      next = (next + 1) % SAMPLES;
      count = Math.min(SAMPLES, count + 1);
    }

    long median() {
      long[] sorted = Arrays.copyOf(ring, count);
      Arrays.sort(sorted);
      int mid = count / 2;
      return count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
  }
}
