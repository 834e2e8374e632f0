package dev.smartgateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A resource's response cache ({@code cache:} under {@code defaults} or {@code resources.<id>}; DESIGN section 7a).
 *
 * @param enabled       whether GET and HEAD answers of the resource are cached ({@code enabled}, default false)
 * @param defaultTtl    how long a response that allows caching but gives no freshness of its own (no
 *                      {@code max-age}, {@code s-maxage} or {@code Expires}) stays fresh; 0: such responses are not
 *                      stored ({@code defaultTtl}, default 0s)
 * @param maxBytes      what the resource's cache may hold in all, bodies and headers; the least recently used go
 *                      first ({@code maxBytes}, default 64m)
 * @param maxEntryBytes a body larger than this streams through to the client whole and is not stored
 *                      ({@code maxEntryBytes}, default 1m; at most {@code maxBytes} and {@link #MAX_ENTRY_BYTES})
 */
public record CacheSettings(boolean enabled, Duration defaultTtl, long maxBytes, long maxEntryBytes) {

  /** The largest entry: one URL's variants are weighed together, in an int (Caffeine's weigher). */
  public static final long MAX_ENTRY_BYTES = 64L << 20;
  /** The largest cache of one resource. */
  public static final long MAX_BYTES = 1L << 40;

  public CacheSettings {
    Objects.requireNonNull(defaultTtl, "defaultTtl");
    if (defaultTtl.isNegative()) {
      throw new IllegalArgumentException("defaultTtl must not be negative: " + defaultTtl);
    }
    if (maxBytes < 1 || maxEntryBytes < 1 || maxEntryBytes > maxBytes || maxEntryBytes > MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException("bounds out of range: maxBytes " + maxBytes + ", maxEntryBytes " + maxEntryBytes);
    }
  }

  /** The documented defaults: off, no default freshness, 64 MiB per resource, 1 MiB per entry. */
  public static CacheSettings defaults() {
    return new CacheSettings(false, Duration.ZERO, 64L << 20, 1L << 20);
  }
}
