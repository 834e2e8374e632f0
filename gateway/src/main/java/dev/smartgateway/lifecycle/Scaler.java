package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.lifecycle.LifecycleEvent.Cause;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replicas (DESIGN section 6, 7a): on a short tick, keeps each listed resource's floor running —
 * {@code minInstances}, or more inside a {@code keepWarm} window (started its {@code lead} before it opens) — in
 * the resource's open pool (no groups: those VMs serve every caller), and sizes each pool by its load: requests in
 * flight per ready VM above {@code targetConcurrency} for a moment starts one more (one start at a time,
 * up to maxInstances); a load that fits in one VM fewer for {@code scaleDownDelay} drains one (one at a time,
 * never below the floor; the last goes by idleTimeout). The tick runs only while there is something to watch.
 * Control context only.
 */
final class Scaler {

  static final long TICK_MS = 250;
  /** A load above the target must last this long before a pool grows: one moment's burst is no trend. */
  static final long SCALE_UP_AFTER_MS = 500;
  static final GroupSet OPEN = GroupSet.of();

  private final Lifecycle core;
  private long timer = -1;

  Scaler(Lifecycle core) {
    this.core = core;
  }

  /** Something changed (start-up, a VM ready, settings): the tick runs, if it does not already. */
  void wake() {
    if (timer < 0 && !core.closed) {
      timer = core.scheduler.schedule(1, this::tick);
    }
  }

  private void tick() {
    timer = -1;
    if (core.closed) {
      return;
    }
    long now = core.scheduler.nanoTime();
    long wall = core.scheduler.currentTimeMillis();
    boolean watching = false;
    for (Map.Entry<String, ResourceSettings> listed : core.catalog.listed().entrySet()) {
      ResourceSettings settings = listed.getValue();
      if (settings.minInstances() > 0 || !settings.keepWarm().isEmpty()) {
        watching = true;
        keepFloor(listed.getKey(), settings.floorAt(wall));
      }
    }
    List<ResourceEntry> entries = new ArrayList<>();
    core.table.entries().forEach(entries::add); // a drain below may forget an entry
    for (ResourceEntry entry : entries) {
      for (Pool pool : new ArrayList<>(entry.pools.values())) {
        watching |= size(pool, now, wall);
      }
    }
    if (watching) {
      timer = core.scheduler.schedule(TICK_MS, this::tick);
    }
  }

  /** The floor of a pool at {@code wall}: only the open pool of a resource has one. */
  int floor(Pool pool, long wall) {
    return pool.groups.size() == 0 ? core.settings(pool.resource).floorAt(wall) : 0;
  }

  /** Whether draining this instance would take its pool below its floor (the idle reaper keeps it then). */
  boolean keeps(ManagedInstance mi) {
    int floor = floor(mi.pool, core.scheduler.currentTimeMillis());
    return floor > 0 && up(mi.pool) <= floor;
  }

  /** Instances of the pool that run or come up (not draining, suspended or dying). */
  private static int up(Pool pool) {
    int up = 0;
    for (ManagedInstance mi : pool.instances) {
      LifecycleState s = mi.state();
      if (s == LifecycleState.READY || s.isComingUp()) {
        up++;
      }
    }
    return up;
  }

  private void keepFloor(String resource, int floor) {
    if (floor == 0 || core.unknown.isUnknown(resource, core.scheduler.nanoTime())) {
      return;
    }
    Pool open = core.table.pool(resource, OPEN);
    core.suspender.wake(open, Cause.FLOOR); // a paused one counts once resumed
    for (int up = up(open); up < floor; up++) {
      if (core.launcher.launch(open, "kept running: at least " + floor + " (minInstances, keepWarm)", Cause.FLOOR) != null) {
        break; // refused (backing off after a failure, at a limit): the next tick tries again
      }
    }
  }

  /** Grows or shrinks the pool by its load; false if it has no instance (nothing to watch). */
  private boolean size(Pool pool, long now, long wall) {
    if (pool.instances.isEmpty()) {
      pool.trend = 0;
      return false;
    }
    int ready = 0;
    int comingUp = 0;
    long load = 0; // in flight on the ready VMs
    ManagedInstance lightest = null;
    for (ManagedInstance mi : pool.instances) {
      if (mi.isLeasable() && mi.state() == LifecycleState.READY) {
        ready++;
        load += mi.inFlight();
        if (mi.isMirror()) {
          continue; // another member's to drain
        }
        if (lightest == null || mi.inFlight() < lightest.inFlight()
            || mi.inFlight() == lightest.inFlight() && mi.createdNanos > lightest.createdNanos) {
          lightest = mi;
        }
      } else if (mi.state().isComingUp()) {
        comingUp++;
      }
    }
    ResourceSettings settings = core.settings(pool.resource);
    long target = settings.growthConcurrency();
    // Growing looks at what the VMs serve, not at requests still held: with VMs ready, those are a cold burst's
    // backlog being released at releaseConcurrency — gone in moments, long before another VM could boot. Shrinking
    // counts them too: a pool with a backlog is not one VM too big.
    long held = pool.waiters.size();
    // Under maxConcurrency the load cannot pass the target; every ready VM full while requests wait for a place
    // is the same signal (and that backlog does not drain in moments: it waits for answers).
    boolean full = settings.limitsConcurrency() && held > 0 && load >= (long) settings.maxConcurrency() * ready;
    if (ready > 0 && (load > target * ready || full)) {
      if (trend(pool, 1, now) >= SCALE_UP_AFTER_MS && comingUp == 0) {
        pool.trend = 0; // the next one only once this one counts
        core.launcher.launch(pool, "load " + load + " on " + ready + " ready VMs is above targetConcurrency " + target,
            Cause.LOAD);
      }
    } else if (ready >= 2 && lightest != null && load + held <= target * (ready - 1) && ready > floor(pool, wall)) {
      if (trend(pool, -1, now) >= settings.scaleDownDelay().toMillis()) {
        pool.trend = 0; // one at a time: the next after another scaleDownDelay
        core.idle.drain(lightest, "load " + load + " fits in " + (ready - 1) + " VMs at targetConcurrency " + target,
            Cause.LOAD);
      }
    } else {
      pool.trend = 0;
    }
    return true;
  }

  /** How long (ms) the pool's load has pointed this way ({@code 1} up, {@code -1} down) without a break. */
  private static long trend(Pool pool, int direction, long now) {
    if (pool.trend != direction) {
      pool.trend = direction;
      pool.trendSinceNanos = now;
    }
    return (now - pool.trendSinceNanos) / 1_000_000;
  }
}
