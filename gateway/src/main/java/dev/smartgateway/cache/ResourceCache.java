package dev.smartgateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.smartgateway.config.CacheSettings;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * One resource's stored answers, in a Caffeine cache bounded by bytes ({@code cache.maxBytes}, weighed by
 * {@link Variants#weight()}, least recently used first) whose entries expire when their freshest variant goes stale,
 * so that memory follows what can still be served. Lock-free reads from any event loop; a store updates one URL's
 * variants atomically. Maintenance (eviction) runs on the caller's thread in small amortised steps, and expired
 * entries are swept by Caffeine's scheduler thread, never on an event loop's time.
 */
public final class ResourceCache {

  private final CacheSettings settings;
  private final Cache<CacheKey, Variants> entries;

  ResourceCache(CacheSettings settings) {
    this.settings = settings;
    this.entries = Caffeine.newBuilder()
        .maximumWeight(settings.maxBytes())
        .weigher((CacheKey key, Variants variants) -> variants.weight())
        .expireAfter(new Expiry<CacheKey, Variants>() {
          @Override
          public long expireAfterCreate(CacheKey key, Variants value, long currentTime) {
            return value.remainingNanos(currentTime);
          }

          @Override
          public long expireAfterUpdate(CacheKey key, Variants value, long currentTime, long currentDuration) {
            return value.remainingNanos(currentTime);
          }

          @Override
          public long expireAfterRead(CacheKey key, Variants value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .executor(Runnable::run)
        .scheduler(Scheduler.systemScheduler())
        .build();
  }

  CacheSettings settings() {
    return settings;
  }

  /**
   * The fresh answer for this request, or null.
   *
   * @param maxAgeMs the oldest answer the request accepts ({@link CachePolicy#requestMaxAgeMs}); -1: any fresh one
   */
  public CachedResponse lookup(CacheKey key, MultiMap requestHeaders, long nowNanos, long maxAgeMs) {
    Variants variants = entries.getIfPresent(key);
    CachedResponse found = variants == null ? null : variants.find(requestHeaders, nowNanos);
    return found == null || maxAgeMs >= 0 && found.ageMs(nowNanos) > maxAgeMs ? null : found;
  }

  /** The header names the stored answers of this URL vary on, or null if none is stored. */
  public List<String> varyNames(CacheKey key) {
    Variants variants = entries.getIfPresent(key);
    return variants == null ? null : variants.names();
  }

  /** Stores an answer (its body within {@code maxEntryBytes}, checked by the caller while it streamed). */
  public void store(CacheKey key, CachedResponse response) {
    long now = System.nanoTime();
    entries.asMap().compute(key, (k, old) -> old == null ? Variants.of(response) : old.with(response, now));
  }

  /** Bytes held (weighed), for the metrics. */
  public long weightedBytes() {
    return entries.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }
}
