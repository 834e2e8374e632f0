package dev.smartgateway.lifecycle;

import dev.smartgateway.config.Durations;

import java.time.Duration;

/**
 * Idle stop (DESIGN section 6): one timer per instance, measured from the end of its last request. An
 * instance idle for {@code idleTimeout} drains (in-flight requests finish, a new request revives it), then
 * stops once the last request ends or after {@code drainTimeout} — or, with {@code idlePolicy: suspend}, is
 * paused ({@link Suspender}). Control context only; the warm path's
 * revive and last release come here through {@link #revived} and {@link #drained}.
 */
final class IdleReaper {

  private final Lifecycle core;

  IdleReaper(Lifecycle core) {
    this.core = core;
  }

  /** Starts (or restarts) the idle clock of a READY instance. */
  void arm(ManagedInstance mi) {
    core.scheduler.cancel(mi.idleTimer);
    schedule(mi, core.settings(mi.resource).idleTimeout().toMillis());
  }

  private void schedule(ManagedInstance mi, long delayMs) {
    mi.idleTimer = core.scheduler.schedule(Math.max(1, delayMs), () -> {
      mi.idleTimer = -1;
      check(mi);
    });
  }

  private void check(ManagedInstance mi) {
    // A stopping gateway leaves its VMs running (to the next gateway, or the cluster), also one that came up while
    // its held requests drained.
    if (core.closed || mi.state() != LifecycleState.READY) {
      return;
    }
    Duration idleTimeout = core.settings(mi.resource).idleTimeout();
    // Clustered, what other members report sending there counts like a request here.
    long last = mi.lastActivityNanos();
    if (mi.remoteActivityNanos != Long.MIN_VALUE && mi.remoteActivityNanos - last > 0) {
      last = mi.remoteActivityNanos;
    }
    long quietNanos = core.scheduler.nanoTime() - last;
    if (mi.inFlight() > 0 || mi.pool.backlog() > 0 || core.scaler.keeps(mi)) {
      // Busy (a long response or an open stream counts as activity), or kept by minInstances / keepWarm:
      // look again after a full timeout.
      schedule(mi, idleTimeout.toMillis());
    } else if (quietNanos >= idleTimeout.toNanos()) {
      drain(mi, "idle for " + Durations.format(idleTimeout));
    } else {
      schedule(mi, (idleTimeout.toNanos() - quietNanos + 999_999) / 1_000_000);
    }
  }

  /** An idle instance drains ({@link #drain(ManagedInstance, String, LifecycleEvent.Cause)}). */
  void drain(ManagedInstance mi, String reason) {
    drain(mi, reason, LifecycleEvent.Cause.IDLE);
  }

  /** READY → DRAINING; stops at once if nothing runs, else when the last request ends or after drainTimeout. */
  void drain(ManagedInstance mi, String reason, LifecycleEvent.Cause cause) {
    if (!core.transitions.draining(mi, reason, cause)) {
      return;
    }
    core.scheduler.cancel(mi.idleTimer);
    mi.idleTimer = -1;
    if (core.cluster.on) {
      // Clustered: other members may still be sending here; they say so within a report interval (a report
      // revives it, ClusterSync#activity), and their mirrors learn of the drain meanwhile. Only then may it end.
      mi.drainGrace = true;
      mi.drainStartNanos = core.scheduler.nanoTime();
      mi.idleTimer = core.scheduler.schedule(core.cluster.activity.drainGraceMillis(), () -> {
        mi.idleTimer = -1;
        mi.drainGrace = false;
        if (mi.state() == LifecycleState.DRAINING) {
          endDrainOrWait(mi, reason);
        }
      });
      return;
    }
    endDrainOrWait(mi, reason);
  }

  private void endDrainOrWait(ManagedInstance mi, String reason) {
    if (endDrain(mi, true, reason)) {
      return;
    }
    Duration drainTimeout = core.settings(mi.resource).drainTimeout();
    mi.idleTimer = core.scheduler.schedule(drainTimeout.toMillis(), () -> {
      mi.idleTimer = -1;
      int running = mi.inFlight();
      if (endDrain(mi, false,
          reason + "; " + running + " requests still running after drainTimeout " + Durations.format(drainTimeout))) {
        return;
      } else if (mi.state() == LifecycleState.READY && mi.idleTimer < 0) {
        arm(mi);
      }
    });
  }

  /** The last request of a draining instance ended: it stops now, unless a request revived it meanwhile. */
  void drained(ManagedInstance mi) {
    if (mi.isMirror() || mi.drainGrace) {
      return; // a mirror's manager ends its drain; a drain in its grace ends when the grace does
    }
    String why = mi.drainCause == LifecycleEvent.Cause.IDLE ? "idle; the last request ended" : "the last request ended";
    endDrain(mi, true, why);
  }

  /**
   * The drain ends (with {@code drained}: only if nothing is in flight): the instance is paused if its idle policy
   * says so and its cloud can, else stopped. False if a request got in first.
   */
  private boolean endDrain(ManagedInstance mi, boolean drained, String reason) {
    if (core.suspender.suspendsWhenDrained(mi)) {
      if (core.transitions.suspendedFromDraining(mi, drained, reason)) {
        core.suspender.suspend(mi);
        return true;
      }
      return false;
    }
    if (core.transitions.stoppingFromDraining(mi, drained, reason)) {
      core.stopper.stop(mi);
      return true;
    }
    return false;
  }

  /** A request revived a draining instance (the warm path or a release made it READY): its idle clock runs again. */
  void revived(ManagedInstance mi) {
    if (mi.isMirror()) {
      core.cluster.revivedMirror(mi);
      return;
    }
    if (mi.state() != LifecycleState.READY) {
      return;
    }
    if (mi.drainGrace) {
      core.scheduler.cancel(mi.idleTimer);
      mi.idleTimer = -1;
      mi.drainGrace = false;
    }
    core.transitions.revived(mi);
    arm(mi);
  }
}
