package dev.smartgateway.cloudmock.grpc;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.List;

/**
 * The gRPC service {@code mock.Echo} of {@code mock/echo.proto}, spoken by hand: protobuf messages
 * ({@code application/grpc}, the content type every gRPC client uses), framed by {@link GrpcFrames}, with the
 * status in the trailers or, for a call that fails before any reply, in a trailers-only answer. Any gRPC client
 * built from {@code echo.proto} (or grpcurl given the file) can call it.
 *
 * <ul>
 *   <li>{@code Unary}: one {@link EchoReply} for one {@link EchoRequest}: its message, the VM that answered.</li>
 *   <li>{@code ServerStream}: {@code count} replies (default 3), {@code intervalMs} apart, sent as the client
 *       reads them (back-pressure), then the status.</li>
 *   <li>{@code Bidi}: a reply for each request message as it arrives; the status once the client is done.</li>
 * </ul>
 * A request with {@code failStatus} ends with that status instead (after its replies, for a stream).
 */
public final class EchoService implements Handler<HttpServerRequest> {

  /** The path prefix of the service's methods. */
  public static final String PREFIX = "/mock.Echo/";
  static final int DEFAULT_STREAM_COUNT = 3;
  static final int MAX_STREAM_COUNT = 100_000;
  static final int MAX_INTERVAL_MS = 60_000;
  /** gRPC's usual default limit for one received message. */
  static final int MAX_MESSAGE_BYTES = 4 << 20;

  private final Vertx vertx;
  private final String vm;
  private final String resource;

  public EchoService(Vertx vertx, String vm, String resource) {
    this.vertx = vertx;
    this.vm = vm;
    this.resource = resource;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (request.method() != HttpMethod.POST || contentType == null || !contentType.startsWith("application/grpc")) {
      // What the gRPC protocol asks of a server for a request that is not gRPC at all.
      request.response().setStatusCode(415).putHeader("Content-Type", "text/plain")
          .end("mock.Echo speaks gRPC: POST with Content-Type: application/grpc\n");
      return;
    }
    GrpcCall call = new GrpcCall(request, MAX_MESSAGE_BYTES);
    switch (request.path().substring(PREFIX.length())) {
      case "Unary" -> call.collect(requests -> unary(call, requests));
      case "ServerStream" -> call.collect(requests -> serverStream(call, requests));
      case "Bidi" -> bidi(call);
      default -> call.finish(GrpcStatusCodes.UNIMPLEMENTED, "unknown method " + request.path().substring(1));
    }
  }

  private void unary(GrpcCall call, List<EchoRequest> requests) {
    if (requests.size() != 1) {
      call.finish(GrpcStatusCodes.INVALID_ARGUMENT, "Unary takes exactly one request message, got " + requests.size());
      return;
    }
    EchoRequest in = requests.get(0);
    if (in.failStatus() != 0) {
      call.finish(in.failStatus(), "failed as asked: " + in.message());
      return;
    }
    call.send(reply(call, in.message(), 0));
    call.finish(GrpcStatusCodes.OK, null);
  }

  private void serverStream(GrpcCall call, List<EchoRequest> requests) {
    if (requests.size() != 1) {
      call.finish(GrpcStatusCodes.INVALID_ARGUMENT,
          "ServerStream takes exactly one request message, got " + requests.size());
      return;
    }
    EchoRequest in = requests.get(0);
    int count = in.count() == 0 ? DEFAULT_STREAM_COUNT : in.count();
    if (count < 0 || count > MAX_STREAM_COUNT || in.intervalMs() < 0 || in.intervalMs() > MAX_INTERVAL_MS) {
      call.finish(GrpcStatusCodes.INVALID_ARGUMENT, "count must be within 0.." + MAX_STREAM_COUNT
          + " and intervalMs within 0.." + MAX_INTERVAL_MS);
      return;
    }
    call.begin();
    new Streamer(call, in, count).next();
  }

  /** Sends a stream's replies: as fast as the client reads them, or one per interval. */
  private final class Streamer {
    private final GrpcCall call;
    private final EchoRequest in;
    private final int count;
    private int sent;

    Streamer(GrpcCall call, EchoRequest in, int count) {
      this.call = call;
      this.in = in;
      this.count = count;
    }

    void next() {
      call.response().drainHandler(null);
      while (!call.response().closed() && sent < count) {
        if (call.response().writeQueueFull()) {
          call.response().drainHandler(v -> next());
          return;
        }
        call.send(reply(call, in.message(), sent++));
        if (in.intervalMs() > 0 && sent < count) {
          vertx.setTimer(in.intervalMs(), t -> next());
          return;
        }
      }
      if (in.failStatus() != 0) {
        call.finish(in.failStatus(), "failed as asked after " + sent + " replies");
      } else {
        call.finish(GrpcStatusCodes.OK, null);
      }
    }
  }

  private void bidi(GrpcCall call) {
    HttpServerRequest request = call.request();
    int[] index = {0};
    call.read(in -> {
      call.send(reply(call, in.message(), index[0]++));
      if (call.response().writeQueueFull()) {
        request.pause();
        call.response().drainHandler(v -> request.resume());
      }
    }, () -> call.finish(GrpcStatusCodes.OK, null));
  }

  private EchoReply reply(GrpcCall call, String message, int index) {
    return new EchoReply(message, vm, resource, index,
        call.request().version() == HttpVersion.HTTP_2 ? "HTTP/2" : "HTTP/1.1");
  }
}
