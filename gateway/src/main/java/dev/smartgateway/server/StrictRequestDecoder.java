package dev.smartgateway.server;

import dev.smartgateway.error.ErrorType;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP/1 request decoder Vert.x uses, refusing heads whose framing is ambiguous ({@link RequestFraming})
 * or whose HTTP version is not 1.0 or 1.1. It has to sit in the decoder: for a request carrying both
 * {@code Content-Length} and {@code Transfer-Encoding: chunked}, Netty drops the {@code Content-Length}
 * before any handler sees the request, so the smuggling attempt is invisible later. A refused head reaches
 * the server's invalid-request handler with a {@link MalformedRequest} as its decoder result, and Vert.x
 * closes the connection after the answer, so nothing that follows the head is read as a request.
 */
public final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private static final Logger log = LoggerFactory.getLogger(StrictRequestDecoder.class);
  private static final String DECODER = "httpDecoder";
  private static final AtomicBoolean warned = new AtomicBoolean();

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /**
   * Replaces the decoder of a fresh HTTP/1 connection; call from the server's connection handler, before
   * the first byte is read. A connection without an HTTP/1 decoder (HTTP/2) is left alone: its framing has
   * no such ambiguity. (If a Vert.x upgrade renames the decoder, HostileFramingTest fails.)
   */
  static void install(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof ConnectionBase base)) {
      warnOnce(connection);
      return;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    ChannelHandler current = pipeline.get(DECODER);
    if (current == null || current instanceof StrictRequestDecoder) {
      return;
    }
    if (current.getClass() == VertxHttpRequestDecoder.class) {
      pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options));
    } else {
      warnOnce(connection);
    }
  }

  private static void warnOnce(HttpConnection connection) {
    if (warned.compareAndSet(false, true)) {
      log.warn("cannot install the strict request decoder on {}: Content-Length with Transfer-Encoding is then "
          + "only refused for HTTP/1.0 requests", connection.getClass().getName());
    }
  }

  /** Netty calls this once the headers are complete and before it decides how to read the body. */
  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    if (message.decoderResult().isSuccess()) {
      MalformedRequest refusal = refusal(message);
      if (refusal != null) {
        message.setDecoderResult(DecoderResult.failure(refusal));
      }
    }
    return super.isContentAlwaysEmpty(message);
  }

  private static MalformedRequest refusal(HttpMessage message) {
    HttpVersion version = message.protocolVersion();
    boolean http10 = HttpVersion.HTTP_1_0.equals(version);
    if (!http10 && !HttpVersion.HTTP_1_1.equals(version)) {
      return new MalformedRequest(ErrorType.HTTP_VERSION_NOT_SUPPORTED,
          "only HTTP/1.0, HTTP/1.1 and HTTP/2 are spoken here, not " + version.text());
    }
    String violation = RequestFraming.violation(http10, message.headers().getAll(HttpHeaderNames.CONTENT_LENGTH),
        message.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING));
    return violation == null ? null : new MalformedRequest(ErrorType.BAD_REQUEST, violation);
  }
}
