package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;

import java.util.HashMap;
import java.util.Map;

/**
 * Clustered (DESIGN section 10): the instances other members manage, mirrored here as instances this gateway only
 * forwards to. A mirror comes up with its record (STARTING while its manager starts it, so held requests wait for it
 * instead of starting another), serves once its record says READY (held requests are released to it at once), drains
 * with it, pauses with it (a request here then waits, and asks its manager to resume it), and leaves when its record
 * says it stops or is removed (held requests are placed again). Its warm path is
 * the same lock-free lease as for an own instance; nothing here probes, times or stops it. Control context only.
 */
final class Mirrors {

  private final Lifecycle core;
  private final Map<String, ManagedInstance> byKey = new HashMap<>();

  Mirrors(Lifecycle core) {
    this.core = core;
  }

  ManagedInstance get(String key) {
    return byKey.get(key);
  }

  Iterable<ManagedInstance> all() {
    return byKey.values();
  }

  /** Another member wrote the record: the mirror follows it (an older record that arrives late is ignored). */
  void apply(SharedInstance record) {
    ManagedInstance mi = byKey.get(record.key());
    if (mi != null && mi.shared != null && record.seq() <= mi.shared.seq()) {
      return;
    }
    LifecycleState state = record.lifecycleState();
    if (state == LifecycleState.STOPPING || state.isDead()) {
      // Leaving: nothing more goes there from here.
      if (mi != null) {
        drop(mi);
      }
      return;
    }
    if (mi == null) {
      GroupSet groups;
      try {
        groups = GroupSet.of(record.groups());
      } catch (IllegalArgumentException e) {
        return; // not a group set this gateway could have been asked for
      }
      Pool pool = core.table.pool(record.resource(), groups);
      mi = new ManagedInstance(pool, core.refs.next(), core.scheduler.nanoTime(), core.scheduler.currentTimeMillis());
      mi.manager = record.member();
      mi.reportedActivityNanos = mi.lastActivityNanos(); // nothing to report until a request goes there
      core.table.add(mi);
      byKey.put(record.key(), mi);
    }
    mi.manager = record.member();
    mi.shared = record;
    if (record.host() != null) {
      mi.host = record.host();
      mi.port = record.port();
    }
    if (state == LifecycleState.SUSPENDED) {
      // Paused by its manager: a request here waits for it and asks the manager to resume it (Suspender#wake).
      mi.force(LifecycleState.SUSPENDED);
    } else if (state.isComingUp() && mi.compareAndSet(LifecycleState.SUSPENDED, LifecycleState.STARTING)) {
      // Its manager resumes it: held requests wait for it as for one starting.
      return;
    } else if (state == LifecycleState.READY) {
      mi.suspect(false);
      core.gate.recovered(mi.pool); // a VM of the pool came up elsewhere: its backoff (learned from there) is over
      if (mi.compareAndSet(LifecycleState.STARTING, LifecycleState.READY)
          || mi.compareAndSet(LifecycleState.DRAINING, LifecycleState.READY)
          || mi.compareAndSet(LifecycleState.SUSPENDED, LifecycleState.READY) || mi.state() == LifecycleState.READY) {
        core.dispatcher.pump(mi.pool);
      }
    } else if (state == LifecycleState.DRAINING) {
      // Still leasable: a request here revives it (and says so to its manager at once, ClusterSync#revivedMirror).
      mi.compareAndSet(LifecycleState.STARTING, LifecycleState.DRAINING);
      mi.compareAndSet(LifecycleState.READY, LifecycleState.DRAINING);
    }
  }

  /** The record is gone. */
  void removed(String key) {
    ManagedInstance mi = byKey.get(key);
    if (mi != null) {
      drop(mi);
    }
  }

  /** Leaves the table without a trace (it was never this gateway's): its pool's held requests go elsewhere. */
  void drop(ManagedInstance mi) {
    byKey.remove(mi.shared.key(), mi);
    mi.force(LifecycleState.STOPPING);
    core.table.remove(mi);
    core.dispatcher.reroute(mi.pool);
  }

  /** This member took the mirror over: it is no longer a mirror. */
  ManagedInstance take(String key) {
    return byKey.remove(key);
  }
}
