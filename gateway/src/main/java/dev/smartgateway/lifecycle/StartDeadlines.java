package dev.smartgateway.lifecycle;

import dev.smartgateway.config.ResourceSettings;

import dev.smartgateway.config.Durations;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The {@code startTimeout} of held requests, with one timer per pool rather than one per request: a timer
 * costs a few hundred bytes, and ten thousand requests held for one VM need only the earliest deadline.
 * The requests of a pool come in the order of their deadlines (one resource, one startTimeout), except those
 * placed again after their VM failed; a pool that got one out of order is scanned whole until it empties.
 * Control context only.
 */
final class StartDeadlines {

  private final Lifecycle core;
  private final Consumer<Waiter> expired;

  /** @param expired takes a waiter that timed out (already out of its queue) and answers it */
  StartDeadlines(Lifecycle core, Consumer<Waiter> expired) {
    this.core = core;
    this.expired = expired;
  }

  /** The waiter was just added to the pool's queue. */
  void added(Pool pool, Waiter w) {
    if (w.deadlineNanos < pool.lastDeadlineNanos) {
      pool.deadlinesInOrder = false;
    }
    pool.lastDeadlineNanos = Math.max(pool.lastDeadlineNanos, w.deadlineNanos);
    if (pool.deadlineTimer < 0 || w.deadlineNanos < pool.deadlineAtNanos) {
      arm(pool, w.deadlineNanos);
    }
  }

  /** The pool's queue may have become empty: no timer for nobody. */
  void left(Pool pool) {
    if (pool.waiters.isEmpty()) {
      core.scheduler.cancel(pool.deadlineTimer);
      pool.deadlineTimer = -1;
      pool.deadlinesInOrder = true;
      pool.lastDeadlineNanos = Long.MIN_VALUE;
    }
  }

  private void arm(Pool pool, long deadlineNanos) {
    core.scheduler.cancel(pool.deadlineTimer);
    pool.deadlineAtNanos = deadlineNanos;
    long delayMs = Math.max(1, (deadlineNanos - core.scheduler.nanoTime() + 999_999) / 1_000_000);
    pool.deadlineTimer = core.scheduler.schedule(delayMs, () -> {
      pool.deadlineTimer = -1;
      expire(pool);
    });
  }

  private void expire(Pool pool) {
    long now = core.scheduler.nanoTime();
    long next = Long.MAX_VALUE;
    for (Iterator<Waiter> it = pool.waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.isDone()) {
        continue;
      }
      if (w.deadlineNanos - now <= 0) {
        it.remove();
        expired.accept(w);
      } else {
        next = Math.min(next, w.deadlineNanos);
        if (pool.deadlinesInOrder) {
          break; // the rest are later still
        }
      }
    }
    pool.updateBacklog();
    if (next != Long.MAX_VALUE) {
      arm(pool, next);
    } else {
      left(pool);
    }
  }

  static GatewayException timeout(Waiter w, Lifecycle core) {
    ResourceSettings settings = core.settings(w.resource);
    String within = Durations.format(settings.startTimeout());
    ManagedInstance usable = w.pool == null ? null : w.pool.usable();
    if (settings.limitsConcurrency() && usable != null && usable.isLeasable()) {
      // A VM was ready all along, only full: the gateway's own limit, not a start that failed.
      return new GatewayException(ErrorType.GATEWAY_BUSY, "no VM had a place within " + within + ": every ready VM "
          + "has maxConcurrency (" + settings.maxConcurrency() + ") requests in flight", w.resource, BUSY_RETRY, null);
    }
    return new GatewayException(ErrorType.START_TIMEOUT, "no VM became ready within " + within, w.resource);
  }

  /** When a request that found every VM full may try again. */
  static final java.time.Duration BUSY_RETRY = java.time.Duration.ofSeconds(1);
}
