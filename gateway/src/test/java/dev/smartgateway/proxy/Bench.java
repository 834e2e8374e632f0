package dev.smartgateway.proxy;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ProblemResponder;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.net.NetClient;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A VM ("origin") and a gateway front that pauses each request, optionally holds it, forwards it and answers
 * forward failures with {@link ProblemResponder}, plus a client on its own context. All on loopback,
 * ephemeral ports. The test thread blocks only on futures, always with a deadline.
 */
final class Bench {

  static final Duration DEADLINE = Duration.ofSeconds(30);
  static final String PREFIX = "/smart_proxy/demo/g1";

  final Vertx vertx;
  final Forwarder forwarder;
  final AtomicInteger originConnections = new AtomicInteger();
  final AtomicInteger originRequests = new AtomicInteger();
  final LinkedBlockingQueue<AsyncResult<ForwardOutcome>> outcomes = new LinkedBlockingQueue<>();
  final Context clientContext;
  // Vert.x closes a client once it is no longer referenced, so every client the tests use is a field.
  final HttpClientAgent client;
  /** Speaks HTTP/2 with prior knowledge to the front (a Vert.x test server accepts h2c; the gateway's listener does not). */
  final HttpClientAgent h2Client;
  final NetClient netClient;
  final WebSocketClient webSocketClient;

  volatile Handler<HttpServerRequest> originHandler = req -> req.response().end("ok");
  volatile long holdMs;
  volatile Duration responseTimeout = Duration.ofSeconds(20);
  volatile long maxBodyBytes = Long.MAX_VALUE;
  volatile Duration bodyIdleTimeout = Duration.ZERO;
  /** Whether the front's clients count as trusted proxies (their X-Forwarded-* kept and appended to). */
  volatile boolean fromTrustedProxy;
  volatile int targetPort;
  /** How the forwarder speaks to the origin (which, a default Vert.x server, speaks both). */
  volatile dev.smartgateway.config.ResourceSettings.Protocol protocol = dev.smartgateway.config.ResourceSettings.Protocol.HTTP1;
  /** If set, the front calls the forwarder from this context (as a lifecycle finishing its wait elsewhere). */
  volatile Context forwardFrom;
  /** Replaces the front's single forward (e.g. to retry); null for the default. */
  volatile java.util.function.Function<HttpServerRequest, Future<ForwardOutcome>> frontForward;

  HttpServer origin;
  HttpServer front;

