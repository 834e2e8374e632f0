package dev.smartgateway.it;

import dev.smartgateway.access.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.smartgateway.access.TestTokens.SECRET;
import static dev.smartgateway.access.TestTokens.claims;
import static dev.smartgateway.access.TestTokens.hs256;
import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code access.groups: jwt} through a real gateway and the mock cloud, the HMAC secret coming from the environment
 * the gateway is given: one row per kind of token, then what a VM sees, what a browser gets, and that a refused
 * token wakes nothing. Tokens are made on the real clock with margins far wider than a test run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAccessTest {

  private static final String ACCESS = """
      access:
        groups: jwt
        jwt: {secretEnv: JWT_SECRET, issuer: 'https://idp.test', audience: smart-gateway}
      """;

  private Harness harness;

  @BeforeAll
  void start() {
    harness = Harness.startWithEnv(0, 20, ACCESS + """
        resources:
          payroll: {allowedGroups: [finance]}
          cached: {cache: {enabled: true}}
        """, Map.of("JWT_SECRET", SECRET));
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  /** A row: the Authorization value (null for none), the status, and the error of the challenge (null for none). */
  record Row(String name, Supplier<String> authorization, int status, String slug, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("no token", () -> null, 401, "unauthorized", null),
        new Row("another scheme", () -> "Basic dXNlcjpwdw==", 401, "unauthorized", null),
        new Row("bad signature", () -> bearer(hs256(claims(now(), "g1"), SECRET + "x")), 401, "unauthorized",
            "invalid_token"),
        new Row("expired", () -> bearer(hs256(claims(now(), "g1").put("exp", now().getEpochSecond() - 600), SECRET)),
            401, "unauthorized", "invalid_token"),
        new Row("expired within the leeway", () -> bearer(hs256(claims(now(), "g1")
            .put("exp", now().getEpochSecond() - 5), SECRET)), 200, null, null),
        new Row("not yet valid", () -> bearer(hs256(claims(now(), "g1").put("nbf", now().getEpochSecond() + 600),
            SECRET)), 401, "unauthorized", "invalid_token"),
        new Row("wrong issuer", () -> bearer(hs256(claims(now(), "g1").put("iss", "https://evil.test"), SECRET)), 401,
            "unauthorized", "invalid_token"),
        new Row("wrong audience", () -> bearer(hs256(claims(now(), "g1").put("aud", "another-app"), SECRET)), 401,
            "unauthorized", "invalid_token"),
        new Row("alg none", () -> bearer(TestTokens.unsigned(claims(now(), "g1"))), 401, "unauthorized",
            "invalid_token"),
        new Row("groups not a subset", () -> bearer(hs256(claims(now(), "g2"), SECRET)), 403, "groups-not-granted",
            null),
        new Row("groups claim as a string", () -> bearer(hs256(claims(now()).put("groups", "g0 g1,g2"), SECRET)), 200,
            null, null),
        new Row("valid", () -> bearer(hs256(claims(now(), "g1", "g2"), SECRET)), 200, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachTokenGetsItsAnswerAndOnlyAValidOneReachesAVm(Row row) {
    int startedBefore = harness.stats().getInteger("started");
    String authorization = row.authorization().get();
    Harness.Reply reply = await(authorization == null ? harness.get("/smart_proxy/demo/g1/hello")
        : harness.get("/smart_proxy/demo/g1/hello", "Authorization", authorization));

    if (row.status() == 200) {
      assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
      return;
    }
    Harness.assertProblem(reply, row.status(), row.slug(), "demo");
    String challenge = reply.header("WWW-Authenticate");
    if (row.status() == 403) {
      assertThat(challenge).isNull();
    } else if (row.error() == null) {
      assertThat(challenge).isEqualTo("Bearer realm=\"smart-gateway\"");
    } else {
      assertThat(challenge).startsWith("Bearer realm=\"smart-gateway\", error=\"invalid_token\", error_description=\"")
          .contains(reply.json().getString("detail"));
    }
    assertThat(harness.stats().getInteger("started")).as("a refused request starts nothing").isEqualTo(startedBefore);
  }

  @Test
  void aValidTokenColdStartsAVmAndIsAnswered() {
    int startedBefore = harness.stats().getInteger("started");
    Harness.Reply reply = await(harness.get("/smart_proxy/cold/g1/", "Authorization",
        bearer(hs256(claims(now(), "g1"), SECRET))));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getString("resource")).isEqualTo("cold");
    assertThat(reply.header("X-Smart-Gateway-Wait-Ms")).as("held for the start").isNotNull();
    assertThat(harness.stats().getInteger("started")).isEqualTo(startedBefore + 1);
  }

  @Test
  void theVmSeesTheVerifiedGroupsAndSubjectButNotTheToken() {
    String token = hs256(claims(now(), "g1", "g2").put("sub", "alice@example.test"), SECRET);
    Harness.Reply reply = await(harness.get("/smart_proxy/demo/g2,g1/who", "Authorization", bearer(token),
        "X-Smart-Gateway-Subject", "mallory"));

    assertThat(reply.status()).isEqualTo(200);
    JsonObject headers = reply.json().getJsonObject("headers");
    assertThat(headers.getString("x-smart-gateway-groups")).isEqualTo("g1,g2");
    assertThat(headers.getString("x-smart-gateway-subject")).isEqualTo("alice@example.test");
    assertThat(headers.containsKey("authorization")).isFalse();
    assertThat(reply.json().getJsonArray("groups").getList()).containsExactlyInAnyOrder("g1", "g2");
  }

  @Test
  void aTokenGrantingTheGroupsStillNeedsOneOfTheResourcesAllowedGroups() {
    Harness.Reply reply = await(harness.get("/smart_proxy/payroll/g1/", "Authorization",
        bearer(hs256(claims(now(), "g1"), SECRET))));

    Harness.assertProblem(reply, 403, "forbidden", "payroll");
    assertThat(await(harness.get("/smart_proxy/payroll/finance/", "Authorization",
        bearer(hs256(claims(now(), "finance"), SECRET)))).status()).isEqualTo(200);
  }

  @Test
  void aBrowserWithoutATokenGetsAnHtml401Page() {
    Harness.Reply reply = await(harness.get("/smart_proxy/demo/g1/", "Accept", "text/html,application/xhtml+xml"));

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.header("Content-Type")).startsWith("text/html");
    assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"smart-gateway\"");
    assertThat(reply.body().toString()).contains("<h1>Missing or invalid credentials</h1>")
        .contains("a bearer token is required");
  }

  @Test
  void aCachedAnswerGoesOnlyToACallerWhoseTokenGrantsItsGroups() {
    String uri = "/smart_proxy/cached/g1/cache?key=jwt&header.Cache-Control=max-age%3D60";
    String g1 = bearer(hs256(claims(now(), "g1"), SECRET));
    assertThat(await(harness.get(uri, "Authorization", g1)).header("X-Cache")).isEqualTo("MISS");
    assertThat(await(harness.get(uri, "Authorization", g1)).header("X-Cache")).isEqualTo("HIT");

    Harness.Reply other = await(harness.get(uri, "Authorization", bearer(hs256(claims(now(), "g2"), SECRET))));
    Harness.assertProblem(other, 403, "groups-not-granted", "cached");
    Harness.assertProblem(await(harness.get(uri)), 401, "unauthorized", "cached");
  }

  @Test
  void withForwardTokenTheVmSeesTheToken() {
    try (Harness forwarding = Harness.startWithEnv(0, 20, """
        access:
          groups: jwt
          jwt: {secretEnv: JWT_SECRET, issuer: 'https://idp.test', audience: smart-gateway, forwardToken: true}
        """, Map.of("JWT_SECRET", SECRET))) {
      String token = hs256(claims(now(), "g1"), SECRET);
      Harness.Reply reply = await(forwarding.get("/smart_proxy/demo/g1/", "Authorization", bearer(token)));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getJsonObject("headers").getString("authorization")).isEqualTo(bearer(token));
    }
  }

  @Test
  void aGatewayWhoseSecretIsNotInTheEnvironmentDoesNotStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Harness.startWithEnv(0, 20, ACCESS, Map.of()).close())
        .isInstanceOfSatisfying(dev.smartgateway.config.ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("access.jwt.secretEnv");
          assertThat(e.reason()).isEqualTo("the environment variable JWT_SECRET is not set");
        });
  }

  private static Instant now() {
    return Instant.now();
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }
}
