package dev.smartgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.smartgateway.config.ConfigTexts.failure;
import static dev.smartgateway.config.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code gateway.id}: the owner stamped on every instance a gateway starts. */
class GatewayIdentityTest {

  @Test
  void theIdIsRead() {
    assertThat(parse("gateway: {id: gw-a}").gateway().id()).isEqualTo("gw-a");
    assertThat(parse("gateway:\n  id: Edge_1.eu-west\n").gateway().id()).isEqualTo("Edge_1.eu-west");
  }

  @Test
  void byDefaultItIsTheHostNameAndThePublicPort() {
    String host = GatewayIdentity.hostName();

    assertThat(parse("").gateway().id()).isEqualTo(GatewayIdentity.defaultId(host, 8080));
    assertThat(parse("server: {port: 9000}").gateway().id()).isEqualTo(GatewayIdentity.defaultId(host, 9000))
        .endsWith("-9000");
    assertThat(parse("gateway:\n").gateway()).isEqualTo(parse("").gateway());
    assertThat(GatewayIdentity.isValid(parse("").gateway().id())).isTrue();
  }

  @Test
  void theDefaultIsLabelSafeWhateverTheHostIsCalled() {
    assertThat(GatewayIdentity.defaultId("myhost", 8080)).isEqualTo("myhost-8080");
    assertThat(GatewayIdentity.defaultId("Build-Box.example.com", 80)).isEqualTo("build-box.example.com-80");
    assertThat(GatewayIdentity.defaultId("höst name", 8080)).isEqualTo("h-st-name-8080");
    assertThat(GatewayIdentity.defaultId("--x", 1)).isEqualTo("x-1");
    assertThat(GatewayIdentity.defaultId("", 8080)).isEqualTo("gateway-8080");
    assertThat(GatewayIdentity.defaultId(null, 8080)).isEqualTo("gateway-8080");
    String longHost = "a".repeat(100) + ".example.com";
    assertThat(GatewayIdentity.defaultId(longHost, 65535)).hasSize(63).endsWith("-65535");
    for (String host : new String[] {"myhost", "Build-Box.example.com", "höst name", "--x", "", longHost, "_", "..."}) {
      assertThat(GatewayIdentity.isValid(GatewayIdentity.defaultId(host, 8080))).as(host).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"''", "'-gw'", "'gw-'", "'gw a'", "'gw:8080'", "'gw/a'", "'ü'", "'.gw'"})
  void anIdThatIsNotLabelSafeIsRefusedNamingTheKey(String id) {
    ConfigException e = failure("gateway: {id: " + id + "}");

    assertThat(e.key()).isEqualTo("gateway.id");
    assertThat(e.reason()).contains("is not a gateway id", "at most 63");
  }

  @Test
  void anIdOf63CharactersIsFineButNot64() {
    assertThat(parse("gateway: {id: " + "a".repeat(63) + "}").gateway().id()).hasSize(63);
    assertThat(failure("gateway: {id: " + "a".repeat(64) + "}").key()).isEqualTo("gateway.id");
  }

  @Test
  void theSectionHasOnlyTheIdAndItIsText() {
    assertThat(failure("gateway: {name: gw-a}").key()).isEqualTo("gateway.name");
    assertThat(failure("gateway: {id: [a]}").key()).isEqualTo("gateway.id");
    assertThat(failure("gateway: gw-a").key()).isEqualTo("gateway");
  }

  @Test
  void theRecordRefusesABadIdToo() {
    assertThatThrownBy(() -> new GatewayIdentity("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GatewayIdentity(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
