package dev.smartgateway.config;

import java.time.Duration;

/**
 * Gateway-wide bounds.
 *
 * @param maxWaitingTotal    held requests across all resources ({@code limits.maxWaitingTotal}, default 10000); past it: 503
 * @param unknownResourceTtl how long a resource the cloud does not know is answered 404 without asking the cloud
 *                           again ({@code limits.unknownResourceTtl}, default 30s; 0 never remembers)
 * @param startsPerSecond    start calls to the cloud per second, in bursts of up to a second's worth; a start that
 *                           would wait over 5 s for its turn gets 503 {@code starts-throttled}
 *                           ({@code limits.startsPerSecond}, default 100; 0 for no limit)
 */
public record LimitsConfig(int maxWaitingTotal, Duration unknownResourceTtl, int startsPerSecond) {

  public static LimitsConfig defaults() {
    return new LimitsConfig(10_000, Duration.ofSeconds(30), 100);
  }
}
