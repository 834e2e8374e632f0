package dev.smartgateway.cloudmock.grpc;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.ArrayList;
import java.util.List;

/** One gRPC call on the server side: reads framed requests, writes framed replies, ends with a status. */
final class GrpcCall {

  /** What a unary or server-streaming call does with its request messages, once the request has ended. */
  interface Collected {
    void with(List<EchoRequest> requests);
  }

  private final HttpServerRequest request;
  private final int maxMessageBytes;
  private boolean begun;
  private boolean finished;

  GrpcCall(HttpServerRequest request, int maxMessageBytes) {
    this.request = request;
    this.maxMessageBytes = maxMessageBytes;
    request.exceptionHandler(err -> { });
  }

  HttpServerRequest request() {
    return request;
  }

  io.vertx.core.http.HttpServerResponse response() {
    return request.response();
  }

  void collect(Collected then) {
    List<EchoRequest> requests = new ArrayList<>(1);
    read(requests::add, () -> then.with(requests));
  }

  /** Hands each request message to {@code onMessage}, then runs {@code onEnd}; a bad frame ends the call. */
  void read(Handler<EchoRequest> onMessage, Runnable onEnd) {
    GrpcFrames.Deframer deframer = new GrpcFrames.Deframer(maxMessageBytes,
        bytes -> onMessage.handle(EchoRequest.decode(bytes)));
    request.handler(chunk -> {
      if (finished) {
        return;
      }
      try {
        deframer.feed(chunk);
      } catch (GrpcFrames.FrameException e) {
        finish(e.status(), e.getMessage());
      } catch (IllegalArgumentException e) {
        finish(GrpcStatusCodes.INVALID_ARGUMENT, "not an EchoRequest: " + e.getMessage());
      }
    });
    request.endHandler(v -> {
      if (finished) {
        return;
      }
      if (!deframer.atBoundary()) {
        finish(GrpcStatusCodes.INTERNAL, "the request ended inside a message");
        return;
      }
      onEnd.run();
    });
  }

  /** The response head: 200, application/grpc. Trailers over HTTP/1.1 need chunked encoding. */
  void begin() {
    if (begun) {
      return;
    }
    begun = true;
    response().setStatusCode(200)
        .putHeader("Content-Type", "application/grpc")
        .putHeader("grpc-accept-encoding", "identity");
    if (request.version() != HttpVersion.HTTP_2) {
      response().setChunked(true);
    }
    response().writeHead();
  }

  void send(EchoReply reply) {
    if (finished || response().closed()) {
      return;
    }
    begin();
    response().write(GrpcFrames.frame(reply.encode()));
  }

  /**
   * Ends the call with {@code status}: in the trailers after a reply, else as a trailers-only answer (one
   * HEADERS frame that ends the stream, status included), as gRPC servers do for a call that fails at once.
   */
  void finish(int status, String message) {
    if (finished || response().closed()) {
      return;
    }
    finished = true;
    Buffer nothing = Buffer.buffer();
    if (begun) {
      response().putTrailer("grpc-status", Integer.toString(status));
      if (message != null) {
        response().putTrailer("grpc-message", GrpcStatusCodes.percentEncode(message));
      }
    } else {
      response().setStatusCode(200)
          .putHeader("Content-Type", "application/grpc")
          .putHeader("grpc-status", Integer.toString(status));
      if (message != null) {
        response().putHeader("grpc-message", GrpcStatusCodes.percentEncode(message));
      }
    }
    boolean unread = !request.isEnded() && request.version() != HttpVersion.HTTP_2;
    response().end(nothing).onComplete(ar -> {
      if (unread) {
        // An HTTP/1.1 request body left unread would be taken for the next request.
        request.connection().close();
      }
    });
  }
}
