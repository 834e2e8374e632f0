package dev.smartgateway.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * The gateway's memory across restarts (DESIGN section 9): the event history, tasks, usage intervals and
 * run-time resource registrations. One interface; {@link SqlStore} implements it for the embedded database
 * and for PostgreSQL with the same code. Every method is asynchronous and never blocks the caller's thread;
 * the proxy path never calls it (history, tasks and usage reach it through {@link StoreWriter}).
 */
public interface Store {

  /** Appends history entries in the order given; each gets its id in the store. */
  Future<Void> appendEvents(List<HistoryEvent> events);

  /** History entries matching the query, oldest first. */
  Future<List<HistoryEvent>> events(EventQuery query);

  /** Inserts the task, or replaces the one with its id. */
  Future<Void> saveTasks(List<TaskRecord> tasks);

  /** The task with this id, or null. */
  Future<TaskRecord> task(String id);

  /** Tasks matching the query, newest first. */
  Future<List<TaskRecord>> tasks(TaskQuery query);

  /** Tasks matching the query (its state ignored) counted by state; every state is present, 0 if none. */
  Future<Map<TaskState, Long>> countTasks(TaskQuery query);

  /** Inserts the interval, or replaces the one with its ref. */
  Future<Void> saveUsage(List<UsageInterval> intervals);

  /** Intervals not ended yet (instances that were running when the gateway last stopped, or now). */
  Future<List<UsageInterval>> openIntervals();

  /**
   * Instance-seconds per resource and group set within {@code [from, to)} (epoch ms): each interval counts
   * for its overlap with the range; an open interval runs until {@code now}. Sorted by resource, then groups.
   */
  Future<List<UsageTotal>> usage(long from, long to, long now);

  /** Inserts the registration, or replaces the one of its resource. */
  Future<Void> saveRegistration(Registration registration);

  /** Every registration (tombstones included), by resource name. */
  Future<List<Registration>> registrations();

  /**
   * Retention: deletes events and finished tasks older than {@code olderThan} (epoch ms), then the oldest
   * events past {@code maxEvents} and the oldest finished tasks past {@code maxTasks}, and ended usage
   * intervals older than {@code olderThan}. A {@code maxEvents} or {@code maxTasks} of 0 or less sets no bound.
   * Answers what was deleted.
   */
  Future<Purged> purge(long olderThan, long maxEvents, long maxTasks);

  /** A write and a read: fails if the store cannot take writes now. */
  Future<Void> check();

  Future<Void> close();

  /** What one retention run deleted. */
  record Purged(long events, long tasks, long intervals) {
  }

  /** Counts of every state, zeros included, in enum order. */
  static Map<TaskState, Long> zeroCounts() {
    Map<TaskState, Long> counts = new java.util.EnumMap<>(TaskState.class);
    for (TaskState state : TaskState.values()) {
      counts.put(state, 0L);
    }
    return counts;
  }
}
