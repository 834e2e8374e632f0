package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What the gateway holds for one resource: its pools, and all their instances as one copy-on-write array
 * that the warm path reads without a lock. Changed on the control context only.
 */
final class ResourceEntry {

  private static final ManagedInstance[] NONE = new ManagedInstance[0];

  final String resource;
  final Map<GroupSet, Pool> pools = new HashMap<>(2);
  /** Every instance of every pool, for the warm path. */
  volatile ManagedInstance[] instances = NONE;
  /** Round-robin's turn (any thread). */
  final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
  /** Held requests for this resource (maxWaiting). */
  int waiting;

  ResourceEntry(String resource) {
    this.resource = resource;
  }

  void add(ManagedInstance mi) {
    ManagedInstance[] current = instances;
    ManagedInstance[] next = Arrays.copyOf(current, current.length + 1);
    next[current.length] = mi;
    instances = next;
  }

  /** Returns false if it was not there. */
  boolean remove(ManagedInstance mi) {
    ManagedInstance[] current = instances;
    int at = Arrays.asList(current).indexOf(mi);
    if (at < 0) {
      return false;
    }
    ManagedInstance[] next = new ManagedInstance[current.length - 1];
    System.arraycopy(current, 0, next, 0, at);
    System.arraycopy(current, at + 1, next, at, current.length - at - 1);
    instances = next;
    return true;
  }

  /**
   * The pool a caller holding {@code groups} can be served from: one with a serving instance first, else one
   * with an instance coming up; null if none (a start is needed).
   */
  Pool usableFor(GroupSet groups) {
    Pool comingUp = null;
    for (Pool pool : pools.values()) {
      if (!groups.containsAll(pool.groups)) {
        continue;
      }
      ManagedInstance usable = pool.usable();
      if (usable != null && usable.isLeasable()) {
        return pool;
      }
      if (usable != null && comingUp == null) {
        comingUp = pool;
      }
    }
    return comingUp;
  }

  /** Nothing running, starting, waiting: the entry can be forgotten. */
  boolean isIdle() {
    return waiting == 0 && instances.length == 0 && pools.values().stream().allMatch(Pool::isEmpty);
  }
}
