package dev.smartgateway.lifecycle;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.lifecycle.LifecycleEvent.Cause;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;

import java.util.List;

/**
 * The one funnel every state change goes through (DESIGN section 6, "Events"): it changes the state and
 * publishes the {@link LifecycleEvent} for it, so that nothing can change an instance without everyone who
 * listens learning of it. Control context only, except that {@link ManagedInstance#tryAcquire} revives a
 * draining instance on the warm path; {@link #revived} then reports it here.
 */
final class Transitions {

  private final Scheduler scheduler;
  private final LifecycleEvents events;

  Transitions(Scheduler scheduler, LifecycleEvents events) {
    this.scheduler = scheduler;
    this.events = events;
  }

  /** A new instance: the start call goes out now (or a running VM is adopted). */
  void starting(ManagedInstance mi, String reason, Cause cause) {
    publish(Type.STARTING, mi, null, LifecycleState.STARTING, reason, cause);
  }

  /** STARTING → WARMING: the cloud reports the VM running at {@code host:port}. */
  boolean warming(ManagedInstance mi) {
    if (!mi.compareAndSet(LifecycleState.STARTING, LifecycleState.WARMING)) {
      return false;
    }
    mi.runningNanos = scheduler.nanoTime();
    publish(Type.WARMING, mi, LifecycleState.STARTING, LifecycleState.WARMING, "running at " + mi.host + ":" + mi.port,
        Cause.CLOUD);
    return true;
  }

  /**
   * WARMING → READY: the readiness probe passed. {@code first} runs between the change and its event, so what
   * waited for the instance is served before the observers hear of it.
   */
  boolean ready(ManagedInstance mi, Runnable first) {
    if (!mi.compareAndSet(LifecycleState.WARMING, LifecycleState.READY)) {
      return false;
    }
    mi.readyNanos = scheduler.nanoTime();
    mi.readyAtMillis = scheduler.currentTimeMillis();
    first.run();
    publish(Type.READY, mi, LifecycleState.WARMING, LifecycleState.READY, "the readiness probe passed", Cause.PROBE);
    return true;
  }

  /** READY → DRAINING, only if nothing changed meanwhile; the cause is kept for the stop that follows. */
  boolean draining(ManagedInstance mi, String reason, Cause cause) {
    if (!mi.compareAndSet(LifecycleState.READY, LifecycleState.DRAINING)) {
      return false;
    }
    mi.drainCause = cause;
    publish(Type.DRAINING, mi, LifecycleState.READY, LifecycleState.DRAINING, reason, cause);
    return true;
  }

  /** A request took a lease on a DRAINING instance (the CAS already made it READY). */
  void revived(ManagedInstance mi) {
    publish(Type.REVIVED, mi, LifecycleState.DRAINING, LifecycleState.READY, "a request arrived while draining",
        Cause.REQUEST);
  }

  /**
   * DRAINING → STOPPING: with {@code drained}, only if no request is in flight (the last one just ended);
   * otherwise whatever is still running (the drain timeout ran out). Either way atomic against the warm
   * path: a lease is taken before, or never. The cause is the drain's.
   */
  boolean stoppingFromDraining(ManagedInstance mi, boolean drained, String reason) {
    boolean moved = drained ? mi.compareAndSetDrained(LifecycleState.STOPPING)
        : mi.compareAndSet(LifecycleState.DRAINING, LifecycleState.STOPPING);
    if (moved) {
      publish(Type.STOPPING, mi, LifecycleState.DRAINING, LifecycleState.STOPPING, reason, mi.drainCause);
    }
    return moved;
  }

  /** DRAINING → SUSPENDED, on the same terms as {@link #stoppingFromDraining}: the drain ends in a pause. */
  boolean suspendedFromDraining(ManagedInstance mi, boolean drained, String reason) {
    boolean moved = drained ? mi.compareAndSetDrained(LifecycleState.SUSPENDED)
        : mi.compareAndSet(LifecycleState.DRAINING, LifecycleState.SUSPENDED);
    if (moved) {
      publish(Type.SUSPENDED, mi, LifecycleState.DRAINING, LifecycleState.SUSPENDED, reason, mi.drainCause);
    }
    return moved;
  }

