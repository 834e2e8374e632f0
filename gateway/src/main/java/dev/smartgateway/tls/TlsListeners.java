package dev.smartgateway.tls;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;

import java.util.List;

/** How a listener's options are set up for TLS, the same way for the public and the admin listener. */
public final class TlsListeners {

  private TlsListeners() {
  }

  /**
   * TLS with {@code pair}; with {@code http2}, ALPN offers {@code h2} first and {@code http/1.1} second (a client
   * without ALPN gets HTTP/1.1).
   */
  public static HttpServerOptions secure(HttpServerOptions options, PemKeyPair pair, boolean http2) {
    options.setSsl(true).setKeyCertOptions(pair.keyCertOptions());
    if (http2) {
      options.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    } else {
      options.setUseAlpn(false);
    }
    return options;
  }
}
