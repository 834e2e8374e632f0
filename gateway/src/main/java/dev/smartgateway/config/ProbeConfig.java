package dev.smartgateway.config;

import java.time.Duration;

/**
 * The HTTP readiness probe: a VM the provider calls RUNNING is ready only once {@code GET path} answers
 * with a status in {@code [statusMin, statusMax]}.
 *
 * @param path      probe path ({@code readiness.path}, default /)
 * @param statusMin lowest accepted status ({@code readiness.status: "200-499"}, default 200)
 * @param statusMax highest accepted status (default 499: any answer but a 5xx means the app is up)
 * @param interval  time between probes while warming ({@code readiness.interval}, default 25ms)
 * @param timeout   one probe's timeout ({@code readiness.timeout}, default 2s)
 */
public record ProbeConfig(String path, int statusMin, int statusMax, Duration interval, Duration timeout) {

  /** The documented defaults: {@code GET /}, any status 200-499, every 25ms, 2s per probe. */
  public static ProbeConfig defaults() {
    return new ProbeConfig("/", 200, 499, Duration.ofMillis(25), Duration.ofSeconds(2));
  }

  public boolean accepts(int status) {
    return status >= statusMin && status <= statusMax;
  }
}
