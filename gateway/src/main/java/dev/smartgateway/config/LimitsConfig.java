package dev.smartgateway.config;

/**
 * Gateway-wide bounds.
 *
 * @param maxWaitingTotal held requests across all resources ({@code limits.maxWaitingTotal}, default 10000); past it: 503
 */
public record LimitsConfig(int maxWaitingTotal) {

  public static LimitsConfig defaults() {
    return new LimitsConfig(10_000);
  }
}
