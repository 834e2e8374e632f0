package dev.smartgateway.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The shared cache's rules (RFC 9111), one row per directive: what may be stored, for how long, and which requests may use it. */
class CachePolicyTest {

  private static final long NOW = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
  private static final Duration NO_DEFAULT = Duration.ZERO;
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  /** name, request headers, status, response headers, defaultTtl, refusal (null: stored), lifetime ms, initial age ms. */
  static Stream<Arguments> responses() {
    return Stream.of(
        stored("max-age gives the lifetime", "", 200, "Cache-Control: max-age=60", NO_DEFAULT, 60_000, 0),
        stored("s-maxage is preferred over max-age (a shared cache)", "", 200,
            "Cache-Control: max-age=60, s-maxage=120", NO_DEFAULT, 120_000, 0),
        refused("no-store is never stored", "", 200, "Cache-Control: no-store, max-age=60", NO_DEFAULT, "no-store"),
        refused("private is for the user's own cache only", "", 200, "Cache-Control: private, max-age=60", NO_DEFAULT,
            "private"),
        refused("no-cache would need revalidation before each use", "", 200, "Cache-Control: no-cache, max-age=60",
            NO_DEFAULT, "no-cache"),
        refused("no-cache with field names counts as no-cache", "", 200,
            "Cache-Control: no-cache=\"Set-Cookie, X-A\", max-age=60", NO_DEFAULT, "no-cache"),
        stored("must-revalidate is stored (and, like everything, never served stale)", "", 200,
            "Cache-Control: must-revalidate, max-age=30", NO_DEFAULT, 30_000, 0),
        refused("public without a lifetime and no defaultTtl has nothing to be fresh for", "", 200,
            "Cache-Control: public", NO_DEFAULT, "no freshness"),
        stored("public without a lifetime takes defaultTtl", "", 200, "Cache-Control: public", TEN_SECONDS, 10_000, 0),
        stored("no directive at all takes defaultTtl", "", 200, "", TEN_SECONDS, 10_000, 0),
        refused("no directive and no defaultTtl is not stored", "", 200, "", NO_DEFAULT, "no freshness"),
        stored("defaultTtl never overrides the response's own max-age", "", 200, "Cache-Control: max-age=60",
            TEN_SECONDS, 60_000, 0),
        stored("Expires less Date gives the lifetime", "", 200,
            "Expires: " + date(NOW + 90_000) + "\nDate: " + date(NOW), NO_DEFAULT, 90_000, 0),
        stored("Expires without Date counts from arrival", "", 200, "Expires: " + date(NOW + 30_000), NO_DEFAULT,
            30_000, 0),
        stored("max-age is preferred over Expires", "", 200,
            "Cache-Control: max-age=60\nExpires: " + date(NOW + 3_600_000), NO_DEFAULT, 60_000, 0),
        refused("an invalid Expires means already expired", "", 200, "Expires: 0", TEN_SECONDS, "already stale"),
        refused("an invalid max-age means stale", "", 200, "Cache-Control: max-age=soon", TEN_SECONDS,
            "already stale"),
        stored("Age counts against the lifetime", "", 200, "Cache-Control: max-age=60\nAge: 20", NO_DEFAULT, 60_000,
            20_000),
        refused("an Age as old as the lifetime is already stale", "", 200, "Cache-Control: max-age=60\nAge: 60",
            NO_DEFAULT, "already stale"),
        refused("Vary: * can never match a later request", "", 200, "Cache-Control: max-age=60\nVary: Accept, *",
            NO_DEFAULT, "Vary: *"),
        refused("Set-Cookie belongs to one client", "", 200, "Cache-Control: max-age=60\nSet-Cookie: id=1", NO_DEFAULT,
            "Set-Cookie"),
        refused("Authorization on the request: not shared without permission", "Authorization: Bearer x", 200,
            "Cache-Control: max-age=60", NO_DEFAULT, "Authorization"),
        stored("Authorization with public may be shared", "Authorization: Bearer x", 200,
            "Cache-Control: public, max-age=60", NO_DEFAULT, 60_000, 0),
        stored("Authorization with s-maxage may be shared", "Authorization: Bearer x", 200,
            "Cache-Control: s-maxage=60", NO_DEFAULT, 60_000, 0),
        stored("several Cache-Control lines count together", "", 200, "Cache-Control: public\nCache-Control: max-age=5",
            NO_DEFAULT, 5_000, 0),
        stored("404 is cacheable", "", 404, "Cache-Control: max-age=60", NO_DEFAULT, 60_000, 0),
        stored("301 is cacheable", "", 301, "Cache-Control: max-age=60", NO_DEFAULT, 60_000, 0),
        refused("500 is not", "", 500, "Cache-Control: max-age=60", NO_DEFAULT, "status 500"),
        refused("206 (a range) is not", "", 206, "Cache-Control: max-age=60", NO_DEFAULT, "status 206"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responses")
  void aResponseIsStoredForItsFreshnessOrRefusedWithItsReason(String rule, String requestHeaders, int status,
                                                              String responseHeaders, Duration defaultTtl,
                                                              String refusal, long lifetimeMs, long initialAgeMs) {
    Freshness freshness = CachePolicy.freshness(headers(requestHeaders), status, headers(responseHeaders), defaultTtl,
        NOW);

    assertThat(freshness).isEqualTo(new Freshness(refusal, lifetimeMs, initialAgeMs));
    assertThat(freshness.storable()).isEqualTo(refusal == null);
  }

  /** name, method, request headers, why the request may not use the cache (null: it may). */
  static Stream<Arguments> requests() {
    return Stream.of(
        arguments("a plain GET uses the cache", HttpMethod.GET, "", null),
        arguments("a HEAD uses the cache (a stored GET answers it)", HttpMethod.HEAD, "", null),
        arguments("a POST does not", HttpMethod.POST, "", "method"),
        arguments("a GET with a body does not", HttpMethod.GET, "Content-Length: 5", "upgrade or body"),
        arguments("a WebSocket upgrade does not", HttpMethod.GET, "Upgrade: websocket", "upgrade or body"),
        arguments("no-cache asks for a fresh answer", HttpMethod.GET, "Cache-Control: no-cache", "no-cache"),
        arguments("no-store forbids storing", HttpMethod.GET, "Cache-Control: no-store", "no-cache"),
        arguments("Pragma: no-cache without Cache-Control", HttpMethod.GET, "Pragma: no-cache", "no-cache"),
        arguments("Pragma is ignored beside Cache-Control", HttpMethod.GET,
            "Pragma: no-cache\nCache-Control: max-age=5", null),
        arguments("a revalidation uses the cache (it may get a 304 from it)", HttpMethod.GET,
            "If-None-Match: \"v1\"\nIf-Modified-Since: Tue, 01 Dec 2026 10:00:00 GMT", null),
        arguments("a precondition the cache does not evaluate is the VM's", HttpMethod.GET, "If-Match: \"v1\"",
            "conditional"),
        arguments("a range request is the VM's to answer", HttpMethod.GET, "Range: bytes=0-1", "conditional"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void aRequestUsesTheCacheUnlessItCannot(String rule, HttpMethod method, String requestHeaders, String bypass) {
    assertThat(CachePolicy.requestBypass(method, headers(requestHeaders))).isEqualTo(bypass);
  }

  static Stream<Arguments> requestMaxAges() {
    return Stream.of(
        arguments("", -1L),
        arguments("Cache-Control: max-age=5", 5_000L),
        arguments("Cache-Control: max-age=0", 0L),
        arguments("Cache-Control: max-age=x", 0L),
        arguments("Cache-Control: public", -1L));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("requestMaxAges")
  void aRequestsMaxAgeBoundsTheAgeOfAnAnswerItTakes(String requestHeaders, long maxAgeMs) {
    assertThat(CachePolicy.requestMaxAgeMs(headers(requestHeaders))).isEqualTo(maxAgeMs);
  }

  private static Arguments stored(String rule, String request, int status, String response, Duration defaultTtl,
                                  long lifetimeMs, long initialAgeMs) {
    return arguments(rule, request, status, response, defaultTtl, null, lifetimeMs, initialAgeMs);
  }

  private static Arguments refused(String rule, String request, int status, String response, Duration defaultTtl,
                                   String refusal) {
    return arguments(rule, request, status, response, defaultTtl, refusal, 0L, 0L);
  }

  /** Header lines {@code Name: value}, one per line. */
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

  private static String date(long epochMillis) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
  }
}
