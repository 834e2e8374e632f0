package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.Instance;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One VM as the gateway manages it. The serving state and the count of in-flight requests share one
 * atomic word, so that a request can take a lease from any event loop with a single CAS and a stop can
 * never slip in between "is it READY?" and "count me in" (no request is ever sent to a dying VM).
 * State changes go through {@link Transitions}; everything else here belongs to the control context
 * unless it says otherwise.
 */
final class ManagedInstance {

  private static final LifecycleState[] STATES = LifecycleState.values();
  private static final long COUNT_MASK = 0xFFFF_FFFFL;

  final Pool pool;
  /** The gateway's own name of the instance ({@link InstanceRefs}). */
  final String ref;
  final String resource;
  final GroupSet groups;
  final long createdAtMillis;
  final long createdNanos;

  private final AtomicLong word = new AtomicLong(pack(LifecycleState.STARTING, 0));
  /** End of the last request (any thread writes it); the idle clock runs from here. */
  private volatile long lastActivityNanos;
  /**
   * A request could not connect: no new lease until a probe has checked the VM (any thread sets it, so the
   * retry of that very request cannot be sent to the same VM again).
   */
  private volatile boolean suspect;
  /** Connect failures since the last request that reached the VM. */
  final AtomicInteger connectFailures = new AtomicInteger();

  volatile Instance cloudView;
  volatile String host;
  volatile int port;
  volatile long readyAtMillis;
  long startAnsweredNanos = -1;
  long runningNanos = -1;
  long readyNanos = -1;
  /** Held requests released here that the VM has not answered yet (release pacing). */
  final ArrayDeque<Lease> unanswered = new ArrayDeque<>();
  /** A release has been answered (or outlived the pacing window): releaseConcurrency at a time from now on. */
  boolean pacingOpen;
  long bootTimer = -1;
  long pollTimer = -1;
  long probeTimer = -1;
  long pingTimer = -1;
  long idleTimer = -1;
  long paceTimer = -1;
  int missedPings;
  long lastPongNanos;
  boolean verifying;
  /** The suspend call is out: a resume asked meanwhile waits for its answer ({@link #resumeWanted}). */
  boolean suspendCallInFlight;
  boolean resumeWanted;
  /** When the last resume began, or -1: a resumed VM's wait is measured from here, not from its first start. */
  volatile long resumedNanos = -1;
  /**
   * Clustered (DESIGN section 10): the member that manages it, or null if this gateway does. Non-null: a mirror of
   * another member's instance, which this gateway only forwards to (that member starts, probes and stops it).
   */
  volatile String manager;
  /** Clustered: its registry record, as last written (managed here) or seen (a mirror); null otherwise. */
  volatile SharedInstance shared;
  /** Clustered: the registry writes of a managed instance, one after another. */
  io.vertx.core.Future<Void> sharedWrites = io.vertx.core.Future.succeededFuture();
  /** Clustered: when another member last reported using it (control context). */
  long remoteActivityNanos = Long.MIN_VALUE;
  /** Clustered, a paused mirror: when this member last asked its manager to resume it (0: never). */
  long wakeSentNanos;
  /** Clustered, a mirror: the activity last reported to its manager. */
  long reportedActivityNanos = Long.MIN_VALUE;
  /** Clustered: a drain waits this grace for other members' reports before it may end; when it began. */
  boolean drainGrace;
  long drainStartNanos;
  /** Why it drains: the stop that ends the drain gives the same cause. */
  LifecycleEvent.Cause drainCause = LifecycleEvent.Cause.IDLE;

  ManagedInstance(Pool pool, String ref, long nowNanos, long nowMillis) {
    this.pool = pool;
    this.ref = ref;
    this.resource = pool.resource;
    this.groups = pool.groups;
    this.createdNanos = nowNanos;
    this.createdAtMillis = nowMillis;
    this.lastActivityNanos = nowNanos;
  }

