package dev.smartgateway.store;

import java.util.Set;

/**
 * Which history entries to read; null or 0 means "any".
 *
 * @param resource  only this resource
 * @param types     only these types (lifecycle types or task states, as stored), empty for all
 * @param since     at or after this epoch ms
 * @param until     before this epoch ms (0: no bound)
 * @param afterId   only entries with a larger id (paging)
 * @param limit     at most this many (1..10000), the oldest first
 */
public record EventQuery(String resource, Set<String> types, long since, long until, long afterId, int limit) {

  public static final int MAX_LIMIT = 10_000;

  public EventQuery {
    types = Set.copyOf(types == null ? Set.of() : types);
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }
  }

  public static EventQuery all() {
    return new EventQuery(null, Set.of(), 0, 0, 0, MAX_LIMIT);
  }
}
