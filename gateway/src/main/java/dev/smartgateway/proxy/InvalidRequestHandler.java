package dev.smartgateway.proxy;

import dev.smartgateway.config.ServerConfig;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.server.MalformedRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder could not accept (Vert.x's {@code invalidRequestHandler}): a problem
 * like every other error instead of Vert.x's empty default, then the connection is closed, as its byte
 * stream can no longer be trusted to mark where the next request starts.
 */
public final class InvalidRequestHandler implements Handler<HttpServerRequest> {

  /** Enough of a decoder message to say what was wrong, not enough to echo a whole hostile header back. */
  private static final int MAX_DETAIL = 200;

  private final ServerConfig server;
  private final FinishStage finish;

  public InvalidRequestHandler(ServerConfig server, FinishStage finish) {
    this.server = server;
    this.finish = finish;
  }

  @Override
  public void handle(HttpServerRequest request) {
    ProxyRequest ctx = new ProxyRequest(request, System.nanoTime());
    ctx.failAndClose(problem(request.decoderResult().cause()));
    // Like every other request, it ends through the one end-of-request hook.
    finish.run(ctx);
  }

  /**
   * Answers a request the listener refused before the forward path (an HTTP/2 stream over
   * {@code server.maxConnections}), on its own stream, and logs it like every other.
   */
  public void refuse(HttpServerRequest request, GatewayException problem) {
    ProxyRequest ctx = new ProxyRequest(request, System.nanoTime());
    ctx.fail(problem);
    finish.run(ctx);
  }

  GatewayException problem(Throwable cause) {
    if (cause instanceof MalformedRequest refused) {
      return refused.problem();
    }
    if (cause instanceof TooLongHttpLineException) {
      return new GatewayException(ErrorType.URI_TOO_LONG,
          "the request line is longer than " + server.maxInitialLineLength() + " bytes");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new GatewayException(ErrorType.HEADERS_TOO_LARGE,
          "the request headers are larger than " + server.maxHeaderBytes() + " bytes");
    }
    String message = cause == null || cause.getMessage() == null ? "unreadable request head" : cause.getMessage();
    if (message.length() > MAX_DETAIL) {
      message = message.substring(0, MAX_DETAIL) + "...";
    }
    return new GatewayException(ErrorType.BAD_REQUEST, "malformed request: " + message);
  }
}
