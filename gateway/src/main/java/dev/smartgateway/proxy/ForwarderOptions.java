package dev.smartgateway.proxy;

import dev.smartgateway.config.LimitsConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the HTTP clients one forwarder (one server event loop) reaches the VMs with.
 *
 * @param connectionsPerVm pooled HTTP/1.1 connections kept per VM address (host and port); WebSocket upgrades
 *     open connections of their own and do not count
 * @param connectionQueuePerVm requests allowed to wait for a pooled connection per VM address; beyond it
 *     the forward fails at once with 503 {@code gateway-busy} instead of queueing without bound
 * @param connectionWait how long a request may wait for a pooled connection before 503 {@code gateway-busy};
 *     raised to the target's connect timeout + {@link #CONNECT_MARGIN_MS} when shorter
 *     (see {@code VmClients.poolTimeoutMillis})
 * @param keepAlive how long an idle pooled connection is kept; shorter than the VMs' own keep-alive so the
 *     gateway, not the VM, closes idle connections (a VM closing one just as it is reused costs a 502)
 * @param idleTimeout an upstream connection with no byte in either direction for this long is closed,
 *     which fails a stalled exchange; {@link Duration#ZERO} disables it (long polls). WebSockets are exempt
 * @param webSocketIdleTimeout a spliced WebSocket with no byte either way for this long is closed with a close
 *     frame 1001 to both sides; {@link Duration#ZERO} never closes one
 */
public record ForwarderOptions(int connectionsPerVm, int connectionQueuePerVm, Duration connectionWait,
                               Duration keepAlive, Duration idleTimeout, Duration webSocketIdleTimeout) {

  /**
   * How much longer than the TCP connect timeout the wait for a pooled connection is at least: the pool's
   * timer and Netty's connect timer start in the same event-loop task, and the connect timer must fire first.
   */
  public static final long CONNECT_MARGIN_MS = 250;

  public ForwarderOptions {
    if (connectionsPerVm < 1) {
      throw new IllegalArgumentException("connectionsPerVm must be >= 1: " + connectionsPerVm);
    }
    if (connectionQueuePerVm < 0) {
      throw new IllegalArgumentException("connectionQueuePerVm must be >= 0: " + connectionQueuePerVm);
    }
    Objects.requireNonNull(connectionWait, "connectionWait");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(webSocketIdleTimeout, "webSocketIdleTimeout");
    if (connectionWait.isNegative() || connectionWait.isZero()) {
      throw new IllegalArgumentException("connectionWait must be positive: " + connectionWait);
    }
    if (keepAlive.toSeconds() < 1) {
      throw new IllegalArgumentException("keepAlive must be at least 1s: " + keepAlive);
    }
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
    }
    if (webSocketIdleTimeout.isNegative()) {
      throw new IllegalArgumentException("webSocketIdleTimeout must not be negative: " + webSocketIdleTimeout);
    }
  }

  /** The pool bounds and VM idle timeout of {@code limits:}, 30 s keep-alive, WebSockets never cut when idle. */
  public static ForwarderOptions from(LimitsConfig limits) {
    return new ForwarderOptions(limits.connectionsPerVm(), limits.connectionQueuePerVm(), limits.connectionWait(),
        Duration.ofSeconds(30), limits.vmIdleTimeout(), Duration.ZERO);
  }

  /** The same, with this {@code server.webSocketIdleTimeout}. */
  public ForwarderOptions withWebSocketIdleTimeout(Duration timeout) {
    return new ForwarderOptions(connectionsPerVm, connectionQueuePerVm, connectionWait, keepAlive, idleTimeout,
        timeout);
  }

  /** The defaults of {@code limits:} (512 connections and 1024 waiters per VM, 10 s wait). */
  public static ForwarderOptions defaults() {
    return from(LimitsConfig.defaults());
  }
}
