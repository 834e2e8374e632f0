package dev.smartgateway.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTargetTest {

  private static final String PATH = "/smart_proxy/r/g/x?q=1";

  @Test
  void oneValidHostIsFineInEveryVersionAndNoneOnlyInHttp10() {
    assertThat(RequestTarget.violation(false, List.of("gateway.example"), PATH)).isNull();
    assertThat(RequestTarget.violation(true, List.of("gateway.example:8080"), PATH)).isNull();
    assertThat(RequestTarget.violation(true, List.of(), PATH)).isNull();
    assertThat(RequestTarget.violation(false, List.of(), PATH)).contains("no Host header");
  }

  @Test
  void severalHostsAreRefusedEvenWhenTheyAgree() {
    assertThat(RequestTarget.violation(false, List.of("a.example", "b.example"), PATH)).contains("several Host headers (2)");
    assertThat(RequestTarget.violation(false, List.of("a.example", "a.example"), PATH)).contains("several Host headers");
    assertThat(RequestTarget.violation(true, List.of("a.example", "b.example"), PATH)).contains("several Host headers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "gateway.example", "gateway.example:8080", "127.0.0.1", "127.0.0.1:80", "[::1]",
      "[::1]:8443", "[2001:db8::7]", "xn--bcher-kva.example", "a_b~c-d", "h%41st", "host:", "host:65535"})
  void validAuthorities(String authority) {
    assertThat(RequestTarget.isValidAuthority(authority)).isTrue();
    assertThat(RequestTarget.violation(false, List.of(authority), PATH)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":80", "a.example, b.example", "a.example,b.example", "host:65536", "host:123456",
      "host:8o", "ho st", "ho/st", "ho\\st", "ho^st", "user@host", "[::1", "[]", "[::1]x", "[zz::1]", "host:80:80",
      "h%4", "h%zz", "hóst"})
  void invalidAuthorities(String authority) {
    assertThat(RequestTarget.isValidAuthority(authority)).isFalse();
    assertThat(RequestTarget.violation(false, List.of(authority), PATH)).startsWith("invalid Host header");
  }

  @Test
  void aBadHostIsQuotedShortInTheReason() {
    String violation = RequestTarget.violation(false, List.of("x".repeat(5000) + " y"), PATH);
    assertThat(violation).hasSizeLessThan(200).contains("xxx...");
  }

  @Test
  void absoluteFormIsSplitIntoAuthorityAndOriginForm() {
    assertThat(RequestTarget.absolute("http://vm.example:8443/smart_proxy/r/g/a%2Fb?x=%20&y"))
        .isEqualTo(new RequestTarget.Absolute("http", "vm.example:8443", "/smart_proxy/r/g/a%2Fb?x=%20&y"));
    assertThat(RequestTarget.absolute("HTTPS://h/")).isEqualTo(new RequestTarget.Absolute("HTTPS", "h", "/"));
    assertThat(RequestTarget.absolute("http://h")).isEqualTo(new RequestTarget.Absolute("http", "h", "/"));
    assertThat(RequestTarget.absolute("http://h?q")).isEqualTo(new RequestTarget.Absolute("http", "h", "/?q"));
    assertThat(RequestTarget.absolute("http:///p")).isEqualTo(new RequestTarget.Absolute("http", "", "/p"));
  }

  @Test
  void otherFormsAreNotAbsolute() {
    assertThat(RequestTarget.absolute("/smart_proxy/r/g/http://x/")).isNull();
    assertThat(RequestTarget.absolute("*")).isNull();
    assertThat(RequestTarget.absolute("example.com:443")).isNull();
    assertThat(RequestTarget.absolute("http:/x")).isNull();
    assertThat(RequestTarget.absolute("1http://x/")).isNull();
    assertThat(RequestTarget.absolute("")).isNull();
    assertThat(RequestTarget.violation(false, List.of("h"), "*")).isNull();
  }

  @Test
  void anAbsoluteTargetIsCheckedLikeAHost() {
    assertThat(RequestTarget.violation(false, List.of("other.example"), "http://vm.example:8443/p?q")).isNull();
    assertThat(RequestTarget.violation(false, List.of("h"), "https://[::1]:8443/p")).isNull();
    assertThat(RequestTarget.violation(true, List.of(), "http://vm.example/p")).isNull();
    assertThat(RequestTarget.violation(false, List.of("h"), "http:///p")).contains("invalid authority ''");
    assertThat(RequestTarget.violation(false, List.of("h"), "http://a,b/p")).contains("invalid authority 'a,b'");
    assertThat(RequestTarget.violation(false, List.of("h"), "http://h:99999/p")).contains("invalid authority");
    assertThat(RequestTarget.violation(false, List.of("h"), "http://user:pw@h/p")).contains("user info");
    assertThat(RequestTarget.violation(false, List.of("h"), "ftp://h/p")).contains("only http and https");
  }

  @Test
  void anAbsoluteTargetStillNeedsExactlyOneValidHostHeaderInHttp11() {
    assertThat(RequestTarget.violation(false, List.of(), "http://vm.example/p")).contains("no Host header");
    assertThat(RequestTarget.violation(false, List.of("a", "b"), "http://vm.example/p")).contains("several");
    assertThat(RequestTarget.violation(false, List.of("a b"), "http://vm.example/p")).contains("invalid Host");
  }
}
