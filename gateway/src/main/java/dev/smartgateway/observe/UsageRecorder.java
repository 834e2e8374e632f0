package dev.smartgateway.observe;

import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.store.StoreWrites;
import dev.smartgateway.store.UsageInterval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Usage as a cloud bill follows it (DESIGN section 9): one interval per instance, from the start call until
 * the cloud confirmed the stop (a start refused outright, with no VM, ends at its failure). A VM adopted
 * after a restart continues the interval its earlier life opened, so a restart neither loses nor doubles
 * time. Control context only (a lifecycle event subscriber).
 */
public final class UsageRecorder implements Consumer<LifecycleEvent> {

  private final String gateway;
  private final StoreWrites writes;
  /** Open intervals by ref. */
  private final Map<String, UsageInterval> open = new HashMap<>();
  /** Intervals left open by an earlier life of this gateway, by the cloud's instance id, until adopted or closed. */
  private final Map<String, UsageInterval> inherited = new HashMap<>();
  /** An adopted VM's new ref → the ref its interval is kept under. */
  private final Map<String, String> aliases = new HashMap<>();

  public UsageRecorder(String gateway, StoreWrites writes) {
    this.gateway = gateway;
    this.writes = writes;
  }

  /** Intervals the store still has open from this gateway's earlier life (read before the lifecycle starts). */
  public void inherit(List<UsageInterval> stillOpen) {
    for (UsageInterval interval : stillOpen) {
      if (gateway.equals(interval.gateway()) && interval.instanceId() != null) {
        inherited.put(interval.instanceId(), interval);
      }
    }
  }

  /**
   * Adoption is over: VMs of the earlier life that were not adopted are gone (stopped while no gateway watched);
   * their intervals end now — the latest moment they can have run until, as far as this gateway knows.
   */
  public void adoptionDone(long now) {
    inherited.values().forEach(interval -> writes.usage(end(interval, now)));
    inherited.clear();
  }

  @Override
  public void accept(LifecycleEvent e) {
    switch (e.type()) {
      case STARTING -> starting(e);
      case WARMING -> {
        UsageInterval interval = open.get(key(e.ref()));
        if (interval != null && interval.instanceId() == null && e.instanceId() != null) {
          put(new UsageInterval(interval.ref(), interval.resource(), interval.groups(), e.instanceId(),
              interval.startedAt(), 0, gateway));
        }
      }
      case STOPPED -> close(e);
      case FAILED -> {
        if (e.instanceId() == null) {
          close(e); // the start call failed: no VM ran
        }
      }
      default -> {
        // READY, DRAINING, REVIVED, STOPPING: the VM runs (and costs) on.
      }
    }
  }

  private void starting(LifecycleEvent e) {
    UsageInterval earlier = e.instanceId() == null ? null : inherited.remove(e.instanceId());
    if (earlier != null) {
      aliases.put(e.ref(), earlier.ref());
      open.put(earlier.ref(), earlier);
      return;
    }
    put(new UsageInterval(e.ref(), e.resource(), HistoryEvents.sorted(e.groups()), e.instanceId(), e.at(), 0, gateway));
  }

  private void close(LifecycleEvent e) {
    String key = key(e.ref());
    UsageInterval interval = open.remove(key);
    aliases.remove(e.ref());
    if (interval != null) {
      writes.usage(end(interval, e.at()));
    }
  }

  private void put(UsageInterval interval) {
    open.put(interval.ref(), interval);
    writes.usage(interval);
  }

  private String key(String ref) {
    return aliases.getOrDefault(ref, ref);
  }

  private static UsageInterval end(UsageInterval i, long at) {
    return new UsageInterval(i.ref(), i.resource(), i.groups(), i.instanceId(), i.startedAt(),
        Math.max(at, i.startedAt()), i.gateway());
  }
}
