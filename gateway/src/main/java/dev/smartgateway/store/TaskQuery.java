package dev.smartgateway.store;

/**
 * Which tasks to read; null or 0 means "any".
 *
 * @param state    only tasks in this state
 * @param resource only tasks of this resource
 * @param kind     only {@code start} or {@code stop} tasks
 * @param since    created at or after this epoch ms
 * @param limit    at most this many (1..10000), the newest first
 */
public record TaskQuery(TaskState state, String resource, String kind, long since, int limit) {

  public static final int MAX_LIMIT = 10_000;

  public TaskQuery {
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }
  }

  public static TaskQuery all() {
    return new TaskQuery(null, null, null, 0, MAX_LIMIT);
  }
}
