package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's own limits are never blamed on the VM: many WebSockets and long requests to one VM are all
 * served by that one VM, and when the connection pool really is full the overflow gets 503 gateway-busy
 * with Retry-After while the VM stays in rotation.
 */
class ForwarderSaturationTest {

  private static final int MANY = 300;
  /** The gateway runs one server, and one connection pool, per core. */
  private static final int LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());

  private Harness harness;
  // Vert.x closes an unreferenced client: held here for the whole test.
  private WebSocketClient webSockets;

  @AfterEach
  void stop() {
    try {
      if (harness != null) {
        harness.assertNoLeaks();
      }
    } finally {
      if (harness != null) {
        harness.close();
      }
    }
  }

  /** Boots the resource's VM with one request; returns its id. */
  private String warm(String resource) {
    Harness.Reply reply = await(harness.get("/smart_proxy/" + resource + "/g1/warm"));
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().getString("vm");
  }

  /** The VM is still READY in the gateway, it was the only start, and the cloud never saw it fail. */
  private void assertStillInRotation(String resource, String vm) {
    assertThat(await(harness.gateway.lifecycle().instances()))
        .anySatisfy(view -> {
          assertThat(view.instanceId()).isEqualTo(vm);
          assertThat(view.state().name()).isEqualTo("READY");
        });
    Harness.Reply later = await(harness.get("/smart_proxy/" + resource + "/g1/later"));
    assertThat(later.status()).isEqualTo(200);
    assertThat(later.json().getString("vm")).as("a later request goes to the same VM").isEqualTo(vm);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
    assertThat(harness.stats().getInteger("failed")).isZero();
  }

  @Test
  void manyWebSocketsDoNotUseUpThePooledConnections() {
    // A pool of 4 per VM: were upgraded connections pooled, the fifth WebSocket would already wait for one.
    // A target above the 300 open: WebSockets are load, and this is about the pool, not about a pool growing.
    harness = Harness.start(100, 200, """
        limits: {connectionsPerVm: 4, connectionWait: 500ms}
        defaults: {targetConcurrency: 1000}
        """);
    webSockets = harness.vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(MANY + 10));
    String vm = warm("demo");
    List<WebSocket> open = new ArrayList<>();
    try {
      List<Future<String>> echoes = new ArrayList<>();
      for (int i = 0; i < MANY; i++) {
        String message = "m-" + i;
        echoes.add(harness.onContext(() -> webSockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
            .setPort(harness.port()).setURI("/smart_proxy/demo/g1/ws")).compose(ws -> {
              synchronized (open) {
                open.add(ws);
              }
              Promise<String> echoed = Promise.promise();
              ws.textMessageHandler(echoed::tryComplete);
              ws.exceptionHandler(echoed::tryFail);
              return ws.writeTextMessage(message).compose(v -> echoed.future());
            })));
      }
      await(Future.all(echoes), Duration.ofSeconds(60));
      for (int i = 0; i < MANY; i++) {
        assertThat(echoes.get(i).result()).isEqualTo("m-" + i);
      }
      // While all of them are open, plain requests still get pooled connections at once.
      Harness.Reply plain = await(harness.get("/smart_proxy/demo/g1/plain"));
      assertThat(plain.status()).isEqualTo(200);
      assertThat(plain.json().getString("vm")).isEqualTo(vm);
    } finally {
      List<WebSocket> all;
      synchronized (open) {
        all = new ArrayList<>(open);
      }
      List<Future<Void>> closing = new ArrayList<>();
      for (WebSocket ws : all) {
        closing.add(harness.onContext(ws::close));
      }
      await(Future.join(closing), Duration.ofSeconds(30));
      await(harness.onContext(webSockets::close));
    }
    assertStillInRotation("demo", vm);
  }

  @Test
  void manyLongRequestsToOneVmAreAllServedByIt() {
    // A 1 s connect timeout: were these waiting in a pool queue bounded by it, the VM would be failed. A target
    // above the 300 in flight: this is about the forwarder's limits, not about a pool growing under load.
    harness = Harness.start(100, 200, """
        defaults: {connectTimeout: 1s, targetConcurrency: 1000}
        """);
    String vm = warm("demo");

    List<Future<Harness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      replies.add(harness.get("/smart_proxy/demo/g1/slow?ms=3000&i=" + i));
    }
    await(Future.all(replies), Duration.ofSeconds(60));

    for (Future<Harness.Reply> reply : replies) {
      assertThat(reply.result().status()).isEqualTo(200);
      assertThat(reply.result().json().getString("vm")).isEqualTo(vm);
    }
    assertStillInRotation("demo", vm);
  }

  @Test
  void waitingTooLongForAFullPoolIs503GatewayBusyAndTheVmStaysInRotation() {
    // 2 connections per VM and loop, and a long queue: each loop serves 2 and the rest time out waiting. With
    // 4 requests per loop on average, some loop has more than 2 (all are under way long before any ends).
    harness = Harness.start(100, 200, """
        limits: {connectionsPerVm: 2, connectionQueuePerVm: 100, connectionWait: 300ms}
        defaults: {connectTimeout: 200ms}
        """);
    String vm = warm("demo");

    List<Harness.Reply> replies = slowBurst(4 * LOOPS);

    List<Harness.Reply> busy = assertServedOrBusy(replies, vm);
    for (Harness.Reply reply : busy) {
      assertThat(reply.json().getString("detail")).contains("stayed busy");
    }
    assertStillInRotation("demo", vm);
  }

  @Test
  void aFullPoolWaitQueueIs503GatewayBusyAtOnceAndTheVmStaysInRotation() {
    harness = Harness.start(100, 200, """
        limits: {connectionsPerVm: 2, connectionQueuePerVm: 0}
        """);
    String vm = warm("demo");

    List<Harness.Reply> replies = slowBurst(3 * LOOPS);

    List<Harness.Reply> busy = assertServedOrBusy(replies, vm);
    for (Harness.Reply reply : busy) {
      assertThat(reply.json().getString("detail")).contains("wait queue is full");
    }
    assertStillInRotation("demo", vm);
  }

  /** {@code n} concurrent requests the VM answers after 2.5 s: far longer than any wait for a connection here. */
  private List<Harness.Reply> slowBurst(int n) {
    List<Future<Harness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      replies.add(harness.get("/smart_proxy/demo/g1/slow?ms=2500&i=" + i));
    }
    await(Future.all(replies), Duration.ofSeconds(60));
    return replies.stream().map(Future::result).toList();
  }

  /** Every reply is the VM's 200 or a 503 gateway-busy with Retry-After, and at least one is the latter. */
  private static List<Harness.Reply> assertServedOrBusy(List<Harness.Reply> replies, String vm) {
    List<Harness.Reply> busy = new ArrayList<>();
    for (Harness.Reply reply : replies) {
      if (reply.status() == 200) {
        assertThat(reply.json().getString("vm")).isEqualTo(vm);
        continue;
      }
      assertThat(reply.status()).as("no 502: %s", reply.body()).isEqualTo(503);
      assertThat(reply.json().getString("type")).isEqualTo("urn:smart-gateway:problem:gateway-busy");
      assertThat(reply.header("Retry-After")).isEqualTo("1");
      busy.add(reply);
    }
    assertThat(busy).as("the overflow of a full pool").isNotEmpty();
    assertThat(replies.size() - busy.size()).as("served").isPositive();
    return busy;
  }
}
