package dev.smartgateway.admin;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpServerResponse;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fan-out in progress: starts targets in order, at most {@code concurrency} in flight, the next one as one
 * completes, and writes each target's line the moment it completes. Bounded on every side:
 * <ul>
 * <li>a slow reader: while more than {@link #MAX_UNSENT} bytes of lines wait to be handed to the socket, no
 *     target is started (the ones in flight still finish, so at most {@code concurrency} lines wait on top), and
 *     starting resumes as the reader catches up. Counted in bytes here because the response's
 *     {@code writeQueueFull()} counts messages: it turns only after 16 lines queue behind a full socket, which
 *     for lines of over a megabyte each is tens of megabytes;</li>
 * <li>a reader that goes away: nothing more is started and the requests in flight are reset, so the gateway
 *     stops holding them and no VM does work nobody will read.</li>
 * </ul>
 * Runs on the admin request's context; only {@link #inFlight()} is read from elsewhere.
 */
final class FanoutRun {

  /** Bytes of written lines not yet taken by the socket past which no target is started: the socket's high-water mark. */
  static final int MAX_UNSENT = 64 * 1024;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final FanoutRequest spec;
  private final PublicEndpoint gateway;
  private final List<String> targets;
  private final HttpServerResponse response;
  private final Set<TargetCall> calls = new LinkedHashSet<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Promise<Void> done = Promise.promise();
  private int next;
  /** Bytes written to the response whose write has not completed (they wait in Vert.x or Netty, not the socket). */
  private long unsent;
  private boolean cancelled;
  private boolean ended;

  FanoutRun(Vertx vertx, HttpClientAgent client, FanoutRequest spec, PublicEndpoint gateway, List<String> targets,
            HttpServerResponse response) {
    this.vertx = vertx;
    this.client = client;
    this.spec = spec;
    this.gateway = gateway;
    this.targets = List.copyOf(targets);
    this.response = response;
  }

  /** Response heads the fan-out's client reads: the gateway's default {@code server.maxResponseHeaderSize}. */
  static final int MAX_RESPONSE_HEAD = 64 * 1024;

  /**
   * The HTTP client of one fan-out, its pool as large as its concurrency: fan-outs do not queue behind each
   * other, and closing it when the fan-out ends leaves no connection behind. Core {@code HttpClient}, not the
   * web client: that one buffers whole bodies, and a fan-out keeps only {@code maxBodySize} of each.
   */
  static HttpClientAgent client(Vertx vertx, int concurrency, boolean tls) {
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true)
        .setMaxHeaderSize(MAX_RESPONSE_HEAD);
    if (tls) {
      // The gateway's own listener, reached on its bind address (often loopback): the certificate names the public
      // host, not that address, and it is the gateway's own, so it is not verified.
      options.setSsl(true).setTrustAll(true).setVerifyHost(false);
    }
    return vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(concurrency).setMaxWaitQueueSize(concurrency))
        .build();
  }

  /** Starts the first targets; the future completes once the last line is written, or the run is cancelled. */
  Future<Void> start() {
    response.closeHandler(v -> cancel());
    response.exceptionHandler(err -> cancel());
    pump();
    return done.future();
  }

  /** Requests of this run in flight now. */
  int inFlight() {
    return inFlight.get();
  }

  /** Starts nothing more and resets the requests in flight; no further line is written. */
  void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    List.copyOf(calls).forEach(TargetCall::cancel);
    calls.clear();
    inFlight.set(0);
    done.tryComplete();
  }

  /** {@link #cancel()}, and the response is closed unfinished: its reader can tell it was cut (shutdown). */
  void abort() {
    cancel();
    if (!response.ended()) {
      response.reset();
    }
  }

  private void pump() {
    while (!cancelled && calls.size() < spec.concurrency() && next < targets.size() && unsent < MAX_UNSENT
        && !response.writeQueueFull()) {
      TargetCall call = new TargetCall(vertx, client, spec, gateway, targets.get(next++));
      calls.add(call);
      inFlight.incrementAndGet();
      call.start().onSuccess(line -> completed(call, line));
    }
    if (!cancelled && !ended && calls.isEmpty() && next == targets.size()) {
      ended = true;
      response.end().onComplete(ended -> done.tryComplete());
    }
  }

  private void completed(TargetCall call, Buffer line) {
    if (cancelled || !calls.remove(call)) {
      return;
    }
    inFlight.decrementAndGet();
    if (response.closed()) {
      cancel(); // the reader is gone and its close handler has yet to run
      return;
    }
    unsent += line.length();
    response.write(line).onComplete(written -> {
      unsent -= line.length();
      if (written.succeeded()) {
        pump();
      } else {
        cancel();
      }
    });
    pump();
  }
}