  private Bench(Vertx vertx) {
    this.vertx = vertx;
    this.forwarder = Forwarder.create(vertx, ForwarderOptions.defaults());
    this.clientContext = vertx.getOrCreateContext();
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setDecompressionSupported(false))
        .with(new PoolOptions().setHttp1MaxSize(4))
        .build();
    this.h2Client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false).setDecompressionSupported(false))
        .build();
    this.netClient = vertx.createNetClient();
    this.webSocketClient = vertx.createWebSocketClient();
  }

  static Bench start(Vertx vertx) {
    Bench bench = new Bench(vertx);
    bench.origin = await(vertx.createHttpServer()
        .connectionHandler(c -> bench.originConnections.incrementAndGet())
        .requestHandler(req -> {
          bench.originRequests.incrementAndGet();
          bench.originHandler.handle(req);
        })
        .listen(0, "127.0.0.1"));
    bench.targetPort = bench.origin.actualPort();
    bench.front = await(vertx.createHttpServer().requestHandler(bench::front).listen(0, "127.0.0.1"));
    return bench;
  }

  private void front(HttpServerRequest req) {
    req.pause();
    java.util.function.Function<HttpServerRequest, Future<ForwardOutcome>> custom = frontForward;
    Runnable forward = () -> (custom != null ? custom.apply(req) : forwarder.forward(req, target(req))).onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof ForwardException fe && !fe.responseStarted() && !fe.clientClosed()) {
        ProblemResponder.respond(req, fe.problem());
      }
      outcomes.add(ar);
    });
    Context elsewhere = forwardFrom;
    Runnable release = elsewhere == null ? forward : () -> elsewhere.runOnContext(v -> forward.run());
    if (holdMs > 0) {
      vertx.setTimer(holdMs, id -> release.run());
    } else {
      release.run();
    }
  }

  ForwardTarget target(HttpServerRequest req) {
    return target(req, targetPort);
  }

  ForwardTarget target(HttpServerRequest req, int port) {
    return new ForwardTarget("127.0.0.1", port, req.uri(), PREFIX, GroupSet.of("g2", "g1"),
        Duration.ofSeconds(5), responseTimeout, maxBodyBytes,
        MultiMap.caseInsensitiveMultiMap().add("X-Smart-Gateway-Wait-Ms", "42"), bodyIdleTimeout, fromTrustedProxy,
        null, protocol);
  }

  /** A loopback port nothing listens on. */
  int deadPort() {
    HttpServer server = await(vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1"));
    int port = server.actualPort();
    await(server.close());
    return port;
  }

  int frontPort() {
    return front.actualPort();
  }

  /** Runs {@code action} on the client's context (streams used by the client are single-threaded) and waits. */
  <T> T onClient(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    clientContext.runOnContext(v -> {
      try {
        action.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return await(promise.future());
  }

  ForwardOutcome nextOutcome() {
    AsyncResult<ForwardOutcome> ar = nextResult();
    if (ar.failed()) {
      throw new AssertionError("forward failed", ar.cause());
    }
    return ar.result();
  }

  ForwardException nextFailure() {
    AsyncResult<ForwardOutcome> ar = nextResult();
    if (ar.succeeded()) {
      throw new AssertionError("forward succeeded: " + ar.result());
    }
    if (!(ar.cause() instanceof ForwardException fe)) {
      throw new AssertionError("not a ForwardException", ar.cause());
    }
    return fe;
  }

  AsyncResult<ForwardOutcome> nextResult() {
    try {
      AsyncResult<ForwardOutcome> ar = outcomes.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      if (ar == null) {
        throw new AssertionError("the forward future did not complete within " + DEADLINE);
      }
      return ar;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The failure of a future that must fail. */
  static Throwable awaitFailure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Sends raw bytes and collects everything until the server closes the connection. */
  Buffer raw(String request) {
    return onClient(() -> netClient.connect(frontPort(), "127.0.0.1").compose(socket -> {
      Promise<Buffer> received = Promise.promise();
      Buffer all = Buffer.buffer();
      socket.handler(all::appendBuffer);
      socket.closeHandler(v -> received.tryComplete(all));
      socket.write(request);
      return received.future();
    }));
  }

  // ---- deterministic bodies, generated and hashed in pieces so no test holds a whole body ----

  static final int PIECE = 64 * 1024;

  static Buffer piece(long offset, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      long p = offset + i;
      bytes[i] = (byte) (p * 31 + (p >>> 11));
    }
    return Buffer.buffer(bytes);
  }

  static String sha256OfPattern(long total) {
    MessageDigest digest = sha256();
    for (long offset = 0; offset < total; offset += PIECE) {
      digest.update(piece(offset, (int) Math.min(PIECE, total - offset)).getBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hashes a stream as it flows; completes with the hex digest and the byte count. */
  static final class Hasher {
    private final MessageDigest digest = sha256();
    long bytes;

    void update(Buffer data) {
      bytes += data.length();
      digest.update(data.getBytes());
    }

    String hex() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  /** A {@link ReadStream} of {@code total} pattern bytes honouring pause, resume and fetch; single-context. */
  static final class PatternStream implements ReadStream<Buffer> {
    private final Context context;
    private final long total;
    private volatile long sent;
    private long demand = Long.MAX_VALUE;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private boolean scheduled;
    private boolean ended;

    PatternStream(Context context, long total) {
      this.context = context;
      this.total = total;
    }

    long sent() {
      return sent;
    }

    @Override
    public PatternStream exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public PatternStream handler(Handler<Buffer> handler) {
      this.handler = handler;
      schedule();
      return this;
    }

    @Override
    public PatternStream pause() {
      demand = 0;
      return this;
    }

    @Override
    public PatternStream resume() {
      return fetch(Long.MAX_VALUE);
    }

    @Override
    public PatternStream fetch(long amount) {
      demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
      schedule();
      return this;
    }

    @Override
    public PatternStream endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      schedule();
      return this;
    }

    private void schedule() {
      if (!scheduled && !ended && handler != null) {
        scheduled = true;
        context.runOnContext(v -> {
          scheduled = false;
          emit();
        });
      }
    }

    private void emit() {
      int budget = 16;
      while (handler != null && demand > 0 && sent < total && budget-- > 0) {
        int length = (int) Math.min(PIECE, total - sent);
        Buffer data = piece(sent, length);
        sent += length;
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(data);
      }
      if (sent == total) {
        if (!ended) {
          ended = true;
          if (endHandler != null) {
            endHandler.handle(null);
          }
        }
      } else if (demand > 0) {
        schedule();
      }
    }
  }
}
