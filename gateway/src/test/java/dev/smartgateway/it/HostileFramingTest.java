package dev.smartgateway.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Oversized and ambiguously framed requests, over raw sockets: each gets its status and problem type, a
 * request whose framing cannot be trusted closes its connection (so nothing smuggled after it is read as a
 * request), and none of them reaches a VM or starts one. {@code warm} is the only resource with a VM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileFramingTest {

  private static final String COLD = "/smart_proxy/cold/g1/";
  private static final String WARM = "/smart_proxy/warm/g1/";
  /** A second request hidden where a lenient reader would see the end of the first one's body. */
  private static final String SMUGGLED = "GET /smart_proxy/cold/g1/smuggled HTTP/1.1\r\nHost: gateway\r\n\r\n";

  private Harness harness;

  record Case(String description, String request, int status, String slug) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Case> refused() {
    String manyHeaders = IntStream.range(0, 200).mapToObj(i -> "X-Filler-" + i + ": " + "v".repeat(80) + "\r\n")
        .collect(Collectors.joining());
    return Stream.of(
        new Case("a request line over server.maxRequestLineSize",
            "GET " + COLD + "a".repeat(9000) + " HTTP/1.1\r\nHost: gateway\r\n\r\n", 414, "uri-too-long"),
        new Case("one header over server.maxHeaderSize",
            "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\nX-Big: " + "b".repeat(17_000) + "\r\n\r\n",
            431, "headers-too-large"),
        new Case("many small headers adding up past server.maxHeaderSize",
            "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\n" + manyHeaders + "\r\n", 431, "headers-too-large"),
        new Case("a Content-Length that is not a number",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nContent-Length: abc\r\n\r\nabc", 400, "bad-request"),
        new Case("a negative Content-Length",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nContent-Length: -1\r\n\r\nabc", 400, "bad-request"),
        new Case("a Content-Length with a plus sign",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nContent-Length: +3\r\n\r\nabc", 400, "bad-request"),
        new Case("two different Content-Lengths",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nContent-Length: 3\r\nContent-Length: 60\r\n\r\nabc"
                + SMUGGLED, 400, "bad-request"),
        new Case("two equal Content-Lengths",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
            400, "bad-request"),
        new Case("Content-Length and Transfer-Encoding together (request smuggling)",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n" + SMUGGLED, 400, "bad-request"),
        new Case("Transfer-Encoding and Content-Length together, in that order",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\nContent-Length: 70\r\n\r\n"
                + "0\r\n\r\n" + SMUGGLED, 400, "bad-request"),
        new Case("Content-Length and Transfer-Encoding together in HTTP/1.0",
            "POST " + COLD + " HTTP/1.0\r\nHost: gateway\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n" + SMUGGLED, 400, "bad-request"),
        new Case("Transfer-Encoding: chunked in HTTP/1.0",
            "POST " + COLD + " HTTP/1.0\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
            400, "bad-request"),
        new Case("a Transfer-Encoding other than chunked",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: gzip\r\n\r\n" + SMUGGLED,
            400, "bad-request"),
        new Case("gzip before chunked",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            400, "bad-request"),
        new Case("chunked twice",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n0\r\n\r\n", 400, "bad-request"),
        new Case("a disguised chunked",
            "POST " + COLD + " HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: xchunked\r\n\r\n" + SMUGGLED,
            400, "bad-request"),
        new Case("an unknown HTTP version",
            "GET " + COLD + " HTTP/1.2\r\nHost: gateway\r\n\r\n", 505, "http-version-not-supported"),
        new Case("an HTTP/2 version on an HTTP/1 request line",
            "GET " + COLD + " HTTP/2.0\r\nHost: gateway\r\n\r\n", 505, "http-version-not-supported"),
        new Case("an HTTP/2 prior-knowledge preface (cleartext HTTP/2 is not spoken)",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "http-version-not-supported"),
        new Case("a request line that is not HTTP", "HELLO\r\n\r\n", 400, "bad-request"),
        new Case("a header line without a colon",
            "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\nNoColonHere\r\n\r\n", 400, "bad-request"),
        new Case("a space before the colon of a header name",
            "GET " + COLD + " HTTP/1.1\r\nHost: gateway\r\nX-Name : v\r\n\r\n", 400, "bad-request"));
  }

  @BeforeAll
  void start() {
    harness = Harness.start("maxBodySize: 1k", 50, 50, "");
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      assertThat(connection.exchange("GET " + WARM + " HTTP/1.1\r\nHost: gateway\r\n\r\n").status()).isEqualTo(200);
    }
  }

  @AfterAll
  void nothingIsLeftBehind() {
    try {
      // A held request whose client hung up is withdrawn on the lifecycle's context, a moment after the hang-up.
      eventually("no request is held", Duration.ofSeconds(10), () -> harness.gateway.lifecycle().waiting() == 0);
      harness.assertClientConnectionsClosed();
      eventually("no request is in flight to a VM", Duration.ofSeconds(10),
          () -> await(harness.gateway.lifecycle().instances()).stream().allMatch(vm -> vm.inFlight() == 0));
    } finally {
      harness.close();
    }
  }

  @ParameterizedTest(name = "{0}: {2} {3}")
  @MethodSource("refused")
  void anUntrustworthyRequestIsRefusedAloneAndItsConnectionClosed(Case c) {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange(c.request());

      response.assertProblem(c.status(), c.slug());
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5)))
          .as("closed with no second answer (nothing after the head was read as a request)").isTrue();
    }
    assertOnlyTheWarmVmWasEverStarted();
  }

  @Test
  void aDeclaredBodyOverTheLimitIsRefusedBeforeAnythingStarts() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange(
          "PUT " + COLD + " HTTP/1.1\r\nHost: gateway\r\nContent-Length: 1025\r\n\r\n");

      response.assertProblem(413, "body-too-large");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).as("closed: the body was never read").isTrue();
    }
    assertOnlyTheWarmVmWasEverStarted();
  }

  @Test
  void aChunkedBodyThatGrowsPastTheLimitWhileStreamingGets413AndReleasesTheVm() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      connection.send("PUT " + WARM + "upload HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "200\r\n" + "x".repeat(512) + "\r\n";
      connection.send(chunk + chunk);
      boolean refusedWhileSending = connection.sendFails(chunk);

      RawHttp.Response response = connection.read();

      response.assertProblem(413, "body-too-large");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5)) || refusedWhileSending).isTrue();
    }
    assertTheWarmVmHasNothingInFlight();
    assertOnlyTheWarmVmWasEverStarted();
  }

  @Test
  void aBadChunkSizeGets400AndClosesTheConnection() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("POST " + WARM + " HTTP/1.1\r\nHost: gateway\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nhello\r\n0\r\n\r\n");

      response.assertProblem(400, "bad-request");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).isTrue();
    }
    assertTheWarmVmHasNothingInFlight();
  }

  @Test
  void chunkDataLongerThanItsSizeGets400AndClosesTheConnection() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("POST " + WARM + " HTTP/1.1\r\nHost: gateway\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello, world\r\n0\r\n\r\n" + SMUGGLED);

      response.assertProblem(400, "bad-request");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).isTrue();
    }
    assertTheWarmVmHasNothingInFlight();
    assertOnlyTheWarmVmWasEverStarted();
  }

  @Test
  void aBadChunkWhileTheRequestIsHeldGets400AndLeavesNoWaiter() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("POST /smart_proxy/held/g1/ HTTP/1.1\r\nHost: gateway\r\n"
          + "Transfer-Encoding: chunked\r\n\r\nnot-a-size\r\n");

      response.assertProblem(400, "bad-request");
      assertThat(connection.closedByPeer(Duration.ofSeconds(5))).isTrue();
    }
    eventually("the held request is gone", Duration.ofSeconds(10),
        () -> harness.gateway.lifecycle().waiting() == 0);
  }

  @Test
  void anH2cUpgradeIsIgnoredAndTheRequestServedOverHttp11() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("GET " + WARM + " HTTP/1.1\r\nHost: gateway\r\n"
          + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");

      assertThat(response.statusLine()).startsWith("HTTP/1.1 200");
      assertThat(response.json().getJsonObject("headers").fieldNames())
          .doesNotContain("upgrade", "http2-settings", "connection");
    }
  }

  private void assertOnlyTheWarmVmWasEverStarted() {
    List<String> resources = RawHttp.mockVmResources(harness).stream().filter(r -> !r.equals("held")).toList();
    assertThat(resources).as("VMs the mock cloud started").containsExactly("warm");
    assertThat(harness.gateway.lifecycle().waiting()).isZero();
  }

  private void assertTheWarmVmHasNothingInFlight() {
    eventually("the warm VM's lease is released", Duration.ofSeconds(10),
        () -> await(harness.gateway.lifecycle().instances()).stream()
            .filter(vm -> vm.resource().equals("warm")).allMatch(vm -> vm.inFlight() == 0));
  }
}
