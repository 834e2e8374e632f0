package dev.smartgateway.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes JWTs for the tests with the JDK alone (no code of the verifier under test): keys, PEM and JWK forms of
 * public keys, and compact tokens signed with HS, RS or ES algorithms — or not signed at all.
 */
public final class TestTokens {

  public static final String ISSUER = "https://idp.test";
  public static final String AUDIENCE = "smart-gateway";
  /** 40 bytes: enough for HS256. */
  public static final String SECRET = "0123456789abcdef0123456789abcdef-secret";

  private TestTokens() {
  }

  public static KeyPair rsa() {
    return generate("RSA", null);
  }

  public static KeyPair ec256() {
    return generate("EC", new ECGenParameterSpec("secp256r1"));
  }

  private static KeyPair generate(String type, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
      if (spec != null) {
        generator.initialize(spec);
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims that pass: the test issuer and audience, issued now, expiring in 5 minutes, with these groups. */
  public static JsonObject claims(Instant now, String... groups) {
    return new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", "alice")
        .put("iat", now.getEpochSecond()).put("exp", now.getEpochSecond() + 300)
        .put("groups", new JsonArray(java.util.List.of(groups)));
  }

  public static String hs256(JsonObject claims, String secret) {
    return sign(new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims,
        input -> hmac(secret.getBytes(StandardCharsets.UTF_8), input));
  }

  /** HS256 with an arbitrary key: the algorithm-confusion attack signs with the RSA public key's PEM bytes. */
  public static String hs256(JsonObject claims, byte[] key) {
    return sign(new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims, input -> hmac(key, input));
  }

  public static String rs256(JsonObject claims, PrivateKey key, String kid) {
    return sign(header("RS256", kid), claims, input -> jdkSign("SHA256withRSA", key, input));
  }

  public static String es256(JsonObject claims, PrivateKey key, String kid) {
    return sign(header("ES256", kid), claims, input -> jdkSign("SHA256withECDSAinP1363Format", key, input));
  }

  /** An unsecured JWT (RFC 7519 section 6): {@code alg: none}, an empty signature. */
  public static String unsigned(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").encode()) + "." + b64(claims.encode()) + ".";
  }

  private static JsonObject header(String alg, String kid) {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
    return kid == null ? header : header.put("kid", kid);
  }

  private interface Signer {
    byte[] sign(byte[] input);
  }

  private static String sign(JsonObject header, JsonObject claims, Signer signer) {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    return input + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] hmac(byte[] key, byte[] input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] jdkSign(String algorithm, PrivateKey key, byte[] input) {
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(input);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  public static String pemPrivate(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
  }

  /** The public JWK of an RSA key, for RS256. */
  public static JsonObject jwk(RSAPublicKey key, String kid) {
    return new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig").put("kid", kid)
        .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
  }

  /** The public JWK of a P-256 key, for ES256. */
  public static JsonObject jwk(ECPublicKey key, String kid) {
    return new JsonObject().put("kty", "EC").put("crv", "P-256").put("alg", "ES256").put("kid", kid)
        .put("x", fixed(key.getW().getAffineX(), 32)).put("y", fixed(key.getW().getAffineY(), 32));
  }

  public static JsonObject jwks(JsonObject... keys) {
    return new JsonObject().put("keys", new JsonArray(java.util.List.of((Object[]) keys)));
  }

  private static String unsigned(BigInteger n) {
    byte[] bytes = n.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String fixed(BigInteger n, int length) {
    byte[] bytes = n.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(bytes.length, length);
    System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
