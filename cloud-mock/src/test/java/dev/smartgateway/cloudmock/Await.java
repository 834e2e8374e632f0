package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in tests, always on a condition and always with a deadline. Blocking happens only on the JUnit
 * thread; polling runs on Vert.x timers. Deadlines are generous because the build machine is shared.
 */
final class Await {

  static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final long POLL_MS = 25;

  private Await() {
  }

  /** The future's result, waiting on the JUnit thread (never an event loop) up to the deadline. */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new AssertionError(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("nothing happened within " + DEADLINE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Probes until {@code done} holds for a probe's result; fails with the last result seen once the
   * deadline passes. Failed probes (for instance a refused connection) are retried.
   */
  static <T> Future<T> until(Vertx vertx, String what, Supplier<Future<T>> probe, Predicate<T> done) {
    Promise<T> promise = Promise.promise();
    attempt(vertx, what, probe, done, System.nanoTime() + DEADLINE.toNanos(), promise);
    return promise.future();
  }

  /** Blocks until the condition holds and returns the satisfying result. */
  static <T> T awaitUntil(Vertx vertx, String what, Supplier<Future<T>> probe, Predicate<T> done) {
    return await(until(vertx, what, probe, done));
  }

  private static <T> void attempt(Vertx vertx, String what, Supplier<Future<T>> probe, Predicate<T> done,
                                  long deadlineNanos, Promise<T> promise) {
    probe.get().onComplete(result -> {
      if (result.succeeded() && done.test(result.result())) {
        promise.complete(result.result());
      } else if (System.nanoTime() - deadlineNanos > 0) {
        promise.fail(new AssertionError("timed out waiting for " + what + "; last probe: "
            + (result.succeeded() ? result.result() : result.cause())));
      } else {
        vertx.setTimer(POLL_MS, t -> attempt(vertx, what, probe, done, deadlineNanos, promise));
      }
    });
  }
}
