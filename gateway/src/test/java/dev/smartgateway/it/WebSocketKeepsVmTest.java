package dev.smartgateway.it;

import dev.smartgateway.lifecycle.InstanceView;
import dev.smartgateway.lifecycle.LifecycleState;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open WebSocket is traffic to its VM however quiet it is: the VM is not idled out under it, and idles out
 * as usual once it closes. Through the real gateway to the mock VM's {@code /ws} echo, with a 1 s idle timeout.
 */
class WebSocketKeepsVmTest {

  private Harness harness;
  // Vert.x closes an unreferenced client: held here for the whole test.
  private WebSocketClient webSockets;

  @BeforeEach
  void start() {
    harness = Harness.start(50, 100, "defaults: {idleTimeout: 1s}\n");
    webSockets = harness.vertx.createWebSocketClient(new WebSocketClientOptions());
  }

  @AfterEach
  void stop() {
    try {
      await(harness.onContext(webSockets::close));
      harness.assertNoLeaks();
    } finally {
      harness.close();
    }
  }

  @Test
  void anOpenQuietWebSocketKeepsItsVmFromIdlingOutAndItsCloseLetsTheVmIdleOut() {
    BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
    Promise<Void> closed = Promise.promise();
    WebSocket ws = await(harness.onContext(() -> webSockets.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(harness.port()).setURI("/smart_proxy/demo/g1/ws")).map(socket -> {
          socket.textMessageHandler(echoes::add);
          socket.closeHandler(v -> closed.tryComplete());
          return socket;
        })));
    assertThat(echo(ws, echoes, "hello")).isEqualTo("hello");

    // "Stays" is the property: four times the idle timeout of silence, looked at all along.
    staysFor(Duration.ofSeconds(4), "the VM stays READY and is not stopped while its WebSocket is open", () -> {
      List<InstanceView> instances = await(harness.gateway.lifecycle().instances());
      return instances.size() == 1 && instances.get(0).state() == LifecycleState.READY
          && harness.stats().getInteger("stopped") == 0;
    });
    assertThat(echo(ws, echoes, "still here")).isEqualTo("still here");
    await(harness.onContext(ws::close));
    await(closed.future());

    eventually("the VM idles out once its WebSocket is closed", Duration.ofSeconds(10),
        () -> harness.stats().getInteger("stopped") == 1);
  }

  private String echo(WebSocket ws, BlockingQueue<String> echoes, String message) {
    await(harness.onContext(() -> ws.writeTextMessage(message)));
    try {
      String echo = echoes.poll(10, TimeUnit.SECONDS);
      assertThat(echo).as("echo of %s", message).isNotNull();
      return echo;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Checks {@code condition} every 100 ms for {@code period}; fails the first time it does not hold. */
  private static void staysFor(Duration period, String what, java.util.function.Supplier<Boolean> condition) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      assertThat(condition.get()).as(what).isTrue();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // the JUnit thread, not an event loop
    }
    assertThat(condition.get()).as(what).isTrue();
  }
}
