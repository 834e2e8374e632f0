package dev.smartgateway.access;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.JwtConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.smartgateway.access.TestTokens.AUDIENCE;
import static dev.smartgateway.access.TestTokens.ISSUER;
import static dev.smartgateway.access.TestTokens.SECRET;
import static dev.smartgateway.access.TestTokens.claims;
import static dev.smartgateway.access.TestTokens.hs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifying bearer tokens on a clock the test holds: one row per way a token passes or fails, then each key source. */
class JwtVerifierTest {

  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(NOW);

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** One row: a token made at NOW, and what the verifier says (null: accepted; else the description). */
  record Row(String name, Function<Instant, String> authorization, String refusal) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("valid", now -> bearer(hs256(claims(now, "g1"), SECRET)), null),
        new Row("expired within the leeway", now -> bearer(hs256(claims(now, "g1")
            .put("exp", now.getEpochSecond() - 10), SECRET)), null),
        new Row("expired", now -> bearer(hs256(claims(now, "g1").put("exp", now.getEpochSecond() - 31), SECRET)),
            "the token has expired"),
        new Row("not yet valid", now -> bearer(hs256(claims(now, "g1").put("nbf", now.getEpochSecond() + 60),
            SECRET)), "the token is not valid yet (nbf)"),
        new Row("not yet valid within the leeway", now -> bearer(hs256(claims(now, "g1")
            .put("nbf", now.getEpochSecond() + 20), SECRET)), null),
        new Row("issued in the future", now -> bearer(hs256(claims(now, "g1").put("iat", now.getEpochSecond() + 60),
            SECRET)), "the token was issued in the future (iat)"),
        new Row("no exp", now -> bearer(hs256(without(claims(now, "g1"), "exp"), SECRET)),
            "the token has no exp claim"),
        new Row("wrong issuer", now -> bearer(hs256(claims(now, "g1").put("iss", "https://evil.test"), SECRET)),
            "the token is not from the expected issuer"),
        new Row("wrong audience", now -> bearer(hs256(claims(now, "g1").put("aud", "someone-else"), SECRET)),
            "the token is not meant for this audience"),
        new Row("audience in a list", now -> bearer(hs256(claims(now, "g1")
            .put("aud", new io.vertx.core.json.JsonArray().add("x").add(AUDIENCE)), SECRET)), null),
        new Row("bad signature", now -> bearer(hs256(claims(now, "g1"), SECRET + "-not")),
            "the token's signature does not verify"),
        new Row("tampered payload", now -> bearer(tamper(hs256(claims(now, "g1"), SECRET))),
            "the token's signature does not verify"),
        new Row("alg none", now -> bearer(TestTokens.unsigned(claims(now, "g1"))),
            "the token is not signed (alg none)"),
        new Row("not a JWT", now -> "Bearer abc", "the token is not a signed JWT (header.payload.signature)"),
        new Row("header not JSON", now -> "Bearer a.b.c", "the token's header is not base64url JSON"),
        new Row("RS256 against an HMAC secret", now -> bearer(TestTokens.rs256(claims(now, "g1"),
            TestTokens.rsa().getPrivate(), null)), "the token's algorithm is not one its keys allow (HS256, HS384, HS512)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachTokenIsAcceptedOrRefusedForItsReason(Row row) {
    JwtVerifier verifier = hmacVerifier();
    Future<VerifiedToken> verdict = verifier.verify(List.of(row.authorization().apply(NOW)));
    if (row.refusal() == null) {
      assertThat(await(verdict).groups()).containsExactly("g1");
    } else {
      TokenRejection rejection = rejection(verdict);
      assertThat(rejection.isMissing()).isFalse();
      assertThat(rejection.description()).isEqualTo(row.refusal());
      assertThat(rejection.challenge()).isEqualTo("Bearer realm=\"smart-gateway\", error=\"invalid_token\","
          + " error_description=\"" + row.refusal().replace('"', '\'') + "\"");
    }
  }

  @Test
  void noBearerCredentialIsMissingAndItsChallengeHasNoError() {
    JwtVerifier verifier = hmacVerifier();
    for (List<String> headers : List.of(List.<String>of(), List.of("Basic dXNlcjpwdw=="))) {
      TokenRejection rejection = rejection(verifier.verify(headers));
      assertThat(rejection.isMissing()).isTrue();
      assertThat(rejection.challenge()).isEqualTo("Bearer realm=\"smart-gateway\"");
    }
  }

