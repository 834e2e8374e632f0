package dev.smartgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store in memory for {@link StoreWriterTest}: writes can be made to fail ({@link #failWrites}, or only task
 * saves with {@link #failTasks}) or to hang until {@link #release()} or {@link #answer()}, and every call is
 * recorded. Thread-safe:
 * the writer calls it from its context, the test reads it from its own thread.
 */
final class FakeStore implements Store {

  volatile boolean failWrites;
  volatile boolean failTasks;
  volatile boolean hang;

  final List<HistoryEvent> events = new CopyOnWriteArrayList<>();
  final List<List<TaskRecord>> taskBatches = new CopyOnWriteArrayList<>();
  final List<List<UsageInterval>> usageBatches = new CopyOnWriteArrayList<>();
  final List<Integer> eventBatchSizes = new CopyOnWriteArrayList<>();
  final List<long[]> purges = new CopyOnWriteArrayList<>();
  final AtomicInteger failedWrites = new AtomicInteger();
  final List<String> writerThreads = new CopyOnWriteArrayList<>();
  volatile boolean closed;
  /** Writes that hang: each one's promise and what it does when answered. */
  private final List<Map.Entry<Promise<Void>, Runnable>> hung = new ArrayList<>();

  @Override
  public Future<Void> appendEvents(List<HistoryEvent> batch) {
    return write(false, () -> {
      eventBatchSizes.add(batch.size());
      events.addAll(batch);
    });
  }

  @Override
  public Future<Void> saveTasks(List<TaskRecord> tasks) {
    return write(failTasks, () -> taskBatches.add(List.copyOf(tasks)));
  }

  @Override
  public Future<Void> saveUsage(List<UsageInterval> intervals) {
    return write(false, () -> usageBatches.add(List.copyOf(intervals)));
  }

  private Future<Void> write(boolean fail, Runnable apply) {
    writerThreads.add(Thread.currentThread().getName());
    if (failWrites || fail) {
      failedWrites.incrementAndGet();
      return Future.failedFuture(new IllegalStateException("database down (fake)"));
    }
    if (hang) {
      Promise<Void> promise = Promise.promise();
      synchronized (hung) {
        hung.add(Map.entry(promise, apply));
      }
      return promise.future();
    }
    apply.run();
    return Future.succeededFuture();
  }

  /** Fails the writes that hang (as a database that never answered would), and stops hanging. */
  void release() {
    takeHung().forEach(w -> w.getKey().fail("timed out (fake)"));
  }

  /** Does the writes that hang and answers them, and stops hanging. */
  void answer() {
    takeHung().forEach(w -> {
      w.getValue().run();
      w.getKey().complete();
    });
  }

  private List<Map.Entry<Promise<Void>, Runnable>> takeHung() {
    hang = false;
    synchronized (hung) {
      List<Map.Entry<Promise<Void>, Runnable>> waiting = new ArrayList<>(hung);
      hung.clear();
      return waiting;
    }
  }

  /** Every task as last saved. */
  Map<String, TaskRecord> tasks() {
    Map<String, TaskRecord> last = new LinkedHashMap<>();
    taskBatches.forEach(batch -> batch.forEach(t -> last.put(t.id(), t)));
    return last;
  }

  @Override
  public Future<List<HistoryEvent>> events(EventQuery query) {
    return Future.succeededFuture(List.copyOf(events));
  }

  @Override
  public Future<TaskRecord> task(String id) {
    return Future.succeededFuture(tasks().get(id));
  }

  @Override
  public Future<List<TaskRecord>> tasks(TaskQuery query) {
    return Future.succeededFuture(List.copyOf(tasks().values()));
  }

  @Override
  public Future<Map<TaskState, Long>> countTasks(TaskQuery query) {
    return Future.succeededFuture(Store.zeroCounts());
  }

  @Override
  public Future<List<UsageInterval>> openIntervals() {
    return Future.succeededFuture(List.of());
  }

  @Override
  public Future<List<UsageTotal>> usage(long from, long to, long now) {
    return Future.succeededFuture(List.of());
  }

  @Override
  public Future<Void> saveRegistration(Registration registration) {
    return Future.succeededFuture();
  }

  @Override
  public Future<List<Registration>> registrations() {
    return Future.succeededFuture(List.of());
  }

  @Override
  public Future<Purged> purge(long olderThan, long maxEvents, long maxTasks) {
    purges.add(new long[] {olderThan, maxEvents, maxTasks});
    return Future.succeededFuture(new Purged(0, 0, 0));
  }

  @Override
  public Future<Void> check() {
    return failWrites ? Future.failedFuture("database down (fake)") : Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return Future.succeededFuture();
  }
}
