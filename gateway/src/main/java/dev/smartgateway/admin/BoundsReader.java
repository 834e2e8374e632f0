package dev.smartgateway.admin;

import dev.smartgateway.config.AdminConfig;
import dev.smartgateway.config.Durations;
import dev.smartgateway.config.Sizes;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

import static dev.smartgateway.admin.FieldErrors.describe;

/**
 * The bounds one fan-out asks for ({@code concurrency}, {@code timeout}, {@code maxBodySize}), each within
 * the admin configuration's ceiling: a caller may ask for less than the operator allows, never more.
 */
final class BoundsReader {

  static final int DEFAULT_CONCURRENCY = 8;
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  /** Time per target is bounded too: one hour is past any cold start and any sane request. */
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);
  static final long DEFAULT_MAX_BODY = 64 * 1024;

  private BoundsReader() {
  }

  /** 1 to {@code admin.fanout.maxConcurrency}; default 8 (or the ceiling, if lower). */
  static int concurrency(JsonObject json, AdminConfig limits, FieldErrors errors) {
    int max = limits.fanoutMaxConcurrency();
    return (int) whole(json, "concurrency", Math.min(DEFAULT_CONCURRENCY, max), 1, max,
        "admin.fanout.maxConcurrency", errors);
  }

  /** Bytes of each answer kept: 0 to {@code admin.fanout.maxBodySize}, a number or a size like {@code 64k}; default 64 KiB. */
  static long maxBodySize(JsonObject json, AdminConfig limits, FieldErrors errors) {
    long max = limits.fanoutMaxBodyBytes();
    Object value = json.getValue("maxBodySize");
    if (value instanceof String text) {
      try {
        return within(Sizes.parse(text), "maxBodySize", Math.min(DEFAULT_MAX_BODY, max), 0, max,
            "admin.fanout.maxBodySize", errors);
      } catch (IllegalArgumentException e) {
        errors.add("maxBodySize", e.getMessage());
        return DEFAULT_MAX_BODY;
      }
    }
    return whole(json, "maxBodySize", Math.min(DEFAULT_MAX_BODY, max), 0, max, "admin.fanout.maxBodySize", errors);
  }

  /** Per target, a duration such as {@code 30s}: more than 0, at most an hour; default 5m. */
  static Duration timeout(JsonObject json, FieldErrors errors) {
    Object value = json.getValue("timeout");
    if (value == null) {
      return DEFAULT_TIMEOUT;
    }
    try {
      Duration timeout = Durations.parse(value instanceof String s ? s : String.valueOf(value));
      if (!timeout.isZero() && timeout.compareTo(MAX_TIMEOUT) <= 0) {
        return timeout;
      }
      errors.add("timeout", "must be more than 0 and at most " + Durations.format(MAX_TIMEOUT));
    } catch (IllegalArgumentException e) {
      errors.add("timeout", e.getMessage());
    }
    return DEFAULT_TIMEOUT;
  }

  private static long whole(JsonObject json, String key, long fallback, long min, long max, String maxKey,
                            FieldErrors errors) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      errors.add(key, describe(value) + " is not a whole number");
      return fallback;
    }
    return within(((Number) value).longValue(), key, fallback, min, max, maxKey, errors);
  }

  private static long within(long n, String key, long fallback, long min, long max, String maxKey, FieldErrors errors) {
    if (n < min || n > max) {
      errors.add(key, n + " is not within " + min + ".." + max + " (" + maxKey + " is " + max + ")");
      return fallback;
    }
    return n;
  }
}
