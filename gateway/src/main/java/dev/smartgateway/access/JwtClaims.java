package dev.smartgateway.access;

import dev.smartgateway.config.JwtConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The claims of a token whose signature holds: times ({@code exp} required; {@code nbf}, {@code iat} if present, all
 * with the configured leeway), {@code iss}, {@code aud}, and the groups claim. Pure: the time is given, so the checks
 * run on any clock.
 */
final class JwtClaims {

  private JwtClaims() {
  }

  /** @throws TokenRejection naming the first claim that does not hold */
  static VerifiedToken check(JsonObject payload, JwtConfig config, Instant now) {
    long leeway = config.leeway().toSeconds();
    long nowSeconds = now.getEpochSecond();
    Long exp = numericDate(payload, "exp");
    if (exp == null) {
      // A token without exp would be good forever: refused rather than trusted.
      throw TokenRejection.invalid("the token has no exp claim");
    }
    if (nowSeconds - leeway >= exp) {
      throw TokenRejection.invalid("the token has expired");
    }
    Long nbf = numericDate(payload, "nbf");
    if (nbf != null && nowSeconds + leeway < nbf) {
      throw TokenRejection.invalid("the token is not valid yet (nbf)");
    }
    Long iat = numericDate(payload, "iat");
    if (iat != null && nowSeconds + leeway < iat) {
      throw TokenRejection.invalid("the token was issued in the future (iat)");
    }
    if (!config.issuer().equals(payload.getValue("iss"))) {
      throw TokenRejection.invalid("the token is not from the expected issuer");
    }
    if (!audienceHolds(payload.getValue("aud"), config.audience())) {
      throw TokenRejection.invalid("the token is not meant for this audience");
    }
    Object sub = payload.getValue("sub");
    return new VerifiedToken(groups(payload.getValue(config.groupsClaim())), sub instanceof String s ? s : null,
        Instant.ofEpochSecond(exp));
  }

  /** A NumericDate (seconds, RFC 7519 section 2), fractions cut; null if absent. */
  private static Long numericDate(JsonObject payload, String claim) {
    Object value = payload.getValue(claim);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      throw TokenRejection.invalid("the token's " + claim + " claim is not a number");
    }
    return n.longValue();
  }

  /** {@code aud} is one string or an array of strings (RFC 7519 section 4.1.3). */
  private static boolean audienceHolds(Object aud, String expected) {
    if (aud instanceof String s) {
      return s.equals(expected);
    }
    return aud instanceof JsonArray array && array.contains(expected);
  }

  /**
   * The groups claim as names: an array of strings, or one string of names separated by spaces or commas (as
   * {@code scope} is). Names a virtual URL could not carry are dropped: they can grant nothing. Anything else (a
   * number, an object) is refused rather than read as no groups.
   */
  static Set<String> groups(Object claim) {
    Set<String> groups = new LinkedHashSet<>();
    if (claim == null) {
      return groups;
    }
    if (claim instanceof String s) {
      for (String name : s.split("[\\s,]+")) {
        if (GroupSet.isValidName(name)) {
          groups.add(name);
        }
      }
      return groups;
    }
    if (claim instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof String name)) {
          throw TokenRejection.invalid("the token's groups claim is not a list of names");
        }
        if (GroupSet.isValidName(name)) {
          groups.add(name);
        }
      }
      return groups;
    }
    throw TokenRejection.invalid("the token's groups claim is neither a list nor a string of names");
  }
}
