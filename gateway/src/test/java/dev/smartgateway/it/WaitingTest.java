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

  @BeforeEach
  void start() {
    harness = Harness.start(1500, 1500, """
        resources:
          small: {maxWaiting: 5}
          impatient: {startTimeout: 300ms}
        """);
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
    Harness.Reply reply = await(harness.onContext(() -> harness.client.request(options).compose(req -> {
      req.setChunked(true);
      req.write(body.substring(0, 1000));
      return harness.vertx.timer(200).compose(t -> req.end(body.substring(1000))).compose(v -> req.response());
    }).compose(resp -> resp.body().map(b -> new Harness.Reply(resp.statusCode(), resp.headers(), b)))));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getLong("bodyBytes")).isEqualTo(body.length());
    assertThat(reply.json().getString("bodySha256")).isEqualTo(ColdStartTest.sha256(body.toString()));
    assertThat(reply.json().getJsonObject("headers").getString("transfer-encoding")).isEqualTo("chunked");
  }
}
