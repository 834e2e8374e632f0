package dev.smartgateway.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the one upstream HTTP client all forwarding shares.
 *
 * @param maxConnectionsPerOrigin HTTP/1.1 connections kept per VM address (host and port)
 * @param maxWaitQueue requests allowed to wait for a pooled connection per VM address; beyond it the
 *     forward fails with 503 {@code waiters-full} at once instead of queueing without bound
 * @param keepAlive how long an idle pooled connection is kept; shorter than the VMs' own keep-alive so the
 *     gateway, not the VM, closes idle connections (a VM closing one just as it is reused costs a 502)
 * @param connectTimeout TCP connect timeout
 * @param idleTimeout an upstream connection with no byte in either direction for this long is closed,
 *     which fails a stalled exchange; {@link Duration#ZERO} disables it (long-poll, quiet WebSockets)
 */
public record ForwarderOptions(int maxConnectionsPerOrigin, int maxWaitQueue, Duration keepAlive,
                               Duration connectTimeout, Duration idleTimeout) {

  public ForwarderOptions {
    if (maxConnectionsPerOrigin < 1) {
      throw new IllegalArgumentException("maxConnectionsPerOrigin must be >= 1: " + maxConnectionsPerOrigin);
    }
    if (maxWaitQueue < 0) {
      throw new IllegalArgumentException("maxWaitQueue must be >= 0: " + maxWaitQueue);
    }
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (keepAlive.toSeconds() < 1) {
      throw new IllegalArgumentException("keepAlive must be at least 1s: " + keepAlive);
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
    }
  }

  /** 128 connections and 1024 waiters per VM, 30 s keep-alive, 5 s connect, 5 min idle. */
  public static ForwarderOptions defaults() {
    return new ForwarderOptions(128, 1024, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(5));
  }
}
