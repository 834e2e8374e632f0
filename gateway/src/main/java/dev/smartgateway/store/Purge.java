package dev.smartgateway.store;

import io.vertx.core.Future;

import java.util.List;

/**
 * One retention run as {@link Store#purge} describes it, in statements both databases take: no {@code LIMIT} in a
 * {@code DELETE} (PostgreSQL has none), so "the oldest past N" is "every id up to the (N+1)-th newest". Open
 * tasks and open usage intervals are never deleted. Each statement stands alone: a run cut short by an error
 * leaves a consistent store, and the next run finishes the job.
 */
final class Purge {

  /** Runs a statement written with {@code ?} placeholders; answers the rows it changed. */
  interface Update {
    Future<Long> run(String sql, List<Object> params);
  }

  private static final String FINAL = "state IN ('succeeded', 'failed', 'cancelled')";

  private final Update update;
  private final long olderThan;
  private final long maxEvents;
  private final long maxTasks;

  /** {@code maxEvents} or {@code maxTasks} of 0 or less: no bound on that count. */
  Purge(Update update, long olderThan, long maxEvents, long maxTasks) {
    this.update = update;
    this.olderThan = olderThan;
    this.maxEvents = maxEvents;
    this.maxTasks = maxTasks;
  }

  Future<Store.Purged> run() {
    long[] events = new long[1];
    long[] tasks = new long[1];
    return update.run("DELETE FROM events WHERE at < ?", List.of(olderThan))
        .compose(n -> {
          events[0] += n;
          return maxEvents <= 0 ? Future.succeededFuture(0L) : update.run("DELETE FROM events WHERE id <= "
              + "(SELECT id FROM events ORDER BY id DESC OFFSET ? ROWS FETCH FIRST 1 ROWS ONLY)", List.of(maxEvents));
        })
        .compose(n -> {
          events[0] += n;
          return update.run("DELETE FROM tasks WHERE " + FINAL + " AND updated_at < ?", List.of(olderThan));
        })
        .compose(n -> {
          tasks[0] += n;
          return maxTasks <= 0 ? Future.succeededFuture(0L) : update.run("DELETE FROM tasks WHERE id IN "
              + "(SELECT id FROM tasks WHERE " + FINAL + " ORDER BY updated_at DESC, id DESC OFFSET ? ROWS)",
              List.of(maxTasks));
        })
        .compose(n -> {
          tasks[0] += n;
          return update.run("DELETE FROM usage WHERE ended_at > 0 AND ended_at < ?", List.of(olderThan));
        })
        .map(intervals -> new Store.Purged(events[0], tasks[0], intervals));
  }
}
