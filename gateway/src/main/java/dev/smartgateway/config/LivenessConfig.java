package dev.smartgateway.config;

import java.time.Duration;

/**
 * Liveness of READY VMs ({@code liveness:}): the readiness probe is sent every {@code ping} (±20% jitter,
 * so that many VMs are not pinged in step); a VM that misses {@code misses} pings in a row, or has not
 * answered one for {@code pongDiscardTimeout}, is marked FAILED and stopped, and the next request starts a
 * fresh one.
 *
 * @param ping               interval between pings ({@code liveness.ping}, default 10s)
 * @param pongDiscardTimeout longest time without a good answer ({@code liveness.pongDiscardTimeout}, default 60s)
 * @param misses             consecutive failed pings that fail the VM ({@code liveness.misses}, default 3)
 * @param connectFailures    requests in a row that cannot connect to the VM and fail it even though it still
 *                           answers probes ({@code liveness.connectFailures}, default 3); a single one only
 *                           takes it out of rotation until a probe has checked it
 */
public record LivenessConfig(Duration ping, Duration pongDiscardTimeout, int misses, int connectFailures) {

  public static LivenessConfig defaults() {
    return new LivenessConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), 3, 3);
  }
}
