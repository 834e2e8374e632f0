package dev.smartgateway.cache;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.CacheSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One resource's cache: bounded by bytes, by variants per URL, and by freshness. No network, no clock but the test's. */
class CacheBoundsTest {

  private static final GroupSet GROUPS = GroupSet.of("g1");

  @Test
  void theCacheNeverHoldsMoreBytesThanMaxBytes() {
    ResourceCache cache = new ResourceCache(new CacheSettings(true, Duration.ZERO, 64 << 10, 16 << 10));
    long now = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      cache.store(key("/" + i), response(10_000, now, "", List.of()));
    }

    assertThat(cache.weightedBytes()).isPositive().isLessThanOrEqualTo(64 << 10);
    long kept = java.util.stream.IntStream.range(0, 20)
        .filter(i -> cache.lookup(key("/" + i), MultiMap.caseInsensitiveMultiMap(), now, -1) != null).count();
    assertThat(kept).as("about six of twenty 10 kB answers fit in 64 KiB").isBetween(1L, 6L);
  }

  @Test
  void anAnswerIsServedWhileFreshAndNeverOnceStale() {
    ResourceCache cache = new ResourceCache(CacheSettings.defaults());
    long stored = System.nanoTime();
    cache.store(key("/a"), response(10, stored, "", List.of()));
    MultiMap request = MultiMap.caseInsensitiveMultiMap();

    assertThat(cache.lookup(key("/a"), request, stored + 59_999_000_000L, -1)).isNotNull();
    assertThat(cache.lookup(key("/a"), request, stored + 60_000_000_000L, -1)).isNull();
    assertThat(cache.lookup(key("/a"), request, stored + 5_000_000_000L, 4_000)).as("older than the request's max-age")
        .isNull();
  }

  @Test
  void oneUrlKeepsAtMostSixteenVariantsTheNewest() {
    ResourceCache cache = new ResourceCache(CacheSettings.defaults());
    long now = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      cache.store(key("/v"), response(10, now + i, "accept:" + i + "\n", List.of("accept")));
    }

    for (int i = 0; i < 20; i++) {
      MultiMap request = MultiMap.caseInsensitiveMultiMap().add("Accept", Integer.toString(i));
      assertThat(cache.lookup(key("/v"), request, now + 20, -1) != null).as("variant %d", i).isEqualTo(i >= 4);
    }
  }

  @Test
  void anAnswerVaryingOnOtherHeadersReplacesTheOlderVariants() {
    ResourceCache cache = new ResourceCache(CacheSettings.defaults());
    long now = System.nanoTime();
    cache.store(key("/w"), response(10, now, "accept:a\n", List.of("accept")));
    cache.store(key("/w"), response(10, now, "x-lang:b\n", List.of("x-lang")));

    assertThat(cache.varyNames(key("/w"))).containsExactly("x-lang");
    assertThat(cache.lookup(key("/w"), MultiMap.caseInsensitiveMultiMap().add("Accept", "a"), now, -1)).isNull();
    assertThat(cache.lookup(key("/w"), MultiMap.caseInsensitiveMultiMap().add("X-Lang", "b"), now, -1)).isNotNull();
  }

  private static CacheKey key(String uri) {
    return new CacheKey(GROUPS, "h", uri);
  }

  private static CachedResponse response(int bytes, long storedAt, String variant, List<String> varyNames) {
    return new CachedResponse(200, null, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(new byte[bytes]), storedAt,
        0, 60_000, varyNames, variant);
  }
}
