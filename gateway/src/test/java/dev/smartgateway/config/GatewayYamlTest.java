package dev.smartgateway.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration the README's run command uses is the one users copy: it must load and say what it claims. */
class GatewayYamlTest {

  private static final Path FILE = Path.of("../config/gateway.yaml");

  @Test
  void theShippedConfigurationLoads() {
    GatewayConfig config = ConfigLoader.load(FILE);

    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().host()).as("the demo trusts groups from the URL: this machine only").isEqualTo("127.0.0.1");
    assertThat(config.provider().settings()).isEqualTo(new JsonObject()
        .put("type", "mock").put("embedded", true).put("bootMinMs", 1000).put("bootMaxMs", 3000));
    assertThat(config.resources()).containsOnlyKeys("demo");
    assertThat(config.settingsFor("demo").idleTimeout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void itsCommentedValuesAreTheDefaults() {
    GatewayConfig config = ConfigLoader.load(FILE);

    // Apart from the bind address: the demo listens on loopback only, the default is every interface.
    assertThat(config.server()).usingRecursiveComparison().ignoringFields("host").isEqualTo(ServerConfig.defaults());
    assertThat(config.access()).isEqualTo(AccessConfig.defaults());
    assertThat(config.limits()).isEqualTo(LimitsConfig.defaults());
    assertThat(config.defaults()).isEqualTo(ResourceSettings.defaults());
    assertThat(config.admin()).isEqualTo(AdminConfig.defaults());
    assertThat(config.store()).isEqualTo(StoreConfig.defaults());
    assertThat(config.metrics()).isEqualTo(MetricsConfig.defaults());
    assertThat(config.cluster()).isEqualTo(ClusterConfig.defaults());
  }

  @Test
  void theJarCarriesTheSameFileAsItsBuiltInConfiguration() throws Exception {
    try (var in = GatewayYamlTest.class.getResourceAsStream("/META-INF/smart-gateway/gateway.yaml")) {
      assertThat(in).as("config/gateway.yaml is built into the jar").isNotNull();
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(java.nio.file.Files.readString(FILE));
    }
  }
}
