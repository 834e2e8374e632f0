package dev.smartgateway.it;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log through the real forward path: exactly one line per request, whatever its answer, with
 * the figures the client actually saw (status, body bytes each way, time held, the resource).
 */
class AccessLogLinesTest {

  private Harness harness;
  private AccessCapture access;
  /** Every request URI a test made: each must have exactly one line, also once everything has settled. */
  private final List<String> uris = new ArrayList<>();

  @BeforeEach
  void capture() {
    access = AccessCapture.start();
  }

  @AfterEach
  void stop() {
    try {
      if (harness != null) {
        harness.assertNoLeaks();
        for (String uri : uris) {
          assertThat(access.linesFor(uri)).as("lines for %s, in the end", uri).hasSize(1);
        }
      }
    } finally {
      if (harness != null) {
        harness.close();
      }
      access.close();
    }
  }

  private String uri(String uri) {
    uris.add(uri);
    return uri;
  }

  @Test
  void aProxiedRequestLogsItsInstanceAndTheBodyBytesEachWay() {
    harness = Harness.start(100, 200, "");
    String vm = await(harness.get(uri("/smart_proxy/demo/g1/warm"))).json().getString("vm");
    Buffer body = Buffer.buffer("hello, gateway: é");
    String uri = uri("/smart_proxy/demo/g2,g1/echo?case=proxied");

    Harness.Reply reply = await(harness.send(HttpMethod.POST, uri, body));

    assertThat(reply.status()).isEqualTo(200);
    JsonObject line = access.lineFor(uri);
    assertThat(line.getString("method")).isEqualTo("POST");
    assertThat(line.getString("resource")).isEqualTo("demo");
    assertThat(line.getString("groups")).isEqualTo("g1,g2");
    assertThat(line.getString("instance")).isEqualTo(vm);
    assertThat(line.getInteger("status")).isEqualTo(200);
    assertThat(line.getLong("waitMs")).as("warm: not held").isZero();
    assertThat(line.getLong("bytesIn")).isEqualTo(body.length());
    assertThat(line.getLong("bytesOut")).isEqualTo(reply.body().length());
    assertThat(line.containsKey("error")).isFalse();
  }

  @Test
  void aWaitingPageLogsThePageItSent() {
    harness = Harness.start(1000, 1000, "");
    String uri = uri("/smart_proxy/demo/g1/page?case=waiting");

    Harness.Reply reply = await(harness.get(uri, "Accept", "text/html"));

    assertThat(reply.status()).isEqualTo(503);
    JsonObject line = access.lineFor(uri);
    assertThat(line.getInteger("status")).isEqualTo(503);
    assertThat(line.getLong("bytesOut")).isEqualTo(reply.body().length()).isPositive();
    assertThat(line.getString("resource")).isEqualTo("demo");
    assertThat(line.getString("error")).isEqualTo("starting");
  }

  @Test
  void aProblemLogsItsBodyAndTheResourceItNames() {
    harness = Harness.start(100, 200, "");
    String dots = uri("/smart_proxy/demo/g1/a/../b?case=dots");
    String smuggled = uri("/smart_proxy/demo/g1/x?case=decoder");

    RawHttp.Response refused;
    RawHttp.Response undecodable;
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      refused = connection.exchange("GET " + dots + " HTTP/1.1\r\nHost: gateway\r\n\r\n");
    }
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      undecodable = connection.exchange("POST " + smuggled + " HTTP/1.1\r\nHost: gateway\r\n"
          + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    }

    refused.assertProblem(400, "bad-virtual-url");
    assertThat(refused.json().getString("resource")).isEqualTo("demo");
    JsonObject line = access.lineFor(dots);
    assertThat(line.getInteger("status")).isEqualTo(400);
    assertThat(line.getString("resource")).as("the body names it, so does the log").isEqualTo("demo");
    assertThat(line.getLong("bytesOut")).isEqualTo(refused.body().getBytes(StandardCharsets.UTF_8).length);
    assertThat(line.getString("error")).startsWith("bad-virtual-url: dot segment");

