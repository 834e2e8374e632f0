package dev.smartgateway.access;

import dev.smartgateway.config.JwtConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;

import java.security.SignatureException;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * Verifies the bearer token of a request ({@code access.groups: jwt}): its shape ({@link BearerToken}), an algorithm
 * its keys allow, the signature (vertx-auth-jwt), then the claims on the gateway's clock ({@link JwtClaims}).
 * Verified tokens are remembered for their life ({@link TokenCache}); a key id the JWKS does not know may fetch it
 * again ({@link KeyRing}). Fails only with {@link TokenRejection}. Thread-safe: one for every event loop.
 */
public final class JwtVerifier {

  private final JwtConfig config;
  private final KeyRing keys;
  private final TokenCache cache;
  private final Clock clock;

  private JwtVerifier(JwtConfig config, KeyRing keys, TokenCache cache, Clock clock) {
    this.config = config;
    this.keys = keys;
    this.cache = cache;
    this.clock = clock;
  }

  /**
   * Loads the keys (a JWKS URL is fetched before this completes).
   *
   * @param env how environment variables are read ({@code System::getenv} outside tests)
   * @return fails with a {@link dev.smartgateway.config.ConfigException} naming the key source when its keys are
   *     unusable
   */
  public static Future<JwtVerifier> start(Vertx vertx, JwtConfig config, Function<String, String> env, Clock clock) {
    TokenCache cache = new TokenCache(config.cacheSize(), clock, config.leeway());
    return KeyRing.load(vertx, config, env, clock, cache::clear)
        .map(keys -> new JwtVerifier(config, keys, cache, clock));
  }

  public JwtConfig config() {
    return config;
  }

  /**
   * @param authorization every {@code Authorization} value of the request
   * @return what the token grants; fails with a {@link TokenRejection}
   */
  public Future<VerifiedToken> verify(List<String> authorization) {
    BearerToken bearer;
    try {
      bearer = BearerToken.of(authorization);
    } catch (TokenRejection e) {
      return Future.failedFuture(e);
    }
    VerifiedToken cached = cache.get(bearer.token());
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return signed(bearer, keys.current())
        .recover(err -> {
          if (err instanceof NoSuchKeyIdException && keys.refreshable()) {
            // Maybe the issuer rotated its keys: fetch them again (rate limited) and try once more.
            return keys.refreshForUnknownKey().compose(changed -> changed ? signed(bearer, keys.current())
                : Future.failedFuture(err));
          }
          return Future.failedFuture(err);
        })
        .transform(ar -> {
          if (ar.failed()) {
            return Future.failedFuture(rejection(ar.cause()));
          }
          try {
            VerifiedToken verified = JwtClaims.check(ar.result(), config, clock.instant());
            cache.put(bearer.token(), verified);
            return Future.succeededFuture(verified);
          } catch (TokenRejection e) {
            return Future.failedFuture(e);
          }
        });
  }

  /** The payload if the signature holds with one of these keys. */
  private static Future<JsonObject> signed(BearerToken bearer, KeySet keys) {
    if (!keys.algorithms().contains(bearer.algorithm())) {
      // Also what keeps an HS256 token away from an RSA public key used as an HMAC secret.
      return Future.failedFuture(TokenRejection.invalid("the token's algorithm is not one its keys allow ("
          + String.join(", ", keys.algorithms().stream().sorted().toList()) + ")"));
    }
    return keys.auth().authenticate(new TokenCredentials(bearer.token()))
        .map(user -> user.attributes().getJsonObject("accessToken"));
  }

  private static TokenRejection rejection(Throwable err) {
    if (err instanceof TokenRejection r) {
      return r;
    }
    if (err instanceof NoSuchKeyIdException) {
      return TokenRejection.invalid("the token's key id is not one of the issuer's keys");
    }
    if (err instanceof SignatureException) {
      return TokenRejection.invalid("the token's signature does not verify");
    }
    return TokenRejection.invalid("the token is malformed");
  }

  /** Tokens remembered as verified (for tests and metrics). */
  long cachedTokens() {
    return cache.size();
  }

  public Future<Void> close() {
    return keys.close();
  }
}
