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

import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CR, LF and other control characters smuggled into headers: a request carrying them is refused before it
 * reaches any VM (the refused ones target {@code cold}, which must never start), and what is forwarded never
 * shows the VM a header the client did not send as one. The VM ({@code echo}) reports every header it got.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeaderInjectionTest {

  private static final String COLD = "/smart_proxy/cold/g1/";
  private static final String ECHO = "/smart_proxy/echo/g1/";

  private Harness harness;

  record Case(String description, String request) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Case> refused() {
    return Stream.of(
        new Case("a bare LF inside a header value", "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\nX-A: a\nX-Injected: 1\r\n\r\n"),
        new Case("a bare CR inside a header value", "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\nX-A: a\rX-Injected: 1\r\n\r\n"),
        new Case("a NUL inside a header value", "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\nX-A: a\u0000b\r\n\r\n"),
        new Case("a vertical tab inside a header value", "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\nX-A: a\u000bb\r\n\r\n"),
        new Case("a form feed inside a header value", "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\nX-A: a\u000cb\r\n\r\n"),
        new Case("a bare LF ending the request line", "GET " + COLD + " HTTP/1.1\nHost: gateway\r\n\r\n"),
        new Case("a CR inside a header name", "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\nX-\rInjected: 1\r\n\r\n"));
  }

  @BeforeAll
  void start() {
    harness = Harness.start(50, 50, "");
    echo("GET " + ECHO + " HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n");
  }

  @AfterAll
  void nothingIsLeftBehind() {
    try {
      assertThat(harness.gateway.lifecycle().waiting()).isZero();
      harness.assertClientConnectionsClosed();
      assertThat(RawHttp.mockVmResources(harness)).containsExactly("echo");
    } finally {
      harness.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aControlCharacterInAHeaderIsRefusedBeforeAnyVmSeesIt(Case c) {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange(c.request());

      response.assertProblem(400, "bad-request");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(RawHttp.mockVmResources(harness)).as("VMs started").containsExactly("echo");
  }

  @Test
  void anObsFoldContinuationIsPartOfItsHeaderNeverAHeaderOfItsOwn() {
    JsonObject headers = echo("GET " + ECHO + " HTTP/1.1\r\nHost: gateway\r\nX-A: a\r\n X-Injected: 1\r\n"
        + "Connection: close\r\n\r\n").getJsonObject("headers");

    assertThat(headers.containsKey("x-injected")).isFalse();
    assertThat(headers.getString("x-a")).doesNotContain("\r").doesNotContain("\n").contains("X-Injected: 1");
  }

  @Test
  void anEncodedCrLfInTheQueryReachesTheVmAsDataNotAsAHeader() {
    JsonObject echo = echo("GET " + ECHO + "?q=%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n");

    assertThat(echo.getString("query")).isEqualTo("q=%0d%0aX-Injected:%201");
    assertThat(echo.getJsonObject("headers").containsKey("x-injected")).isFalse();
  }

  @Test
  void headersTheGatewayOwnsCannotBeForgedByTheClient() {
    JsonObject headers = echo("GET " + ECHO + " HTTP/1.1\r\nHost: gateway\r\nX-Smart-Gateway-Groups: admin\r\n"
        + "x-smart-gateway-groups: root\r\nConnection: close, X-Smart-Gateway-Groups\r\n\r\n").getJsonObject("headers");

    assertThat(headers.getString("x-smart-gateway-groups")).isEqualTo("g1");
  }

  @Test
  void headersNamedInConnectionAreNotForwarded() {
    JsonObject headers = echo("GET " + ECHO + " HTTP/1.1\r\nHost: gateway\r\nX-Private: secret\r\n"
        + "Connection: close, X-Private\r\n\r\n").getJsonObject("headers");

    assertThat(headers.containsKey("x-private")).isFalse();
  }

  private JsonObject echo(String request) {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange(request);
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      return response.json();
    }
  }
}
