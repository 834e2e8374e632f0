package dev.smartgateway.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VM's response head against {@code server.maxResponseHeaderSize}: a large one (32 KiB, four times Vert.x's
 * default) passes intact, one over the limit gets 502 bad-response naming the limit, and the VM gets that
 * request exactly once (it did answer: no retry) and stays in rotation. The mock VM's {@code /headers?bytes=N}
 * adds a header of N bytes and counts the requests carrying its {@code key}.
 */
class ResponseHeadLimitTest {

  /**
   * One refused connect would fail the VM at once: a VM wrongly blamed for the refused head would be replaced,
   * and the next request would reach another VM.
   */
  private static final String STRICT_LIVENESS = "defaults: {liveness: {connectFailures: 1}}\n";

  @Test
  void aResponseHeadOf32KiBPassesIntact() {
    try (Harness harness = Harness.start(50, 50, STRICT_LIVENESS)) {
      RawHttp.Response response = get(harness, "/smart_proxy/heads/g1/headers?bytes=32768&key=big");

      assertThat(response.status()).as("%s", response.statusLine()).isEqualTo(200);
      assertThat(response.header("x-mock-filler")).hasSize(32768).isEqualTo(filler(32768));
      assertThat(response.json().getLong("seen")).isEqualTo(1);
    }
  }

  @Test
  void aResponseHeadOverTheDefaultLimitIs502AndTheVmGotTheRequestOnce() {
    try (Harness harness = Harness.start(50, 50, STRICT_LIVENESS)) {
      String vm = get(harness, "/smart_proxy/heads/g1/warm").json().getString("vm");

      RawHttp.Response refused = get(harness, "/smart_proxy/heads/g1/headers?bytes=65536&key=over");

      JsonObject problem = refused.assertProblem(502, "bad-response").json();
      assertThat(problem.getString("detail")).contains("headers", "server.maxResponseHeaderSize", "65536 bytes");
      assertThat(problem.getString("resource")).isEqualTo("heads");
      assertOnceAndInRotation(harness, vm, "over");
    }
  }

  @Test
  void theLimitIsTheConfiguredOne() {
    try (Harness harness = Harness.start("maxResponseHeaderSize: 16k", 50, 50, STRICT_LIVENESS)) {
      String vm = get(harness, "/smart_proxy/heads/g1/warm").json().getString("vm");

      RawHttp.Response below = get(harness, "/smart_proxy/heads/g1/headers?bytes=12000");
      assertThat(below.status()).as("above Vert.x's 8 KiB default, below the configured 16k").isEqualTo(200);
      assertThat(below.header("x-mock-filler")).isEqualTo(filler(12000));

      RawHttp.Response refused = get(harness, "/smart_proxy/heads/g1/headers?bytes=20000&key=cfg");
      refused.assertProblem(502, "bad-response");
      assertThat(refused.json().getString("detail")).contains("server.maxResponseHeaderSize (16384 bytes)");
      assertOnceAndInRotation(harness, vm, "cfg");
    }
  }

  /**
   * The request with {@code key} reached the VM exactly once (a later one with the key is the second), that VM
   * still serves, and it is the only VM ever started.
   */
  private static void assertOnceAndInRotation(Harness harness, String vm, String key) {
    JsonObject echo = get(harness, "/smart_proxy/heads/g1/headers?key=" + key).json();
    assertThat(echo.getLong("seen")).as("requests with key %s at the VMs, this one included", key).isEqualTo(2);
    assertThat(echo.getString("vm")).as("served by the same VM").isEqualTo(vm);
    assertThat(await(harness.gateway.lifecycle().instances())).extracting(view -> view.state().name())
        .as("the gateway's VMs").containsExactly("READY");
    JsonObject stats = RawHttp.mockStats(harness);
    assertThat(stats.getInteger("started")).isEqualTo(1);
    assertThat(stats.getInteger("failed")).isZero();
    assertThat(stats.getInteger("stopped")).isZero();
  }

  private static RawHttp.Response get(Harness harness, String uri) {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      return connection.exchange("GET " + uri + " HTTP/1.1\r\nHost: gateway\r\n\r\n");
    }
  }

  /** What the mock VM's {@code /headers?bytes=n} sends: byte i is {@code 'a' + i % 26}. */
  private static String filler(int n) {
    StringBuilder value = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      value.append((char) ('a' + i % 26));
    }
    return value.toString();
  }
}
