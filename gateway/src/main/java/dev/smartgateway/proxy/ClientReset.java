package dev.smartgateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Cuts a client's response that had begun when its VM failed, so that the client can tell it is cut. For
 * HTTP/2 that is a stream reset. For HTTP/1.x Vert.x's {@code response.reset()} is a plain close (FIN), and a
 * close-delimited body (HTTP/1.0, no Content-Length) cut by a plain close looks complete; with SO_LINGER 0 the
 * close is a TCP reset (RST), which every client reports as an error.
 */
final class ClientReset {

  private ClientReset() {
  }

  static void reset(HttpServerRequest request) {
    if (request.version() != HttpVersion.HTTP_2 && request.connection() instanceof ConnectionBase base) {
      Channel channel = base.channel();
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
      return;
    }
    request.response().reset();
  }
}
