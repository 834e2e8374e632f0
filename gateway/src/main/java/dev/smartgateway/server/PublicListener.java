package dev.smartgateway.server;

import dev.smartgateway.config.Http2Config;
import dev.smartgateway.config.ServerConfig;
import dev.smartgateway.tls.PemKeyPair;
import dev.smartgateway.tls.TlsListeners;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The public listener's options: HTTP/1.x in cleartext, or TLS with HTTP/2 and HTTP/1.1 chosen by ALPN
 * ({@code server.tls}), HTTP/2 bounded by {@code server.http2}.
 */
public final class PublicListener {

  private PublicListener() {
  }

  /**
   * @param certificate the pair to start with ({@code server.tls}); null for cleartext
   */
  public static HttpServerOptions options(ServerConfig server, int port, Duration idleTimeout, PemKeyPair certificate) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(server.host())
        .setPort(port)
        .setMaxInitialLineLength(server.maxInitialLineLength())
        .setMaxHeaderSize(server.maxHeaderBytes())
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, idleTimeout.toMillis())))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setTcpNoDelay(true)
        // HTTP/1 only in cleartext: with cleartext HTTP/2 on, Vert.x sets a connection up only once its first
        // request is decoded, too late for the strict decoder (StrictRequestDecoder), and an "Upgrade: h2c"
        // request (or the HTTP/2 preface, "prior knowledge") could turn a connection that came through a front
        // proxy into a tunnel that proxy no longer sees into.
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        // The VM decides about 100 Continue (it may refuse the body); the forwarder relays its answer.
        .setHandle100ContinueAutomatically(false);
    if (certificate != null) {
      TlsListeners.secure(options, certificate, true);
      http2(options, server.http2(), server.maxHeaderBytes());
    }
    return options;
  }

  /**
   * What one HTTP/2 connection may make the gateway hold. The header list is bounded as an HTTP/1 head is
   * ({@code server.maxHeaderSize}; HTTP/2 counts 32 bytes more per field): past it Netty answers the stream 431,
   * and far past it closes the connection. The reset bound is Netty's, counted per connection: a client that
   * resets more than {@code maxResetsPerWindow} streams within {@code resetWindow} gets GOAWAY ENHANCE_YOUR_CALM
   * and its connection closed (the same bound applies to resets the gateway sends, which a client provokes with
   * malformed frames), while other connections go on.
   */
  private static void http2(HttpServerOptions options, Http2Config http2, int maxHeaderBytes) {
    options.setInitialSettings(new Http2Settings()
            .setMaxConcurrentStreams(http2.maxConcurrentStreams())
            .setInitialWindowSize(http2.initialWindowSize())
            .setMaxHeaderListSize(maxHeaderBytes))
        .setHttp2ConnectionWindowSize(http2.connectionWindowSize())
        .setHttp2RstFloodMaxRstFramePerWindow(http2.maxResetsPerWindow())
        .setHttp2RstFloodWindowDuration((int) http2.resetWindow().toSeconds())
        .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS);
  }
}
