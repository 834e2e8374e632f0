package dev.smartgateway.cloudmock;

import dev.smartgateway.cloudmock.grpc.EchoService;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The application a VM runs: an echo of what it receives plus a few endpoints that exercise a proxy
 * (slow answers, large and chunked bodies, any status, a WebSocket) and its failure handling (a connection
 * reset before any response byte, a VM that stops answering, a response head of any size). Never buffers a
 * request body: the size and SHA-256 are computed as the bytes stream through. On a VM that speaks h2c, the
 * paths under {@code /mock.Echo/} are the gRPC service {@link EchoService}.
 */
final class VmApp implements Handler<HttpServerRequest> {

  static final String VM_HEADER = "X-Mock-Vm";
  /** The header {@code /headers} fills to the size asked for. */
  static final String FILLER_HEADER = "X-Mock-Filler";
  /** The largest {@code /headers?bytes=}: 1 MiB, past any client's response head limit. */
  static final long MAX_FILLER_BYTES = 1 << 20;
  private static final long MAX_DELAY_MS = 600_000;
  /** Query parameters {@code header.<Name>=<value>} become response headers, on every path (for testing caches). */
  static final String HEADER_PARAM = "header.";

  private final Vertx vertx;
  private final Vm vm;
  private final long warmupNanos;
  private final ResetKeys resets;
  /** The gRPC service, on a VM that speaks h2c; null on the others. */
  private final EchoService grpc;
  private volatile boolean opened;
  private volatile long warmUntilNanos;
  /** Set by {@code /hang}: from then on nothing is answered. */
  private volatile boolean hung;
  /** Suspended: requests are taken in and held, unread, until the resume (as a paused VM's kernel would). */
  private boolean paused;
  private final java.util.ArrayDeque<HttpServerRequest> heldWhilePaused = new java.util.ArrayDeque<>();

  VmApp(Vertx vertx, Vm vm, long warmupMs, ResetKeys resets, boolean grpc) {
    this.vertx = vertx;
    this.vm = vm;
    this.warmupNanos = TimeUnit.MILLISECONDS.toNanos(warmupMs);
    this.resets = resets;
    this.grpc = grpc ? new EchoService(vertx, vm.id(), vm.resource()) : null;
  }

  /** Pauses the VM. On its server's context. */
  void pause() {
    paused = true;
  }

  /** Resumes the VM: whatever arrived meanwhile is answered now, in order. On its server's context. */
  void resume() {
    paused = false;
    HttpServerRequest request;
    while (!paused && (request = heldWhilePaused.poll()) != null) {
      request.resume();
      handle(request);
    }
  }

