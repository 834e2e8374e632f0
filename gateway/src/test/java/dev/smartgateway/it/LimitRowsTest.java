package dev.smartgateway.it;

import dev.smartgateway.it.Harness.Reply;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.assertProblem;
import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * README "Failure behaviour", the rows about held requests and the gateway's own end: too many held, a client
 * hanging up while held, a graceful stop. Requests are held for as long as a test needs by the mock's
 * {@code holdBoots}, and released by switching it off: no boot delay has to outlast anything.
 */
class LimitRowsTest {

  @Test
  void tooManyHeldRequestsGet503ForMaxWaiting() {
    try (Harness h = Harness.start(50, 100, "resources:\n  small: {maxWaiting: 3}\n")) {
      h.faults("{\"holdBoots\":true}");
      List<Future<Reply>> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(h.get("/smart_proxy/small/g1/" + i));
      }
      h.awaitWaiting(3);

      Reply refused = await(h.get("/smart_proxy/small/g1/one-too-many"));

      assertThat(assertProblem(refused, 503, "waiters-full", "small").getString("detail")).contains("3 requests waiting");
      assertThat(refused.header("Retry-After")).isEqualTo("5");
      // Another resource still has room.
      Future<Reply> other = h.get("/smart_proxy/roomy/g1/");
      h.awaitWaiting(4);
      h.faults("{\"holdBoots\":false}");
      for (Future<Reply> f : held) {
        assertThat(await(f).status()).isEqualTo(200);
      }
      assertThat(await(other).status()).isEqualTo(200);
      assertThat(h.stats().getInteger("started")).isEqualTo(2);
      h.assertNoLeaks();
    }
  }

  @Test
  void tooManyHeldRequestsGet503ForMaxWaitingTotal() {
    try (Harness h = Harness.start(50, 100, "limits: {maxWaitingTotal: 4}\n")) {
      h.faults("{\"holdBoots\":true}");
      List<Future<Reply>> held = new ArrayList<>();
      for (String resource : List.of("a", "a", "b", "b")) {
        held.add(h.get("/smart_proxy/" + resource + "/g1/"));
      }
      h.awaitWaiting(4);

      Reply newcomer = await(h.get("/smart_proxy/c/g1/"));
      Reply known = await(h.get("/smart_proxy/a/g1/"));

      assertThat(assertProblem(newcomer, 503, "waiters-full", "c").getString("detail"))
          .contains("already holds 4 requests");
      assertThat(newcomer.header("Retry-After")).isEqualTo("5");
      assertProblem(known, 503, "waiters-full", "a");
      assertThat(h.calls("start")).as("a refused request starts nothing").isEqualTo(2);
      h.faults("{\"holdBoots\":false}");
      for (Future<Reply> f : held) {
        assertThat(await(f).status()).isEqualTo(200);
      }
      h.assertNoLeaks();
    }
  }

  @Test
  void aClientHangingUpWhileHeldFreesItsPlace() throws IOException {
    try (Harness h = Harness.start(50, 100, "resources:\n  small: {maxWaiting: 1}\n")) {
      h.faults("{\"holdBoots\":true}");
      try (Socket client = new Socket("127.0.0.1", h.port())) {
        client.getOutputStream().write("GET /smart_proxy/small/g1/ HTTP/1.1\r\nHost: t\r\n\r\n".getBytes());
        h.awaitWaiting(1);
        assertProblem(await(h.get("/smart_proxy/small/g1/taken")), 503, "waiters-full", "small");
      }

      h.awaitWaiting(0);
      Future<Reply> next = h.get("/smart_proxy/small/g1/next");
      h.awaitWaiting(1);
      h.faults("{\"holdBoots\":false}");

      assertThat(await(next).status()).isEqualTo(200);
      assertThat(h.stats().getInteger("started")).as("the VM started for the first is the next one's").isEqualTo(1);
      h.assertNoLeaks();
    }
  }

  @Test
  void theGatewayStoppedAnswersHeldRequests503LetsInFlightOnesFinishAndLeavesVmsToBeAdopted() throws IOException {
    try (Harness h = Harness.start(50, 100, "")) {
      String vm = await(h.get("/smart_proxy/warm/g1/")).json().getString("vm");
      h.faults("{\"holdBoots\":true}");
      Future<Reply> held = h.get("/smart_proxy/cold/g1/");
      h.awaitWaiting(1);
      // In flight until the test sends the rest of its body: no timing decides whether it is still running.
      try (RawHttp upload = RawHttp.connect(h.port())) {
        upload.send("POST /smart_proxy/warm/g1/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhello");
        h.awaitInFlight(1);

        Future<Void> closing = h.gateway.close();

        Reply heldReply = await(held);
        assertProblem(heldReply, 503, "shutting-down", "cold");
        assertThat(heldReply.header("Retry-After")).isEqualTo("2");
        eventually("no new connection is accepted", () -> refusesConnections(h.port()));
        assertThat(closing.isComplete()).as("the in-flight upload is waited for").isFalse();
        RawHttp.Response finished = upload.send("world").read();
        assertThat(finished.status()).isEqualTo(200);
        assertThat(finished.json().getLong("bodyBytes")).isEqualTo(10);
        await(closing);
      }
      assertThat(h.vmState(vm)).isEqualTo("RUNNING");

      h.faults("{\"holdBoots\":false}");
      h.startGateway();
      Reply adopted = await(h.get("/smart_proxy/warm/g1/again"));

      assertThat(adopted.json().getString("vm")).as("the next gateway adopts it").isEqualTo(vm);
      assertThat(h.stats().getInteger("started")).as("warm and cold, nothing started anew").isEqualTo(2);
      h.assertNoLeaks();
    }
  }

  private static boolean refusesConnections(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
