package dev.smartgateway.access;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys tokens are verified with, as one immutable value: a vertx-auth-jwt {@link JWTAuth} that checks signatures
 * (nothing else: claims are {@link JwtClaims}' business), the algorithms its keys allow, and their key ids. A key
 * set is never empty: vertx-auth-jwt without keys would accept unsigned tokens.
 *
 * <p>The algorithms come from the keys: an RSA key allows RS and PS, an EC key the ES of its curve, a secret HS
 * only. So a token whose header asks for HS256 against an RSA public key (the classic confusion) finds no key.
 */
record KeySet(JWTAuth auth, Set<String> algorithms, Set<String> keyIds) {

  static final List<String> HMAC = List.of("HS256", "HS384", "HS512");
  static final List<String> RSA = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");

  KeySet {
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("a key set needs at least one key");
    }
    algorithms = Set.copyOf(algorithms);
    keyIds = Set.copyOf(keyIds);
  }

  /** One HMAC secret, for HS256, HS384 and HS512. */
  static KeySet hmac(Vertx vertx, byte[] secret) {
    JWTAuthOptions options = options();
    HMAC.forEach(alg -> options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(Buffer.buffer(secret))));
    return new KeySet(JWTAuth.create(vertx, options), new LinkedHashSet<>(HMAC), Set.of());
  }

  /** One public key in PEM, for the algorithms its type allows ({@link PemKey#read}). */
  static KeySet pem(Vertx vertx, String pem, List<String> algorithms) {
    JWTAuthOptions options = options();
    algorithms.forEach(alg -> options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(pem)));
    return new KeySet(JWTAuth.create(vertx, options), new LinkedHashSet<>(algorithms), Set.of());
  }

  /**
   * The signing keys of a JWKS document ({@code {"keys": [...]}}): public keys only (an HMAC secret belongs in
   * {@code secretEnv}, not in a document served or stored in the clear), {@code use} absent or {@code sig}.
   *
   * @param skipped collects why each key left out was left out
   * @throws IllegalArgumentException if the document is not a JWKS, or none of its keys is usable
   */
  static KeySet jwks(Vertx vertx, JsonObject document, List<String> skipped) {
    if (!(document.getValue("keys") instanceof JsonArray keys)) {
      throw new IllegalArgumentException("not a JWKS document (no \"keys\" list)");
    }
    JWTAuthOptions options = options();
    Set<String> algorithms = new LinkedHashSet<>();
    Set<String> kids = new LinkedHashSet<>();
    List<String> why = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!(keys.getValue(i) instanceof JsonObject key)) {
        why.add("keys[" + i + "] is not an object");
        continue;
      }
      String kty = key.getValue("kty") instanceof String s ? s : "";
      Object use = key.getValue("use");
      if (use != null && !"sig".equals(use)) {
        why.add("keys[" + i + "] is not for signatures (use " + use + ")");
      } else if (!kty.equals("RSA") && !kty.equals("EC") && !kty.equals("OKP")) {
        why.add("keys[" + i + "] has key type \"" + kty + "\" (public keys only: RSA, EC, OKP)");
      } else {
        try {
          JWK jwk = new JWK(key); // validates the key material, and tells the algorithm it is registered under
          if (jwk.publicKey() == null) {
            why.add("keys[" + i + "] has no public key");
            continue;
          }
          options.addJwk(key);
          algorithms.add(jwk.getAlgorithm());
          if (jwk.getId() != null) {
            kids.add(jwk.getId());
          }
        } catch (RuntimeException e) {
          why.add("keys[" + i + "] is not a usable key (" + e.getMessage() + ")");
        }
      }
    }
    skipped.addAll(why);
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("no usable signing key" + (why.isEmpty() ? "" : ": " + String.join("; ", why)));
    }
    return new KeySet(JWTAuth.create(vertx, options), algorithms, kids);
  }

  /** Signatures only: expiry, issuer and audience are checked by {@link JwtClaims} on the gateway's clock. */
  private static JWTAuthOptions options() {
    return new JWTAuthOptions().setJWTOptions(new JWTOptions().setIgnoreExpiration(true));
  }
}
