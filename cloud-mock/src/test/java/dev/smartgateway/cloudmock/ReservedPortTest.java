package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A VM's port is known from its creation, like a cloud's IP address, and opens only once it runs. */
class ReservedPortTest extends MockCloudTestBase {

  // A field, not inline: Vert.x 5 closes a client nothing references any more, even mid-request.
  private io.vertx.core.http.HttpClient client;

  private io.vertx.core.http.HttpClient client() {
    if (client == null) {
      client = vertx.createHttpClient();
    }
    return client;
  }

  @Override
  MockCloudOptions options() {
    // Long enough to probe a booting VM surely before it runs, even on a busy machine.
    return super.options().withBootDelay(1500, 1500);
  }

  @Test
  void aVmsPortRefusesConnectionsWhileBootingAndEchoesOnceRunning() {
    try (LogRecorder log = new LogRecorder(VmServer.class)) {
      JsonObject booting = api.start("app", "g1");
      String id = booting.getString("id");
      Integer reserved = booting.getInteger("port");

      assertThat(reserved).as("a port from creation").isNotNull().isBetween(1, 65535);
      assertThat(booting.getValue("endpoint")).as("not reachable yet").isNull();
      assertThat(await(api.refuses(reserved))).as("port %d refuses connections while booting", reserved).isTrue();
      assertThat(api.vm(id).getString("state")).as("the refusal was seen during the boot").isEqualTo("BOOTING");

      JsonObject running = api.awaitState(id, "RUNNING");
      int port = running.getInteger("port");
      assertThat(CloudApi.port(running)).as("the endpoint is on the VM's port").isEqualTo(port);
      // The documented fallback is the only way the port may change: something else on this shared
      // machine bound the reserved port during the boot (provoked on purpose in the next test).
      boolean fellBack = log.warnings().stream()
          .anyMatch(warning -> warning.startsWith(id + ": its reserved port " + reserved + " "));
      if (fellBack) {
        assertThat(port).as("moved off the reserved port, as logged").isNotEqualTo(reserved);
      } else {
        assertThat(port).as("listens where it said it would").isEqualTo(reserved);
      }

      JsonObject echo = echo(port, "/some%2Fpath/x?q=a%20b&r");
      assertThat(echo.getString("vm")).isEqualTo(id);
      assertThat(echo.getString("path")).isEqualTo("/some%2Fpath/x");
      assertThat(echo.getString("query")).isEqualTo("q=a%20b&r");
    }
  }

  @Test
  void aVmWhoseReservedPortIsTakenDuringItsBootListensOnAnotherPortAndSaysSo() throws Exception {
    JsonObject booting = api.start("app");
    String id = booting.getString("id");
    int reserved = booting.getInteger("port");

    // Blocking is fine here: this is the JUnit thread, not an event loop.
    try (LogRecorder log = new LogRecorder(VmServer.class); ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), reserved));

      JsonObject running = api.awaitState(id, "RUNNING");
      int port = running.getInteger("port");

      assertThat(port).as("moved off the taken port").isNotEqualTo(reserved);
      assertThat(CloudApi.port(running)).as("the endpoint follows the port").isEqualTo(port);
      assertThat(api.vm(id).getInteger("port")).as("the new port sticks").isEqualTo(port);
      assertThat(log.warnings()).anyMatch(warning -> warning.startsWith(id + ": its reserved port " + reserved + " "));
      assertThat(echo(port, "/after?fallback").getString("vm")).isEqualTo(id);
    }
  }

  @Test
  void vmsBootingTogetherHoldDistinctPortsThatStayAsHistoryOnceStopped() {
    JsonObject first = api.start("app");
    JsonObject second = api.start("app");
    assertThat(first.getInteger("port")).isNotEqualTo(second.getInteger("port"));

    String id = first.getString("id");
    api.stop(id);
    JsonObject stopped = api.awaitState(id, "STOPPED");

    assertThat(stopped.getValue("endpoint")).isNull();
    assertThat(stopped.getInteger("port")).as("kept as history, like readyAt").isEqualTo(first.getInteger("port"));
  }

  private JsonObject echo(int port, String uri) {
    return await(onContext(() -> client().request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(request -> request.send()))
        .compose(response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          return response.body();
        })
        .map(Buffer::toJsonObject));
  }
}
