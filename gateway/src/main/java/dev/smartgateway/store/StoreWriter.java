package dev.smartgateway.store;

import dev.smartgateway.config.StoreConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * How the gateway writes history, tasks and usage: {@link #event}, {@link #task} and {@link #usage} only enqueue
 * (any thread, lock-free, O(1), never waiting for the database), and the writer stores them in batches from a
 * context of its own, one batch at a time, in order. The queue is bounded ({@code store.writeQueue} writes,
 * queued and in flight together): while the database is down the writer retries with backoff and keeps
 * accepting, and past the bound it drops the oldest write, counts it ({@link #dropped()}) and says so in the log
 * at most once a minute. It also runs {@link Retention}.
 */
public final class StoreWriter implements StoreWrites {

  private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

  /**
   * The writer's timings; {@link #defaults()} in the gateway, shorter in tests.
   *
   * @param batchSize      writes per batch; a full batch is written at once, without waiting for the tick
   * @param flushEveryMs   the tick: what is queued is written at least this often
   * @param firstBackoffMs the wait before the first retry of a failed batch, doubling ...
   * @param maxBackoffMs   ... up to this
   * @param retentionFirstMs the first retention run, after start
   * @param retentionEveryMs retention runs after that
   * @param closeWaitMs    how long {@link #close()} waits for the queue to be written
   */
  record Tuning(int batchSize, long flushEveryMs, long firstBackoffMs, long maxBackoffMs, long retentionFirstMs,
                long retentionEveryMs, long closeWaitMs) {

    static Tuning defaults() {
      return new Tuning(500, 100, 100, 5_000, 10_000, 60_000, 5_000);
    }
  }

  private static final long DROP_WARN_EVERY_MS = 60_000;

  private final Vertx vertx;
  private final Context context;
  private final Store store;
  private final WriteQueue queue;
  private final Tuning tuning;
  private final LongSupplier clock;
  private final Retention retention;

  private final AtomicBoolean kicked = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile Throwable lastError;
  private volatile boolean failing;

  /** A batch is in flight or waiting for its retry: its end looks at the queue anyway, no kick needed. */
  private volatile boolean busy;

  // Confined to the context.
  private long retryTimer = -1;
  private long tickTimer = -1;
  private long backoffMs;
  private long failedSince;
  private int failedAttempts;
  private long droppedReported;
  private long dropWarnedAt = Long.MIN_VALUE / 2;

  /** Starts a writer on {@code vertx.getOrCreateContext()}: from a non-Vert.x thread, an event loop of its own. */
  public static StoreWriter start(Vertx vertx, Store store, StoreConfig config) {
    return new StoreWriter(vertx, vertx.getOrCreateContext(), store, config, Tuning.defaults(),
        System::currentTimeMillis);
  }

  StoreWriter(Vertx vertx, Context context, Store store, StoreConfig config, Tuning tuning, LongSupplier clock) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.queue = new WriteQueue(config.writeQueue());
    this.tuning = tuning;
    this.clock = clock;
    this.backoffMs = tuning.firstBackoffMs();
    this.retention = new Retention(vertx, store, config, clock, tuning.retentionFirstMs(), tuning.retentionEveryMs());
    context.runOnContext(v -> {
      tickTimer = vertx.setPeriodic(tuning.flushEveryMs(), id -> tick());
      retention.start();
    });
  }

  /** Enqueues a history entry. */
  public void event(HistoryEvent event) {
    enqueue(event);
  }

  /** Enqueues a task's save (its whole record as it is now). */
  public void task(TaskRecord task) {
    enqueue(task);
  }

  /** Enqueues a usage interval's save. */
  public void usage(UsageInterval interval) {
    enqueue(interval);
  }

  /** Writes dropped because the queue was full, since start. */
  public long dropped() {
    return queue.dropped();
  }

  /** Writes waiting, in flight included. */
  public int queued() {
    return queue.size();
  }

  /** True when the last write failed (the writer is retrying): for {@code /ready}. */
  public boolean failing() {
    return failing;
  }

  /** Why the last write failed while {@link #failing()}; null once writing works again. */
  public Throwable lastError() {
    return lastError;
  }

  /**
   * Completes when everything enqueued before this call is written, so that a read that follows sees it; fails at
   * once while the store is failing, and when the batch that holds those writes fails.
   */
  public Future<Void> flush() {
    if (failing) {
      Throwable error = lastError;
      return Future.failedFuture(new IllegalStateException("the store is failing: " + message(error), error));
    }
    return onCaller(flushMarker());
  }

  /** Writes what is queued (waiting {@code closeWaitMs} at most), stops the timers and closes the store. */
  public Future<Void> close() {
    if (!closing.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> {
      Promise<Void> drained = Promise.promise();
      long guard = vertx.setTimer(tuning.closeWaitMs(),
          id -> drained.tryFail("timed out after " + tuning.closeWaitMs() + " ms"));
      drainBeforeClose(clock.getAsLong() + tuning.closeWaitMs(), drained);
      drained.future().transform(ar -> {
        vertx.cancelTimer(guard);
        vertx.cancelTimer(tickTimer);
        vertx.cancelTimer(retryTimer);
        retention.stop();
        if (ar.failed()) {
          LOG.warn("store: {} writes could not be stored before closing: {}", queued(), message(ar.cause()));
        }
        return store.close();
      }).onComplete(closed);
    });
    return onCaller(closed.future());
  }

  private void enqueue(Object entry) {
    if (closing.get()) {
      queue.refuse();
      return;
    }
    int n = queue.add(entry);
    if (n >= tuning.batchSize() && !busy) {
      kick(); // racy on purpose: a missed kick only means waiting for the next tick
    }
  }

  private void kick() {
    if (kicked.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        kicked.set(false);
        drain();
      });
    }
  }

  private Future<Void> flushMarker() {
    Future<Void> written = queue.addMarker();
    kick();
    return written;
  }

  private void tick() {
    drain();
    long total = queue.dropped();
    long now = clock.getAsLong();
    if (total > droppedReported && now - dropWarnedAt >= DROP_WARN_EVERY_MS) {
      LOG.warn("store: the write queue ({} writes) is full, the database being down or slow: dropped {} of the "
          + "oldest writes ({} in all)", queue.capacity(), total - droppedReported, total);
      droppedReported = total;
      dropWarnedAt = now;
    }
  }

  /** On the context: writes the next batch unless one is in flight or waiting for its retry. */
  private void drain() {
    if (busy) {
      return;
    }
    WriteBatch batch = queue.take(tuning.batchSize());
    if (batch == null) {
      return;
    }
    busy = true;
    Future<Void> write;
    try {
      write = batch.writeTo(store);
    } catch (RuntimeException e) { // a store that throws instead of failing its future must not stop the writer
      write = Future.failedFuture(e);
    }
    write.onComplete(ar -> context.runOnContext(v -> written(batch, ar)));
  }

  private void written(WriteBatch batch, AsyncResult<Void> ar) {
    if (ar.succeeded()) {
      busy = false;
      queue.written(batch);
      batch.flushes().forEach(Promise::tryComplete);
      recovered();
      if (queue.size() >= tuning.batchSize() || queue.markerWaiting()) {
        drain();
      }
      return;
    }
    queue.putBack(batch);
    batch.flushes().forEach(p -> p.tryFail(ar.cause()));
    failed(ar.cause());
  }

  private void failed(Throwable cause) {
    lastError = cause;
    if (!failing) {
      failing = true;
      failedSince = clock.getAsLong();
      failedAttempts = 0;
      LOG.warn("store: writing failed, retrying with backoff and queueing meanwhile: {}", message(cause));
      LOG.debug("store: the first failed write", cause);
    } else {
      LOG.debug("store: writing still failing: {}", message(cause));
    }
    failedAttempts++;
    long delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, tuning.maxBackoffMs());
    retryTimer = vertx.setTimer(delay, id -> {
      retryTimer = -1;
      busy = false;
      drain();
    });
  }

  private void recovered() {
    backoffMs = tuning.firstBackoffMs();
    if (failing) {
      failing = false;
      lastError = null;
      LOG.info("store: writing works again after {} ms and {} failed attempts", clock.getAsLong() - failedSince,
          failedAttempts);
    }
  }

  private void drainBeforeClose(long deadline, Promise<Void> done) {
    flushMarker().onComplete(ar -> {
      if (ar.succeeded()) {
        done.tryComplete();
      } else if (clock.getAsLong() >= deadline || done.future().isComplete()) {
        done.tryFail(ar.cause());
      } else {
        drainBeforeClose(deadline, done); // the next marker waits for the retry, bounded by the deadline
      }
    });
  }

  /** The future, completing on the caller's context if it has one (so its callbacks run where it expects). */
  private static <T> Future<T> onCaller(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> caller.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  private static String message(Throwable e) {
    return e == null ? "unknown" : e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
