package dev.smartgateway.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** When a revalidating client's copy is still current by a stored answer (a 304 from the cache), one row per case. */
class CacheConditionalTest {

  private static final String MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT";

  /** name, stored status, stored headers, request headers, whether the answer is 304. */
  static Stream<Arguments> conditions() {
    return Stream.of(
        arguments("the same strong tag", 200, "ETag: \"v1\"", "If-None-Match: \"v1\"", true),
        arguments("another tag", 200, "ETag: \"v1\"", "If-None-Match: \"v2\"", false),
        arguments("one of a list", 200, "ETag: \"v1\"", "If-None-Match: \"v0\", \"v1\"", true),
        arguments("weak comparison", 200, "ETag: W/\"v1\"", "If-None-Match: \"v1\"", true),
        arguments("any tag", 200, "ETag: \"v1\"", "If-None-Match: *", true),
        arguments("no stored tag", 200, "", "If-None-Match: \"v1\"", false),
        arguments("not modified since", 200, "Last-Modified: " + MODIFIED,
            "If-Modified-Since: Tue, 01 Dec 2026 11:00:00 GMT", true),
        arguments("modified since", 200, "Last-Modified: " + MODIFIED,
            "If-Modified-Since: Tue, 01 Dec 2026 09:00:00 GMT", false),
        arguments("If-Modified-Since is ignored beside If-None-Match", 200, "ETag: \"v1\"\nLast-Modified: " + MODIFIED,
            "If-None-Match: \"v2\"\nIf-Modified-Since: Tue, 01 Dec 2026 11:00:00 GMT", false),
        arguments("an unreadable date", 200, "Last-Modified: " + MODIFIED, "If-Modified-Since: yesterday", false),
        arguments("only a stored 200 is revalidated", 404, "ETag: \"v1\"", "If-None-Match: \"v1\"", false),
        arguments("no condition", 200, "ETag: \"v1\"", "", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conditions")
  void aConditionThatHoldsIsAnsweredNotModified(String rule, int status, String stored, String request,
                                                 boolean notModified) {
    CachedResponse response = new CachedResponse(status, null, headers(stored), Buffer.buffer("body"), 0, 0, 60_000,
        List.of(), "");

    assertThat(Conditional.notModified(headers(request), response)).isEqualTo(notModified);
  }

  private static MultiMap headers(String lines) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String line : lines.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return headers;
  }
}
