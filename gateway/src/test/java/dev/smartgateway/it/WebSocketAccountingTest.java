package dev.smartgateway.it;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSockets through the real gateway to the mock VM's {@code /ws} echo: every closed session gives back its
 * {@code server.maxConnections} slot and its memory; a quiet one is not cut by the gateway's idle timeouts; the
 * gateway closes one itself with a close frame 1001 (going away) when it shuts down or, if asked to, when it
 * has been quiet for {@code server.webSocketIdleTimeout}.
 */
class WebSocketAccountingTest {

  private static final String WS = "/smart_proxy/demo/g1/ws";
  /** The classes whose live instances must not grow with sessions: Vert.x's connections and the gateway's own. */
  private static final List<String> WATCHED = List.of("io.vertx.core.http.impl.", "io.vertx.core.net.impl.",
      "dev.smartgateway.");

  private Harness harness;
  // Vert.x closes an unreferenced client: held here for the whole test.
  private WebSocketClient webSockets;

  @AfterEach
  void stop() {
    try {
      if (webSockets != null) {
        await(harness.onContext(webSockets::close));
      }
      if (harness != null && harness.gateway != null) {
        harness.assertNoLeaks();
      }
    } finally {
      if (harness != null) {
        harness.close();
      }
    }
  }

  private void start(String serverKeys, String yaml, int maxWebSockets) {
    harness = Harness.start(serverKeys, 50, 50, yaml);
    webSockets = harness.vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(maxWebSockets));
    assertThat(await(harness.get("/smart_proxy/demo/g1/warm")).status()).isEqualTo(200);
  }

  @Test
  void twentyThousandSessionsGiveBackTheirConnectionsAndTheirMemory() throws Exception {
    start("", "", 200);
    runSessions(500, 100); // class loading, pools and caches: the baseline is taken once they are settled
    int openBefore = settledOpenConnections();
    Map<String, long[]> before = liveHistogram();

    long began = System.nanoTime();
    runSessions(20_000, 100);
    long tookMs = Duration.ofNanos(System.nanoTime() - began).toMillis();

    // A session that leaked its connection kept about 27 KB: 20000 of them would be over 500 MB. Here the growth
    // of each watched class must stay under 100 instances (0.5% of the sessions) and of the whole heap under 48 MB.
    AtomicReference<String> growth = new AtomicReference<>();
    try {
      eventually("the heap is back where it was", Duration.ofSeconds(30), () -> {
        growth.set(grown(before, liveHistogram()));
        return growth.get().isEmpty();
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + growth.get() + " (connections open: "
          + harness.gateway.connections().open() + ", before: " + openBefore + ")", e);
    }
    // At most the ones open before: the harness's idle keep-alive connection may have been closed meanwhile.
    eventually("the connections of the closed WebSockets are given back", Duration.ofSeconds(10),
        () -> harness.gateway.connections().open() <= openBefore);
    assertThat(harness.gateway.connections().refused()).isZero();
    System.out.printf("20000 WebSocket sessions in %d ms%n", tookMs);
  }

  @Test
  void withAHundredConnectionsAllowedTheTwoHundredthSessionAndTheNextConnectionAreServed() {
    start("maxConnections: 100", "", 50);
    int openBefore = settledOpenConnections();

    runSessions(200, 10);

    eventually("every session's connection is given back", Duration.ofSeconds(10),
        () -> harness.gateway.connections().open() <= openBefore);
    try (RawHttp newcomer = RawHttp.connect(harness.port())) {
      RawHttp.Response response = newcomer.exchange("GET /smart_proxy/demo/g1/after HTTP/1.1\r\nHost: gateway\r\n\r\n");
      assertThat(response.status()).isEqualTo(200);
    }
    assertThat(harness.gateway.connections().refused()).as("no connection was refused").isZero();
  }

  @Test
  void aQuietWebSocketOutlivesTheIdleTimeoutsOfClientAndVmConnections() {
    // Client connections idle for 1 s are closed (a held request may be silent for at most 500 ms + 500 ms), and
    // so are VM connections.
    start("idleTimeout: 1s", """
        defaults: {startTimeout: 500ms, responseTimeout: 500ms}
        limits: {vmIdleTimeout: 1s}
        """, 10);
    try (RawHttp plain = RawHttp.connect(harness.port())) {
      assertThat(plain.exchange("GET /smart_proxy/demo/g1/plain HTTP/1.1\r\nHost: gateway\r\n\r\n").status())
          .isEqualTo(200);
      assertThat(plain.closedByPeer(Duration.ofSeconds(5))).as("the 1 s idle timeout is in force").isTrue();
    }
    Session ws = open();
    assertThat(ws.echo("before")).isEqualTo("before");

    // Staying quiet is what this test is about: ten times the idle timeouts.
    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());

    // (Not closeStatusCode(): Vert.x 5.0.10 unboxes a null code on an open WebSocket.)
    assertThat(ws.closed.future().isComplete()).as("closed while quiet").isFalse();
    assertThat(ws.echo("after")).isEqualTo("after");
    await(harness.onContext(ws.socket::close));
    await(ws.closed.future());
  }

  @Test
  void aShutdownSendsAnOpenWebSocketACloseFrame1001() {
    start("", "", 10);
    Session ws = open();
    assertThat(ws.echo("hello")).isEqualTo("hello");

    long began = System.nanoTime();
    await(harness.gateway.close());
    harness.gateway = null;
    long tookMs = Duration.ofNanos(System.nanoTime() - began).toMillis();

    await(ws.closed.future());
    assertThat(ws.socket.closeStatusCode()).as("close code").isEqualTo((short) 1001);
    assertThat(ws.socket.closeReason()).isEqualTo("gateway shutting down");
    assertThat(tookMs).as("the WebSocket does not hold the shutdown for its 30 s grace").isLessThan(10_000);
  }

  @Test
  void aWebSocketQuietForTheWebSocketIdleTimeoutIsClosedWith1001() {
    start("webSocketIdleTimeout: 1s", "", 10);
    Session chatty = open();
    Session quiet = open();
    long began = System.nanoTime();
    assertThat(quiet.echo("once")).isEqualTo("once");
    // The chatty one speaks every 300 ms for 2.5 s: never quiet for a second, it stays.
    for (int i = 0; i < 8; i++) {
      assertThat(chatty.echo("m-" + i)).isEqualTo("m-" + i);
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
    }

    await(quiet.closed.future());
    assertThat(Duration.ofNanos(System.nanoTime() - began).toMillis()).isGreaterThanOrEqualTo(1_000);
    assertThat(quiet.socket.closeStatusCode()).isEqualTo((short) 1001);
    assertThat(quiet.socket.closeReason()).isEqualTo("idle for 1000 ms");
    assertThat(chatty.closed.future().isComplete()).isFalse();
    assertThat(chatty.echo("still")).isEqualTo("still");
  }

  // ------------------------------------------------------------------ sessions

  /** One open WebSocket, its messages queued as they come, and a future for its close. */
  private final class Session {
    final WebSocket socket;
    final Promise<Void> closed = Promise.promise();
    private final java.util.concurrent.BlockingQueue<String> messages =
        new java.util.concurrent.LinkedBlockingQueue<>();

    Session(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(messages::add);
      socket.closeHandler(v -> closed.tryComplete());
    }

    String echo(String message) {
      await(harness.onContext(() -> socket.writeTextMessage(message)));
      try {
        String echo = messages.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(echo).as("echo of %s", message).isNotNull();
        return echo;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private Session open() {
    return await(harness.onContext(() -> webSockets.connect(options()).map(Session::new)));
  }

  private WebSocketConnectOptions options() {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(harness.port()).setURI(WS);
  }

  /**
   * {@code total} sessions (open, one echo, close, wait for the close), {@code concurrency} at a time, spread over
   * as many client event loops as the gateway has: one client thread would be the bottleneck.
   */
  private void runSessions(int total, int concurrency) {
    List<Context> loops = new ArrayList<>();
    for (int l = 0; l < Math.max(2, Runtime.getRuntime().availableProcessors()); l++) {
      loops.add(harness.vertx.getOrCreateContext()); // off a Vert.x thread: a new context, on the next event loop
    }
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      Promise<Void> done = Promise.promise();
      loops.get(w % loops.size()).runOnContext(v -> worker(next, total).onComplete(done));
      workers.add(done.future());
    }
    await(Future.all(workers), Duration.ofMinutes(3));
  }

  private Future<Void> worker(AtomicInteger next, int total) {
    int i = next.getAndIncrement();
    if (i >= total) {
      return Future.succeededFuture();
    }
    return session("m-" + i).compose(v -> worker(next, total));
  }

  private Future<Void> session(String message) {
    return webSockets.connect(options()).compose(ws -> {
      Promise<String> echoed = Promise.promise();
      Promise<Void> closed = Promise.promise();
      ws.textMessageHandler(echoed::tryComplete);
      ws.exceptionHandler(echoed::tryFail);
      ws.closeHandler(v -> {
        echoed.tryFail("closed (" + ws.closeStatusCode() + ") before the echo of " + message);
        closed.tryComplete();
      });
      return ws.writeTextMessage(message)
          .compose(v -> echoed.future())
          .compose(echo -> echo.equals(message) ? ws.close()
              : Future.<Void>failedFuture("echo of " + message + ": " + echo))
          .compose(v -> closed.future());
    });
  }

  /** Client connections open once the warm-up's are settled (the harness's own client keeps one alive). */
  private int settledOpenConnections() {
    AtomicInteger last = new AtomicInteger(-1);
    eventually("the open connections settle", Duration.ofSeconds(10), () -> {
      int now = harness.gateway.connections().open();
      boolean same = now == last.getAndSet(now);
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      return same && now == harness.gateway.connections().open();
    });
    return last.get();
  }

  // ------------------------------------------------------------------ the live heap, by class

  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");
  private static final String TOTAL_KEY = "(total)";

  /** Live instances and bytes per class, after a full GC (what {@code jcmd PID GC.class_histogram} prints). */
  private static Map<String, long[]> liveHistogram() {
    String text;
    try {
      text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {null}, new String[] {String[].class.getName()});
    } catch (Exception e) {
      throw new AssertionError("no class histogram", e);
    }
    Map<String, long[]> rows = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        rows.put(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
        continue;
      }
      Matcher total = TOTAL.matcher(line);
      if (total.find()) {
        rows.put(TOTAL_KEY, new long[] {Long.parseLong(total.group(1)), Long.parseLong(total.group(2))});
      }
    }
    assertThat(rows).containsKey(TOTAL_KEY);
    return rows;
  }

  /** What grew too much from {@code before} to {@code after}; empty if nothing did. */
  private static String grown(Map<String, long[]> before, Map<String, long[]> after) {
    StringBuilder grown = new StringBuilder();
    long heapGrowth = after.get(TOTAL_KEY)[1] - before.get(TOTAL_KEY)[1];
    if (heapGrowth > 48L << 20) {
      grown.append("heap +").append(heapGrowth >> 20).append(" MB; ");
    }
    after.forEach((type, counts) -> {
      if (WATCHED.stream().anyMatch(type::startsWith)) {
        long was = before.getOrDefault(type, new long[] {0, 0})[0];
        if (counts[0] - was >= 100) {
          grown.append(type).append(" ").append(was).append(" -> ").append(counts[0]).append("; ");
        }
      }
    });
    return grown.toString();
  }
}
