package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.Instance;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One VM as the gateway manages it. The serving state and the count of in-flight requests share one
 * atomic word, so that a request can take a lease from any event loop with a single CAS and a stop can
 * never slip in between "is it READY?" and "count me in" (no request is ever sent to a dying VM).
 * Everything else is owned by the lifecycle's control context.
 */
final class ManagedInstance {

  private static final LifecycleState[] STATES = LifecycleState.values();
  private static final long COUNT_MASK = 0xFFFF_FFFFL;

  final String resource;
  final GroupSet groups;
  final long createdAtMillis;
  final WaiterQueue waiters = new WaiterQueue();

  private final AtomicLong word = new AtomicLong(pack(LifecycleState.STARTING, 0));
  private volatile long lastActivityNanos = System.nanoTime();
  /** Held requests not yet released: while any remain, new requests queue behind them (fairness, pacing). */
  private volatile int backlog;

  // Control-context state.
  volatile Instance cloudView;
  volatile String host;
  volatile int port;
  volatile long readyAtMillis;
  long idleTimerId = -1;
  long bootTimerId = -1;
  long pollTimerId = -1;
  long probeTimerId = -1;
  long pingTimerId = -1;
  int missedPings;
  long lastPongNanos;

  ManagedInstance(String resource, GroupSet groups) {
    this.resource = resource;
    this.groups = groups;
    this.createdAtMillis = System.currentTimeMillis();
  }

  String instanceId() {
    Instance view = cloudView;
    return view == null ? null : view.id();
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

  int backlog() {
    return backlog;
  }

  void backlog(int size) {
    backlog = size;
  }

  /**
   * Takes a lease if the instance is serving: READY stays READY, DRAINING is revived to READY.
   * Safe from any thread.
   */
  boolean tryAcquire() {
    while (true) {
      long w = word.get();
      LifecycleState s = STATES[(int) (w >>> 32)];
      if (!s.isServing()) {
        return false;
      }
      if (word.compareAndSet(w, pack(LifecycleState.READY, (w & COUNT_MASK) + 1))) {
        return true;
      }
    }
  }

  /** Ends a lease. Returns true if this was the last request of a draining instance (the caller stops it). */
  boolean release() {
    lastActivityNanos = System.nanoTime();
    long w = word.decrementAndGet();
    return (w & COUNT_MASK) == 0 && STATES[(int) (w >>> 32)] == LifecycleState.DRAINING;
  }

  /** Moves between states that carry no requests (STARTING → WARMING → READY, or to FAILED/STOPPED). */
  void transition(LifecycleState from, LifecycleState to) {
    while (true) {
      long w = word.get();
      if (STATES[(int) (w >>> 32)] != from) {
        return;
      }
      if (word.compareAndSet(w, pack(to, w & COUNT_MASK))) {
        return;
      }
    }
  }

  /** Forces a terminal or stopping state regardless of the current one; returns the previous state. */
  LifecycleState force(LifecycleState to) {
    while (true) {
      long w = word.get();
      if (word.compareAndSet(w, pack(to, w & COUNT_MASK))) {
        return STATES[(int) (w >>> 32)];
      }
    }
  }

  /** READY → DRAINING, only if nothing changed meanwhile. */
  boolean beginDrain() {
    while (true) {
      long w = word.get();
      if (STATES[(int) (w >>> 32)] != LifecycleState.READY) {
        return false;
      }
      if (word.compareAndSet(w, pack(LifecycleState.DRAINING, w & COUNT_MASK))) {
        return true;
      }
    }
  }

  /** DRAINING with nothing in flight → STOPPING, atomically: a request either got in before, or sees STOPPING. */
  boolean finishDrain() {
    return word.compareAndSet(pack(LifecycleState.DRAINING, 0), pack(LifecycleState.STOPPING, 0));
  }

  private static long pack(LifecycleState state, long count) {
    return ((long) state.ordinal() << 32) | count;
  }

  @Override
  public String toString() {
    return resource + "[" + groups + "]" + (instanceId() == null ? "" : "/" + instanceId()) + " " + state();
  }
}
