package dev.smartgateway.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that are slow on purpose or by accident: a head that trickles in (slowloris), a connection that
 * says nothing, a body that stalls. Each gets a defined end from a configurable timeout, while a request
 * held for a booting VM, or a slow but steady body, is never cut by any of them. VMs boot in 1.5 s here,
 * longer than {@code server.idleTimeout} (1 s) and {@code server.requestHeaderTimeout} (400 ms).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientTest {

  private static final long HEAD_TIMEOUT_MS = 400;
  private static final String WARM = "/smart_proxy/warm/g1/";

  private Harness harness;

  @BeforeAll
  void start() {
    harness = Harness.start("requestHeaderTimeout: 400ms, bodyIdleTimeout: 400ms, idleTimeout: 1s", 1500, 1500, """
        defaults: {startTimeout: 5s, responseTimeout: 2s}
        """);
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      assertThat(connection.exchange("GET " + WARM + " HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n")
          .status()).isEqualTo(200);
    }
  }

  @AfterAll
  void nothingIsLeftBehind() {
    try {
      assertThat(harness.gateway.lifecycle().waiting()).isZero();
      harness.assertClientConnectionsClosed();
      assertNothingInFlight();
    } finally {
      harness.close();
    }
  }

  @Test
  void aHeadThatTricklesInIsCutOffByTheRequestHeaderTimeout() {
    long timeoutsBefore = harness.gateway.connections().headTimeouts();
    long start = System.nanoTime();
    int lines = 0;
    boolean closed = false;
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      connection.send("GET /smart_proxy/slowloris/g1/ HTTP/1.1\r\nHost: gateway\r\n");
      while (!closed && lines < 50) {
        closed = connection.sendFails("X-Trickle-" + lines + ": still coming\r\n")
            || connection.closedByPeer(Duration.ofMillis(100)); // one header line every 100 ms, never the end
        lines++;
      }
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(closed).as("the gateway closed the connection").isTrue();
    assertThat(elapsedMs).isBetween(HEAD_TIMEOUT_MS, 5_000L);
    assertThat(lines).as("header lines sent before the cut").isGreaterThanOrEqualTo(3);
    assertThat(harness.gateway.connections().headTimeouts()).isGreaterThan(timeoutsBefore);
    assertThat(RawHttp.mockVmResources(harness)).doesNotContain("slowloris");
  }

  @Test
  void aConnectionThatNeverSendsAHeadIsClosedAfterTheRequestHeaderTimeout() {
    long start = System.nanoTime();
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).isTrue();
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(HEAD_TIMEOUT_MS);
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheRequestHeaderTimeout() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      assertThat(connection.exchange("GET " + WARM + "a HTTP/1.1\r\nHost: gateway\r\n\r\n").status()).isEqualTo(200);
      long answered = System.nanoTime();

      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).isTrue();
      assertThat((System.nanoTime() - answered) / 1_000_000).isGreaterThanOrEqualTo(HEAD_TIMEOUT_MS - 50);
    }
  }

  @Test
  void aKeepAliveConnectionServesAnotherRequestWithinTheTimeout() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      for (int i = 0; i < 3; i++) {
        assertThat(connection.exchange("GET " + WARM + i + " HTTP/1.1\r\nHost: gateway\r\n\r\n").status()).isEqualTo(200);
      }
    }
  }

  @Test
  void aRequestHeldForABootingVmOutlastsTheHeaderAndIdleTimeouts() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("GET /smart_proxy/booting/g1/ HTTP/1.1\r\nHost: gateway\r\n\r\n");

      assertThat(response.status()).isEqualTo(200);
      assertThat(Long.parseLong(response.header("X-Smart-Gateway-Wait-Ms")))
          .as("held longer than server.idleTimeout").isGreaterThan(1000);
    }
  }

  @Test
  void aBodyThatStallsGets408AndTheVmLeaseIsReleased() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      connection.send("PUT " + WARM + "upload HTTP/1.1\r\nHost: gateway\r\nContent-Length: 100\r\n\r\n0123456789");

      RawHttp.Response response = connection.read();

      response.assertProblem(408, "request-timeout");
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).isTrue();
    }
    assertNothingInFlight();
  }

  @Test
  void aChunkedBodyThatStallsGets408() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      connection.send("POST " + WARM + "upload HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n");

      connection.read().assertProblem(408, "request-timeout");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).isTrue();
    }
    assertNothingInFlight();
  }

  /**
   * A body that keeps moving is never cut, however long it lasts in total. Its own gateway has a 2 s body
   * timeout against a chunk every 100 ms: a pause of this machine would have to last 1.9 s to look like a
   * stall (the shared one's 400 ms against 150 ms pacing was missed now and then on a loaded runner).
   */
  @Test
  void aSlowButSteadyBodyIsForwardedWhole() {
    int chunks = 25;
    long bodyIdleTimeoutMs = 2000;
    try (Harness steady = Harness.start("bodyIdleTimeout: " + bodyIdleTimeoutMs + "ms", 50, 50, "");
         RawHttp connection = RawHttp.connect(steady.port())) {
      assertThat(await(steady.get(WARM)).status()).as("the VM is warm: the body is forwarded as it comes").isEqualTo(200);
      connection.send("PUT " + WARM + "steady HTTP/1.1\r\nHost: gateway\r\nContent-Length: " + (chunks * 10) + "\r\n\r\n");
      long start = System.nanoTime();
      for (int i = 0; i < chunks; i++) {
        if (i > 0) {
          assertThat(connection.closedByPeer(Duration.ofMillis(100))).as("still open while the body moves").isFalse();
        }
        connection.send("0123456789");
      }
      RawHttp.Response response = connection.read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getLong("bodyBytes")).isEqualTo(chunks * 10L);
      assertThat((System.nanoTime() - start) / 1_000_000).as("longer in total than bodyIdleTimeout")
          .isGreaterThan(bodyIdleTimeoutMs);
    }
  }

  private void assertNothingInFlight() {
    eventually("no request is in flight to a VM", Duration.ofSeconds(10),
        () -> await(harness.gateway.lifecycle().instances()).stream().allMatch(vm -> vm.inFlight() == 0));
    JsonObject stats = RawHttp.mockStats(harness);
    assertThat(stats.getInteger("failed")).isZero();
  }
}
