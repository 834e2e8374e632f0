package dev.smartgateway.server;

import dev.smartgateway.error.ErrorType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP/1 request decoder Vert.x uses, refusing heads whose framing is ambiguous ({@link RequestFraming}),
 * whose host is missing, repeated or malformed ({@link RequestTarget}) or whose HTTP version is not 1.0 or 1.1.
 * It has to sit in the decoder: for a request carrying both {@code Content-Length} and
 * {@code Transfer-Encoding: chunked}, Netty drops the {@code Content-Length} before any handler sees the
 * request, so the smuggling attempt is invisible later (and a host refused here is refused before anything
 * after the head is read). A refused head reaches the server's invalid-request handler with a
 * {@link MalformedRequest} as its decoder result, and Vert.x closes the connection after the answer. Like Netty after a head it cannot parse, the decoder reads nothing
 * after a refused head: Vert.x closes the connection only once the answer is flushed, and a request hidden
 * in the refused one's body would otherwise be decoded and served in between.
 */
public final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private static final Logger log = LoggerFactory.getLogger(StrictRequestDecoder.class);
  private static final String DECODER = "httpDecoder";
  private static final AtomicBoolean warned = new AtomicBoolean();

  /** A head was refused: every byte after it is discarded. */
  private boolean refused;

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /**
   * Replaces the decoder of a fresh connection; call from the server's connection handler. That runs before
   * the first byte is decoded only with cleartext HTTP/2 off ({@code setHttp2ClearTextEnabled(false)}):
   * with it on, Vert.x creates the connection lazily, from inside the decoder, once the first request head
   * is already decoded, and a decoder replaced then loses the bytes it had buffered. (If a Vert.x upgrade
   * changes any of this, HostileFramingTest fails.)
   */
  static void install(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof ConnectionBase base)) {
      warnOnce(connection);
      return;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (isHttp2(pipeline)) {
      return; // HTTP/2 frames delimit every request; its rules are Http2Rules'
    }
    ChannelHandler current = pipeline.get(DECODER);
    if (current instanceof StrictRequestDecoder) {
      return;
    }
    if (current != null && current.getClass() == VertxHttpRequestDecoder.class) {
      pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options));
    } else {
      warnOnce(connection);
    }
  }

  private static boolean isHttp2(ChannelPipeline pipeline) {
    return pipeline.get(Http2ConnectionHandler.class) != null;
  }

  private static void warnOnce(HttpConnection connection) {
    if (warned.compareAndSet(false, true)) {
      log.warn("cannot install the strict request decoder on {}: Content-Length with Transfer-Encoding and unknown "
          + "HTTP versions are then only partly refused", connection.getClass().getName());
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    super.decode(ctx, in, out);
  }

  /** Netty calls this once the headers are complete and before it decides how to read the body. */
  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    if (message.decoderResult().isSuccess()) {
      MalformedRequest refusal = refusal(message);
      if (refusal != null) {
        message.setDecoderResult(DecoderResult.failure(refusal));
        refused = true;
        return true; // no body: the head goes out alone, and decode() drops everything after it
      }
    }
    return super.isContentAlwaysEmpty(message);
  }

  private static MalformedRequest refusal(HttpMessage message) {
    HttpVersion version = message.protocolVersion();
    boolean http10 = HttpVersion.HTTP_1_0.equals(version);
    if (!http10 && !HttpVersion.HTTP_1_1.equals(version)) {
      return new MalformedRequest(ErrorType.HTTP_VERSION_NOT_SUPPORTED,
          "only HTTP/1.0 and HTTP/1.1 are spoken here, not " + version.text());
    }
    String violation = RequestFraming.violation(http10, message.headers().getAll(HttpHeaderNames.CONTENT_LENGTH),
        message.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING));
    if (violation == null && message instanceof HttpRequest request) {
      violation = RequestTarget.violation(http10, message.headers().getAll(HttpHeaderNames.HOST), request.uri());
    }
    return violation == null ? null : new MalformedRequest(ErrorType.BAD_REQUEST, violation);
  }
}
