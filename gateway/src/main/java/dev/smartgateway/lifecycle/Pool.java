package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.GatewayException;

import java.util.ArrayList;
import java.util.List;

/**
 * The instances of one {@code (resource, groups)} and the requests held for them (DESIGN section 6,
 * "Pools"). Held requests wait on the pool, not on one instance, and go to whichever of its instances is
 * ready. Control context only, except {@link #backlog}, which the warm path reads.
 */
final class Pool {

  final String resource;
  final GroupSet groups;
  final List<ManagedInstance> instances = new ArrayList<>(2);
  final WaiterQueue waiters = new WaiterQueue();
  /** Held requests not yet released: while any remain, new requests queue behind them (fairness, pacing). */
  private volatile int backlog;
  /** Starts that failed in a row (crash-loop backoff); reset by a VM that becomes ready. */
  int failures;
  /** The last failed start, answered to requests until {@link #retryAtNanos}; null when none is remembered. */
  GatewayException lastFailure;
  long retryAtNanos;
  /** The one startTimeout timer of the pool's held requests (see StartDeadlines). */
  long deadlineTimer = -1;
  long deadlineAtNanos;
  long lastDeadlineNanos = Long.MIN_VALUE;
  boolean deadlinesInOrder = true;
  /** Which way its load points ({@link Scaler}): 1 above the target, -1 fitting in one VM fewer, 0 neither; and since when. */
  int trend;
  long trendSinceNanos;
  /** Forgets the failure once nobody asked for this pool for a while, so sprayed names cost bounded memory. */
  long forgetTimer = -1;

  Pool(String resource, GroupSet groups) {
    this.resource = resource;
    this.groups = groups;
  }

  int backlog() {
    return backlog;
  }

  void updateBacklog() {
    backlog = waiters.size();
  }

  /**
   * An instance a held request may wait for: serving first, then coming up, then suspended (which whoever
   * waits must resume: {@link Suspender#wake}).
   */
  ManagedInstance usable() {
    ManagedInstance comingUp = null;
    ManagedInstance suspended = null;
    for (ManagedInstance mi : instances) {
      if (mi.isLeasable()) {
        return mi;
      }
      LifecycleState state = mi.state();
      if (comingUp == null && (state.isComingUp() || mi.isSuspect() && state.isServing())) {
        comingUp = mi;
      } else if (suspended == null && state == LifecycleState.SUSPENDED) {
        suspended = mi;
      }
    }
    return comingUp != null ? comingUp : suspended;
  }

  boolean isEmpty() {
    return instances.isEmpty() && waiters.isEmpty() && lastFailure == null;
  }

  @Override
  public String toString() {
    return resource + "[" + groups + "]";
  }
}