  /** An adopted VM the cloud reports paused: STARTING → SUSPENDED, to be resumed when it is needed. */
  void suspendedAtAdoption(ManagedInstance mi) {
    if (mi.compareAndSet(LifecycleState.STARTING, LifecycleState.SUSPENDED)) {
      publish(Type.SUSPENDED, mi, LifecycleState.STARTING, LifecycleState.SUSPENDED, "adopted: the cloud reports it suspended",
          Cause.ADOPTED);
    }
  }

  /**
   * SUSPENDED → WARMING: the resume goes out now and the readiness probe follows. Its phases start afresh: the
   * READY that ends it reports only the probe (a resume is not a cold start).
   */
  boolean resumed(ManagedInstance mi, String reason, Cause cause) {
    if (!mi.compareAndSet(LifecycleState.SUSPENDED, LifecycleState.WARMING)) {
      return false;
    }
    mi.resumedNanos = scheduler.nanoTime();
    mi.startAnsweredNanos = -1;
    mi.runningNanos = mi.resumedNanos;
    mi.readyNanos = -1;
    publish(Type.RESUMED, mi, LifecycleState.SUSPENDED, LifecycleState.WARMING, reason, cause);
    return true;
  }

  /** Any live state → STOPPING (a stop by hand, or a VM given up while it still started). */
  LifecycleState stopping(ManagedInstance mi, String reason, Cause cause) {
    LifecycleState from = mi.force(LifecycleState.STOPPING);
    if (from != LifecycleState.STOPPING) {
      publish(Type.STOPPING, mi, from, LifecycleState.STOPPING, reason, cause);
    }
    return from;
  }

  /** The cloud confirmed the stop. A FAILED instance stays FAILED (that is what it was), but is reported stopped. */
  void stopped(ManagedInstance mi) {
    LifecycleState from = mi.state();
    if (from == LifecycleState.STOPPING) {
      mi.force(LifecycleState.STOPPED);
    }
    publish(Type.STOPPED, mi, from, mi.state(), "the cloud confirmed the stop", Cause.CLOUD);
  }

  /**
   * Any state → FAILED; returns the previous state (FAILED or STOPPED again: nothing happened). The cause says
   * whether a start timed out, a start failed otherwise, or a serving VM failed ({@code type}: the error's).
   */
  LifecycleState failed(ManagedInstance mi, String reason, ErrorType type) {
    LifecycleState from = mi.force(LifecycleState.FAILED);
    if (from == LifecycleState.FAILED || from == LifecycleState.STOPPED) {
      if (from == LifecycleState.STOPPED) {
        mi.force(LifecycleState.STOPPED);
      }
      return from;
    }
    Cause cause = type == ErrorType.START_TIMEOUT ? Cause.START_TIMEOUT
        : from.isServing() ? Cause.VM_FAILED : Cause.START_FAILED;
    publish(Type.FAILED, mi, from, LifecycleState.FAILED, reason, cause);
    return from;
  }

  private void publish(Type type, ManagedInstance mi, LifecycleState from, LifecycleState to, String reason,
                       Cause cause) {
    events.publish(new LifecycleEvent(type, mi.resource, List.copyOf(mi.groups.asSet()), mi.instanceId(), mi.ref, from, to,
        reason, scheduler.currentTimeMillis(), phases(mi), cause));
  }

  private static LifecycleEvent.Phases phases(ManagedInstance mi) {
    return new LifecycleEvent.Phases(
        between(mi.createdNanos, mi.startAnsweredNanos),
        between(mi.startAnsweredNanos, mi.runningNanos),
        between(mi.runningNanos, mi.readyNanos));
  }

  private static long between(long fromNanos, long toNanos) {
    return fromNanos < 0 || toNanos < 0 ? -1 : (toNanos - fromNanos) / 1_000_000;
  }
}
