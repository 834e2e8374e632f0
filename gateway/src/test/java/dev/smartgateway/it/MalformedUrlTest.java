package dev.smartgateway.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The virtual URL fault matrix, sent over raw sockets so nothing normalises the URL on the way: every
 * malformed URL gets its status and problem type, and no VM is started for any of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedUrlTest {

  private static final String P = "/smart_proxy";

  private Harness harness;

  /** @param closes whether the gateway must close the connection after answering (the request line is unusable) */
  record Case(String description, String uri, int status, String slug, boolean closes) {
    @Override
    public String toString() {
      return description;
    }
  }

  private static Case bad(String description, String uri) {
    return new Case(description, uri, 400, "bad-virtual-url", false);
  }

  static Stream<Case> malformed() {
    String groups33 = IntStream.rangeClosed(1, 33).mapToObj(i -> "g" + i).collect(Collectors.joining(","));
    String same33 = IntStream.rangeClosed(1, 33).mapToObj(i -> "g1").collect(Collectors.joining(","));
    return Stream.of(
        // missing segments
        bad("the prefix alone is missing its resource", P),
        bad("the prefix and a slash are missing the resource", P + "/"),
        bad("a resource without groups", P + "/demo"),
        bad("a resource with an empty groups segment", P + "/demo/"),
        // empty groups
        bad("an empty resource between two slashes", P + "//g1/x"),
        bad("an empty groups segment before the path", P + "/demo//x"),
        bad("an empty group between two commas", P + "/demo/g1,,g2/"),
        bad("a trailing comma in the groups", P + "/demo/g1,/"),
        bad("a leading comma in the groups", P + "/demo/,g1/"),
        bad("a lone comma as the groups", P + "/demo/,/"),
        // too many, too long, bad characters
        bad("33 groups", P + "/demo/" + groups33 + "/"),
        bad("33 groups written as one group repeated", P + "/demo/" + same33 + "/"),
        bad("a resource of 129 characters", P + "/" + "r".repeat(129) + "/g1/"),
        bad("a group name of 65 characters", P + "/demo/" + "g".repeat(65) + "/"),
        bad("a resource with a dollar sign", P + "/de$mo/g1/"),
        bad("a resource starting with a dot", P + "/.demo/g1/"),
        bad("a resource starting with a dash", P + "/-demo/g1/"),
        bad("a group with an exclamation mark", P + "/demo/g!1/"),
        bad("a group with a colon", P + "/demo/g1:admin/"),
        bad("a group with an at sign", P + "/demo/user@g1/"),
        // dot segments, raw and encoded
        bad("'..' as the resource", P + "/../g1/"),
        bad("'.' as the resource", P + "/./g1/"),
        bad("'..' as the groups", P + "/demo/../x"),
        bad("'.' as the groups", P + "/demo/./x"),
        bad("'..' among the groups", P + "/demo/g1,../x"),
        bad("a '..' segment in the forwarded path", P + "/demo/g1/../../etc/passwd"),
        bad("a '.' segment in the forwarded path", P + "/demo/g1/./x"),
        bad("a trailing '..' in the forwarded path", P + "/demo/g1/a/.."),
        bad("'..' percent-encoded in lower case", P + "/demo/g1/%2e%2e/x"),
        bad("'..' percent-encoded in upper case", P + "/demo/g1/%2E%2E/x"),
        bad("'..' half percent-encoded", P + "/demo/g1/.%2e/x"),
        bad("'..' percent-encoded twice", P + "/demo/g1/%252e%252e/x"),
        bad("'..' as overlong UTF-8", P + "/demo/g1/%c0%ae%c0%ae/x"),
        bad("'..' with a path parameter", P + "/demo/g1/..;jsessionid=1/x"),
        bad("'..' between backslashes", P + "/demo/g1/a\\..\\b"),
        bad("'..' between encoded slashes", P + "/demo/g1/a%2f..%2fb"),
        bad("a percent-encoded resource '..'", P + "/%2e%2e/g1/"),
        // encoded slashes and double slashes
        bad("an encoded slash in the resource", P + "/demo%2Fother/g1/"),
        bad("an encoded slash in the groups", P + "/demo/g1%2Fg2/"),
        bad("an encoded backslash in the groups", P + "/demo/g1%5Cg2/"),
        bad("a forwarded path starting with two slashes", P + "/demo/g1//evil.example/x"),
        bad("a forwarded path starting with an encoded slash", P + "/demo/g1/%2Fevil.example/x"),
        bad("a forwarded path starting with a backslash", P + "/demo/g1/\\evil.example/x"),
        // NUL and control characters, raw and encoded
        bad("a raw NUL in the path", P + "/demo/g1/a\u0000b"),
        bad("a raw NUL in the resource", P + "/de\u0000mo/g1/"),
        bad("an encoded NUL in the forwarded path", P + "/demo/g1/a%00b"),
        bad("an encoded NUL in the resource", P + "/demo%00/g1/"),
        bad("an encoded CR LF in the forwarded path", P + "/demo/g1/a%0d%0aX-Injected:%201"),
        bad("a raw control character (0x01)", P + "/demo/g1/a\u0001b"),
        bad("a raw escape character (0x1b)", P + "/demo/g1/a\u001bb"),
        bad("a raw DEL", P + "/demo/g1/a\u007fb"),
        bad("a raw non-ASCII byte", P + "/demo/g1/caf\u00e9"),
        bad("a fragment", P + "/demo/g1/a#frag"),
        bad("a malformed percent-escape", P + "/demo/g1/a%zz"),
        bad("a lone percent sign", P + "/demo/g1/a%"),
        // not a virtual URL at all
        new Case("a path outside the prefix", "/other/demo/g1/", 404, "not-found", false),
        new Case("a prefix with a suffix", P + "x/demo/g1/", 404, "not-found", false),
        new Case("the root path", "/", 404, "not-found", false),
        // an absolute-form target is served as its path (HttpConformanceTest), so its path is checked the same way
        new Case("an absolute-form URI outside the prefix", "http://evil.example/other/demo/g1/", 404, "not-found",
            false),
        bad("an absolute-form URI with a dot segment", "http://evil.example" + P + "/demo/g1/../../etc/passwd"),
        new Case("the asterisk form", "*", 404, "not-found", false),
        // refused by the HTTP decoder before any routing: the connection cannot be trusted further
        new Case("a raw space in the path", P + "/demo/g1/a b", 400, "bad-request", true),
        new Case("a raw tab in the path", P + "/demo/g1/a\tb", 400, "bad-request", true),
        new Case("a raw CR in the path", P + "/demo/g1/a\rb", 400, "bad-request", true),
        new Case("a request line over server.maxRequestLineSize", P + "/demo/g1/" + "a".repeat(9000), 414,
            "uri-too-long", true));
  }

  @BeforeAll
  void start() {
    harness = Harness.start(50, 50, "");
  }

  @AfterAll
  void noVmWaiterOrConnectionIsLeftBehind() {
    try {
      assertThat(harness.gateway.lifecycle().waiting()).isZero();
      harness.assertClientConnectionsClosed();
      JsonObject stats = RawHttp.mockStats(harness);
      assertThat(stats.getInteger("started")).as("only the well-formed requests started a VM").isEqualTo(1);
    } finally {
      harness.close();
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}: {2} {3}")
  @MethodSource("malformed")
  void aMalformedVirtualUrlGetsADefinedProblemAndStartsNothing(Case c) {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("GET " + c.uri() + " HTTP/1.1\r\nHost: gateway\r\n\r\n");

      response.assertProblem(c.status(), c.slug());
      if (c.closes()) {
        assertThat(response.header("connection")).isEqualTo("close");
        assertThat(connection.closedByPeer(Duration.ofSeconds(5))).as("the gateway closes the connection").isTrue();
      }
    }
    assertThat(RawHttp.mockStats(harness).getInteger("started")).as("VMs started").isZero();
    assertThat(harness.gateway.lifecycle().waiting()).as("held requests").isZero();
  }

  @Order(2)
  @Test
  void theEdgesOfTheGrammarAreForwardedByteForByte() {
    String groups32 = IntStream.rangeClosed(1, 32).mapToObj(i -> "g").collect(Collectors.joining(","));
    List<String[]> cases = List.of(
        new String[] {P + "/demo/" + groups32 + "/a//b", "/a//b", null},
        new String[] {P + "/demo/g/x%2Fy?q=../..", "/x%2Fy", "q=../.."},
        new String[] {P + "/demo/g/..a/a../...", "/..a/a../...", null},
        new String[] {P + "/demo/g", "/", null});
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      for (String[] c : cases) {
        RawHttp.Response response = connection.exchange("GET " + c[0] + " HTTP/1.1\r\nHost: gateway\r\n\r\n");

        assertThat(response.status()).as(c[0]).isEqualTo(200);
        JsonObject echo = response.json();
        assertThat(echo.getString("path")).isEqualTo(c[1]);
        assertThat(echo.getString("query")).isEqualTo(c[2]);
      }
    }
  }
}
