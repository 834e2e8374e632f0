package dev.smartgateway.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N concurrent GETs, one HTTP/1.1 connection each. All connections are opened first (a bounded number of
 * connects in flight, so no listen backlog overflows and no SYN is retried), then every request is written at
 * once. Arrival = the moment the whole response body was read.
 */
final class Burst {
  private static final int MAX_PENDING_CONNECTS = 256;

  private final HttpClientAgent client;
  private final String host;
  private final int port;
  private final String path;
  private final int n;
  private final long timeoutMs;
  private final Clock clock = new Clock();

  private final RequestOptions options;
  private final HttpClientConnection[] conns;
  private final HttpClientRequest[] requests;
  private final Context[] contexts;
  final double[] arrivalMs;
  final int[] status;
  final String[] error;
  final double[] waitHeaderMs;
  private final AtomicInteger arrived = new AtomicInteger();
  private final CountDownLatch sent;
  private final CountDownLatch done;
  double sendStartMs = Double.NaN;

  Burst(Vertx vertx, String host, int port, String path, int n, long timeoutMs) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000));
    this.host = host;
    this.port = port;
    this.path = path;
    this.n = n;
    this.timeoutMs = timeoutMs;
    this.options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(path)
        .setIdleTimeout(timeoutMs);
    this.conns = new HttpClientConnection[n];
    this.requests = new HttpClientRequest[n];
    this.contexts = new Context[n];
    this.arrivalMs = new double[n];
    this.status = new int[n];
    this.error = new String[n];
    this.waitHeaderMs = new double[n];
    java.util.Arrays.fill(arrivalMs, Double.NaN);
    java.util.Arrays.fill(waitHeaderMs, Double.NaN);
    this.sent = new CountDownLatch(n);
    this.done = new CountDownLatch(n);
  }

  /** Opens the N connections and prepares a request on each; returns how many failed (that request's error). */
  int connectAll() throws InterruptedException {
    CountDownLatch connected = new CountDownLatch(n);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Runnable[] connectNext = new Runnable[1];
    connectNext[0] = () -> {
      int i = next.getAndIncrement();
      if (i < n) {
        connectOne(i, 3, connected, failed, connectNext[0]);
      }
    };
    for (int k = 0; k < Math.min(MAX_PENDING_CONNECTS, n); k++) {
      connectNext[0].run();
    }
    if (!connected.await(timeoutMs, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("connecting " + n + " connections took over " + timeoutMs + " ms");
    }
    return failed.get();
  }

  private void connectOne(int i, int attempts, CountDownLatch connected, AtomicInteger failed, Runnable next) {
    client.connect(new HttpConnectOptions().setHost(host).setPort(port))
        .compose(conn -> {
          conns[i] = conn;
          return conn.request(options);
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            prepare(i, ar.result());
          } else if (attempts > 1 && conns[i] == null) {
            connectOne(i, attempts - 1, connected, failed, next);
            return;
          } else {
            error[i] = "connect: " + ar.cause();
            failed.incrementAndGet();
          }
          connected.countDown();
          next.run();
        });
  }

  /** The request object is made while connecting, so that sending is only writing it. */
  private void prepare(int id, HttpClientRequest req) {
    requests[id] = req;
    contexts[id] = Vertx.currentContext();
    req.response()
        .compose(resp -> {
          String wait = resp.getHeader("X-Smart-Gateway-Wait-Ms");
          if (wait != null) {
            waitHeaderMs[id] = parseOrNaN(wait);
          }
          return resp.body().map(body -> resp.statusCode());
        })
        .onComplete(r -> finish(id, r.succeeded() ? r.result() : 0, r.succeeded() ? null : "response: " + r.cause()));
  }

  /** Writes every request (does not wait): one task per event loop writes all of that loop's requests. */
  void sendAll() {
    Map<Context, List<Integer>> byContext = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      if (requests[i] == null) {
        sent.countDown();
        finish(i, 0, null);
      } else {
        byContext.computeIfAbsent(contexts[i], c -> new ArrayList<>()).add(i);
      }
    }
    sendStartMs = clock.nowMs();
    byContext.forEach((context, ids) -> context.runOnContext(v -> {
      for (int i : ids) {
        requests[i].end().onComplete(x -> sent.countDown());
      }
    }));
  }

  private void finish(int i, int code, String err) {
    arrivalMs[i] = clock.nowMs();
    status[i] = code;
    if (err != null && error[i] == null) {
      error[i] = err;
    }
    arrived.incrementAndGet();
    done.countDown();
  }

  boolean awaitSent() throws InterruptedException {
    return sent.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  boolean awaitDone() throws InterruptedException {
    return done.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  int arrived() {
    return arrived.get();
  }

  double nowMs() {
    return clock.nowMs();
  }

  int answered() {
    int ok = 0;
    for (int s : status) {
      if (s >= 200 && s < 300) {
        ok++;
      }
    }
    return ok;
  }

  /** Status code counts ("0" = transport error or no answer). */
  Map<String, Integer> statusCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(Double.isNaN(arrivalMs[i]) ? "none" : String.valueOf(status[i]), 1, Integer::sum);
    }
    return counts;
  }

  /** A few distinct error messages, for the log. */
  Map<String, Integer> errorSamples() {
    Map<String, Integer> counts = new TreeMap<>();
    for (String e : error) {
      if (e != null && (counts.size() < 5 || counts.containsKey(e))) {
        counts.merge(e, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Arrival times (ms) of the successful answers, minus {@code originMs}. */
  double[] successArrivalsSince(double originMs) {
    return java.util.stream.IntStream.range(0, n)
        .filter(i -> status[i] >= 200 && status[i] < 300)
        .mapToDouble(i -> arrivalMs[i] - originMs).sorted().toArray();
  }

  double lastArrivalMs() {
    double last = Double.NaN;
    for (double a : arrivalMs) {
      if (!Double.isNaN(a) && (Double.isNaN(last) || a > last)) {
        last = a;
      }
    }
    return last;
  }

  void close() throws InterruptedException {
    for (HttpClientConnection c : conns) {
      if (c != null) {
        c.close();
      }
    }
    CountDownLatch closed = new CountDownLatch(1);
    client.close().onComplete(ar -> closed.countDown());
    closed.await(30, TimeUnit.SECONDS);
  }

  private static double parseOrNaN(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
