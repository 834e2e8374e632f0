package dev.smartgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What every {@link Store} does, run against each database by a subclass. Each test starts from an empty store
 * ({@link #open}); {@link #reopen} opens the same database again, for what has to survive a restart.
 */
@ExtendWith(VertxExtension.class)
abstract class StoreContract {

  protected Vertx vertx;
  protected Store store;
  private final List<Store> opened = new ArrayList<>();

  /** A store over an empty database. */
  protected abstract Future<Store> open(Vertx vertx);

  /** A store over the same database as the last {@link #open} (for memory: a new, empty one). */
  protected abstract Future<Store> reopen(Vertx vertx);

  /** Whether what is written survives a close and a reopen. */
  protected abstract boolean durable();

  @BeforeEach
  void openStore(Vertx vertx) {
    this.vertx = vertx;
    store = track(await(open(vertx)));
  }

  @AfterEach
  void closeStores() {
    opened.forEach(s -> await(s.close()));
  }

  protected Store track(Store s) {
    opened.add(s);
    return s;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store call did not succeed: " + e, e);
    }
  }

  static HistoryEvent event(long at, String type, String resource, String... groups) {
    return new HistoryEvent(0, at, HistoryEvent.LIFECYCLE, type, resource, List.of(groups), "i-" + at, "ref-" + at,
        null, "STOPPED", type, "because " + at, "gw-1", "{\"at\":" + at + "}");
  }

  static TaskRecord task(String id, TaskState state, String resource, String kind, long createdAt, long updatedAt) {
    return new TaskRecord(id, kind, "admin", resource, List.of("g1", "g2"), "i-" + id, "ref-" + id, state,
        createdAt, updatedAt, List.of(new TaskRecord.Step("cloud call", createdAt, null),
        new TaskRecord.Step("boot", updatedAt, "took \"long\"")), state == TaskState.SUCCEEDED ? "ready" : null,
        state == TaskState.FAILED ? "boom" : null, "gw-1");
  }

  static UsageInterval interval(String ref, String resource, List<String> groups, long started, long ended) {
    return new UsageInterval(ref, resource, groups, "i-" + ref, started, ended, "gw-1");
  }

  private List<HistoryEvent> read(EventQuery q) {
    return await(store.events(q));
  }

  private static EventQuery query(String resource, Set<String> types, long since, long until, long afterId,
                                  int limit) {
    return new EventQuery(resource, types, since, until, afterId, limit);
  }

  @Test
  void eventsComeBackInOrderWithAscendingIds() {
    List<HistoryEvent> first = List.of(event(300, "STARTING", "web", "g2", "g1"), event(100, "READY", "web"));
    List<HistoryEvent> second = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      second.add(event(1000 + i, "READY", "api", "g1"));
    }
    await(store.appendEvents(first));
    await(store.appendEvents(second));
    await(store.appendEvents(List.of()));

    List<HistoryEvent> all = read(EventQuery.all());
    assertThat(all).hasSize(602);
    assertThat(all).extracting(HistoryEvent::id).isSorted().doesNotHaveDuplicates().allMatch(id -> id > 0);
    // Groups were given unsorted: stored as the set's sorted names.
    assertThat(all.get(0).groups()).containsExactly("g1", "g2");
    List<HistoryEvent> expected = new ArrayList<>(List.of(event(300, "STARTING", "web", "g1", "g2"), first.get(1)));
    expected.addAll(second);
    assertThat(all.stream().map(e -> e.withId(0)).toList()).isEqualTo(expected);
  }

  @Test
  void eventsKeepNullFields() {
    HistoryEvent bare = new HistoryEvent(0, 5, HistoryEvent.TASK, "running", "web", List.of(), null, null, "t-1",
        null, "running", null, null, null);
    await(store.appendEvents(List.of(bare)));
    assertThat(read(EventQuery.all())).singleElement().satisfies(e -> assertThat(e.withId(0)).isEqualTo(bare));
  }

  @Test
  void eventsHonourEveryFilter() {
    await(store.appendEvents(List.of(event(100, "STARTING", "web"), event(200, "READY", "web"),
        event(300, "STARTING", "api"), event(400, "STOPPED", "web"), event(500, "READY", "api"))));
    List<Long> ids = read(EventQuery.all()).stream().map(HistoryEvent::id).toList();

    assertThat(read(query("web", Set.of(), 0, 0, 0, 100))).extracting(HistoryEvent::at).containsExactly(100L, 200L,
        400L);
    assertThat(read(query(null, Set.of("READY", "STOPPED"), 0, 0, 0, 100))).extracting(HistoryEvent::at)
        .containsExactly(200L, 400L, 500L);
    assertThat(read(query(null, Set.of(), 200, 0, 0, 100))).extracting(HistoryEvent::at)
        .containsExactly(200L, 300L, 400L, 500L);
    assertThat(read(query(null, Set.of(), 0, 400, 0, 100))).extracting(HistoryEvent::at)
        .containsExactly(100L, 200L, 300L);
    assertThat(read(query(null, Set.of(), 200, 400, 0, 100))).extracting(HistoryEvent::at)
        .containsExactly(200L, 300L);
    assertThat(read(query(null, Set.of(), 0, 0, ids.get(2), 100))).extracting(HistoryEvent::at)
        .containsExactly(400L, 500L);
    assertThat(read(query(null, Set.of(), 0, 0, 0, 2))).extracting(HistoryEvent::at).containsExactly(100L, 200L);
    assertThat(read(query("api", Set.of("READY"), 100, 1000, ids.get(0), 10))).extracting(HistoryEvent::at)
        .containsExactly(500L);
    assertThat(read(query("nope", Set.of(), 0, 0, 0, 10))).isEmpty();
  }

  @Test
  void aTaskSavedTwiceIsOneTaskInItsLaterState() {
    TaskRecord running = task("t-1", TaskState.RUNNING, "web", TaskRecord.START, 1000, 1000);
    TaskRecord succeeded = task("t-1", TaskState.SUCCEEDED, "web", TaskRecord.START, 1000, 2500);
    await(store.saveTasks(List.of(running)));
    await(store.saveTasks(List.of(succeeded)));

    assertThat(await(store.task("t-1"))).isEqualTo(succeeded);
    assertThat(await(store.tasks(TaskQuery.all()))).containsExactly(succeeded);
    assertThat(await(store.task("t-2"))).isNull();
  }

  @Test
  void severalSavesOfOneTaskInOneBatchKeepTheLast() {
    await(store.saveTasks(List.of(task("t-1", TaskState.PENDING, "web", TaskRecord.START, 1, 1),
        task("t-1", TaskState.RUNNING, "web", TaskRecord.START, 1, 2),
        task("t-1", TaskState.FAILED, "web", TaskRecord.START, 1, 3))));
    assertThat(await(store.task("t-1")).state()).isEqualTo(TaskState.FAILED);
  }

  @Test
  void tasksHonourEveryFilterNewestFirst() {
    await(store.saveTasks(List.of(
        task("a", TaskState.SUCCEEDED, "web", TaskRecord.START, 100, 150),
        task("b", TaskState.RUNNING, "web", TaskRecord.STOP, 200, 200),
        task("c", TaskState.FAILED, "api", TaskRecord.START, 300, 350),
        task("d", TaskState.SUCCEEDED, "api", TaskRecord.STOP, 400, 450),
        task("e", TaskState.PENDING, "web", TaskRecord.START, 500, 500))));

    assertThat(ids(TaskQuery.all())).containsExactly("e", "d", "c", "b", "a");
    assertThat(ids(new TaskQuery(TaskState.SUCCEEDED, null, null, 0, 100))).containsExactly("d", "a");
    assertThat(ids(new TaskQuery(null, "web", null, 0, 100))).containsExactly("e", "b", "a");
    assertThat(ids(new TaskQuery(null, null, TaskRecord.STOP, 0, 100))).containsExactly("d", "b");
    assertThat(ids(new TaskQuery(null, null, null, 300, 100))).containsExactly("e", "d", "c");
    assertThat(ids(new TaskQuery(null, null, null, 0, 2))).containsExactly("e", "d");
    assertThat(ids(new TaskQuery(TaskState.SUCCEEDED, "api", TaskRecord.STOP, 400, 1))).containsExactly("d");
  }

  private List<String> ids(TaskQuery q) {
    return await(store.tasks(q)).stream().map(TaskRecord::id).toList();
  }

  @Test
  void taskCountsHaveEveryStateAndIgnoreTheQueryState() {
    assertThat(await(store.countTasks(TaskQuery.all()))).containsExactlyEntriesOf(Store.zeroCounts());

    await(store.saveTasks(List.of(
        task("a", TaskState.SUCCEEDED, "web", TaskRecord.START, 100, 150),
        task("b", TaskState.SUCCEEDED, "web", TaskRecord.STOP, 200, 200),
        task("c", TaskState.RUNNING, "web", TaskRecord.START, 300, 300),
        task("d", TaskState.FAILED, "api", TaskRecord.START, 400, 450))));

    Map<TaskState, Long> all = await(store.countTasks(TaskQuery.all()));
    assertThat(all).containsExactly(Map.entry(TaskState.PENDING, 0L), Map.entry(TaskState.RUNNING, 1L),
        Map.entry(TaskState.SUCCEEDED, 2L), Map.entry(TaskState.FAILED, 1L), Map.entry(TaskState.CANCELLED, 0L));
    Map<TaskState, Long> web = await(store.countTasks(new TaskQuery(TaskState.FAILED, "web", null, 0, 1)));
    assertThat(web).containsExactly(Map.entry(TaskState.PENDING, 0L), Map.entry(TaskState.RUNNING, 1L),
        Map.entry(TaskState.SUCCEEDED, 2L), Map.entry(TaskState.FAILED, 0L), Map.entry(TaskState.CANCELLED, 0L));
    Map<TaskState, Long> startsSince = await(store.countTasks(new TaskQuery(null, null, TaskRecord.START, 300, 1)));
    assertThat(startsSince.get(TaskState.RUNNING)).isEqualTo(1L);
    assertThat(startsSince.get(TaskState.FAILED)).isEqualTo(1L);
    assertThat(startsSince.get(TaskState.SUCCEEDED)).isZero();
  }

  @Test
  void usageIsExactForEveryKindOfOverlap() {
    long from = 100_000;
    long to = 200_000;
    await(store.saveUsage(List.of(
        interval("before", "web", List.of("g1"), 10_000, 50_000),
        interval("straddles-start", "web", List.of("g1"), 90_000, 110_000),
        interval("inside", "web", List.of("g1"), 120_000, 130_500),
        interval("straddles-end", "web", List.of("g1"), 195_000, 250_000),
        interval("open", "web", List.of("g1", "g2"), 150_000, 0),
        interval("whole-range", "web", List.of(), 100_000, 200_000),
        interval("starts-at-end", "api", List.of("g1"), 200_000, 210_000),
        interval("ends-at-start", "api", List.of("g1"), 50_000, 100_000),
        interval("covers", "api", List.of("g1"), 50_000, 300_000),
        interval("after-now", "db", List.of(), 195_000, 0))));

    assertThat(await(store.usage(from, to, 190_000)))
        .extracting(UsageTotal::resource, UsageTotal::groups, UsageTotal::instanceSeconds, UsageTotal::instances)
        .containsExactly(
            tuple("api", List.of("g1"), 100.0, 1L),
            tuple("web", List.of(), 100.0, 1L),
            tuple("web", List.of("g1"), 25.5, 3L),
            tuple("web", List.of("g1", "g2"), 40.0, 1L));

    // "now" past the range: the open interval counts until the range's end.
    assertThat(await(store.usage(from, to, 500_000)))
        .extracting(UsageTotal::resource, UsageTotal::groups, UsageTotal::instanceSeconds, UsageTotal::instances)
        .containsExactly(
            tuple("api", List.of("g1"), 100.0, 1L),
            tuple("db", List.of(), 5.0, 1L),
            tuple("web", List.of(), 100.0, 1L),
            tuple("web", List.of("g1"), 25.5, 3L),
            tuple("web", List.of("g1", "g2"), 50.0, 1L));
    assertThat(await(store.usage(300_000, 400_000, 500_000))).extracting(UsageTotal::resource)
        .containsExactly("db", "web");
  }

  @Test
  void usageIntervalsAreUpsertedByRefAndOpenOnesListed() {
    await(store.saveUsage(List.of(interval("r1", "web", List.of("g1"), 1000, 0),
        interval("r2", "web", List.of(), 2000, 0))));
    assertThat(await(store.openIntervals())).extracting(UsageInterval::ref).containsExactly("r1", "r2");

    UsageInterval ended = interval("r1", "web", List.of("g1"), 1000, 4000);
    await(store.saveUsage(List.of(ended)));
    assertThat(await(store.openIntervals())).extracting(UsageInterval::ref).containsExactly("r2");
    assertThat(await(store.usage(0, 10_000, 5000))).extracting(UsageTotal::groups, UsageTotal::instanceSeconds)
        .containsExactly(tuple(List.of(), 3.0), tuple(List.of("g1"), 3.0));
  }

  @Test
  void registrationsAreUpsertedAndKeepTombstones() {
    await(store.saveRegistration(new Registration("web", "{\"idleTimeout\":\"5m\"}", 100)));
    await(store.saveRegistration(new Registration("api", "{}", 200)));
    await(store.saveRegistration(new Registration("web", "{\"idleTimeout\":\"1m\"}", 300)));
    await(store.saveRegistration(new Registration("api", null, 400)));

    assertThat(await(store.registrations())).containsExactly(new Registration("api", null, 400),
        new Registration("web", "{\"idleTimeout\":\"1m\"}", 300));
  }

  @Test
  void whatIsWrittenSurvivesACloseAndReopenIfDurable() {
    HistoryEvent e = event(100, "READY", "web", "g1");
    TaskRecord t = task("t-1", TaskState.SUCCEEDED, "web", TaskRecord.START, 10, 20);
    UsageInterval u = interval("r1", "web", List.of("g1"), 10, 0);
    await(store.appendEvents(List.of(e)));
    await(store.saveTasks(List.of(t)));
    await(store.saveUsage(List.of(u)));
    await(store.saveRegistration(new Registration("web", "{}", 1)));
    await(store.saveRegistration(new Registration("gone", null, 2)));
    await(store.close());

    Store again = track(await(reopen(vertx)));
    if (durable()) {
      assertThat(await(again.events(EventQuery.all()))).extracting(h -> h.withId(0)).containsExactly(e);
      assertThat(await(again.task("t-1"))).isEqualTo(t);
      assertThat(await(again.openIntervals())).containsExactly(u);
      assertThat(await(again.registrations())).containsExactly(new Registration("gone", null, 2),
          new Registration("web", "{}", 1));
      // New ids keep ascending after a restart.
      await(again.appendEvents(List.of(event(200, "STOPPED", "web"))));
      assertThat(await(again.events(EventQuery.all()))).extracting(HistoryEvent::id).isSorted().hasSize(2);
    } else {
      assertThat(await(again.events(EventQuery.all()))).isEmpty();
      assertThat(await(again.registrations())).isEmpty();
    }
    await(again.check());
  }

  @Test
  void purgeDeletesByAgeButNeverOpenTasksOrOpenIntervals() {
    List<HistoryEvent> events = new ArrayList<>();
    for (int at = 1000; at <= 10_000; at += 1000) {
      events.add(event(at, "READY", "web"));
    }
    await(store.appendEvents(events));
    await(store.saveTasks(List.of(
        task("old-done", TaskState.SUCCEEDED, "web", TaskRecord.START, 500, 1000),
        task("old-cancelled", TaskState.CANCELLED, "web", TaskRecord.START, 500, 1000),
        task("old-running", TaskState.RUNNING, "web", TaskRecord.START, 500, 1000),
        task("new-done", TaskState.FAILED, "web", TaskRecord.START, 500, 9000))));
    await(store.saveUsage(List.of(interval("old-ended", "web", List.of(), 100, 1000),
        interval("old-open", "web", List.of(), 100, 0), interval("new-ended", "web", List.of(), 100, 9000))));

    assertThat(await(store.purge(5000, 0, 0))).isEqualTo(new Store.Purged(4, 2, 1));

    assertThat(read(EventQuery.all())).extracting(HistoryEvent::at).containsExactly(5000L, 6000L, 7000L, 8000L,
        9000L, 10_000L);
    assertThat(ids(TaskQuery.all())).containsExactlyInAnyOrder("old-running", "new-done");
    assertThat(await(store.usage(0, 100_000, 10_000))).singleElement()
        .satisfies(t -> assertThat(t.instances()).isEqualTo(2));
    assertThat(await(store.purge(5000, 0, 0))).isEqualTo(new Store.Purged(0, 0, 0));
  }

  @Test
  void purgeKeepsTheNewestEventsAndFinishedTasksPastTheirBounds() {
    List<HistoryEvent> events = new ArrayList<>();
    for (int at = 1000; at <= 10_000; at += 1000) {
      events.add(event(at, "READY", "web"));
    }
    await(store.appendEvents(events));
    List<TaskRecord> tasks = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      tasks.add(task("done-" + i, TaskState.SUCCEEDED, "web", TaskRecord.START, i * 100, i * 100 + 50));
    }
    tasks.add(task("running", TaskState.RUNNING, "web", TaskRecord.START, 1, 1));
    await(store.saveTasks(tasks));

    assertThat(await(store.purge(0, 3, 2))).isEqualTo(new Store.Purged(7, 3, 0));

    assertThat(read(EventQuery.all())).extracting(HistoryEvent::at).containsExactly(8000L, 9000L, 10_000L);
    assertThat(ids(TaskQuery.all())).containsExactly("done-5", "done-4", "running");
    assertThat(await(store.purge(0, 3, 2))).isEqualTo(new Store.Purged(0, 0, 0));
    assertThat(await(store.purge(0, 100, 100))).isEqualTo(new Store.Purged(0, 0, 0));
  }

  @Test
  void checkWritesAndReads() {
    await(store.check());
    await(store.check());
  }
}
