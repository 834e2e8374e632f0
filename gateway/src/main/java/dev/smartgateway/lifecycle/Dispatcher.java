package dev.smartgateway.lifecycle;

import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

import java.time.Duration;
import java.util.List;

/**
 * Held requests: admits them within the bounds (per resource, in all), places each on the pool whose
 * instance it will use (starting one if none is coming), times them out, and releases them to ready
 * instances at a paced rate (DESIGN section 6, "Waiters"). Control context only.
 */
final class Dispatcher {

  static final Duration WAITERS_FULL_RETRY = Duration.ofSeconds(5);
  /** A released request counts against pacing until its VM answers, or this long at most. */
  static final long PACING_WINDOW_MS = 100;

  private final Lifecycle core;
  private final StartDeadlines deadlines;
  private int totalWaiting;
  private volatile int totalWaitingSeen;

  Dispatcher(Lifecycle core) {
    this.core = core;
    this.deadlines = new StartDeadlines(core, w -> {
      w.fail(StartDeadlines.timeout(w, core));
      left(w);
    });
  }

  int totalWaiting() {
    return totalWaitingSeen;
  }

  /** A new held request: refused at once over a bound, otherwise placed. */
  void admit(Waiter w) {
    if (w.isDone()) {
      return;
    }
    if (core.closed) {
      w.fail(Failures.shuttingDown(w.resource));
      return;
    }
    if (core.unknown.isUnknown(w.resource, core.scheduler.nanoTime())) {
      w.fail(Failures.unknownResource(w.resource));
      return;
    }
    ResourceSettings settings = core.settings(w.resource);
    ResourceEntry entry = core.table.entry(w.resource);
    if (entry.waiting >= settings.maxWaiting()) {
      refuse(w, entry, "already " + settings.maxWaiting() + " requests waiting for this resource");
      return;
    }
    if (totalWaiting + core.cluster.waitingElsewhere() >= core.config.limits().maxWaitingTotal()) {
      refuse(w, entry, (core.cluster.on ? "the cluster" : "the gateway") + " already holds "
          + core.config.limits().maxWaitingTotal() + " requests (limits.maxWaitingTotal)");
      return;
    }
    entry.waiting++;
    w.counted = true;
    setTotal(totalWaiting + 1);
    w.deadlineNanos = w.enqueuedNanos + settings.startTimeout().toNanos();
    place(w);
  }

  private void refuse(Waiter w, ResourceEntry entry, String why) {
    w.fail(new GatewayException(ErrorType.WAITERS_FULL, why, w.resource, WAITERS_FULL_RETRY, null));
    core.table.forgetIfIdle(entry);
  }

  /** The client went away while held: it leaves its queue at once. */
  void withdraw(Waiter w) {
    if (w.pool != null) {
      w.pool.waiters.remove(w);
      w.pool.updateBacklog();
    }
    left(w);
  }

  /** Puts a waiting request on the pool it will be served from; starts an instance if none is coming. */
  void place(Waiter w) {
    ResourceEntry entry = core.table.entry(w.resource);
    Pool target = entry.usableFor(w.groups);
    if (target == null && core.closed) {
      // A stopping member starts nothing (its held requests may still wait for a VM that is already coming).
      w.fail(Failures.shuttingDown(w.resource));
      left(w);
      return;
    }
    if (target == null) {
      target = core.table.pool(w.resource, w.groups);
      GatewayException refused = core.launcher.launch(target, "a request is waiting", LifecycleEvent.Cause.REQUEST);
      if (refused != null) {
        w.fail(refused);
        left(w);
        return;
      }
    }
    w.pool = target;
    target.waiters.add(w);
    target.updateBacklog();
    deadlines.added(target, w);
    core.suspender.wake(target, LifecycleEvent.Cause.REQUEST);
    pump(target);
  }

