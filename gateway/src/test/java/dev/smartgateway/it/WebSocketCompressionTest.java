package dev.smartgateway.it;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket extensions are the client's and the VM's business: the gateway splices the bytes and negotiates
 * nothing itself. A client asking for compression (permessage-deflate, as browsers do) gets whatever the VM
 * agreed to, and their compressed frames pass through untouched.
 */
class WebSocketCompressionTest {

  private Harness harness;
  private WebSocketClient webSockets;

  @BeforeEach
  void start() {
    harness = Harness.start(20, 50, "");
    webSockets = harness.vertx.createWebSocketClient(new WebSocketClientOptions()
        .setTryUsePerMessageCompression(true));
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
  void aCompressedWebSocketNegotiatedWithTheVmCarriesItsMessagesIntact() throws InterruptedException {
    BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
    WebSocket ws = await(harness.onContext(() -> webSockets.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(harness.port()).setURI("/smart_proxy/demo/g1/ws")).map(socket -> {
          socket.textMessageHandler(echoes::add);
          return socket;
        })));
    assertThat(ws.headers().get("Sec-WebSocket-Extensions")).as("the VM's answer to the client's offer")
        .contains("permessage-deflate");

    String big = "compressible ".repeat(10_000);
    for (String message : new String[] {"hello", big, "after"}) {
      await(harness.onContext(() -> ws.writeTextMessage(message)));
      String echo = echoes.poll(10, TimeUnit.SECONDS);
      assertThat(echo).as("echo of a %d-char message", message.length()).isEqualTo(message);
    }
    await(harness.onContext(ws::close));
  }
}
