package dev.smartgateway.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * One stored answer: its status, its end-to-end headers (without {@code Age}, {@code Content-Length} and
 * {@code X-Cache}, which each hit gets anew) and its whole body, with its freshness. Immutable once stored, and
 * read by every event loop: the body is written to each client through a view of its own.
 *
 * @param variant   the values of the request headers its {@code Vary} names ({@link Variants#variant})
 * @param varyNames the header names of its {@code Vary}, lower case and sorted
 */
public record CachedResponse(int status, String statusMessage, MultiMap headers, Buffer body, long storedAtNanos,
                             long initialAgeMs, long lifetimeMs, List<String> varyNames, String variant) {

  /** A rough count of the bytes it keeps alive: body, headers and bookkeeping. */
  public int weight() {
    long bytes = 256L + body.length() + variant.length();
    for (Map.Entry<String, String> header : headers) {
      bytes += 32L + header.getKey().length() + header.getValue().length();
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  /** Its age now (RFC 9111 section 4.2.3): the age it arrived with plus the time it has been stored. */
  public long ageMs(long nowNanos) {
    return initialAgeMs + Math.max(0, (nowNanos - storedAtNanos) / 1_000_000);
  }

  /** The {@code Age} header of a hit: whole seconds. */
  public long ageSeconds(long nowNanos) {
    return ageMs(nowNanos) / 1000;
  }

  public boolean isFresh(long nowNanos) {
    return ageMs(nowNanos) < lifetimeMs;
  }

  /** How much longer it stays fresh, in nanoseconds; 0 once stale. */
  public long remainingNanos(long nowNanos) {
    return Math.max(0, lifetimeMs - ageMs(nowNanos)) * 1_000_000;
  }
}
