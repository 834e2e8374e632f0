package dev.smartgateway.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9112 section 3.2 over raw sockets (no client library adds or merges a Host on the way): an HTTP/1.1
 * request has exactly one valid Host, an HTTP/1.0 one may have none, and an absolute-form target is served as
 * its origin form with its authority as the Host the VM sees. A refused host closes the connection and starts
 * nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpConformanceTest {

  /** No VM of this resource may ever start: every request for it is refused. */
  private static final String REFUSED = "/smart_proxy/refused/g1/";
  private static final String SERVED = "/smart_proxy/conf/g1";

  private Harness harness;

  record Case(String description, String request, String detail) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Case> refused() {
    return Stream.of(
        new Case("two Host headers", "GET " + REFUSED + "x HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n",
            "several Host headers (2)"),
        new Case("two equal Host headers", "GET " + REFUSED + " HTTP/1.1\r\nHost: a.example\r\nHost: a.example\r\n\r\n",
            "several Host headers"),
        new Case("two Host headers in HTTP/1.0", "GET " + REFUSED + " HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
            "several Host headers"),
        new Case("two Host headers around a body", "POST " + REFUSED + " HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
            + "Host: b\r\n\r\nabc", "several Host headers"),
        new Case("HTTP/1.1 without Host", "GET " + REFUSED + " HTTP/1.1\r\nAccept: */*\r\n\r\n", "no Host header"),
        new Case("two hosts joined in one Host header", "GET " + REFUSED + " HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n",
            "invalid Host header 'a.example, b.example'"),
        new Case("an empty Host", "GET " + REFUSED + " HTTP/1.1\r\nHost: \r\n\r\n", "invalid Host header ''"),
        new Case("a Host with a path", "GET " + REFUSED + " HTTP/1.1\r\nHost: a.example/x\r\n\r\n", "invalid Host header"),
        new Case("a Host with a port out of range", "GET " + REFUSED + " HTTP/1.1\r\nHost: a.example:65536\r\n\r\n",
            "invalid Host header"),
        new Case("absolute form without a host", "GET http://" + REFUSED + " HTTP/1.1\r\nHost: gateway\r\n\r\n",
            "invalid authority ''"),
        new Case("absolute form with user info", "GET http://user:pw@vm.example" + REFUSED + " HTTP/1.1\r\n"
            + "Host: gateway\r\n\r\n", "user info"),
        new Case("absolute form with a port out of range", "GET http://vm.example:99999" + REFUSED + " HTTP/1.1\r\n"
            + "Host: gateway\r\n\r\n", "invalid authority 'vm.example:99999'"),
        new Case("absolute form with two hosts", "GET http://a.example,b.example" + REFUSED + " HTTP/1.1\r\n"
            + "Host: gateway\r\n\r\n", "invalid authority"),
        new Case("absolute form with a bad character", "GET http://vm^example" + REFUSED + " HTTP/1.1\r\n"
            + "Host: gateway\r\n\r\n", "invalid authority"),
        new Case("absolute form with another scheme", "GET ftp://vm.example" + REFUSED + " HTTP/1.1\r\n"
            + "Host: gateway\r\n\r\n", "only http and https"),
        new Case("absolute form without Host in HTTP/1.1", "GET http://vm.example" + REFUSED + " HTTP/1.1\r\n\r\n",
            "no Host header"));
  }

  @BeforeAll
  void start() {
    harness = Harness.start(50, 50, "");
  }

  @AfterAll
  void nothingIsLeftBehind() {
    try {
      assertThat(RawHttp.mockVmResources(harness)).as("VMs started").doesNotContain("refused");
      harness.assertClientConnectionsClosed();
      harness.assertNoLeaks();
    } finally {
      harness.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aMissingRepeatedOrMalformedHostIs400AndClosesTheConnection(Case c) {
    int startedBefore = RawHttp.mockStats(harness).getInteger("started");
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange(c.request());

      response.assertProblem(400, "bad-request");
      assertThat(response.json().getString("detail")).contains(c.detail());
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).as("closed, nothing after the head read").isTrue();
    }
    JsonObject stats = RawHttp.mockStats(harness);
    assertThat(stats.getInteger("started")).as("VMs started").isEqualTo(startedBefore);
    assertThat(RawHttp.mockVmResources(harness)).doesNotContain("refused");
    assertThat(harness.gateway.lifecycle().waiting()).isZero();
  }

  @Test
  void twoHostHeadersOnAFreshGatewayStartNothing() {
    // The refusal above, where nothing else ever ran: the cloud's own count stays at zero.
    try (Harness fresh = Harness.start(50, 50, "");
         RawHttp connection = RawHttp.connect(fresh.port())) {
      RawHttp.Response response = connection.exchange(
          "GET /smart_proxy/conf/g1/x HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n");

      response.assertProblem(400, "bad-request");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).isTrue();
      assertThat(RawHttp.mockStats(fresh).getInteger("started")).isZero();
      assertThat(fresh.gateway.lifecycle().waiting()).isZero();
    }
  }

  @Test
  void http10WithoutHostIsServedAndTheVmGetsItsOwnAddress() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("GET " + SERVED + "/ten?x=1 HTTP/1.0\r\n\r\n");

      assertThat(response.status()).as("%s", response).isEqualTo(200);
      JsonObject echo = response.json();
      assertThat(echo.getString("path")).isEqualTo("/ten");
      assertThat(echo.getString("query")).isEqualTo("x=1");
      JsonObject headers = echo.getJsonObject("headers");
      assertThat(headers.getString("host")).startsWith("127.0.0.1:");
      assertThat(headers.containsKey("x-forwarded-host")).isFalse();
      assertThat(headers.getString("forwarded")).isEqualTo("for=127.0.0.1;proto=http");
    }
  }

  @Test
  void http11WithOneHostIsServedWithThatHost() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("GET " + SERVED + "/one HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");

      assertThat(response.status()).as("%s", response).isEqualTo(200);
      JsonObject headers = response.json().getJsonObject("headers");
      assertThat(headers.getString("host")).isEqualTo("[::1]:8080");
      assertThat(headers.getString("x-forwarded-host")).isEqualTo("[::1]:8080");
    }
  }

  @Test
  void anAbsoluteFormTargetIsServedAsItsPathWithItsAuthorityAsHost() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("GET http://vm.example:8443" + SERVED + "/a%2Fb/c?x=%20&y=%2F.. "
          + "HTTP/1.1\r\nHost: other.example\r\n\r\n");

      assertThat(response.status()).as("%s", response).isEqualTo(200);
      JsonObject echo = response.json();
      assertThat(echo.getString("path")).isEqualTo("/a%2Fb/c");
      assertThat(echo.getString("query")).isEqualTo("x=%20&y=%2F..");
      JsonObject headers = echo.getJsonObject("headers");
      assertThat(headers.getString("host")).as("the target's authority, not the Host header").isEqualTo("vm.example:8443");
      assertThat(headers.getString("x-forwarded-host")).isEqualTo("vm.example:8443");
      assertThat(headers.getString("forwarded")).isEqualTo("for=127.0.0.1;proto=http;host=\"vm.example:8443\"");
      assertThat(headers.getString("x-forwarded-prefix")).isEqualTo(SERVED);

      // The connection stays usable: the next request, in origin form, has its own Host again.
      RawHttp.Response next = connection.exchange("GET " + SERVED + "/next HTTP/1.1\r\nHost: other.example\r\n\r\n");
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.json().getJsonObject("headers").getString("host")).isEqualTo("other.example");
    }
  }

  @Test
  void anAbsoluteFormTargetInUpperCaseWithAnIpv6AuthorityIsServedToo() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("GET HTTPS://[::1]:9" + SERVED + "?q HTTP/1.1\r\n"
          + "Host: gateway\r\n\r\n");

      assertThat(response.status()).as("%s", response).isEqualTo(200);
      JsonObject echo = response.json();
      assertThat(echo.getString("path")).isEqualTo("/");
      assertThat(echo.getString("query")).isEqualTo("q");
      assertThat(echo.getJsonObject("headers").getString("host")).isEqualTo("[::1]:9");
      // The scheme the client wrote does not change what the gateway knows: this connection is cleartext.
      assertThat(echo.getJsonObject("headers").getString("x-forwarded-proto")).isEqualTo("http");
    }
  }
}
