package dev.smartgateway.config;

import dev.smartgateway.config.ResourceSettings.Protocol;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.config.ConfigTexts.failure;
import static dev.smartgateway.config.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code protocol: http1 | h2c}, how the gateway speaks to a resource's VMs (DESIGN §7a). */
class ProtocolConfigTest {

  @Test
  void vmsAreSpokenToOverHttp11UnlessSaidOtherwise() {
    assertThat(parse("").defaults().protocol()).isEqualTo(Protocol.HTTP1);
    assertThat(ResourceSettings.defaults().protocol()).isEqualTo(Protocol.HTTP1);
  }

  @Test
  void aResourceMaySpeakH2cWhileTheDefaultsStayHttp1() {
    GatewayConfig config = parse("""
        resources:
          grpc: {protocol: h2c}
          web: {}
        """);

    assertThat(config.settingsFor("grpc").protocol()).isEqualTo(Protocol.H2C);
    assertThat(config.settingsFor("web").protocol()).isEqualTo(Protocol.HTTP1);
  }

  @Test
  void theDefaultsMaySetItForEveryResource() {
    GatewayConfig config = parse("""
        defaults: {protocol: h2c}
        resources:
          web: {protocol: http1}
        """);

    assertThat(config.settingsFor("other").protocol()).isEqualTo(Protocol.H2C);
    assertThat(config.settingsFor("web").protocol()).isEqualTo(Protocol.HTTP1);
  }

  @Test
  void anUnknownProtocolNamesItsKeyAndTheAllowedValues() {
    ConfigException e = failure("resources: {grpc: {protocol: http2}}");

    assertThat(e.problems()).anySatisfy(p -> {
      assertThat(p.key()).isEqualTo("resources.grpc.protocol");
      assertThat(p.reason()).contains("\"http2\"").contains("http1, h2c");
    });
  }

  @Test
  void theAdminViewShowsItAndReadsItBack() {
    ResourceSettings settings = parse("resources: {grpc: {protocol: h2c}}").settingsFor("grpc");

    JsonObject view = ResourceSettingsJson.write(settings);

    assertThat(view.getString("protocol")).isEqualTo("h2c");
    assertThat(ResourceSettingsJson.read("grpc", view.encode(), ResourceSettings.defaults())).isEqualTo(settings);
  }
}
