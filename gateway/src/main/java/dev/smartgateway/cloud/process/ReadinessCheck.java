package dev.smartgateway.cloud.process;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;

/**
 * The adapter's own check that a child serves before it reports RUNNING: a TCP connect, or an HTTP GET that
 * answers 2xx/3xx, retried every {@value #INTERVAL_MS} ms on Vert.x timers until it succeeds, times out or is
 * cancelled. Runs on the provider's context.
 */
final class ReadinessCheck {

  static final long INTERVAL_MS = 50;
  private static final long ATTEMPT_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final NetClient tcp;
  private final HttpClient http;
  private final String host;
  private final int port;
  private final ProcessSpec.Readiness readiness;
  private final Promise<Void> result = Promise.promise();
  private long deadline;
  private long timer = -1;
  private boolean cancelled;

  private ReadinessCheck(Vertx vertx, NetClient tcp, HttpClient http, String host, int port,
                         ProcessSpec.Readiness readiness) {
    this.vertx = vertx;
    this.tcp = tcp;
    this.http = http;
    this.host = host;
    this.port = port;
    this.readiness = readiness;
  }

  /** Starts checking at once; the future succeeds when the child serves and fails when the timeout passes. */
  static ReadinessCheck start(Vertx vertx, NetClient tcp, HttpClient http, String host, int port,
                              ProcessSpec.Readiness readiness) {
    ReadinessCheck check = new ReadinessCheck(vertx, tcp, http, host, port, readiness);
    check.deadline = System.nanoTime() + readiness.timeout().toNanos();
    check.attempt();
    return check;
  }

  Future<Void> result() {
    return result.future();
  }

  /** Stops checking; the result stays incomplete (the caller knows why it cancelled). */
  void cancel() {
    cancelled = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void attempt() {
    timer = -1;
    if (cancelled) {
      return;
    }
    probe().onComplete(ar -> {
      if (cancelled) {
        return;
      }
      if (ar.succeeded()) {
        result.tryComplete();
      } else if (System.nanoTime() - deadline >= 0) {
        result.tryFail("not ready within " + Durations.format(readiness.timeout())
            + " (last attempt: " + ar.cause().getMessage() + ")");
      } else {
        timer = vertx.setTimer(INTERVAL_MS, id -> attempt());
      }
    });
  }

  private Future<Void> probe() {
    if (readiness.isTcp()) {
      return tcp.connect(port, host).compose(socket -> socket.close());
    }
    RequestOptions get = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(host)
        .setPort(port)
        .setURI(readiness.path())
        .setTimeout(ATTEMPT_TIMEOUT_MS);
    return http.request(get)
        .compose(request -> request.send())
        .compose(response -> response.body().compose(body -> {
          int status = response.statusCode();
          return status >= 200 && status < 400
              ? Future.<Void>succeededFuture()
              : Future.failedFuture("GET " + readiness.path() + " answered " + status);
        }));
  }
}
