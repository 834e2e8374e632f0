package dev.smartgateway.config;

import java.time.Duration;

/**
 * What one HTTP/2 client connection may make the gateway hold ({@code server.http2}; HTTP/2 is spoken only over
 * TLS, see {@code server.tls}). The header list is bounded by {@code server.maxHeaderSize}, like an HTTP/1 head.
 *
 * @param maxConcurrentStreams requests one connection may have open at once; a stream past it is refused
 *                             (RST_STREAM REFUSED_STREAM, which a client may retry) ({@code maxConcurrentStreams},
 *                             default 100)
 * @param initialWindowSize    bytes of a request body the client may send on one stream before the gateway has
 *                             passed them on ({@code initialWindowSize}, default 65535, the protocol's own)
 * @param connectionWindowSize the same for all streams of a connection together: what one connection can make the
 *                             gateway buffer ({@code connectionWindowSize}, default 1m)
 * @param maxResetsPerWindow   stream resets a client may send on one connection within {@code resetWindow}; one
 *                             more and the connection is closed with GOAWAY ENHANCE_YOUR_CALM: the "rapid reset"
 *                             attack, CVE-2023-44487 ({@code maxResetsPerWindow}, default 200; 0 = unbounded)
 * @param resetWindow          ({@code resetWindow}, default 30s, whole seconds)
 */
public record Http2Config(int maxConcurrentStreams, int initialWindowSize, int connectionWindowSize,
                          int maxResetsPerWindow, Duration resetWindow) {

  /** The protocol's own initial window, and the smallest either window may be (RFC 9113 section 6.9.2). */
  public static final int PROTOCOL_WINDOW = 65_535;
  /** The largest window the protocol allows. */
  public static final int MAX_WINDOW = Integer.MAX_VALUE;

  public static Http2Config defaults() {
    return new Http2Config(100, PROTOCOL_WINDOW, 1 << 20, 200, Duration.ofSeconds(30));
  }
}