  @Test
  void theGroupsClaimMayBeOneStringOfNamesSeparatedBySpacesOrCommas() {
    JwtVerifier verifier = hmacVerifier();
    String token = hs256(claims(NOW).put("groups", "g1 g2,g3, bad/name"), SECRET);

    assertThat(await(verifier.verify(List.of(bearer(token)))).groups()).containsExactlyInAnyOrder("g1", "g2", "g3");
  }

  @Test
  void aVerifiedTokenIsRememberedButNotPastItsLife() {
    JwtVerifier verifier = hmacVerifier();
    String token = bearer(hs256(claims(NOW, "g1"), SECRET));
    assertThat(await(verifier.verify(List.of(token))).subject()).isEqualTo("alice");
    assertThat(verifier.cachedTokens()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(300 + 29));
    assertThat(await(verifier.verify(List.of(token))).groups()).containsExactly("g1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(rejection(verifier.verify(List.of(token))).description()).isEqualTo("the token has expired");
  }

  @Test
  void anRsaPublicKeyInPemVerifiesRs256AndRefusesHs256SignedWithTheKeyItself(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    KeyPair pair = TestTokens.rsa();
    Path pem = dir.resolve("key.pem");
    Files.writeString(pem, TestTokens.pem(pair.getPublic()));
    JwtVerifier verifier = start(config(null, null, pem, null));

    assertThat(await(verifier.verify(List.of(bearer(TestTokens.rs256(claims(NOW, "g1"), pair.getPrivate(), "any")))))
        .groups()).containsExactly("g1");
    String confused = TestTokens.hs256(claims(NOW, "g1"), Files.readAllBytes(pem));
    assertThat(rejection(verifier.verify(List.of(bearer(confused)))).description())
        .startsWith("the token's algorithm is not one its keys allow (PS256");
    String otherKey = TestTokens.rs256(claims(NOW, "g1"), TestTokens.rsa().getPrivate(), null);
    assertThat(rejection(verifier.verify(List.of(bearer(otherKey)))).description())
        .isEqualTo("the token's signature does not verify");
  }

  @Test
  void anEcPublicKeyInPemVerifiesEs256(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    KeyPair pair = TestTokens.ec256();
    Path pem = dir.resolve("ec.pem");
    Files.writeString(pem, "# the IdP's key\n" + TestTokens.pem(pair.getPublic()));
    JwtVerifier verifier = start(config(null, null, pem, null));

    assertThat(await(verifier.verify(List.of(bearer(TestTokens.es256(claims(NOW, "g1"), pair.getPrivate(), null)))))
        .groups()).containsExactly("g1");
  }

  @Test
  void aJwksFileVerifiesByKeyIdAndAnUnknownKeyIdIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    KeyPair rsa = TestTokens.rsa();
    KeyPair ec = TestTokens.ec256();
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, TestTokens.jwks(TestTokens.jwk((RSAPublicKey) rsa.getPublic(), "r1"),
        TestTokens.jwk((ECPublicKey) ec.getPublic(), "e1"),
        new JsonObject().put("kty", "oct").put("k", "c2VjcmV0")).encode());
    JwtVerifier verifier = start(config(file, null, null, null));

