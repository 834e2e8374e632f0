package dev.smartgateway.store;

import dev.smartgateway.config.StoreConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer in front of the store: batches, order, retries, the bounded queue, flush and close. */
@ExtendWith(VertxExtension.class)
class StoreWriterTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);
  /** No tick and no retention during a test unless it asks: what happens is what the test triggers. */
  private static final long NEVER = 3_600_000;

  private Vertx vertx;
  private final FakeStore store = new FakeStore();
  private final List<StoreWriter> writers = new ArrayList<>();

  @BeforeEach
  void vertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void closeWriters() {
    store.release();
    store.failWrites = false;
    writers.forEach(w -> await(w.close()));
  }

  private StoreWriter writer(int queue, StoreWriter.Tuning tuning) {
    StoreConfig d = StoreConfig.defaults();
    StoreConfig config = new StoreConfig(StoreConfig.Type.MEMORY, d.dir(), null, null, null, Duration.ofDays(1), 7,
        3, queue);
    StoreWriter w = new StoreWriter(vertx, vertx.getOrCreateContext(), store, config, tuning, () -> 100_000_000L);
    writers.add(w);
    return w;
  }

  private static StoreWriter.Tuning tuning(int batchSize, long flushEveryMs) {
    return new StoreWriter.Tuning(batchSize, flushEveryMs, 5, 40, NEVER, NEVER, 2_000);
  }

  static HistoryEvent event(int n) {
    return new HistoryEvent(0, n, HistoryEvent.LIFECYCLE, "READY", "web", List.of(), null, "ref-" + n, null, null,
        "READY", null, "gw", null);
  }

  static TaskRecord task(String id, TaskState state) {
    return new TaskRecord(id, TaskRecord.START, "auto", "web", List.of(), null, "ref", state, 1, 2, List.of(), null,
        null, "gw");
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("did not succeed: " + e, e);
    }
  }

  static Throwable failureOf(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("succeeded, but should have failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Polls from the JUnit thread (never an event loop) until the condition holds or the deadline passes. */
  static void eventually(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  private List<Integer> eventNumbers() {
    return store.events.stream().map(e -> (int) e.at()).toList();
  }

  private static List<Integer> range(int from, int toExclusive) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < toExclusive; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void writesLandInOrderInBatchesOfAtMostTheBatchSize() {
    StoreWriter w = writer(100_000, tuning(50, 10));
    for (int i = 0; i < 1000; i++) {
      w.event(event(i));
      if (i % 100 == 0) {
        w.task(task("t-" + i, TaskState.RUNNING));
        w.usage(new UsageInterval("ref-" + i, "web", List.of(), null, i, 0, "gw"));
      }
    }
    await(w.flush());

    assertThat(eventNumbers()).isEqualTo(range(0, 1000));
    assertThat(store.eventBatchSizes).allMatch(n -> n <= 50).hasSizeGreaterThanOrEqualTo(20);
    assertThat(store.tasks()).hasSize(10);
    assertThat(store.usageBatches.stream().mapToInt(List::size).sum()).isEqualTo(10);
    assertThat(w.queued()).isZero();
    assertThat(w.dropped()).isZero();
  }

  @Test
  void theTickWritesWhatWaitsWithoutAFlush() {
    StoreWriter w = writer(1000, tuning(500, 10));
    w.event(event(1));
    eventually("the tick wrote the event", () -> store.events.size() == 1);
  }

  @Test
  void aFullBatchIsWrittenWithoutWaitingForTheTick() {
    StoreWriter w = writer(10_000, tuning(100, NEVER));
    for (int i = 0; i < 100; i++) {
      w.event(event(i));
    }
    eventually("a full batch was written", () -> store.events.size() == 100);
  }

  @Test
  void severalSavesOfOneTaskInABatchCollapseToTheLast() {
    StoreWriter w = writer(1000, tuning(500, NEVER));
    w.task(task("t-1", TaskState.PENDING));
    w.task(task("t-2", TaskState.RUNNING));
    w.task(task("t-1", TaskState.RUNNING));
    w.task(task("t-1", TaskState.SUCCEEDED));
    await(w.flush());

    assertThat(store.taskBatches).hasSize(1);
    assertThat(store.taskBatches.get(0)).extracting(TaskRecord::id, TaskRecord::state).containsExactly(
        org.assertj.core.api.Assertions.tuple("t-2", TaskState.RUNNING),
        org.assertj.core.api.Assertions.tuple("t-1", TaskState.SUCCEEDED));
  }

  @Test
  void writesAreKeptWhileTheStoreFailsAndLandInOrderAfterItRecovers() {
    store.failWrites = true;
    StoreWriter w = writer(10_000, tuning(20, 5));
    for (int i = 0; i < 50; i++) {
      w.event(event(i));
    }
    eventually("the writer noticed", w::failing);
    assertThat(w.lastError()).hasMessageContaining("database down");
    assertThat(failureOf(w.flush())).hasMessageContaining("the store is failing").hasMessageContaining("database down");
    eventually("it retried", () -> store.failedWrites.get() >= 3);
    for (int i = 50; i < 100; i++) {
      w.event(event(i));
    }

    store.failWrites = false;
    eventually("everything landed", () -> store.events.size() == 100);
    eventually("the writer recovered", () -> !w.failing());
    await(w.flush());
    assertThat(eventNumbers()).isEqualTo(range(0, 100));
    assertThat(w.dropped()).isZero();
  }

  @Test
  void aBatchHalfWrittenIsNotWrittenTwice() {
    store.failTasks = true;
    StoreWriter w = writer(1000, tuning(500, 5));
    w.event(event(1));
    w.task(task("t-1", TaskState.RUNNING));
    w.event(event(2));
    eventually("the task save failed", w::failing);
    w.event(event(3));

    store.failTasks = false;
    eventually("the task landed", () -> store.tasks().containsKey("t-1"));
    await(w.flush());
    assertThat(eventNumbers()).containsExactly(1, 2, 3);
  }

  @Test
  void aFullQueueDropsTheOldestAndCountsThem() {
    StoreWriter w = writer(10, tuning(500, NEVER));
    for (int i = 0; i < 25; i++) {
      w.event(event(i));
    }
    assertThat(w.dropped()).isEqualTo(15);
    assertThat(w.queued()).isEqualTo(10);

    await(w.flush());
    assertThat(eventNumbers()).isEqualTo(range(15, 25));
  }

  @Test
  void writesInFlightAreNotDroppedAndComeBackFirstWhenTheirBatchFails() {
    store.hang = true;
    StoreWriter w = writer(10, tuning(500, NEVER));
    for (int i = 0; i < 5; i++) {
      w.event(event(i));
    }
    Future<Void> flushed = w.flush();
    eventually("the first batch is in flight", () -> store.writerThreads.size() == 1);
    for (int i = 5; i < 15; i++) {
      w.event(event(i));
    }
    assertThat(w.dropped()).isEqualTo(5);

    store.release(); // the batch in flight fails; its writes go back to the head of the queue
    assertThat(failureOf(flushed)).hasMessageContaining("timed out");
    eventually("the writer retried and recovered", () -> store.events.size() == 10);
    assertThat(eventNumbers()).containsExactly(0, 1, 2, 3, 4, 10, 11, 12, 13, 14);
    assertThat(w.dropped()).isEqualTo(5);
  }

  @Test
  void flushWaitsForEverythingBeforeItAndCompletesOnTheCallersContext() {
    store.hang = true;
    StoreWriter w = writer(1000, tuning(500, NEVER));
    w.event(event(1));
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Context> completedOn = new CompletableFuture<>();
    AtomicReference<Future<Void>> flushed = new AtomicReference<>();
    caller.runOnContext(v -> {
      Future<Void> f = w.flush();
      flushed.set(f);
      f.onComplete(ar -> completedOn.complete(Vertx.currentContext()));
    });
    eventually("the batch is in flight", () -> flushed.get() != null && store.writerThreads.size() == 1);
    assertThat(flushed.get().isComplete()).isFalse();
    assertThat(store.events).isEmpty();

    store.answer();
    assertThat(await(Future.fromCompletionStage(completedOn))).isSameAs(caller);
    assertThat(flushed.get().succeeded()).isTrue();
    assertThat(eventNumbers()).containsExactly(1);
  }

  @Test
  void flushOnAnEmptyWriterCompletes() {
    StoreWriter w = writer(1000, tuning(500, NEVER));
    await(w.flush());
    await(w.flush());
    assertThat(store.events).isEmpty();
  }

  @Test
  void enqueueingNeverWaitsForTheStoreAndStaysBounded() throws Exception {
    store.hang = true; // a database that never answers
    StoreWriter w = writer(1000, tuning(500, 5));
    CompletableFuture<Long> took = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      long start = System.nanoTime();
      for (int i = 0; i < 100_000; i++) {
        w.event(event(i));
      }
      took.complete(System.nanoTime() - start);
    });
    assertThat(took.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(w.queued()).isLessThanOrEqualTo(1000);
    assertThat(w.dropped() + w.queued()).isEqualTo(100_000);
  }

  @Test
  void enqueueingFromManyThreadsKeepsEachThreadsOrder() throws Exception {
    StoreWriter w = writer(100_000, tuning(500, 5));
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 1_000_000;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 5000; i++) {
          w.event(event(base + i));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join(DEADLINE.toMillis());
    }
    await(w.flush());

    assertThat(store.events).hasSize(20_000);
    for (int t = 0; t < 4; t++) {
      int base = t * 1_000_000;
      assertThat(eventNumbers().stream().filter(n -> n >= base && n < base + 1_000_000).toList())
          .isEqualTo(range(base, base + 5000));
    }
  }

  @Test
  void retentionRunsSoonAfterStartAndThenPeriodically() {
    writer(1000, new StoreWriter.Tuning(500, NEVER, 5, 40, 10, 20, 2_000));
    eventually("retention ran three times", () -> store.purges.size() >= 3);
    long[] first = store.purges.get(0);
    assertThat(first).containsExactly(100_000_000L - Duration.ofDays(1).toMillis(), 7, 3);
  }

  @Test
  void closeWritesWhatIsQueuedThenClosesTheStore() {
    StoreWriter w = writer(1000, tuning(500, NEVER));
    for (int i = 0; i < 10; i++) {
      w.event(event(i));
    }
    await(w.close());
    assertThat(eventNumbers()).isEqualTo(range(0, 10));
    assertThat(store.closed).isTrue();
    w.event(event(99));
    assertThat(w.dropped()).isEqualTo(1);
  }

  @Test
  void closeGivesUpAfterItsWaitWhenTheStoreKeepsFailing() {
    store.failWrites = true;
    StoreWriter w = writer(1000, new StoreWriter.Tuning(500, NEVER, 5, 40, NEVER, NEVER, 200));
    w.event(event(1));
    long start = System.nanoTime();
    await(w.close());
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
    assertThat(store.closed).isTrue();
    assertThat(store.events).isEmpty();
  }
}
