package dev.smartgateway.config;

import java.time.Duration;

/**
 * How the gateway calls a cloud's API ({@code cloud:}): every start, describe, stop and list goes through a
 * per-call timeout, retries with exponential backoff for failures worth retrying, and one circuit breaker
 * per provider that fails requests fast (503 + Retry-After) while the cloud is down.
 *
 * @param timeout             one call ({@code cloud.timeout}, default 10s)
 * @param retryCount          retries after the first attempt ({@code cloud.retryCount}, default 3)
 * @param retryInterval       first backoff, doubled each retry, with jitter ({@code cloud.retryInterval}, default 2s)
 * @param breakerFailureRate  percentage of failed calls that opens the breaker ({@code cloud.breaker.failureRate}, default 50)
 * @param breakerMinimumCalls calls before the rate is judged ({@code cloud.breaker.minimumCalls}, default 5)
 * @param breakerWindow       calls the rate is computed over ({@code cloud.breaker.window}, default 20)
 * @param breakerOpenFor      how long it stays open before probing ({@code cloud.breaker.openFor}, default 10s)
 * @param breakerHalfOpenCalls trial calls while half-open ({@code cloud.breaker.halfOpenCalls}, default 2)
 */
public record CloudCallsConfig(Duration timeout, int retryCount, Duration retryInterval, int breakerFailureRate,
                               int breakerMinimumCalls, int breakerWindow, Duration breakerOpenFor,
                               int breakerHalfOpenCalls) {

  public static CloudCallsConfig defaults() {
    return new CloudCallsConfig(Duration.ofSeconds(10), 3, Duration.ofSeconds(2), 50, 5, 20, Duration.ofSeconds(10), 2);
  }
}