    assertThat(await(verifier.verify(List.of(bearer(TestTokens.rs256(claims(NOW, "a"), rsa.getPrivate(), "r1")))))
        .groups()).containsExactly("a");
    assertThat(await(verifier.verify(List.of(bearer(TestTokens.es256(claims(NOW, "b"), ec.getPrivate(), "e1")))))
        .groups()).containsExactly("b");
    assertThat(rejection(verifier.verify(List.of(bearer(TestTokens.rs256(claims(NOW, "a"), rsa.getPrivate(), "r9")))))
        .description()).isEqualTo("the token's key id is not one of the issuer's keys");
    // The oct key was left out: a JWKS gives public keys only.
    assertThat(rejection(verifier.verify(List.of(bearer(hs256(claims(NOW, "a"), "secret"))))).description())
        .startsWith("the token's algorithm is not one its keys allow");
  }

  @Test
  void aJwksUrlIsFetchedAgainForANewKeyIdButAtMostOnceInThirtySeconds() {
    KeyPair first = TestTokens.rsa();
    KeyPair second = TestTokens.rsa();
    AtomicReference<JsonObject> served = new AtomicReference<>(TestTokens.jwks(
        TestTokens.jwk((RSAPublicKey) first.getPublic(), "k1")));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer server = await(vertx.createHttpServer().requestHandler(req -> {
      fetches.incrementAndGet();
      req.response().putHeader("Content-Type", "application/json").end(served.get().encode());
    }).listen(0, "127.0.0.1"));
    JwtVerifier verifier = start(config(null, URI.create("http://127.0.0.1:" + server.actualPort() + "/jwks"), null,
        null));
    assertThat(fetches.get()).isEqualTo(1);

    served.set(TestTokens.jwks(TestTokens.jwk((RSAPublicKey) first.getPublic(), "k1"),
        TestTokens.jwk((RSAPublicKey) second.getPublic(), "k2")));
    String rotated = bearer(TestTokens.rs256(claims(NOW, "g1"), second.getPrivate(), "k2"));
    // Right after the start's fetch: an unknown key id does not fetch again.
    assertThat(rejection(verifier.verify(List.of(rotated))).description())
        .isEqualTo("the token's key id is not one of the issuer's keys");
    assertThat(fetches.get()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(30));
    assertThat(await(verifier.verify(List.of(rotated))).groups()).containsExactly("g1");
    assertThat(fetches.get()).isEqualTo(2);

    for (int i = 0; i < 20; i++) {
      String sprayed = bearer(TestTokens.rs256(claims(NOW, "g1"), second.getPrivate(), "made-up-" + i));
      assertThat(rejection(verifier.verify(List.of(sprayed))).description())
          .isEqualTo("the token's key id is not one of the issuer's keys");
    }
    assertThat(fetches.get()).as("sprayed key ids fetch nothing within the gap").isEqualTo(2);
    await(verifier.close());
  }

  @Test
  void unusableKeysFailTheStartUnderTheKeySourcesKey(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    assertStartFails(config(null, null, null, "JWT_SECRET"), Map.of(), "access.jwt.secretEnv",
        "the environment variable JWT_SECRET is not set");
    assertStartFails(config(null, null, null, "JWT_SECRET"), Map.of("JWT_SECRET", "short"), "access.jwt.secretEnv",
        "the secret in JWT_SECRET is 5 bytes; HMAC tokens need at least 32");
    Path privatePem = dir.resolve("private.pem");
    Files.writeString(privatePem, TestTokens.pemPrivate(TestTokens.rsa().getPrivate()));
    assertStartFails(config(null, null, privatePem, null), Map.of(), "access.jwt.publicKey",
        "holds a private key (PRIVATE KEY); give the public key");
    assertStartFails(config(null, null, dir.resolve("absent.pem"), null), Map.of(), "access.jwt.publicKey",
        "cannot read " + dir.resolve("absent.pem"));
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "{\"keys\": []}", StandardCharsets.UTF_8);
    assertStartFails(config(empty, null, null, null), Map.of(), "access.jwt.jwks", "no usable signing key");
    int closedPort = freePort();
    assertStartFails(config(null, URI.create("http://127.0.0.1:" + closedPort + "/jwks"), null, null), Map.of(),
        "access.jwt.jwks", "cannot fetch the JWKS from http://127.0.0.1:" + closedPort + "/jwks");
  }

  private void assertStartFails(JwtConfig config, Map<String, String> env, String key, String reason) {
    assertThatThrownBy(() -> await(JwtVerifier.start(vertx, config, env::get, clock)))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.reason()).startsWith(reason);
        });
  }

  private JwtVerifier hmacVerifier() {
    return await(JwtVerifier.start(vertx, config(null, null, null, "JWT_SECRET"), Map.of("JWT_SECRET", SECRET)::get,
        clock));
  }

  private JwtVerifier start(JwtConfig config) {
    return await(JwtVerifier.start(vertx, config, name -> null, clock));
  }

  private static JwtConfig config(Path jwksFile, URI jwksUrl, Path publicKey, String secretEnv) {
    return new JwtConfig(jwksFile, jwksUrl, publicKey, secretEnv, ISSUER, AUDIENCE, "groups", Duration.ofSeconds(30),
        false, Duration.ofMinutes(10), 100);
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  private static JsonObject without(JsonObject claims, String name) {
    claims.remove(name);
    return claims;
  }

  /** The same header and signature over a payload that grants one more group. */
  private static String tamper(String token) {
    String[] parts = token.split("\\.");
    JsonObject payload = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
        StandardCharsets.UTF_8));
    payload.getJsonArray("groups").add("admin");
    return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TokenRejection rejection(Future<VerifiedToken> verdict) {
    try {
      verdict.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TokenRejection.class);
      return (TokenRejection) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the token was accepted");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