  String instanceId() {
    Instance view = cloudView;
    if (view != null) {
      return view.id();
    }
    SharedInstance record = shared;
    return record == null ? null : record.instanceId();
  }

  /** Another member's instance, which this gateway only forwards to. */
  boolean isMirror() {
    return manager != null;
  }

  /** The idle clock starts afresh (an instance taken over from a member that died). */
  void touch(long nowNanos) {
    lastActivityNanos = nowNanos;
  }

  LifecycleState state() {
    return STATES[(int) (word.get() >>> 32)];
  }

  int inFlight() {
    return (int) (word.get() & COUNT_MASK);
  }

  long lastActivityNanos() {
    return lastActivityNanos;
  }

  boolean isSuspect() {
    return suspect;
  }

  void suspect(boolean value) {
    suspect = value;
  }

  /** Serving and not under suspicion: a new request may go here. */
  boolean isLeasable() {
    return !suspect && state().isServing();
  }

  /**
   * Takes a lease if the instance is serving: READY stays READY, DRAINING is revived to READY. Safe from
   * any thread. Returns null if it is not serving, else the state it was in.
   */
  LifecycleState tryAcquire() {
    return tryAcquire(Integer.MAX_VALUE);
  }

  /**
   * As {@link #tryAcquire()}, but only while fewer than {@code limit} requests are in flight (the resource's
   * {@code maxConcurrency}): checked in the same CAS, so event loops racing for the last place never overshoot.
   */
  LifecycleState tryAcquire(int limit) {
    if (suspect) {
      return null;
    }
    while (true) {
      long w = word.get();
      LifecycleState s = STATES[(int) (w >>> 32)];
      if (!s.isServing() || (w & COUNT_MASK) >= limit) {
        return null;
      }
      if (word.compareAndSet(w, pack(LifecycleState.READY, (w & COUNT_MASK) + 1))) {
        return s;
      }
    }
  }

  /** Ends a lease. Returns true if this was the last request of a draining instance (it may stop now). Any thread. */
  boolean release(long nowNanos) {
    lastActivityNanos = nowNanos;
    long w = word.decrementAndGet();
    return (w & COUNT_MASK) == 0 && STATES[(int) (w >>> 32)] == LifecycleState.DRAINING;
  }

  /** {@code from} → {@code to} if the state is still {@code from}, keeping the count. */
  boolean compareAndSet(LifecycleState from, LifecycleState to) {
    while (true) {
      long w = word.get();
      if (STATES[(int) (w >>> 32)] != from) {
        return false;
      }
      if (word.compareAndSet(w, pack(to, w & COUNT_MASK))) {
        return true;
      }
    }
  }

  /**
   * DRAINING with nothing in flight → {@code to} (STOPPING or SUSPENDED), atomically: a request either got in
   * before, or sees the new state.
   */
  boolean compareAndSetDrained(LifecycleState to) {
    return word.compareAndSet(pack(LifecycleState.DRAINING, 0), pack(to, 0));
  }

  /** Forces a state regardless of the current one; returns the previous state. */
  LifecycleState force(LifecycleState to) {
    while (true) {
      long w = word.get();
      if (word.compareAndSet(w, pack(to, w & COUNT_MASK))) {
        return STATES[(int) (w >>> 32)];
      }
    }
  }

  /** As operators see it. Control context (the counts are a moment's). */
  InstanceView view() {
    String endpoint = host == null ? null : host + ":" + port;
    return new InstanceView(resource, java.util.List.copyOf(groups.asSet()), instanceId(), ref, state(), endpoint,
        inFlight(), pool.waiters.size(), createdAtMillis, readyAtMillis, shared == null ? null : shared.member(),
        isMirror());
  }

  private static long pack(LifecycleState state, long count) {
    return ((long) state.ordinal() << 32) | count;
  }

  @Override
  public String toString() {
    return resource + "[" + groups + "]" + (instanceId() == null ? " " + ref : "/" + instanceId()) + " " + state();
  }
}
