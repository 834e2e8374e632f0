package dev.smartgateway.proxy;

import dev.smartgateway.config.LimitsConfig;
import dev.smartgateway.config.ServerConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the HTTP clients one forwarder (one server event loop) reaches the VMs with.
 *
 * @param connectionsPerVm pooled HTTP/1.1 connections kept per VM address (host and port); WebSocket upgrades
 *     open connections of their own and do not count. For an h2c resource, the requests in flight to one VM
 *     address: {@link #h2cStreamsPerConnection()} streams on each of {@link #h2cConnectionsPerVm()} connections
 * @param connectionQueuePerVm requests allowed to wait for a pooled connection per VM address; beyond it
 *     the forward fails at once with 503 {@code gateway-busy} instead of queueing without bound
 * @param connectionWait how long a request may wait for a pooled connection before 503 {@code gateway-busy};
 *     raised to the target's connect timeout + {@link #CONNECT_MARGIN_MS} when shorter
 *     (see {@code VmClients.poolTimeoutMillis})
 * @param keepAlive how long an idle pooled connection is kept; shorter than the VMs' own keep-alive so the
 *     gateway, not the VM, closes idle connections (a VM closing one just as it is reused costs a 502)
 * @param idleTimeout an upstream connection with no byte in either direction for this long is closed,
 *     which fails a stalled exchange; {@link Duration#ZERO} disables it (long polls). WebSockets are exempt
 * @param maxResponseHeaderSize the total size of a VM's response headers (and trailers) the clients accept; a
 *     larger head fails the exchange with 502 {@code bad-response}, never retried (the VM did get the request)
 * @param maxResponseLineLength the longest response status line (and chunk-size line) the clients accept
 * @param webSocketIdleTimeout a spliced WebSocket with no byte either way for this long is closed with a close
 *     frame 1001 to both sides; {@link Duration#ZERO} never closes one
 */
public record ForwarderOptions(int connectionsPerVm, int connectionQueuePerVm, Duration connectionWait,
                               Duration keepAlive, Duration idleTimeout, int maxResponseHeaderSize,
                               int maxResponseLineLength, Duration webSocketIdleTimeout) {

  /**
   * How much longer than the TCP connect timeout the wait for a pooled connection is at least: the pool's
   * timer and Netty's connect timer start in the same event-loop task, and the connect timer must fire first.
   */
  public static final long CONNECT_MARGIN_MS = 250;

  /**
   * Streams the gateway opens at most on one h2c connection (fewer if the VM's SETTINGS say so): the common
   * server default, so a VM is not asked for more than it would grant anyway.
   */
  public static final int H2C_STREAMS_PER_CONNECTION = 100;

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
    if (maxResponseHeaderSize < 1 || maxResponseLineLength < 1) {
      throw new IllegalArgumentException("response head limits must be positive: " + maxResponseHeaderSize + ", "
          + maxResponseLineLength);
    }
    if (webSocketIdleTimeout.isNegative()) {
      throw new IllegalArgumentException("webSocketIdleTimeout must not be negative: " + webSocketIdleTimeout);
    }
  }

  /** Concurrent streams per h2c connection: {@link #H2C_STREAMS_PER_CONNECTION}, or fewer for a smaller pool. */
  public int h2cStreamsPerConnection() {
    return Math.min(H2C_STREAMS_PER_CONNECTION, connectionsPerVm);
  }

  /** h2c connections per VM address: enough for {@code connectionsPerVm} requests in flight. */
  public int h2cConnectionsPerVm() {
    int streams = h2cStreamsPerConnection();
    return (connectionsPerVm + streams - 1) / streams;
  }

  /**
   * The pool bounds and VM idle timeout of {@code limits:}, the response head limits and the WebSocket idle
   * timeout of {@code server:}, 30 s keep-alive.
   */
  public static ForwarderOptions from(LimitsConfig limits, ServerConfig server) {
    return new ForwarderOptions(limits.connectionsPerVm(), limits.connectionQueuePerVm(), limits.connectionWait(),
        Duration.ofSeconds(30), limits.vmIdleTimeout(), server.maxResponseHeaderBytes(), server.maxResponseLineLength(),
        server.webSocketIdleTimeout());
  }

  /** As {@link #from(LimitsConfig, ServerConfig)} with the default response head limits. */
  public static ForwarderOptions from(LimitsConfig limits) {
    return from(limits, ServerConfig.defaults());
  }

  /** The defaults of {@code limits:} (512 connections and 1024 waiters per VM, 10 s wait) and of {@code server:}. */
  public static ForwarderOptions defaults() {
    return from(LimitsConfig.defaults());
  }
}
