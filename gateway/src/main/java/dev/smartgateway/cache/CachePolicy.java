package dev.smartgateway.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The rules of a shared cache (RFC 9111), as pure functions: which requests may use the cache, which responses may
 * be stored and for how long. Deliberately conservative where the RFC leaves room: whatever would need revalidation
 * ({@code no-cache}, a stale entry, a precondition other than {@code If-None-Match}/{@code If-Modified-Since})
 * goes to the VM instead, so the cache never has to revalidate, and never serves stale.
 */
public final class CachePolicy {

  /** Statuses a cache may store (RFC 9110 section 15.1, heuristically cacheable, less 206: no ranges here). */
  static final Set<Integer> STATUSES = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);
  private static final String CACHE_CONTROL = "Cache-Control";

  private CachePolicy() {
  }

  /**
   * Why this request may not use the cache (neither be answered from it nor have its answer stored), or null when
   * it may. Only GET and HEAD without a body; not an upgrade; not a request that asks for a fresh answer
   * ({@code no-cache}, {@code no-store}, {@code Pragma: no-cache}); not a range request or one with a precondition
   * the cache does not evaluate ({@code If-Match}, {@code If-Unmodified-Since}, {@code If-Range}), which the VM
   * answers. {@code If-None-Match} and {@code If-Modified-Since} may use the cache ({@link Conditional}).
   */
  public static String requestBypass(HttpMethod method, MultiMap headers) {
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return "method";
    }
    if (headers.contains("Upgrade") || headers.contains("Transfer-Encoding")
        || headers.contains("Content-Length") && !"0".equals(headers.get("Content-Length").trim())) {
      return "upgrade or body";
    }
    CacheControl cc = CacheControl.parse(headers.getAll(CACHE_CONTROL));
    if (cc.has("no-store") || cc.has("no-cache")
        || !headers.contains(CACHE_CONTROL) && "no-cache".equalsIgnoreCase(headers.get("Pragma"))) {
      return "no-cache";
    }
    if (headers.contains("If-Match") || headers.contains("If-Unmodified-Since") || headers.contains("If-Range")
        || headers.contains("Range")) {
      return "conditional";
    }
    return null;
  }

  /**
   * A request the VM may answer with a 304, which cannot be stored: on a miss it neither leads nor waits for a
   * fetch, it goes to the VM by itself.
   */
  public static boolean isConditional(MultiMap headers) {
    return headers.contains("If-None-Match") || headers.contains("If-Modified-Since");
  }

  /** The oldest answer the request accepts ({@code Cache-Control: max-age} on the request), in ms; -1: any fresh one. */
  public static long requestMaxAgeMs(MultiMap headers) {
    if (!headers.contains(CACHE_CONTROL)) {
      return -1;
    }
    long seconds = CacheControl.parse(headers.getAll(CACHE_CONTROL)).seconds("max-age");
    return seconds == CacheControl.ABSENT ? -1 : seconds == CacheControl.INVALID ? 0 : seconds * 1000;
  }

  /**
   * Whether a response to a GET may be stored, and its freshness.
   *
   * @param request    the request's headers ({@code Authorization})
   * @param status     the response's status
   * @param response   the response's headers as the VM sent them
   * @param defaultTtl the freshness of a response that allows caching but gives none itself; zero: not stored
   * @param nowMillis  the time it arrived (for {@code Expires} without {@code Date})
   */
  public static Freshness freshness(MultiMap request, int status, MultiMap response, Duration defaultTtl,
                                    long nowMillis) {
    if (!STATUSES.contains(status)) {
      return Freshness.refused("status " + status);
    }
    CacheControl cc = CacheControl.parse(response.getAll(CACHE_CONTROL));
    if (cc.has("no-store")) {
      return Freshness.refused("no-store");
    }
    if (cc.has("private")) {
      return Freshness.refused("private"); // for the user's own cache, never a shared one
    }
    if (cc.has("no-cache")) {
      return Freshness.refused("no-cache"); // would need revalidation before every use: the VM answers instead
    }
    if (response.contains("Set-Cookie")) {
      return Freshness.refused("Set-Cookie"); // one client's cookie must not be handed to the next
    }
    for (String vary : response.getAll("Vary")) {
      if (vary.contains("*")) {
        return Freshness.refused("Vary: *");
      }
    }
    if (request.contains("Authorization") && !cc.has("public") && !cc.has("s-maxage") && !cc.has("must-revalidate")) {
      return Freshness.refused("Authorization"); // RFC 9111 section 3.5
    }
    long lifetimeMs = lifetimeMs(cc, response, defaultTtl, nowMillis);
    if (lifetimeMs < 0) {
      return Freshness.refused("no freshness");
    }
    long initialAgeMs = ageSeconds(response) * 1000;
    if (lifetimeMs <= initialAgeMs) {
      return Freshness.refused("already stale");
    }
    return new Freshness(null, lifetimeMs, initialAgeMs);
  }

  /**
   * s-maxage (the shared cache's own), else max-age, else Expires less Date, else defaultTtl; -1 when none applies.
   * An invalid value makes the response stale (0), as RFC 9111 section 4.2.1 recommends.
   */
  private static long lifetimeMs(CacheControl cc, MultiMap response, Duration defaultTtl, long nowMillis) {
    long seconds = cc.seconds("s-maxage");
    if (seconds == CacheControl.ABSENT) {
      seconds = cc.seconds("max-age");
    }
    if (seconds != CacheControl.ABSENT) {
      return seconds == CacheControl.INVALID ? 0 : seconds * 1000;
    }
    String expires = response.get("Expires");
    if (expires != null) {
      Long at = httpDate(expires);
      if (at == null) {
        return 0; // "Expires: 0" and other invalid dates mean already expired
      }
      Long date = response.contains("Date") ? httpDate(response.get("Date")) : null;
      return Math.max(0, at - (date != null ? date : nowMillis));
    }
    return defaultTtl.isZero() ? -1 : defaultTtl.toMillis();
  }

  /** The {@code Age} the response arrived with, in seconds; 0 when absent or invalid. */
  private static long ageSeconds(MultiMap response) {
    String age = response.get("Age");
    if (age == null || age.isEmpty() || !age.trim().chars().allMatch(c -> c >= '0' && c <= '9')) {
      return 0;
    }
    String digits = age.trim();
    return digits.length() > 10 ? 1L << 31 : Math.min(Long.parseLong(digits), 1L << 31);
  }

  /** An HTTP date in epoch ms, or null if it is not one. */
  static Long httpDate(String text) {
    try {
      return ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
