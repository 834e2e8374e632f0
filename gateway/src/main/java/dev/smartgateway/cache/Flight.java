package dev.smartgateway.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fetch from a VM that concurrent misses for the same answer wait for, instead of each going to the VM: the
 * first miss leads (it fetches, and its answer may be stored); the others board as waiters, at most
 * {@code maxWaiters} of them, and wait on {@link #done()}, a future (no thread is held). The leader
 * {@link #settle settles} the flight as soon as its outcome is known: stored, not storable (known from the head), too
 * large, or failed; the waiters then look the answer up, and if it is not there go to the VM themselves.
 *
 * <p>Shared by the event loops: the count is atomic, the promise is completed once (on the leader's thread; each
 * waiter goes back to its own event loop).
 */
public final class Flight {

  private final Promise<Void> done = Promise.promise();
  private final AtomicInteger waiters = new AtomicInteger();
  private final int maxWaiters;
  private final Runnable onSettled;

  Flight(int maxWaiters, Runnable onSettled) {
    this.maxWaiters = maxWaiters;
    this.onSettled = onSettled;
  }

  /** Boards as a waiter; false when the flight already has its {@code maxWaiters}. */
  boolean board() {
    while (true) {
      int now = waiters.get();
      if (now >= maxWaiters) {
        return false;
      }
      if (waiters.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** A waiter is done waiting (its answer came, or its client went away). */
  public void leave() {
    waiters.decrementAndGet();
  }

  /** Waiters now. */
  public int waiters() {
    return waiters.get();
  }

  /** Completes once the leader settles the flight; never fails. */
  public Future<Void> done() {
    return done.future();
  }

  /** The leader's outcome is known (and stored, if it could be): the waiters go on. Once; later calls do nothing. */
  public void settle() {
    if (done.tryComplete()) {
      onSettled.run();
    }
  }
}
