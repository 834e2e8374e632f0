package dev.smartgateway.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code cluster:} section (DESIGN section 10). */
class ClusterConfigTest {

  @Test
  void anEmptyFileMeansOneGatewayOnItsOwnThatOwnsItsInstancesByItsId() {
    GatewayConfig config = ConfigTexts.parse("gateway: {id: gw-a}");
    assertThat(config.cluster()).isEqualTo(ClusterConfig.defaults());
    assertThat(config.cluster().enabled()).isFalse();
    assertThat(config.owner()).isEqualTo("gw-a");
  }

  @Test
  void everyClusterKeyIsRead() {
    GatewayConfig config = ConfigTexts.parse("cluster: {enabled: true, name: shop-gateways, host: 127.0.0.1,"
        + " port: 5801, members: ['127.0.0.1:5801', 'gw2.internal:5801', '[::1]:5802'], heartbeat: 2s,"
        + " failureTimeout: 10s, activityReport: 500ms}");
    ClusterConfig cluster = config.cluster();
    assertThat(cluster.enabled()).isTrue();
    assertThat(cluster.name()).isEqualTo("shop-gateways");
    assertThat(cluster.host()).isEqualTo("127.0.0.1");
    assertThat(cluster.port()).isEqualTo(5801);
    assertThat(cluster.members()).containsExactly("127.0.0.1:5801", "gw2.internal:5801", "[::1]:5802");
    assertThat(cluster.heartbeat()).isEqualTo(Duration.ofSeconds(2));
    assertThat(cluster.failureTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(cluster.activityReport()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aClusteredGatewayStampsTheClustersNameOnItsInstancesNotItsOwnId() {
    GatewayConfig config = ConfigTexts.parse("gateway: {id: gw-a}\ncluster: {enabled: true, name: shop}");
    assertThat(config.owner()).isEqualTo("shop");
    assertThat(config.gateway().id()).isEqualTo("gw-a");
  }

  @Test
  void mistakesAreReportedTogetherUnderTheirKeys() {
    ConfigException e = ConfigTexts.failure("cluster: {enabled: yes-please, name: 'no spaces', host: '', port: 70000,"
        + " members: ['10.0.0.1', '10.0.0.2:5701', 'a:99999'], heartbeat: 1500ms, failureTimeout: 0s,"
        + " activityReport: 2m, multicast: true}");
    assertThat(e.problems()).extracting(ConfigException::key).containsExactlyInAnyOrder(
        "cluster.enabled", "cluster.name", "cluster.host", "cluster.port", "cluster.members[0]", "cluster.members[2]",
        "cluster.heartbeat", "cluster.failureTimeout", "cluster.activityReport", "cluster.multicast");
  }

  @Test
  void failureDetectionMustOutlastTheHeartbeat() {
    ConfigException e = ConfigTexts.failure("cluster: {heartbeat: 10s, failureTimeout: 5s}");
    assertThat(e.problems()).extracting(ConfigException::key).containsExactly("cluster.failureTimeout");
    assertThat(e.problems().get(0).getMessage()).contains("longer than heartbeat");
  }

  @Test
  void theReadmesThreeGatewayCommandLineSetsWhatItSays() throws Exception {
    ConfigOverrides overrides = ConfigOverrides.of(List.of("server.port=8082", "admin.port=8182", "state.dir=state-2",
        "provider={type: mock, url: \"http://127.0.0.1:9090\"}", "cluster.enabled=true", "cluster.port=5702",
        "cluster.members=[\"127.0.0.1:5701\", \"127.0.0.1:5702\", \"127.0.0.1:5703\"]"), java.util.Map.of());
    GatewayConfig config = ConfigLoader.parse(java.nio.file.Files.readString(java.nio.file.Path.of(
        "../config/gateway.yaml")), "gateway.yaml", overrides).config();
    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().port()).isEqualTo(5702);
    assertThat(config.cluster().members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
    assertThat(config.provider().settings().getString("url")).isEqualTo("http://127.0.0.1:9090");
    assertThat(config.owner()).isEqualTo("smart-gateway");
  }

  @Test
  void membersThatAreNotAListAreRefused() {
    ConfigException e = ConfigTexts.failure("cluster: {members: '10.0.0.1:5701'}");
    assertThat(e.problems()).extracting(ConfigException::key).containsExactly("cluster.members");
    assertThat(List.of(e.getMessage())).anyMatch(m -> m.contains("expected a list"));
  }
}
