package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.Executor;

/**
 * One held request. It holds no thread and no body: the request stays paused on its own event loop while
 * the waiter sits in a pool's queue on the control context. Its outcome is handed back on {@code replyOn}
 * (the request's context), so the request's handlers never run on the control context.
 */
final class Waiter {

  final String resource;
  final GroupSet groups;
  final long enqueuedNanos;
  private final Executor replyOn;
  private final Promise<Lease> promise = Promise.promise();
  // Control-context state.
  /** When its startTimeout runs out (StartDeadlines). */
  long deadlineNanos;
  Pool pool;
  /** Counted in the waiting bounds (from admission until it leaves). */
  boolean counted;
  private boolean done;

  Waiter(String resource, GroupSet groups, long enqueuedNanos, Executor replyOn) {
    this.resource = resource;
    this.groups = groups;
    this.enqueuedNanos = enqueuedNanos;
    this.replyOn = replyOn;
  }

  Future<Lease> future() {
    return promise.future();
  }

  /** Granted, failed, or given up by its client. */
  boolean isDone() {
    return done || promise.future().isComplete();
  }

  long waitedMillis(long nowNanos) {
    return (nowNanos - enqueuedNanos) / 1_000_000;
  }

  /** Hands over the lease; if the client is gone meanwhile, the lease is given back at once. */
  void grant(Lease lease) {
    done = true;
    replyOn.execute(() -> {
      if (!promise.tryComplete(lease)) {
        lease.release();
      }
    });
  }

  void fail(Throwable error) {
    done = true;
    replyOn.execute(() -> promise.tryFail(error));
  }

  /** The client went away: fails the future where it stands (any thread); the caller withdraws the waiter. */
  boolean abandon(Throwable error) {
    return promise.tryFail(error);
  }
}
