package dev.smartgateway.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.maxConnections}: idle connections that fill the limit cost a newcomer nothing but a refusal,
 * the connections already open keep working, and a place freed is a place served. The head timeout is long
 * here, so what closes a connection in this class is the limit alone.
 */
class ConnectionLimitTest {

  private static final int LIMIT = 4;

  private Harness harness;
  private final List<RawHttp> idle = new ArrayList<>();

  @BeforeEach
  void start() {
    harness = Harness.start("maxConnections: " + LIMIT + ", requestHeaderTimeout: 30s", 50, 50, "");
  }

  @AfterEach
  void nothingIsLeftBehind() {
    try {
      idle.forEach(RawHttp::close);
      harness.assertClientConnectionsClosed();
      assertThat(harness.gateway.lifecycle().waiting()).isZero();
    } finally {
      harness.close();
    }
  }

  @Test
  void aConnectionBeyondTheLimitIsClosedAtOnceAndTheOpenOnesKeepWorking() {
    fillWithIdleConnections();

    try (RawHttp newcomer = RawHttp.connect(harness.port())) {
      assertThat(newcomer.closedByPeer(Duration.ofSeconds(5))).as("refused without a byte").isTrue();
    }
    assertThat(harness.gateway.connections().refused()).isEqualTo(1);
    assertThat(RawHttp.mockStats(harness).getInteger("started")).isZero();

    RawHttp.Response response = idle.get(0).exchange("GET /smart_proxy/demo/g1/ HTTP/1.1\r\nHost: gateway\r\n\r\n");
    assertThat(response.status()).as("an idle connection within the limit is still served").isEqualTo(200);
  }

  @Test
  void aPlaceFreedByAClosedConnectionIsServed() {
    fillWithIdleConnections();
    idle.remove(0).close();
    eventually("the closed connection leaves the count", Duration.ofSeconds(5),
        () -> harness.gateway.connections().open() == LIMIT - 1);

    try (RawHttp newcomer = RawHttp.connect(harness.port())) {
      RawHttp.Response response = newcomer.exchange("GET /smart_proxy/demo/g1/ HTTP/1.1\r\nHost: gateway\r\n\r\n");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("resource")).isEqualTo("demo");
    }
    assertThat(harness.gateway.connections().refused()).isZero();
    assertThat(RawHttp.mockStats(harness).getInteger("started")).isEqualTo(1);
  }

  @Test
  void everyConnectionOverTheLimitIsRefusedAndCounted() {
    fillWithIdleConnections();

    for (int i = 0; i < 5; i++) {
      try (RawHttp newcomer = RawHttp.connect(harness.port())) {
        newcomer.sendFails("GET /smart_proxy/demo/g1/ HTTP/1.1\r\nHost: gateway\r\n\r\n");
        assertThat(newcomer.closedByPeer(Duration.ofSeconds(5))).isTrue();
      }
    }

    assertThat(harness.gateway.connections().refused()).isEqualTo(5);
    assertThat(harness.gateway.connections().open()).isEqualTo(LIMIT);
    assertThat(RawHttp.mockStats(harness).getInteger("started")).as("no refused request started a VM").isZero();
  }

  private void fillWithIdleConnections() {
    for (int i = 0; i < LIMIT; i++) {
      idle.add(RawHttp.connect(harness.port()));
    }
    eventually("the idle connections are open", Duration.ofSeconds(5),
        () -> harness.gateway.connections().open() == LIMIT);
  }
}
