package dev.smartgateway.config;

import java.time.Duration;

/**
 * The public listener.
 *
 * @param host                 bind address ({@code server.host}, default 0.0.0.0)
 * @param port                 port ({@code server.port}, default 8080; 0 = ephemeral, for tests)
 * @param prefix               first path segment of virtual URLs ({@code server.prefix}, default smart_proxy)
 * @param maxBodyBytes         request body limit, larger bodies get 413 ({@code server.maxBodySize}, default 1g)
 * @param maxHeaderBytes       total request header size limit ({@code server.maxHeaderSize}, default 16k)
 * @param maxInitialLineLength request line limit ({@code server.maxRequestLineSize}, default 8k)
 * @param idleTimeout          a client connection with no traffic for this long is closed ({@code server.idleTimeout}, default 5m)
 * @param shutdownGrace        on SIGTERM, how long in-flight requests may still run ({@code server.shutdownGrace}, default 30s)
 */
public record ServerConfig(String host, int port, String prefix, long maxBodyBytes, int maxHeaderBytes,
                           int maxInitialLineLength, Duration idleTimeout, Duration shutdownGrace) {

  /** The documented defaults: every key absent. */
  public static ServerConfig defaults() {
    return new ServerConfig("0.0.0.0", 8080, "smart_proxy", 1L << 30, 16 * 1024, 8 * 1024, Duration.ofMinutes(5),
        Duration.ofSeconds(30));
  }
}
