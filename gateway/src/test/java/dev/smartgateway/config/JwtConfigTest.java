package dev.smartgateway.config;

import dev.smartgateway.config.AccessConfig.TrustMode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code access: {groups: jwt, jwt: {...}}}: the shape is checked at load, every problem under its key. */
class JwtConfigTest {

  private static final String ISS_AUD = "issuer: https://idp.test, audience: sg";

  @Test
  void urlModeIsTheDefaultAndHasNoJwtSection() {
    assertThat(ConfigTexts.parse("").access()).isEqualTo(AccessConfig.defaults());
    assertThat(ConfigTexts.parse("").access().jwt()).isNull();
  }

  @Test
  void everyJwtKeyIsRead() {
    AccessConfig access = ConfigTexts.parse("access: {groups: jwt, jwt: {jwks: 'https://idp.test/jwks.json',"
        + " issuer: https://idp.test, audience: sg, groupsClaim: roles, leeway: 5s, forwardToken: true,"
        + " refresh: 1h, cacheSize: 50}}").access();
    assertThat(access.groups()).isEqualTo(TrustMode.JWT);
    JwtConfig jwt = access.jwt();
    assertThat(jwt.jwksUrl()).isEqualTo(URI.create("https://idp.test/jwks.json"));
    assertThat(jwt.jwksFile()).isNull();
    assertThat(jwt.issuer()).isEqualTo("https://idp.test");
    assertThat(jwt.audience()).isEqualTo("sg");
    assertThat(jwt.groupsClaim()).isEqualTo("roles");
    assertThat(jwt.leeway()).isEqualTo(Duration.ofSeconds(5));
    assertThat(jwt.forwardToken()).isTrue();
    assertThat(jwt.refresh()).isEqualTo(Duration.ofHours(1));
    assertThat(jwt.cacheSize()).isEqualTo(50);
  }

  @Test
  void theDefaultsAreGroupsClaimThirtySecondsOfLeewayAndTheTokenKeptFromTheVm() {
    JwtConfig jwt = ConfigTexts.parse("access: {groups: jwt, jwt: {secretEnv: JWT_SECRET, " + ISS_AUD + "}}")
        .access().jwt();
    assertThat(jwt.secretEnv()).isEqualTo("JWT_SECRET");
    assertThat(jwt.groupsClaim()).isEqualTo("groups");
    assertThat(jwt.leeway()).isEqualTo(Duration.ofSeconds(30));
    assertThat(jwt.forwardToken()).isFalse();
    assertThat(jwt.refresh()).isEqualTo(Duration.ofMinutes(10));
    assertThat(jwt.cacheSize()).isEqualTo(10_000);
  }

  @Test
  void aJwksWithoutAnUrlSchemeIsAFileAndPublicKeyIsAPemFile() {
    assertThat(ConfigTexts.parse("access: {groups: jwt, jwt: {jwks: /etc/sg/jwks.json, " + ISS_AUD + "}}")
        .access().jwt().jwksFile()).isEqualTo(Path.of("/etc/sg/jwks.json"));
    assertThat(ConfigTexts.parse("access: {groups: jwt, jwt: {publicKey: idp.pem, " + ISS_AUD + "}}")
        .access().jwt().publicKey()).isEqualTo(Path.of("idp.pem"));
  }

  @Test
  void jwtModeNeedsExactlyOneKeySourceAnIssuerAndAnAudience() {
    ConfigException none = ConfigTexts.failure("access: {groups: jwt}");
    assertThat(none.problems()).extracting(ConfigException::key)
        .containsExactlyInAnyOrder("access.jwt", "access.jwt.issuer", "access.jwt.audience");
    assertThat(none.problems().get(0).reason()).startsWith("needs one key source: jwks");

    ConfigException two = ConfigTexts.failure("access: {groups: jwt, jwt: {jwks: j.json, secretEnv: S, " + ISS_AUD
        + "}}");
    assertThat(two.key()).isEqualTo("access.jwt.secretEnv");
    assertThat(two.reason()).isEqualTo("only one key source may be given (jwks, secretEnv are)");
  }

  @Test
  void mistakesAreReportedTogetherUnderTheirKeys() {
    ConfigException e = ConfigTexts.failure("access: {groups: jwt, jwt: {jwks: 'ftp://idp/jwks', issuer: '',"
        + " audience: sg, leeway: 2h, refresh: 0, cacheSize: -1, groupsClaim: ' ', forwardToken: yes please,"
        + " secret: abc}}");
    assertThat(e.problems()).extracting(ConfigException::key).containsExactlyInAnyOrder("access.jwt.secret",
        "access.jwt.jwks", "access.jwt.issuer", "access.jwt.leeway", "access.jwt.refresh", "access.jwt.cacheSize",
        "access.jwt.groupsClaim", "access.jwt.forwardToken");
  }

  @Test
  void theSecretItselfNeverGoesInTheYamlOnlyTheNameOfItsVariable() {
    ConfigException e = ConfigTexts.failure("access: {groups: jwt, jwt: {secretEnv: 'hunter2 is my secret', "
        + ISS_AUD + "}}");
    assertThat(e.key()).isEqualTo("access.jwt.secretEnv");
    assertThat(e.reason()).contains("is not an environment variable name");
  }

  @Test
  void aJwtSectionUnderUrlModeIsRefusedRatherThanSilentlyIgnored() {
    ConfigException e = ConfigTexts.failure("access: {groups: url, jwt: {secretEnv: S, " + ISS_AUD + "}}");
    assertThat(e.key()).isEqualTo("access.jwt");
    assertThat(e.reason()).startsWith("is only used with access.groups: jwt");
  }
}
