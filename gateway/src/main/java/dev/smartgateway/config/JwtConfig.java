package dev.smartgateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code access.jwt}: how a bearer token is verified in {@code access.groups: jwt} mode. Exactly one key source is
 * set: a JWKS ({@code jwks}, a file path or an http(s) URL), a PEM public key file ({@code publicKey}), or the name
 * of an environment variable holding an HMAC secret ({@code secretEnv}; the secret itself never sits in the YAML).
 *
 * @param jwksFile     a JWKS document on disk, read at start; or null
 * @param jwksUrl      a JWKS served over http(s), fetched at start and every {@code refresh}, and again (rate
 *                     limited) when a token names a key id it does not know; or null
 * @param publicKey    a PEM file with an RSA, EC or Ed25519 public key (or a certificate); or null
 * @param secretEnv    the environment variable holding an HMAC secret (HS256/384/512); or null
 * @param issuer       the {@code iss} every token must have
 * @param audience     a value the token's {@code aud} must contain
 * @param groupsClaim  the claim listing the caller's groups: an array of names, or one string of names separated by
 *                     spaces or commas
 * @param leeway       clock skew allowed on {@code exp}, {@code nbf} and {@code iat}
 * @param forwardToken whether the VM gets the {@code Authorization} header (removed by default)
 * @param refresh      how often a JWKS URL is fetched again
 * @param cacheSize    how many verified tokens are remembered (each until it expires); 0 verifies every request
 */
public record JwtConfig(Path jwksFile, URI jwksUrl, Path publicKey, String secretEnv, String issuer, String audience,
                        String groupsClaim, Duration leeway, boolean forwardToken, Duration refresh, int cacheSize) {

  public static final String DEFAULT_GROUPS_CLAIM = "groups";
  public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(10);
  public static final int DEFAULT_CACHE_SIZE = 10_000;

  public JwtConfig {
    int sources = (jwksFile != null ? 1 : 0) + (jwksUrl != null ? 1 : 0) + (publicKey != null ? 1 : 0)
        + (secretEnv != null ? 1 : 0);
    if (sources != 1) {
      throw new IllegalArgumentException("exactly one key source, got " + sources);
    }
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(groupsClaim, "groupsClaim");
    Objects.requireNonNull(leeway, "leeway");
    Objects.requireNonNull(refresh, "refresh");
  }

  /** A configuration verifying HMAC tokens with the secret in {@code secretEnv}, every other key at its default. */
  public static JwtConfig hmac(String secretEnv, String issuer, String audience) {
    return new JwtConfig(null, null, null, secretEnv, issuer, audience, DEFAULT_GROUPS_CLAIM, DEFAULT_LEEWAY, false,
        DEFAULT_REFRESH, DEFAULT_CACHE_SIZE);
  }

  /** The configuration key of the key source, for messages ({@code access.jwt.jwks} ...). */
  public String sourceKey() {
    if (jwksFile != null || jwksUrl != null) {
      return "access.jwt.jwks";
    }
    return publicKey != null ? "access.jwt.publicKey" : "access.jwt.secretEnv";
  }
}
