package dev.smartgateway.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up intervals within a range, in whole milliseconds (so the sum is exact; it becomes seconds only once, at
 * the end). Done in Java rather than SQL so that both databases share it: the rows come from one plain
 * {@code SELECT} of the intervals that may overlap the range.
 */
final class UsageSum {

  private final long from;
  private final long to;
  private final long now;
  /** By resource, then group set text: the order {@link Store#usage} promises. */
  private final Map<String, Map<String, long[]>> totals = new TreeMap<>();

  /** The range {@code [from, to)}; an open interval runs until {@code now}. */
  UsageSum(long from, long to, long now) {
    this.from = from;
    this.to = to;
    this.now = now;
  }

  /** Counts one interval's overlap with the range, if it has any. */
  void add(String resource, String groupSet, long startedAt, long endedAt) {
    long end = endedAt == 0 ? now : endedAt;
    long overlap = Math.min(end, to) - Math.max(startedAt, from);
    if (overlap <= 0) {
      return;
    }
    long[] sum = totals.computeIfAbsent(resource, r -> new TreeMap<>()).computeIfAbsent(groupSet, g -> new long[2]);
    sum[0] += overlap;
    sum[1]++;
  }

  List<UsageTotal> totals() {
    List<UsageTotal> out = new ArrayList<>();
    totals.forEach((resource, byGroups) -> byGroups.forEach((groups, sum) ->
        out.add(new UsageTotal(resource, Rows.splitGroups(groups), sum[0] / 1000.0, sum[1]))));
    return out;
  }
}
