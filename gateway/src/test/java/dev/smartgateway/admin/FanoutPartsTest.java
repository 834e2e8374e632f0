package dev.smartgateway.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fan-out's pure parts: name patterns, the bounded body and its text, the public endpoint's address. */
class FanoutPartsTest {

  @Test
  void globPatternsAreAnchoredWithStarAndQuestionMark() {
    GlobPattern web = GlobPattern.compile("web-*");
    assertThat(web.matches("web-1")).isTrue();
    assertThat(web.matches("web-")).isTrue();
    assertThat(web.matches("my-web-1")).isFalse();
    assertThat(GlobPattern.compile("web-?").matches("web-10")).isFalse();
    assertThat(GlobPattern.compile("*-db-*").matches("eu-db-2")).isTrue();
    assertThat(GlobPattern.compile("a*b*c").matches("axxbyyc")).isTrue();
    assertThat(GlobPattern.compile("a*b*c").matches("axxbyyd")).isFalse();
    assertThat(GlobPattern.compile("*").matches("anything.at_all")).isTrue();
    // Many stars over a long name that never matches: answered at once, no backtracking blow-up.
    assertThat(GlobPattern.compile("*a*a*a*a*a*a*a*a*a*a*b").matches("a".repeat(128))).isFalse();
  }

  @Test
  void aPatternThatCouldNeverMatchIsRefused() {
    assertThatThrownBy(() -> GlobPattern.compile("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> GlobPattern.compile("web/*")).hasMessageContaining("'/'");
    assertThatThrownBy(() -> GlobPattern.compile("x".repeat(GlobPattern.MAX_LENGTH + 1))).hasMessageContaining("longer");
  }

  @Test
  void aBoundedBodyKeepsItsLimitCountsEverythingAndSaysItWasCut() {
    BoundedBody body = new BoundedBody(5);
    body.append(Buffer.buffer("abc"));
    body.append(Buffer.buffer("defgh"));
    JsonObject line = new JsonObject();
    body.writeTo(line);
    assertThat(line.getString("body")).isEqualTo("abcde");
    assertThat(line.getLong("bodyBytes")).isEqualTo(8L);
    assertThat(line.getBoolean("truncated")).isTrue();

    BoundedBody none = new BoundedBody(0);
    none.append(Buffer.buffer("x"));
    JsonObject empty = new JsonObject();
    none.writeTo(empty);
    assertThat(empty.getString("body")).isEmpty();
    assertThat(empty.getBoolean("truncated")).isTrue();
  }

  @Test
  void textIsUtf8AndACutInsideACharacterDropsOnlyThatCharacter() {
    byte[] euro = "a\u20ac".getBytes(StandardCharsets.UTF_8); // 'a' and three bytes
    assertThat(BoundedBody.text(euro, false)).isEqualTo("a\u20ac");
    assertThat(BoundedBody.text(java.util.Arrays.copyOf(euro, 3), true)).isEqualTo("a");
    assertThat(BoundedBody.text(java.util.Arrays.copyOf(euro, 3), false)).as("a whole body ending mid-character").isNull();
    assertThat(BoundedBody.text(new byte[] {'a', (byte) 0xff, 'b'}, true)).isNull();
  }

  @Test
  void aHeaderSentOnceIsATextAndOneSentSeveralTimesAListInOrder() {
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "text/plain").add("Set-Cookie", "a=1").add("set-cookie", "b=2");
    JsonObject json = FanoutLine.headers(headers);
    assertThat(json.getString("content-type")).isEqualTo("text/plain");
    assertThat(json.getJsonArray("set-cookie").getList()).containsExactly("a=1", "b=2");
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("content-type", "set-cookie");
  }

  @Test
  void aWildcardBindAddressIsReachedOnLoopback() {
    assertThat(new PublicEndpoint("0.0.0.0", 8080, "smart_proxy").connectHost()).isEqualTo("127.0.0.1");
    assertThat(new PublicEndpoint("::", 8080, "smart_proxy").connectHost()).isEqualTo("::1");
    assertThat(new PublicEndpoint("10.1.2.3", 8080, "smart_proxy").connectHost()).isEqualTo("10.1.2.3");
    assertThat(new PublicEndpoint("0.0.0.0", 8080, "p").uri("r1", dev.smartgateway.access.GroupSet.of("g2", "g1"),
        "/a?b=c")).isEqualTo("/p/r1/g1,g2/a?b=c");
  }
}