  /**
   * Releases held requests to the pool's serving instances, least loaded first, with at most
   * {@code releaseConcurrency} released and not yet answered per instance (a fresh VM is not flattened by
   * the backlog). Answered requests, however long they run, no longer count.
   */
  void pump(Pool pool) {
    ResourceSettings settings = core.settings(pool.resource);
    int limit = settings.releaseConcurrency();
    int room = Lifecycle.concurrencyLimit(settings);
    long now = core.scheduler.nanoTime();
    while (!pool.waiters.isEmpty()) {
      ManagedInstance target = null;
      for (ManagedInstance mi : pool.instances) {
        if (mi.isLeasable() && mi.inFlight() < room && pacingRoom(mi, now, limit) > 0
            && (target == null || mi.inFlight() < target.inFlight())) {
          target = mi;
        }
      }
      if (target == null) {
        break;
      }
      Waiter w = pool.waiters.poll();
      if (w == null) {
        break;
      }
      LifecycleState was = target.tryAcquire(room);
      if (was == null) {
        // Lost the place to a warm request on another event loop: first in line still; its release pumps again.
        pool.waiters.addFirst(w);
        break;
      }
      if (was == LifecycleState.DRAINING) {
        core.idle.revived(target);
      }
      Lease lease = new Lease(core, target, w.waitedMillis(now), true, true, now);
      target.unanswered.add(lease);
      w.grant(lease);
      left(w);
    }
    pool.updateBacklog();
    if (!pool.waiters.isEmpty()) {
      schedulePacing(pool, now);
    }
  }

  /**
   * How many more may be released to the instance now; forgets releases answered or past the window. One only
   * until the instance has answered one: the first request then has the fresh VM (its accept queue, its event
   * loops) to itself instead of sharing it with {@code releaseConcurrency - 1} connects and requests.
   */
  private static int pacingRoom(ManagedInstance mi, long now, int limit) {
    long window = PACING_WINDOW_MS * 1_000_000;
    for (java.util.Iterator<Lease> it = mi.unanswered.iterator(); it.hasNext(); ) {
      Lease lease = it.next();
      if (lease.isAnswered() || now - lease.grantedNanos >= window) {
        it.remove();
        mi.pacingOpen = true;
      }
    }
    return (mi.pacingOpen ? limit : 1) - mi.unanswered.size();
  }

  /** Pacing is full: look again when the oldest unanswered release leaves the window. */
  private void schedulePacing(Pool pool, long now) {
    for (ManagedInstance mi : pool.instances) {
      Lease oldest = mi.unanswered.peek();
      if (mi.isLeasable() && oldest != null && mi.paceTimer < 0) {
        long delay = Math.max(1, PACING_WINDOW_MS - (now - oldest.grantedNanos) / 1_000_000);
        mi.paceTimer = core.scheduler.schedule(delay, () -> {
          mi.paceTimer = -1;
          pump(pool);
        });
      }
    }
  }

  /**
   * An instance of the pool left (failed, stopping): if nothing else of the pool can serve its waiters,
   * they are placed again, which starts a fresh instance. They never reached the dead one.
   */
  void reroute(Pool pool) {
    if (pool.usable() != null) {
      if (!pool.waiters.isEmpty()) {
        core.suspender.wake(pool, LifecycleEvent.Cause.REQUEST);
      }
      pump(pool);
      return;
    }
    List<Waiter> waiters = pool.waiters.drainAll();
    pool.updateBacklog();
    deadlines.left(pool);
    for (Waiter w : waiters) {
      w.pool = null;
      place(w);
    }
    core.table.forgetIfIdle(core.table.entry(pool.resource));
  }

  /** The pool's start failed: unless another instance is coming, every waiter gets the error. */
  void failWaiters(Pool pool, GatewayException error) {
    if (pool.usable() != null) {
      if (!pool.waiters.isEmpty()) {
        core.suspender.wake(pool, LifecycleEvent.Cause.REQUEST);
      }
      return;
    }
    for (Waiter w : pool.waiters.drainAll()) {
      w.fail(error);
      left(w);
    }
    pool.updateBacklog();
  }

  /** Answers every held request (the gateway is shutting down). */
  void failAll(GatewayException error) {
    for (ResourceEntry entry : core.table.entries()) {
      for (Pool pool : entry.pools.values()) {
        for (Waiter w : pool.waiters.drainAll()) {
          w.fail(error.withResource(w.resource));
          left(w);
        }
        pool.updateBacklog();
      }
    }
  }

  /** The waiter is no longer held (granted, failed, withdrawn): its places in the bounds are free again. */
  private void left(Waiter w) {
    if (!w.counted) {
      return;
    }
    w.counted = false;
    if (w.pool != null) {
      deadlines.left(w.pool); // already off its queue: no timer for an empty one
    }
    ResourceEntry entry = core.table.entry(w.resource);
    entry.waiting--;
    setTotal(totalWaiting - 1);
    core.table.forgetIfIdle(entry);
  }

  private void setTotal(int value) {
    totalWaiting = value;
    totalWaitingSeen = value;
    core.cluster.waitingChanged(value);
    core.drain.heldChanged(value);
  }
}
