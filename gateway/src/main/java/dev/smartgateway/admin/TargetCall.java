package dev.smartgateway.admin;

import dev.smartgateway.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * One target's exchange: the request through the gateway's public listener, the answer's body read to its
 * end through a {@link BoundedBody}, all within the per-target timeout, ending in its {@link FanoutLine}.
 * Runs on the fan-out's context (the admin request's event loop): no field is shared with another thread.
 */
final class TargetCall {

  static final String USER_AGENT = "smart-gateway-fanout";

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final FanoutRequest spec;
  private final String target;
  private final RequestOptions options;
  private final BoundedBody body;
  private final Promise<Buffer> line = Promise.promise();
  private long sentNanos;
  private long timer = -1;
  private HttpClientRequest request;
  private HttpClientResponse response;

  TargetCall(Vertx vertx, HttpClientAgent client, FanoutRequest spec, PublicEndpoint gateway, String target) {
    this.vertx = vertx;
    this.client = client;
    this.spec = spec;
    this.target = target;
    this.body = new BoundedBody(spec.maxBodyBytes());
    this.options = new RequestOptions().setMethod(spec.method()).setHost(gateway.connectHost())
        .setPort(gateway.port()).setURI(gateway.uri(target, spec.groups(), spec.path()));
    options.setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(spec.headers()));
    if (!spec.headers().contains("User-Agent")) {
      options.putHeader("User-Agent", USER_AGENT);
    }
  }

  String target() {
    return target;
  }

  /** Sends the request; the future is this target's line, and fails only if the call was {@link #cancel cancelled}. */
  Future<Buffer> start() {
    sentNanos = System.nanoTime();
    timer = vertx.setTimer(spec.timeout().toMillis(), t -> {
      timer = -1;
      fail(TargetFailure.timeout("no complete answer within " + Durations.format(spec.timeout())));
    });
    client.request(options).onComplete(opened -> {
      if (opened.failed()) {
        fail(TargetFailure.of(opened.cause()));
      } else if (line.future().isComplete()) {
        opened.result().reset(); // timed out or cancelled while connecting
      } else {
        request = opened.result();
        send();
      }
    });
    return line.future();
  }

  /** Abandons the exchange (the admin client has gone): the request is reset, no line is made. */
  void cancel() {
    if (line.tryFail(new CancellationException("fan-out cancelled"))) {
      stop();
    }
  }

  private void send() {
    Future<HttpClientResponse> answer = spec.body() == null ? request.send() : request.send(spec.body().copy());
    answer.onComplete(head -> {
      if (line.future().isComplete()) {
        return;
      }
      if (head.failed()) {
        fail(TargetFailure.of(head.cause()));
        return;
      }
      response = head.result();
      response.handler(body::append);
      response.exceptionHandler(err -> fail(TargetFailure.of(err)));
      response.endHandler(v -> {
        if (line.tryComplete(FanoutLine.answered(target, response.statusCode(), response.headers(), body, elapsedMs()))) {
          cancelTimer();
        }
      });
    });
  }

  private void fail(TargetFailure failure) {
    Integer status = response == null ? null : response.statusCode();
    Buffer failed = FanoutLine.failed(target, status, response == null ? null : response.headers(), body, elapsedMs(),
        failure.type(), failure.detail());
    if (line.tryComplete(failed)) {
      stop();
    }
  }

  /** Resets the request if it is still open: the gateway then stops holding it or forwarding it. */
  private void stop() {
    cancelTimer();
    if (request != null) {
      request.reset();
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNanos);
  }
}
