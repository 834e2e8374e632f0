package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import io.vertx.core.Context;
import io.vertx.core.Promise;

/**
 * One held request. It holds no thread and no body: the request stays paused on its own event loop while
 * the waiter sits in a queue on the control context. Completion hops back to the request's context.
 */
final class Waiter {

  final String resource;
  final GroupSet groups;
  final long enqueuedNanos = System.nanoTime();
  private final Context context;
  private final Promise<Lease> promise;
  // Control-context state.
  long timerId = -1;
  ManagedInstance instance;
  private boolean done;

  Waiter(String resource, GroupSet groups, Context context, Promise<Lease> promise) {
    this.resource = resource;
    this.groups = groups;
    this.context = context;
    this.promise = promise;
  }

  /** Granted, failed, or given up by its client. */
  boolean isDone() {
    return done || promise.future().isComplete();
  }

  /** The client went away: the waiter only has to leave its queue. */
  void abandon() {
    done = true;
  }

  long waitedMillis() {
    return (System.nanoTime() - enqueuedNanos) / 1_000_000;
  }

  /** Hands over the lease; if the promise was already settled (client gone), the lease is given back at once. */
  void grant(Lease lease) {
    done = true;
    context.runOnContext(v -> {
      if (!promise.tryComplete(lease)) {
        lease.release();
      }
    });
  }

  void fail(Throwable error) {
    done = true;
    context.runOnContext(v -> promise.tryFail(error));
  }
}
