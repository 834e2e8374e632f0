package dev.smartgateway.error;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Answers a request with a problem: {@code application/problem+json} for programs, a small HTML page for
 * browsers (a request whose {@code Accept} prefers {@code text/html}), a gRPC status for gRPC requests
 * ({@link GrpcProblems}).
 */
public final class ProblemResponder {

  /** How long a connection is kept to discard an unread body after an error (see lingerThenClose). */
  static final long LINGER_MS = 2000;

  private ProblemResponder() {
  }

  /**
   * Sends the problem unless a response was already started (then the connection is reset: never a truncated
   * success).
   *
   * @return the body bytes sent (for the access log): 0 if nothing could be sent, or for a HEAD request
   */
  public static long respond(HttpServerRequest request, GatewayException error) {
    return send(request, error, false);
  }

  /**
   * Sends the problem and closes the connection: for a request whose framing cannot be trusted (an invalid
   * head, a broken chunk), so nothing after it on the connection may be read as another request. On HTTP/2 only
   * the stream ends: frames delimit every stream, and the connection's other streams are not the client's fault.
   *
   * @return the body bytes sent, as {@link #respond}
   */
  public static long respondAndClose(HttpServerRequest request, GatewayException error) {
    return send(request, error, true);
  }

  private static long send(HttpServerRequest request, GatewayException error, boolean close) {
    HttpServerResponse response = request.response();
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    if (response.headWritten() || response.ended() || response.closed()) {
      if (!response.ended() && !response.closed()) {
        // Never a truncated success: on HTTP/2 the stream alone is reset, its connection's other streams go on.
        if (http2) {
          response.reset();
        } else {
          request.connection().close();
        }
      }
      return 0;
    }
    Buffer body;
    if (GrpcProblems.isGrpc(request)) {
      // Whatever it accepts: a gRPC client reads the status from the head, never a page or a document.
      GrpcProblems.applyHead(response, error);
      body = Buffer.buffer();
    } else {
      body = problemBody(request, response, error);
    }
    if (http2) {
      // Per stream: an HTTP/2 stream's framing cannot confuse the next stream's, so its connection stays open
      // (and Connection is not an HTTP/2 header). A body the client still sends is refused by the stream's end.
      response.end(body);
    } else if (close) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
      HttpConnection connection = request.connection();
      response.end(body).onComplete(ar -> connection.close());
    } else if (mayHaveUnreadBody(request)) {
      // The request body was not read: closing keeps a half-read body from being parsed as the next request.
      // Vert.x does not act on a Connection: close response header by itself, so close once the answer is out.
      response.putHeader(HttpHeaders.CONNECTION, "close");
      response.end(body).onComplete(ar -> lingerThenClose(request));
    } else {
      response.end(body);
    }
    flushNow(request.connection());
    return bodyBytesSent(request, body.length());
  }

  /** Status and headers of the problem on the response, and its body: problem+json, or a page for a browser. */
  private static Buffer problemBody(HttpServerRequest request, HttpServerResponse response, GatewayException error) {
    Problem problem = error.toProblem();
    response.setStatusCode(problem.status());
    if (error.retryAfter() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, error.retryAfter().toSeconds())));
    }
    response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (prefersHtml(request)) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
      return Buffer.buffer(html(problem));
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
    return problem.toJson().toBuffer();
  }

  /** What of a body reaches the client: none for HEAD (the server sends only the head and its Content-Length). */
  public static long bodyBytesSent(HttpServerRequest request, int length) {
    return request.method() == HttpMethod.HEAD ? 0 : length;
  }

  /**
   * Puts what was just written on the wire. Vert.x holds back writes made while it reads until the read is
   * complete; when that read failed (a malformed chunk), it closes the connection as soon as the request's
   * exception handler returns, and an answer still held back would be dropped with it.
   */
  private static void flushNow(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channel().flush();
    }
  }

  /**
   * Closes the connection without losing the answer: a client still sending its body would get a TCP reset
   * and might never read our response, so the rest of the body is read and discarded for a short while
   * first (what nginx calls a lingering close).
   */
  private static void lingerThenClose(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    Context context = Vertx.currentContext();
    if (request.isEnded() || context == null) {
      connection.close();
      return;
    }
    Vertx vertx = context.owner();
    long timer = vertx.setTimer(LINGER_MS, t -> connection.close());
    Runnable close = () -> {
      vertx.cancelTimer(timer);
      connection.close();
    };
    try {
      request.handler(discarded -> { });
      request.endHandler(v -> close.run());
      request.exceptionHandler(err -> close.run());
      request.resume();
    } catch (IllegalStateException alreadyRead) {
      close.run();
    }
  }

  /** An HTTP/1 request that announced a body which was not (fully) read: its connection cannot be reused. */
  static boolean mayHaveUnreadBody(HttpServerRequest request) {
    if (request.isEnded() || request.version() == HttpVersion.HTTP_2) {
      return false;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
        || (length != null && !length.trim().equals("0"));
  }

  public static boolean prefersHtml(HttpServerRequest request) {
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    if (accept == null) {
      return false;
    }
    int html = accept.indexOf("text/html");
    if (html < 0) {
      return false;
    }
    int json = accept.indexOf("json");
    return json < 0 || html < json;
  }

  static String html(Problem problem) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + problem.status() + " " + escape(problem.title()) + "</title>"
        + "<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;color:#222}"
        + "code{background:#eee;padding:.1em .3em}</style></head><body>"
        + "<h1>" + escape(problem.title()) + "</h1>"
        + "<p>" + escape(problem.detail()) + "</p>"
        + (problem.resource() == null ? "" : "<p>Resource: <code>" + escape(problem.resource()) + "</code></p>")
        + "<p><small>" + problem.status() + " &middot; " + escape(problem.type()) + "</small></p>"
        + "</body></html>\n";
  }

  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