  /** Starts the warm-up clock: called once the port is open. */
  void opened() {
    warmUntilNanos = System.nanoTime() + warmupNanos;
    opened = true;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (paused) {
      request.pause();
      heldWhilePaused.add(request);
      return;
    }
    if (hung || request.path().equals("/hang")) {
      hang(request);
      return;
    }
    HttpServerResponse response = request.response();
    response.putHeader(VM_HEADER, vm.id());
    long warmingNanos = remainingWarmupNanos();
    if (warmingNanos > 0) {
      long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(warmingNanos + 999_999_999L));
      response.setStatusCode(503)
          .putHeader("Retry-After", Long.toString(retryAfter))
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", "warming").put("vm", vm.id()).encode());
      return;
    }
    try {
      echoHeaderParams(request);
      route(request);
    } catch (IllegalArgumentException e) {
      Problem.badRequest(e.getMessage()).send(response);
    }
  }

  private void route(HttpServerRequest request) {
    boolean get = request.method() == HttpMethod.GET;
    boolean getOrHead = get || request.method() == HttpMethod.HEAD;
    if (grpc != null && request.path().startsWith(EchoService.PREFIX)) {
      grpc.handle(request);
      return;
    }
    switch (request.path()) {
      case "/health" -> {
        if (getOrHead) {
          health(request.response());
        } else {
          echo(request, 200, 0);
        }
      }
      case "/slow" -> echo(request, 200, longParam(request, "ms", 0, 0, MAX_DELAY_MS));
      case "/status" -> echo(request, (int) longParam(request, "code", 200, 200, 599), 0);
      case "/reset" -> reset(request);
      case "/cache" -> counted(request);
      case "/headers" -> bigHead(request);
      case "/bytes" -> {
        if (getOrHead) {
          long n = longParam(request, "n", 0, 0, Long.MAX_VALUE / 2);
          PatternBytes.send(request.response(), n, get);
        } else {
          echo(request, 200, 0);
        }
      }
      case "/stream" -> {
        if (get) {
          stream(request.response(), (int) longParam(request, "chunks", 10, 0, 1_000_000),
              longParam(request, "intervalMs", 100, 0, MAX_DELAY_MS));
        } else {
          echo(request, 200, 0);
        }
      }
      case "/ws" -> {
        if (get && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
          request.toWebSocket().onSuccess(VmApp::echoMessages);
        } else {
          echo(request, 200, 0);
        }
      }
      default -> echo(request, 200, 0);
    }
  }

  /**
   * Closes the connection without a response byte once the request (body included) is in: a VM whose app
   * died while handling it. With {@code key}, only the first {@code times} (default 1) requests carrying that
   * key, counted over every VM of the cloud, are reset; later ones get the echo plus {@code "seen"}, how
   * many requests with the key have arrived, this one included. Without {@code key}, every request is reset.
   */
  private void reset(HttpServerRequest request) {
    String key = request.getParam("key");
    long times = longParam(request, "times", 1, 0, Long.MAX_VALUE);
    long seen = key == null ? 0 : resets.arrive(key);
    request.exceptionHandler(err -> { });
    if (key != null && seen > times) {
      echo(request, 200, 0, seen);
      return;
    }
    request.handler(chunk -> { });
    request.endHandler(v -> request.connection().close());
  }

  /**
   * The echo with one more response header, {@code X-Mock-Filler}, whose value is {@code bytes} long (none for
   * 0): byte {@code i} is {@code 'a' + i % 26}. For a client's (the gateway's) response head limits. With
   * {@code key}, the request is counted like {@code /reset}'s (one count per key, over every VM of the cloud)
   * and the echo has {@code "seen"}: so a later {@code /headers?key=K} tells how often a request whose answer
   * the client refused reached the VM.
   */
  private void bigHead(HttpServerRequest request) {
    int bytes = (int) longParam(request, "bytes", 0, 0, MAX_FILLER_BYTES);
    String key = request.getParam("key");
    long seen = key == null ? 0 : resets.arrive(key);
    if (bytes > 0) {
      request.response().putHeader(FILLER_HEADER, filler(bytes));
    }
    echo(request, 200, 0, seen);
  }

  /**
   * The echo, after {@code ms} (default 0) with status {@code code} (default 200), counted by {@code key} like
   * {@code /reset}'s (the same counters, over every VM; the echo has {@code "seen"}): with {@code header.*}
   * parameters it is an answer a cache may store, and a later {@code /cache?key=K} under another URI tells how many
   * requests reached a VM meanwhile.
   */
  private void counted(HttpServerRequest request) {
    long delayMs = longParam(request, "ms", 0, 0, MAX_DELAY_MS);
    int status = (int) longParam(request, "code", 200, 200, 599);
    String key = request.getParam("key");
    echo(request, status, delayMs, key == null ? 0 : resets.arrive(key));
  }

  /**
   * Every query parameter {@code header.<Name>=<value>} (decoded; repeat it for several values) becomes a response
   * header {@code <Name>: <value>}: {@code ?header.Cache-Control=max-age%3D60&header.Vary=Accept}.
   */
  private static void echoHeaderParams(HttpServerRequest request) {
    if (request.query() == null || !request.query().contains(HEADER_PARAM)) {
      return;
    }
    for (java.util.Map.Entry<String, String> param : request.params()) {
      String name = param.getKey();
      if (name.startsWith(HEADER_PARAM) && name.length() > HEADER_PARAM.length()) {
        request.response().headers().add(name.substring(HEADER_PARAM.length()), param.getValue());
      }
    }
  }

  /** {@code n} letters, {@code 'a' + i % 26} at offset {@code i}. */
  static String filler(int n) {
    char[] value = new char[n];
    for (int i = 0; i < n; i++) {
      value[i] = (char) ('a' + i % 26);
    }
    return new String(value);
  }

  /**
   * The VM stops answering: this request and every later one, on any path, is read and never answered. The
   * connections stay open until the client gives up or the VM is stopped or crashed; the port still accepts.
   */
  private void hang(HttpServerRequest request) {
    hung = true;
    request.exceptionHandler(err -> { });
    request.handler(chunk -> { });
    request.endHandler(v -> { });
  }

  private long remainingWarmupNanos() {
    if (warmupNanos == 0) {
      return 0;
    }
    // A request racing the listen callback is still inside the warm-up window.
    return opened ? warmUntilNanos - System.nanoTime() : warmupNanos;
  }

  private void health(HttpServerResponse response) {
    response.putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "ok").put("vm", vm.id()).encode());
  }

  private void echo(HttpServerRequest request, int status, long delayMs) {
    echo(request, status, delayMs, 0);
  }

  /** @param seen for {@code /reset}: requests with its key so far, added to the echo; 0 adds nothing */
  private void echo(HttpServerRequest request, int status, long delayMs, long seen) {
    HttpServerResponse response = request.response();
    MessageDigest sha256 = sha256();
    long[] bodyBytes = {0};
    request.handler(chunk -> {
      bodyBytes[0] += chunk.length();
      sha256.update(chunk.getBytes());
    });
    // A client that goes away mid-upload gets no answer; the connection is already gone.
    request.exceptionHandler(err -> { });
    request.endHandler(v -> {
      JsonObject echo = echoJson(request, bodyBytes[0], HexFormat.of().formatHex(sha256.digest()));
      if (seen > 0) {
        echo.put("seen", seen);
      }
      if (delayMs == 0) {
        sendEcho(response, status, echo);
        return;
      }
      long timer = vertx.setTimer(delayMs, t -> sendEcho(response, status, echo));
      response.closeHandler(closed -> vertx.cancelTimer(timer));
    });
  }

  private JsonObject echoJson(HttpServerRequest request, long bodyBytes, String bodySha256) {
    return new JsonObject()
        .put("vm", vm.id())
        .put("resource", vm.resource())
        .put("groups", new JsonArray(new ArrayList<>(vm.groups())))
        .put("method", request.method().name())
        .put("path", request.path())
        .put("query", request.query())
        .put("headers", headers(request))
        .put("bodyBytes", bodyBytes)
        .put("bodySha256", bodySha256)
        .put("authority", request.authority() == null ? null : request.authority().toString())
        .put("httpVersion", request.version() == HttpVersion.HTTP_2 ? "HTTP/2"
            : request.version() == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1");
  }

  private static JsonObject headers(HttpServerRequest request) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : request.headers()) {
      byName.computeIfAbsent(header.getKey().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
          .add(header.getValue());
    }
    JsonObject json = new JsonObject();
    byName.forEach((name, values) -> json.put(name, String.join(", ", values)));
    return json;
  }

  private static void sendEcho(HttpServerResponse response, int status, JsonObject echo) {
    if (response.closed()) {
      return;
    }
    response.setStatusCode(status);
    if (status == 204 || status == 304) {
      response.end();
    } else {
      response.putHeader("Content-Type", "application/json").end(echo.encode());
    }
  }

  private void stream(HttpServerResponse response, int chunks, long intervalMs) {
    response.setChunked(true).putHeader("Content-Type", "text/plain; charset=utf-8");
    if (chunks == 0) {
      response.end();
      return;
    }
    if (intervalMs == 0) {
      for (int i = 0; i < chunks; i++) {
        response.write("chunk " + i + "\n");
      }
      response.end();
      return;
    }
    response.writeHead();
    int[] sent = {0};
    long timer = vertx.setPeriodic(intervalMs, id -> {
      if (response.closed()) {
        vertx.cancelTimer(id);
        return;
      }
      response.write("chunk " + sent[0] + "\n");
      if (++sent[0] == chunks) {
        vertx.cancelTimer(id);
        response.end();
      }
    });
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }

  private static void echoMessages(ServerWebSocket ws) {
    ws.textMessageHandler(text -> {
      ws.writeTextMessage(text);
      holdWhileFull(ws);
    });
    ws.binaryMessageHandler(data -> {
      ws.writeBinaryMessage(data);
      holdWhileFull(ws);
    });
    ws.exceptionHandler(err -> ws.close());
  }

  private static void holdWhileFull(ServerWebSocket ws) {
    if (ws.writeQueueFull()) {
      ws.pause();
      ws.drainHandler(v -> ws.resume());
    }
  }

  private static long longParam(HttpServerRequest request, String name, long fallback, long min,
                                long max) {
    String raw = request.getParam(name);
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + raw + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", was " + value);
    }
    return value;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
