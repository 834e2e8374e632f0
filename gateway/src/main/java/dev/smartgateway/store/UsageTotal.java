package dev.smartgateway.store;

import java.util.List;

/**
 * Usage of one resource and group set over a range: what a cloud bill follows.
 *
 * @param resource        the resource
 * @param groups          the group set, sorted
 * @param instanceSeconds the sum of every instance's time within the range, in seconds (ms precision)
 * @param instances       instances that ran at some point within the range
 */
public record UsageTotal(String resource, List<String> groups, double instanceSeconds, long instances) {

  public UsageTotal {
    groups = List.copyOf(groups == null ? List.of() : groups);
  }
}
