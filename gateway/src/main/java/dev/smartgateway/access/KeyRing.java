package dev.smartgateway.access;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.JwtConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The verification keys of {@code access.jwt}, loaded at start from the one key source (a start-up error under that
 * source's key if they are unusable). A JWKS URL is fetched again every {@code refresh}, and when a token names a key
 * id the set does not have (the issuer rotated its keys) — but at most once per {@link #MIN_FETCH_GAP} on the
 * gateway's clock and never twice at once, so a client spraying made-up key ids cannot make the gateway fetch per
 * request. A failed re-fetch keeps the keys it had.
 */
final class KeyRing {

  private static final Logger log = LoggerFactory.getLogger(KeyRing.class);

  /** The least time between two fetches asked for by unknown key ids. */
  static final Duration MIN_FETCH_GAP = Duration.ofSeconds(30);
  /** HS256 needs a key of at least its hash's size (RFC 7518 section 3.2). */
  static final int MIN_SECRET_BYTES = 32;

  private final Vertx vertx;
  private final JwtConfig config;
  private final JwksFetcher fetcher;
  private final Clock clock;
  private final Runnable changed;
  private volatile KeySet keys;
  private Instant lastFetch = Instant.MIN;
  private Future<Boolean> fetching;
  private long timer = -1;

  private KeyRing(Vertx vertx, JwtConfig config, JwksFetcher fetcher, Clock clock, Runnable changed) {
    this.vertx = vertx;
    this.config = config;
    this.fetcher = fetcher;
    this.clock = clock;
    this.changed = changed;
  }

  /**
   * @param env     how environment variables are read ({@code System::getenv} outside tests)
   * @param changed called after the keys were replaced (cached verdicts are dropped then)
   * @return the loaded keys; fails with a {@link ConfigException} under the source's key
   */
  static Future<KeyRing> load(Vertx vertx, JwtConfig config, Function<String, String> env, Clock clock,
                              Runnable changed) {
    String key = config.sourceKey();
    if (config.jwksUrl() != null) {
      KeyRing ring = new KeyRing(vertx, config, new JwksFetcher(vertx, config.jwksUrl()), clock, changed);
      return ring.fetch().transform(ar -> {
        if (ar.failed()) {
          return ring.close().transform(x -> Future.failedFuture(new ConfigException(key, ar.cause().getMessage())));
        }
        ring.timer = vertx.setPeriodic(config.refresh().toMillis(), id -> ring.fetch());
        return Future.succeededFuture(ring);
      });
    }
    KeyRing ring = new KeyRing(vertx, config, null, clock, changed);
    try {
      ring.keys = fixedKeys(vertx, config, env);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ConfigException(key, e.getMessage()));
    }
    return Future.succeededFuture(ring);
  }

  private static KeySet fixedKeys(Vertx vertx, JwtConfig config, Function<String, String> env) {
    if (config.secretEnv() != null) {
      String secret = env.apply(config.secretEnv());
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException("the environment variable " + config.secretEnv() + " is not set");
      }
      byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
      if (bytes.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("the secret in " + config.secretEnv() + " is " + bytes.length
            + " bytes; HMAC tokens need at least " + MIN_SECRET_BYTES);
      }
      return KeySet.hmac(vertx, bytes);
    }
    if (config.publicKey() != null) {
      PemKey.Parsed pem = PemKey.read(read(config.publicKey()));
      return KeySet.pem(vertx, pem.block(), pem.algorithms());
    }
    JsonObject document;
    try {
      document = new JsonObject(read(config.jwksFile()));
    } catch (DecodeException e) {
      throw new IllegalArgumentException(config.jwksFile() + " is not JSON (" + e.getMessage() + ")");
    }
    List<String> skipped = new ArrayList<>();
    KeySet set = KeySet.jwks(vertx, document, skipped);
    skipped.forEach(why -> log.warn("access.jwt.jwks {}: {}, left out", config.jwksFile(), why));
    return set;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + " (" + e + ")");
    }
  }

  KeySet current() {
    return keys;
  }

  /** True if the keys come from a URL: an unknown key id may be a rotation worth a fetch. */
  boolean refreshable() {
    return fetcher != null;
  }

  /**
   * For a key id the keys do not have: fetches the JWKS again unless one was fetched less than
   * {@link #MIN_FETCH_GAP} ago (or is being fetched: then waits for that one).
   *
   * @return true if the keys may have changed (the token is worth verifying again)
   */
  synchronized Future<Boolean> refreshForUnknownKey() {
    if (fetcher == null) {
      return Future.succeededFuture(false);
    }
    if (fetching != null) {
      return fetching;
    }
    if (Duration.between(lastFetch, clock.instant()).compareTo(MIN_FETCH_GAP) < 0) {
      return Future.succeededFuture(false);
    }
    return fetch();
  }

  /** One fetch at a time; true if it brought a usable key set. */
  private synchronized Future<Boolean> fetch() {
    if (fetching != null) {
      return fetching;
    }
    lastFetch = clock.instant();
    Future<Boolean> f = fetcher.fetch().map(document -> {
      List<String> skipped = new ArrayList<>();
      KeySet set = KeySet.jwks(vertx, document, skipped);
      skipped.forEach(why -> log.warn("access.jwt.jwks {}: {}, left out", fetcher.url(), why));
      boolean first = keys == null;
      keys = set;
      if (!first) {
        changed.run();
      }
      return true;
    }).recover(err -> {
      if (keys == null) {
        return Future.failedFuture(err instanceof IllegalArgumentException ? "the JWKS from " + fetcher.url()
            + " has " + err.getMessage() : err.getMessage());
      }
      log.warn("access.jwt.jwks: {}; keeping the keys fetched before", err.getMessage());
      return Future.succeededFuture(false);
    }).andThen(ar -> {
      synchronized (this) {
        fetching = null;
      }
    });
    fetching = f.isComplete() ? null : f;
    return f;
  }

  Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return fetcher == null ? Future.succeededFuture() : fetcher.close();
  }
}
