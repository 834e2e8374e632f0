package dev.smartgateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The public listener.
 *
 * @param host                 bind address ({@code server.host}, default 0.0.0.0)
 * @param port                 port ({@code server.port}, default 8080; 0 = ephemeral, for tests)
 * @param prefix               first path segment of virtual URLs ({@code server.prefix}, default smart_proxy)
 * @param maxBodyBytes         request body limit, larger bodies get 413 ({@code server.maxBodySize}, default 1g)
 * @param maxHeaderBytes       total request header size limit ({@code server.maxHeaderSize}, default 16k)
 * @param maxInitialLineLength request line limit ({@code server.maxRequestLineSize}, default 8k)
 * @param idleTimeout          a client connection with no traffic for this long is closed ({@code server.idleTimeout},
 *                             default 5m); never less than a held request may be silent, see {@code Gateway}
 * @param shutdownGrace        on SIGTERM, how long in-flight requests may still run ({@code server.shutdownGrace}, default 30s);
 *                             clustered, also how long held requests wait for their VM before 503 (see {@code Gateway#close})
 * @param requestHeaderTimeout a connection whose next request head is not complete this long after it opened, or
 *                             after its previous response ended, is closed ({@code server.requestHeaderTimeout}, default 10s)
 * @param bodyIdleTimeout      a request body that makes no progress for this long while it is forwarded gets 408
 *                             ({@code server.bodyIdleTimeout}, default 60s)
 * @param maxConnections       open client connections; more are closed at once ({@code server.maxConnections}, default 10000)
 * @param trustedProxies       peers whose {@code X-Forwarded-*} and {@code Forwarded} headers are kept and appended to;
 *                             everyone else's are replaced ({@code server.trustedProxies}, default none)
 * @param maxResponseHeaderBytes total size of a VM's response headers; a larger response head gets 502 bad-response
 *                             ({@code server.maxResponseHeaderSize}, default 64k, or {@code maxHeaderSize} if larger)
 * @param maxResponseLineLength  a VM's response status line (and chunk-size lines); longer gets 502 bad-response
 *                             ({@code server.maxResponseLineSize}, default 8k)
 * @param accessLogQueue       access log lines that may wait for stdout; past it lines are dropped and counted
 *                             ({@code server.accessLogQueue}, default 65536)
 * @param webSocketIdleTimeout a WebSocket with no byte either way for this long is closed (close frame 1001);
 *                             {@link Duration#ZERO}, the default, never cuts one ({@code server.webSocketIdleTimeout})
 * @param waitingPageTemplate  an HTML file that replaces the built-in waiting page template, read once at start;
 *                             null, the default, for the built-in one ({@code server.waitingPageTemplate})
 * @param tls                  the listener's certificate and key: with them it speaks TLS, HTTP/2 and HTTP/1.1 chosen
 *                             by ALPN; null, the default, for cleartext HTTP/1.x ({@code server.tls})
 * @param http2                the HTTP/2 bounds, used with {@code tls} ({@code server.http2})
 */
public record ServerConfig(String host, int port, String prefix, long maxBodyBytes, int maxHeaderBytes,
                           int maxInitialLineLength, Duration idleTimeout, Duration shutdownGrace,
                           Duration requestHeaderTimeout, Duration bodyIdleTimeout, int maxConnections,
                           List<IpRange> trustedProxies, int maxResponseHeaderBytes, int maxResponseLineLength,
                           int accessLogQueue, Duration webSocketIdleTimeout, Path waitingPageTemplate,
                           TlsConfig tls, Http2Config http2) {

  /** {@code server.maxResponseLineSize} when absent. */
  public static final int DEFAULT_MAX_RESPONSE_LINE = 8 * 1024;
  private static final int MIN_DEFAULT_RESPONSE_HEADER = 64 * 1024;
  public static final int DEFAULT_ACCESS_LOG_QUEUE = 65_536;

  public ServerConfig {
    trustedProxies = List.copyOf(trustedProxies);
    java.util.Objects.requireNonNull(http2, "http2");
  }

  /** Cleartext, with the default HTTP/2 bounds. */
  public ServerConfig(String host, int port, String prefix, long maxBodyBytes, int maxHeaderBytes,
                      int maxInitialLineLength, Duration idleTimeout, Duration shutdownGrace,
                      Duration requestHeaderTimeout, Duration bodyIdleTimeout, int maxConnections,
                      List<IpRange> trustedProxies, int maxResponseHeaderBytes, int maxResponseLineLength,
                      int accessLogQueue, Duration webSocketIdleTimeout, Path waitingPageTemplate) {
    this(host, port, prefix, maxBodyBytes, maxHeaderBytes, maxInitialLineLength, idleTimeout, shutdownGrace,
        requestHeaderTimeout, bodyIdleTimeout, maxConnections, trustedProxies, maxResponseHeaderBytes,
        maxResponseLineLength, accessLogQueue, webSocketIdleTimeout, waitingPageTemplate, null, Http2Config.defaults());
  }

  /** True when the listener speaks TLS (and so HTTP/2 too). */
  public boolean isTls() {
    return tls != null;
  }

  /** The scheme clients reach the listener with. */
  public String scheme() {
    return tls != null ? "https" : "http";
  }

  /**
   * With the defaults of the response head limits, the access log queue, the WebSocket idle timeout and the
   * waiting page template.
   */
  public ServerConfig(String host, int port, String prefix, long maxBodyBytes, int maxHeaderBytes,
                      int maxInitialLineLength, Duration idleTimeout, Duration shutdownGrace,
                      Duration requestHeaderTimeout, Duration bodyIdleTimeout, int maxConnections,
                      List<IpRange> trustedProxies) {
    this(host, port, prefix, maxBodyBytes, maxHeaderBytes, maxInitialLineLength, idleTimeout, shutdownGrace,
        requestHeaderTimeout, bodyIdleTimeout, maxConnections, trustedProxies,
        defaultMaxResponseHeaderBytes(maxHeaderBytes), DEFAULT_MAX_RESPONSE_LINE, DEFAULT_ACCESS_LOG_QUEUE, Duration.ZERO,
        null);
  }

  /** The documented defaults: every key absent. */
  public static ServerConfig defaults() {
    return new ServerConfig("0.0.0.0", 8080, "smart_proxy", 1L << 30, 16 * 1024, 8 * 1024, Duration.ofMinutes(5),
        Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60), 10_000, List.of());
  }

  /**
   * {@code server.maxResponseHeaderSize} when absent: 64k, which lets the 32 KiB heads some applications send
   * (large cookies, content security policies) through, and never less than the request side's limit.
   */
  public static int defaultMaxResponseHeaderBytes(int maxHeaderBytes) {
    return Math.max(MIN_DEFAULT_RESPONSE_HEADER, maxHeaderBytes);
  }

  /** True if {@code peerAddress} (an IP literal) is one of {@link #trustedProxies}. */
  public boolean trustsProxy(String peerAddress) {
    for (IpRange range : trustedProxies) {
      if (range.contains(peerAddress)) {
        return true;
      }
    }
    return false;
  }
}
