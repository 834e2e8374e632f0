package dev.smartgateway.config;

import dev.smartgateway.config.AccessConfig.TrustMode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code access:}. The shape is checked here; what can only be checked by reading a file, an environment
 * variable or a URL (is the key usable?) is checked when the gateway starts, with errors under the same keys.
 */
final class AccessConfigReader {

  private static final List<String> JWT_KEYS = List.of("jwks", "publicKey", "secretEnv", "issuer", "audience",
      "groupsClaim", "leeway", "forwardToken", "refresh", "cacheSize");
  private static final List<String> SOURCES = List.of("jwks", "publicKey", "secretEnv");
  private static final Duration MAX_LEEWAY = Duration.ofHours(1);

  private AccessConfigReader() {
  }

  static AccessConfig read(ConfigSection s) {
    s.allowOnly(List.of("groups", "jwt"));
    String mode = s.string("groups", "url");
    TrustMode trust = switch (mode) {
      case "url" -> TrustMode.URL;
      case "jwt" -> TrustMode.JWT;
      default -> {
        s.error("groups", ConfigSection.quote(mode) + " is not a trust mode (allowed: url, jwt)");
        yield TrustMode.URL;
      }
    };
    if (trust == TrustMode.URL) {
      if (s.has("jwt") && mode.equals("url")) {
        // A jwt section that is silently not used would leave the door open that its author meant to close.
        s.error("jwt", "is only used with access.groups: jwt (with url, the groups in a URL are trusted as asserted)");
      }
      return AccessConfig.defaults();
    }
    JwtConfig jwt = jwt(s.section("jwt"));
    return jwt == null ? AccessConfig.defaults() : new AccessConfig(TrustMode.JWT, jwt);
  }

  /** The jwt section; null when a problem was recorded (the loader then reports and throws). */
  private static JwtConfig jwt(ConfigSection s) {
    s.allowOnly(JWT_KEYS);
    List<String> given = new ArrayList<>();
    SOURCES.forEach(k -> {
      if (s.has(k)) {
        given.add(k);
      }
    });
    boolean ok = true;
    if (given.isEmpty()) {
      s.errorAt(s.path(), "needs one key source: jwks (a file or an http(s) URL), publicKey (a PEM file) or"
          + " secretEnv (the environment variable holding an HMAC secret)");
      ok = false;
    } else if (given.size() > 1) {
      s.error(given.get(1), "only one key source may be given (" + String.join(", ", given) + " are)");
      ok = false;
    }
    String jwks = nonBlank(s, "jwks");
    String publicKey = nonBlank(s, "publicKey");
    String secretEnv = nonBlank(s, "secretEnv");
    if (secretEnv != null && !secretEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      s.error("secretEnv", ConfigSection.quote(secretEnv) + " is not an environment variable name"
          + " (the secret itself never goes in the configuration)");
      ok = false;
    }
    URI jwksUrl = null;
    Path jwksFile = null;
    if (jwks != null) {
      if (jwks.contains("://")) {
        jwksUrl = url(s, jwks);
        ok &= jwksUrl != null;
      } else {
        jwksFile = Path.of(jwks);
      }
    }
    String issuer = required(s, "issuer", "the iss every token must have");
    String audience = required(s, "audience", "a value the token's aud must contain");
    String groupsClaim = s.string("groupsClaim", JwtConfig.DEFAULT_GROUPS_CLAIM);
    if (groupsClaim.isBlank()) {
      s.error("groupsClaim", "must not be empty");
      ok = false;
    }
    Duration leeway = s.duration("leeway", JwtConfig.DEFAULT_LEEWAY);
    if (leeway.compareTo(MAX_LEEWAY) > 0) {
      s.error("leeway", Durations.format(leeway) + " is more than " + Durations.format(MAX_LEEWAY)
          + " (clock skew, not a grace period)");
      ok = false;
    }
    boolean forwardToken = s.bool("forwardToken", false);
    Duration refresh = s.positiveDuration("refresh", JwtConfig.DEFAULT_REFRESH);
    int cacheSize = s.integer("cacheSize", JwtConfig.DEFAULT_CACHE_SIZE, 0, 10_000_000);
    if (!ok || issuer == null || audience == null || given.size() != 1) {
      return null;
    }
    return new JwtConfig(jwksFile, jwksUrl, publicKey == null ? null : Path.of(publicKey), secretEnv, issuer,
        audience, groupsClaim, leeway, forwardToken, refresh, cacheSize);
  }

  private static URI url(ConfigSection s, String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    s.error("jwks", ConfigSection.quote(text) + " is neither a file path nor an http(s) URL with a host");
    return null;
  }

  private static String nonBlank(ConfigSection s, String key) {
    String value = s.string(key, null);
    if (value != null && value.isBlank()) {
      s.error(key, "must not be empty");
      return null;
    }
    return value;
  }

  private static String required(ConfigSection s, String key, String what) {
    String value = nonBlank(s, key);
    if (value == null && !s.has(key)) {
      s.error(key, "required with access.groups: jwt (" + what + ")");
    }
    return value;
  }
}
