package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

class ColdStartTest {

  private Harness harness;

  @BeforeEach
  void start() {
    // A target above the burst: on a slow machine 200 requests can stay in flight on the fresh VM for longer than
    // the half second after which a pool grows (ReplicasTest covers that); here it is the cold start alone.
    harness = Harness.start(50, 100, "defaults: {targetConcurrency: 1000}");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void coldBurstOf200StartsExactlyOneVmAndAnswersEveryRequestWithItsOwnEcho() throws Exception {
    int n = 200;
    // The boot is held until all of them wait for it: every one is a cold request, however slowly they go out.
    harness.faults(new JsonObject().put("holdBoots", true));
    List<Future<Harness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Buffer body = Buffer.buffer("body-" + i);
      replies.add(harness.send(HttpMethod.POST, "/smart_proxy/demo/g1/item/" + i + "?n=" + i + "&x=%20y", body,
          "Content-Type", "text/plain"));
    }
    harness.awaitWaiting(n);
    harness.faults(new JsonObject().put("holdBoots", false));
    await(Future.all(replies));

    Set<String> vms = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Harness.Reply reply = replies.get(i).result();
      assertThat(reply.status()).as("request %d", i).isEqualTo(200);
      JsonObject echo = reply.json();
      assertThat(echo.getString("path")).isEqualTo("/item/" + i);
      assertThat(echo.getString("query")).isEqualTo("n=" + i + "&x=%20y");
      assertThat(echo.getString("method")).isEqualTo("POST");
      assertThat(echo.getLong("bodyBytes")).isEqualTo(("body-" + i).length());
      assertThat(echo.getString("bodySha256")).isEqualTo(sha256("body-" + i));
      assertThat(reply.header("X-Smart-Gateway-Wait-Ms")).as("held requests say how long they waited").isNotNull();
      vms.add(echo.getString("vm"));
    }
    assertThat(vms).hasSize(1);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
    assertThat(harness.gateway.lifecycle().waiting()).isZero();
  }

  @Test
  void warmRequestsReuseTheRunningVmWithoutWaiting() {
    Harness.Reply cold = await(harness.get("/smart_proxy/demo/g1/first"));
    Harness.Reply warm = await(harness.get("/smart_proxy/demo/g1/second"));

    assertThat(cold.status()).isEqualTo(200);
    assertThat(warm.status()).isEqualTo(200);
    assertThat(warm.json().getString("vm")).isEqualTo(cold.json().getString("vm"));
    assertThat(warm.header("X-Smart-Gateway-Wait-Ms")).as("warm requests are not held").isNull();
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void theVmLearnsTheCallersGroupsAndTheForwardedHeaders() {
    Harness.Reply reply = await(harness.get("/smart_proxy/demo/g2,g1/hello?x=1", "Host", "example.test"));

    JsonObject headers = reply.json().getJsonObject("headers");
    assertThat(headers.getString("x-smart-gateway-groups")).isEqualTo("g1,g2");
    assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(headers.getString("x-forwarded-prefix")).isEqualTo("/smart_proxy/demo/g2,g1");
    assertThat(headers.getString("forwarded")).contains("for=127.0.0.1");
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
