package dev.smartgateway.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code server.maxResponseHeaderSize} and {@code server.maxResponseLineSize}: the VMs' response head limits. */
class ResponseHeadLimitsConfigTest {

  private static ServerConfig server(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml").server();
  }

  @Test
  void theDefaultsLetA32KiBHeadThrough() {
    ServerConfig server = server("");
    assertThat(server.maxResponseHeaderBytes()).isEqualTo(64 * 1024);
    assertThat(server.maxResponseLineLength()).isEqualTo(8 * 1024);
    assertThat(ServerConfig.defaults()).isEqualTo(server);
  }

  @Test
  void theHeaderDefaultIsNeverBelowTheRequestSidesLimit() {
    assertThat(server("server: {maxHeaderSize: 128k}").maxResponseHeaderBytes()).isEqualTo(128 * 1024);
    assertThat(server("server: {maxHeaderSize: 4k}").maxResponseHeaderBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void bothAreRead() {
    ServerConfig server = server("server: {maxResponseHeaderSize: 1m, maxResponseLineSize: 2k, maxHeaderSize: 4m}");
    assertThat(server.maxResponseHeaderBytes()).isEqualTo(1 << 20);
    assertThat(server.maxResponseLineLength()).isEqualTo(2048);
  }

  @Test
  void badValuesNameTheKey() {
    assertThat(failure("server: {maxResponseHeaderSize: 0}").key()).isEqualTo("server.maxResponseHeaderSize");
    assertThat(failure("server: {maxResponseLineSize: lots}").key()).isEqualTo("server.maxResponseLineSize");
    assertThat(failure("server: {maxResponseHeaderSize: 4g}").reason()).contains("out of range");
  }

  private static ConfigException failure(String yaml) {
    try {
      server(yaml);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }
}
