package dev.smartgateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

  @Test
  void hopByHopHeadersAreRecognisedInAnyLetterCase() {
    for (String name : new String[] {"Connection", "keep-alive", "PROXY-CONNECTION", "Proxy-Authenticate",
        "proxy-authorization", "TE", "Trailer", "transfer-encoding", "Upgrade", "HTTP2-Settings"}) {
      assertThat(HeaderRules.isHopByHop(name)).as(name).isTrue();
    }
    for (String name : new String[] {"Content-Length", "Content-Type", "Host", "Trailers", "Tex", "Upgrade-X",
        "Authorization", "Expect", ""}) {
      assertThat(HeaderRules.isHopByHop(name)).as(name).isFalse();
    }
  }

  @Test
  void gatewayHeadersAreRecognisedByPrefixInAnyLetterCase() {
    assertThat(HeaderRules.isGatewayHeader("X-Smart-Gateway-Groups")).isTrue();
    assertThat(HeaderRules.isGatewayHeader("x-smart-gateway-wait-ms")).isTrue();
    assertThat(HeaderRules.isGatewayHeader("X-Smart-Gateway-")).isFalse();
    assertThat(HeaderRules.isGatewayHeader("X-Smart-Gatewayz")).isFalse();
    assertThat(HeaderRules.isGatewayHeader("X-Forwarded-For")).isFalse();
  }

  @Test
  void connectionTokensMatchWholeNamesIgnoringCaseAndWhiteSpace() {
    String list = " keep-alive ,X-Foo,\tx-bar\t, ,";
    assertThat(HeaderRules.listsToken(list, "x-foo")).isTrue();
    assertThat(HeaderRules.listsToken(list, "X-BAR")).isTrue();
    assertThat(HeaderRules.listsToken(list, "Keep-Alive")).isTrue();
    assertThat(HeaderRules.listsToken(list, "X-Fo")).isFalse();
    assertThat(HeaderRules.listsToken(list, "X-Foo-Bar")).isFalse();
    assertThat(HeaderRules.listsToken(null, "X-Foo")).isFalse();
    assertThat(HeaderRules.listsToken("", "X-Foo")).isFalse();
  }

  @Test
  void copyDropsHopByHopConnectionNamedAndGatewayHeadersAndKeepsTheRestWithAllValues() {
    MultiMap from = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "keep-alive, X-Private")
        .add("Connection", "x-other")
        .add("X-Private", "secret")
        .add("X-Other", "secret")
        .add("Keep-Alive", "timeout=5")
        .add("Transfer-Encoding", "chunked")
        .add("X-Smart-Gateway-Groups", "admin")
        .add("Content-Type", "text/plain")
        .add("Set-Cookie", "a=1")
        .add("Set-Cookie", "b=2");
    MultiMap to = MultiMap.caseInsensitiveMultiMap();

    HeaderRules.copyEndToEnd(from, to);

    assertThat(to.names()).containsExactlyInAnyOrder("Content-Type", "Set-Cookie");
    assertThat(to.getAll("Set-Cookie")).containsExactly("a=1", "b=2");
  }

  @Test
  void fromATrustedProxyTheChainIsAppendedToAndItsProtoHostAndPrefixAreKept() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("X-Forwarded-For", "203.0.113.7")
        .add("X-Forwarded-For", "198.51.100.2")
        .add("Forwarded", "for=203.0.113.7")
        .add("X-Forwarded-Proto", "https")
        .add("X-Forwarded-Host", "public.example")
        .add("X-Forwarded-Prefix", "/edge/")
        .add("X-Real-IP", "203.0.113.7");

    HeaderRules.addForwarded(headers, "192.0.2.1", "http", "gw.example:8080", "/smart_proxy/demo/g1", true);

    assertThat(headers.getAll("X-Forwarded-For")).containsExactly("203.0.113.7, 198.51.100.2, 192.0.2.1");
    assertThat(headers.getAll("Forwarded"))
        .containsExactly("for=203.0.113.7, for=192.0.2.1;proto=http;host=\"gw.example:8080\"");
    assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(headers.get("X-Forwarded-Host")).isEqualTo("public.example");
    assertThat(headers.get("X-Forwarded-Prefix")).isEqualTo("/edge/smart_proxy/demo/g1");
    assertThat(headers.get("X-Real-IP")).isEqualTo("203.0.113.7");
  }

  @Test
  void aTrustedProxyThatSentNoForwardingHeadersGetsTheGatewaysOwn() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();

    HeaderRules.addForwarded(headers, "192.0.2.1", "http", "gw.example", "/smart_proxy/demo/g1", true);

    assertThat(headers.get("X-Forwarded-For")).isEqualTo("192.0.2.1");
    assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(headers.get("X-Forwarded-Host")).isEqualTo("gw.example");
    assertThat(headers.get("X-Forwarded-Prefix")).isEqualTo("/smart_proxy/demo/g1");
    assertThat(headers.get("Forwarded")).isEqualTo("for=192.0.2.1;proto=http;host=gw.example");
  }

  @Test
  void fromAnyoneElseEveryForwardingHeaderIsReplacedByTheGatewaysOwn() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("X-Forwarded-For", "203.0.113.7")
        .add("x-forwarded-for", "10.0.0.1")
        .add("Forwarded", "for=203.0.113.7;proto=https")
        .add("X-Forwarded-Proto", "https")
        .add("X-Forwarded-Host", "forged.example")
        .add("X-Forwarded-Prefix", "/forged")
        .add("X-Forwarded-Port", "443")
        .add("X-Forwarded-Server", "forged")
        .add("X-Real-IP", "203.0.113.7")
        .add("X-Other", "kept");

    HeaderRules.addForwarded(headers, "192.0.2.1", "http", "gw.example:8080", "/smart_proxy/demo/g1", false);

    assertThat(headers.getAll("X-Forwarded-For")).containsExactly("192.0.2.1");
    assertThat(headers.getAll("Forwarded")).containsExactly("for=192.0.2.1;proto=http;host=\"gw.example:8080\"");
    assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(headers.get("X-Forwarded-Host")).isEqualTo("gw.example:8080");
    assertThat(headers.get("X-Forwarded-Prefix")).isEqualTo("/smart_proxy/demo/g1");
    assertThat(headers.contains("X-Forwarded-Port")).isFalse();
    assertThat(headers.contains("X-Forwarded-Server")).isFalse();
    assertThat(headers.contains("X-Real-IP")).isFalse();
    assertThat(headers.get("X-Other")).isEqualTo("kept");
  }

  @Test
  void forwardedHeadersWithoutHostOrPrefixDropForgedOnes() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("X-Forwarded-Host", "forged.example")
        .add("X-Forwarded-Prefix", "/forged");

    HeaderRules.addForwarded(headers, "192.0.2.1", "https", null, null, false);

    assertThat(headers.get("X-Forwarded-For")).isEqualTo("192.0.2.1");
    assertThat(headers.get("Forwarded")).isEqualTo("for=192.0.2.1;proto=https");
    assertThat(headers.contains("X-Forwarded-Host")).isFalse();
    assertThat(headers.contains("X-Forwarded-Prefix")).isFalse();
  }

  @Test
  void forwardedElementQuotesIpv6AndNonTokenValues() {
    assertThat(HeaderRules.forwardedElement("2001:db8::1", "https", "example.com"))
        .isEqualTo("for=\"[2001:db8::1]\";proto=https;host=example.com");
    assertThat(HeaderRules.forwardedElement("192.0.2.1", "http", "[::1]:8080"))
        .isEqualTo("for=192.0.2.1;proto=http;host=\"[::1]:8080\"");
    assertThat(HeaderRules.forwardedElement("192.0.2.1", "http", "a\"b"))
        .isEqualTo("for=192.0.2.1;proto=http;host=\"a\\\"b\"");
    assertThat(HeaderRules.forwardedElement("unknown", "http", null)).isEqualTo("for=unknown;proto=http");
  }

  @Test
  void webSocketUpgradeNeedsBothUpgradeHeaderAndConnectionToken() {
    assertThat(HeaderRules.isWebSocketUpgrade(MultiMap.caseInsensitiveMultiMap()
        .add("Upgrade", "WebSocket").add("Connection", "keep-alive, Upgrade"))).isTrue();
    assertThat(HeaderRules.isWebSocketUpgrade(MultiMap.caseInsensitiveMultiMap()
        .add("Upgrade", "websocket"))).isFalse();
    assertThat(HeaderRules.isWebSocketUpgrade(MultiMap.caseInsensitiveMultiMap()
        .add("Upgrade", "h2c").add("Connection", "Upgrade"))).isFalse();
  }

  @Test
  void putAllReplacesOnlyTheNamesItBringsAndKeepsTheRest() {
    MultiMap to = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain").add("X-Smart-Gateway-Wait-Ms", "1");

    HeaderRules.putAll(MultiMap.caseInsensitiveMultiMap().add("x-smart-gateway-wait-ms", "42")
        .add("Link", "</a>").add("Link", "</b>"), to);
    HeaderRules.putAll(null, to);

    assertThat(to.get("Content-Type")).isEqualTo("text/plain");
    assertThat(to.getAll("X-Smart-Gateway-Wait-Ms")).containsExactly("42");
    assertThat(to.getAll("Link")).containsExactly("</a>", "</b>");
  }

  @Test
  void aValueFromOutsideIsMadeHeaderSafeByPercentEncodingWhatIsNotPrintableAscii() {
    assertThat(HeaderRules.printable("alice@example.test")).isEqualTo("alice@example.test");
    assertThat(HeaderRules.printable("evil\r\nX-Smart-Gateway-Groups: admin")).isEqualTo("evil%0D%0AX-Smart-Gateway-Groups: admin");
    assertThat(HeaderRules.printable("Zoë 100%")).isEqualTo("Zo%C3%AB 100%25");
  }
}
