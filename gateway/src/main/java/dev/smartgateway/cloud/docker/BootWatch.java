package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;

/**
 * Watches one container from its start until it serves: the daemon says it runs, its HEALTHCHECK (if the image
 * has one) says healthy, and the adapter's own check passes (a TCP connect, or an HTTP GET answering 2xx/3xx).
 * Each attempt inspects the container first, so a container that exits while booting is noticed even when no event
 * stream is up. Attempts start every {@value #FIRST_INTERVAL_MS} ms (a small image serves within a few hundred ms)
 * and slow down to {@value #MAX_INTERVAL_MS} ms; an event (started, healthy) asks for one at once. Runs on Vert.x
 * timers on the provider's context, never blocking.
 */
final class BootWatch {

  static final long FIRST_INTERVAL_MS = 20;
  static final long MAX_INTERVAL_MS = 250;
  private static final long ATTEMPT_TIMEOUT_MS = 2_000;

  /**
   * How the boot ended.
   *
   * @param ready  it serves
   * @param ended  the container as last seen if it exited meanwhile, else null
   * @param gone   the container no longer exists (removed by someone else)
   * @param reason why it is not ready (removed, timed out); null when ready or ended
   */
  record Outcome(boolean ready, ContainerView ended, boolean gone, String reason) {
  }

  private final Vertx vertx;
  private final DockerApi api;
  private final NetClient tcp;
  private final HttpClient http;
  private final String name;
  private final String host;
  private final int port;
  private final ContainerSpec.Readiness readiness;
  private final Promise<Outcome> outcome = Promise.promise();
  private final long deadline;
  private long interval = FIRST_INTERVAL_MS;
  private long timer = -1;
  private boolean attempting;
  private boolean again;
  private boolean cancelled;
  private String last = "no attempt yet";

  private BootWatch(Vertx vertx, DockerApi api, NetClient tcp, HttpClient http, String name, String host, int port,
                    ContainerSpec.Readiness readiness) {
    this.vertx = vertx;
    this.api = api;
    this.tcp = tcp;
    this.http = http;
    this.name = name;
    this.host = host;
    this.port = port;
    this.readiness = readiness;
    this.deadline = System.nanoTime() + readiness.timeout().toNanos();
  }

  /** Starts watching at once. */
  static BootWatch start(Vertx vertx, DockerApi api, NetClient tcp, HttpClient http, String name, String host, int port,
                         ContainerSpec.Readiness readiness) {
    BootWatch watch = new BootWatch(vertx, api, tcp, http, name, host, port, readiness);
    watch.attempt();
    return watch;
  }

  Future<Outcome> outcome() {
    return outcome.future();
  }

  /** Something changed (an event): look now rather than at the next tick. */
  void poke() {
    if (cancelled || outcome.future().isComplete()) {
      return;
    }
    if (attempting) {
      again = true;
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    attempt();
  }

  /** Stops watching; the outcome stays incomplete (the caller knows why it cancelled). */
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
    attempting = true;
    again = false;
    api.call(HttpMethod.GET, ApiRequests.inspectPath(name), null, ATTEMPT_TIMEOUT_MS).compose(resp -> {
      if (resp.status() == 404) {
        return Future.succeededFuture(new Outcome(false, null, true, "the container was removed while it booted"));
      }
      if (resp.status() != 200) {
        return Future.failedFuture(ApiErrors.inspect(name, resp));
      }
      ContainerView view = ContainerView.fromInspect(resp.json());
      if (view.ended()) {
        return Future.succeededFuture(new Outcome(false, view, false, null));
      }
      if (!view.running()) {
        return Future.failedFuture("the container is " + view.status());
      }
      if (view.hasHealthcheck() && !view.health().equals("healthy")) {
        return Future.failedFuture("its HEALTHCHECK reports " + view.health());
      }
      return probe().map(ok -> new Outcome(true, null, false, null));
    }).onComplete(ar -> {
      attempting = false;
      if (cancelled) {
        return;
      }
      if (ar.succeeded()) {
        outcome.tryComplete(ar.result());
        return;
      }
      last = ar.cause() instanceof CloudException ce ? ce.getMessage() : String.valueOf(ar.cause().getMessage());
      if (System.nanoTime() - deadline >= 0) {
        outcome.tryComplete(new Outcome(false, null, false,
            "not ready within " + Durations.format(readiness.timeout()) + " (last attempt: " + last + ")"));
      } else if (again) {
        attempt();
      } else {
        timer = vertx.setTimer(interval, id -> attempt());
        interval = Math.min(MAX_INTERVAL_MS, interval * 3 / 2);
      }
    });
  }

  private Future<Void> probe() {
    if (readiness.isTcp()) {
      return tcp.connect(port, host).compose(socket -> socket.close())
          .recover(err -> Future.failedFuture("nothing accepts connections on " + host + ":" + port + " yet"));
    }
    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
        .setURI(readiness.path()).setTimeout(ATTEMPT_TIMEOUT_MS);
    return http.request(get)
        .compose(request -> request.send())
        .compose(response -> response.body().compose(body -> {
          int status = response.statusCode();
          return status >= 200 && status < 400
              ? Future.<Void>succeededFuture()
              : Future.failedFuture("GET " + readiness.path() + " answered " + status);
        }), err -> Future.failedFuture("GET http://" + host + ":" + port + readiness.path() + ": " + err.getMessage()));
  }
}
