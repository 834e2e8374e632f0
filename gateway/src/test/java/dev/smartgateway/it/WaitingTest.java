package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

class WaitingTest {

  private Harness harness;

  /** Boots are held ({@code holdBoots}) for as long as a test needs requests held, then released. */
  @BeforeEach
  void start() {
    harness = Harness.start(50, 100, """
        resources:
          small: {maxWaiting: 5}
          impatient: {startTimeout: 300ms}
        """);
    harness.faults(new JsonObject().put("holdBoots", true));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void requestsBeyondMaxWaitingGet503WithRetryAfterAndTheOthersAreServed() {
    List<Future<Harness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      replies.add(harness.get("/smart_proxy/small/g1/" + i));
    }
    eventually("five held, three refused", () -> harness.gateway.lifecycle().waiting() == 5
        && replies.stream().filter(Future::isComplete).count() == 3);
    harness.faults(new JsonObject().put("holdBoots", false));
    await(Future.join(replies));

    long served = replies.stream().filter(r -> r.result().status() == 200).count();
    List<Harness.Reply> refused = replies.stream().map(Future::result).filter(r -> r.status() == 503).toList();
    assertThat(served).isEqualTo(5);
    assertThat(refused).hasSize(3);
    for (Harness.Reply r : refused) {
      assertThat(r.header("Retry-After")).isNotNull();
      assertThat(r.json().getString("type")).isEqualTo("urn:smart-gateway:problem:waiters-full");
    }
  }

  @Test
  void aVmSlowerThanStartTimeoutGives504AndIsNotLeftRunning() {
    // Its boot is held: it cannot be ready within 300 ms, however fast or slow this machine is.
    Harness.Reply reply = await(harness.get("/smart_proxy/impatient/g1/"));

    assertThat(reply.status()).isEqualTo(504);
    assertThat(reply.json().getString("resource")).isEqualTo("impatient");
    eventually("the timed-out VM is stopped", () -> harness.stats().getInteger("running") == 0
        && harness.vms().stream().map(JsonObject.class::cast).allMatch(vm -> vm.getString("state").startsWith("STOP")));
  }

  @Test
  void aClientThatHangsUpWhileHeldLeavesNoWaiterBehind() {
    io.vertx.core.net.NetClient netClient = harness.vertx.createNetClient();
    NetSocket socket = await(harness.onContext(() -> netClient.connect(harness.port(), "127.0.0.1")));
    socket.write("GET /smart_proxy/demo/g1/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
    eventually("the request is held", () -> harness.gateway.lifecycle().waiting() == 1);

    await(harness.onContext(socket::close));
    await(netClient.close());

    eventually("the waiter is gone", Duration.ofSeconds(5), () -> harness.gateway.lifecycle().waiting() == 0);
  }

  @Test
  void aHeldUploadKeepsEveryByteOfItsBody() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      body.append("line ").append(i).append('\n');
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1")
        .setPort(harness.port()).setURI("/smart_proxy/demo/g1/upload");
    io.vertx.core.Promise<io.vertx.core.http.HttpClientRequest> started = io.vertx.core.Promise.promise();
    Future<Harness.Reply> sent = harness.onContext(() -> harness.client.request(options).compose(req -> {
      req.setChunked(true);
      req.write(body.substring(0, 1000));
      started.complete(req);
      return req.response();
    }).compose(resp -> resp.body().map(b -> new Harness.Reply(resp.statusCode(), resp.headers(), b))));
    io.vertx.core.http.HttpClientRequest request = await(started.future());
    // The rest of the body comes while the request is held, then the VM boots.
    harness.awaitWaiting(1);
    await(harness.onContext(() -> request.end(body.substring(1000))));
    harness.faults(new JsonObject().put("holdBoots", false));
    Harness.Reply reply = await(sent);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getLong("bodyBytes")).isEqualTo(body.length());
    assertThat(reply.json().getString("bodySha256")).isEqualTo(ColdStartTest.sha256(body.toString()));
    assertThat(reply.json().getJsonObject("headers").getString("transfer-encoding")).isEqualTo("chunked");
  }
}
