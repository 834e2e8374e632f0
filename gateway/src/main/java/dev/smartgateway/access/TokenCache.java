package dev.smartgateway.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;

/**
 * Tokens already verified, so that the warm path of a client sending the same token again costs a hash and a map
 * lookup instead of a signature check. Bounded ({@code access.jwt.cacheSize} entries, least recently used out
 * first); an entry lives no longer than its token plus the leeway, and is checked against the gateway's clock when
 * found, so an expired token is never let in from here. Keyed by the token's SHA-256 rather than the token itself:
 * 32 bytes an entry, whatever size of token a client sends. Only verified tokens are kept: a client inventing
 * tokens fills nothing. Emptied when the keys change.
 */
final class TokenCache {

  private final Cache<String, VerifiedToken> cache;
  private final Clock clock;
  private final Duration leeway;

  TokenCache(int size, Clock clock, Duration leeway) {
    this.clock = clock;
    this.leeway = leeway;
    this.cache = size == 0 ? null : Caffeine.newBuilder().maximumSize(size)
        .expireAfter(new Expiry<String, VerifiedToken>() {
          @Override
          public long expireAfterCreate(String key, VerifiedToken token, long currentTime) {
            long nanos = Duration.between(clock.instant(), token.expires().plus(leeway)).toNanos();
            return Math.max(0, nanos);
          }

          @Override
          public long expireAfterUpdate(String key, VerifiedToken token, long currentTime, long currentDuration) {
            return currentDuration;
          }

          @Override
          public long expireAfterRead(String key, VerifiedToken token, long currentTime, long currentDuration) {
            return currentDuration;
          }
        }).build();
  }

  /** The verdict for this token if it is cached and still within its life; else null. */
  VerifiedToken get(String token) {
    if (cache == null) {
      return null;
    }
    VerifiedToken found = cache.getIfPresent(digest(token));
    if (found != null && !clock.instant().isBefore(found.expires().plus(leeway))) {
      return null;
    }
    return found;
  }

  void put(String token, VerifiedToken verified) {
    if (cache != null) {
      cache.put(digest(token), verified);
    }
  }

  void clear() {
    if (cache != null) {
      cache.invalidateAll();
    }
  }

  long size() {
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** The SHA-256 of the token, its 32 bytes as a 32-char Latin-1 string: compact, with value equality. */
  private static String digest(String token) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return new String(hash, StandardCharsets.ISO_8859_1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