    undecodable.assertProblem(400, "bad-request");
    JsonObject decoder = access.lineFor(smuggled);
    assertThat(decoder.getInteger("status")).isEqualTo(400);
    assertThat(decoder.getLong("bytesOut")).isEqualTo(undecodable.body().getBytes(StandardCharsets.UTF_8).length);
    assertThat(decoder.getString("error")).startsWith("bad-request: ");
  }

  @Test
  void aHeldRequestThatTimesOutLogsTheTimeItWasHeldAndItsProblem() {
    harness = Harness.start(1500, 1500, """
        resources:
          impatient: {startTimeout: 300ms}
        """);
    String uri = uri("/smart_proxy/impatient/g1/?case=timeout");

    Harness.Reply reply = await(harness.get(uri));

    assertThat(reply.status()).isEqualTo(504);
    JsonObject line = access.lineFor(uri);
    assertThat(line.getInteger("status")).isEqualTo(504);
    assertThat(line.getString("resource")).isEqualTo("impatient");
    assertThat(line.getLong("waitMs")).as("held for the whole startTimeout").isGreaterThanOrEqualTo(300)
        .isLessThanOrEqualTo(line.getLong("totalMs"));
    assertThat(line.getLong("bytesOut")).isEqualTo(reply.body().length());
    assertThat(line.getString("error")).startsWith("start-timeout: ");
  }

  @Test
  void aHeldRequestWhoseVmFailsToBootLogsTheTimeItWasHeld() {
    harness = Harness.start(400, 400, "");
    harness.faults(new JsonObject().put("bootFailureRate", 1.0));
    String uri = uri("/smart_proxy/demo/g1/?case=bootfail");

    Harness.Reply reply = await(harness.get(uri));

    assertThat(reply.status()).isEqualTo(502);
    JsonObject line = access.lineFor(uri);
    assertThat(line.getInteger("status")).isEqualTo(502);
    assertThat(line.getLong("waitMs")).as("held while it booted").isGreaterThanOrEqualTo(400);
    assertThat(line.getLong("bytesOut")).isEqualTo(reply.body().length());
    assertThat(line.getString("error")).startsWith("boot-failed: ");
  }

  @Test
  void aHeldClientThatHangsUpIsLogged499() {
    harness = Harness.start(5000, 5000, "");
    String uri = uri("/smart_proxy/demo/g1/?case=hangup");

    try (RawHttp connection = RawHttp.connect(harness.port())) {
      connection.send("GET " + uri + " HTTP/1.1\r\nHost: gateway\r\n\r\n");
      eventually("the request is held", () -> harness.gateway.lifecycle().waiting() == 1);
    }

    JsonObject line = access.lineFor(uri);
    assertThat(line.getInteger("status")).isEqualTo(499);
    assertThat(line.getString("error")).startsWith("client-closed: ");
    assertThat(line.getString("resource")).isEqualTo("demo");
    assertThat(line.getLong("bytesOut")).isZero();
    assertThat(line.getLong("waitMs")).isLessThanOrEqualTo(line.getLong("totalMs"));
  }

  @Test
  void anAbortedUploadLogsTheBytesItForwarded() {
    harness = Harness.start(100, 200, "");
    String vm = await(harness.get(uri("/smart_proxy/demo/g1/warm"))).json().getString("vm");
    String uri = uri("/smart_proxy/demo/g1/upload?case=abort");
    byte[] part = new byte[30_000];
    Arrays.fill(part, (byte) 'x');

    try (RawHttp connection = RawHttp.connect(harness.port())) {
      // The VM's 100 Continue comes through once the exchange is set up: from then on the body goes straight on.
      RawHttp.Response interim = connection.exchange("POST " + uri + " HTTP/1.1\r\nHost: gateway\r\n"
          + "Content-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
      assertThat(interim.status()).isEqualTo(100);
      connection.send(part);
    }

    JsonObject line = access.lineFor(uri);
    assertThat(line.getInteger("status")).isEqualTo(499);
    assertThat(line.getString("instance")).isEqualTo(vm);
    assertThat(line.getLong("bytesIn")).isPositive().isLessThanOrEqualTo(part.length);
    assertThat(line.getString("error")).startsWith("client-closed: ");
  }
}
