package dev.smartgateway.access;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The bearer token of a request (RFC 6750 section 2.1) and the JOSE header of its JWS, read before any key is
 * touched: the shape is checked here (three parts, a signature, an algorithm), so that an unsigned token
 * ({@code alg: none}, or no signature part) is refused by the gateway itself whatever the library would do.
 *
 * @param token     the compact JWS as sent
 * @param algorithm the header's {@code alg}
 * @param keyId     the header's {@code kid}; null if none
 */
record BearerToken(String token, String algorithm, String keyId) {

  private static final String SCHEME = "Bearer ";

  /**
   * @param authorization every {@code Authorization} value of the request
   * @throws TokenRejection missing when there is no bearer credential (no header, or another scheme); invalid when
   *                        the token is not a well-formed signed JWT
   */
  static BearerToken of(List<String> authorization) {
    if (authorization.isEmpty()) {
      throw TokenRejection.missing();
    }
    if (authorization.size() > 1) {
      throw TokenRejection.invalid("the request has several Authorization headers");
    }
    String value = authorization.get(0).trim();
    if (!value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      // Another scheme (Basic, ...): the client does not know a bearer token is needed (RFC 6750 section 3.1).
      throw TokenRejection.missing();
    }
    String token = value.substring(SCHEME.length()).trim();
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw TokenRejection.invalid("the token is not a signed JWT (header.payload.signature)");
    }
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw TokenRejection.invalid("the token's header is not base64url JSON");
    }
    if (!(header.getValue("alg") instanceof String alg)) {
      throw TokenRejection.invalid("the token's header names no algorithm");
    }
    if (alg.equalsIgnoreCase("none") || parts[2].isEmpty()) {
      throw TokenRejection.invalid("the token is not signed (alg none)");
    }
    Object kid = header.getValue("kid");
    return new BearerToken(token, alg, kid instanceof String k ? k : null);
  }
}
