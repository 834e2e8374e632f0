package dev.smartgateway.cache;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored answers of one {@link CacheKey}, one per combination of the request headers their {@code Vary} names
 * ({@link CacheKey#variant}). Immutable: a store makes a new one (one URL has few variants). The {@code Vary} of the
 * newest answer decides: if it names other headers than the stored ones, the older variants go (they were told apart
 * by other headers).
 */
final class Variants {

  /** Variants kept per URL: a VM that varies on a header with endless values cannot fill the cache with one URL. */
  static final int MAX = 16;

  private final List<String> names;
  private final Map<String, CachedResponse> byVariant;
  private final int weight;

  private Variants(List<String> names, Map<String, CachedResponse> byVariant) {
    this.names = names;
    this.byVariant = byVariant;
    long sum = 0;
    for (CachedResponse response : byVariant.values()) {
      sum += response.weight();
    }
    this.weight = (int) Math.min(Integer.MAX_VALUE, sum);
  }

  static Variants of(CachedResponse response) {
    return new Variants(response.varyNames(), Map.of(response.variant(), response));
  }

  List<String> names() {
    return names;
  }

  int weight() {
    return weight;
  }

  /** The fresh answer for these request headers, or null. */
  CachedResponse find(MultiMap requestHeaders, long nowNanos) {
    CachedResponse found = byVariant.get(CacheKey.variant(names, requestHeaders));
    return found != null && found.isFresh(nowNanos) ? found : null;
  }

  /** These variants with {@code response} added (or replacing its variant's); stale ones, and the oldest past MAX, go. */
  Variants with(CachedResponse response, long nowNanos) {
    if (!response.varyNames().equals(names)) {
      return of(response);
    }
    Map<String, CachedResponse> next = new HashMap<>();
    for (Map.Entry<String, CachedResponse> e : byVariant.entrySet()) {
      if (e.getValue().isFresh(nowNanos)) {
        next.put(e.getKey(), e.getValue());
      }
    }
    next.put(response.variant(), response);
    if (next.size() > MAX) {
      List<CachedResponse> byAge = new ArrayList<>(next.values());
      byAge.sort((a, b) -> Long.compare(a.storedAtNanos(), b.storedAtNanos()));
      for (CachedResponse oldest : byAge.subList(0, next.size() - MAX)) {
        next.remove(oldest.variant());
      }
    }
    return new Variants(names, Collections.unmodifiableMap(next));
  }

  /** How long the freshest variant stays fresh: the whole entry expires with it. */
  long remainingNanos(long nowNanos) {
    long longest = 0;
    for (CachedResponse response : byVariant.values()) {
      longest = Math.max(longest, response.remainingNanos(nowNanos));
    }
    return longest;
  }
}
