package dev.smartgateway.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code server.tls}, {@code admin.tls} (one reader for both) and {@code server.http2}. */
class TlsConfigTest {

  @Test
  void withoutTlsTheListenerIsCleartextWithTheDefaultHttp2Bounds() {
    ServerConfig server = ConfigTexts.parse("").server();

    assertThat(server.tls()).isNull();
    assertThat(server.scheme()).isEqualTo("http");
    assertThat(server.http2()).isEqualTo(new Http2Config(100, 65_535, 1 << 20, 200, Duration.ofSeconds(30)));
  }

  @Test
  void serverTlsNamesItsFilesAndItsSection() {
    ServerConfig server = ConfigTexts.parse("server: {tls: {cert: /etc/gw/cert.pem, key: /etc/gw/key.pem,"
        + " reloadInterval: 2s}}").server();

    assertThat(server.tls()).isEqualTo(new TlsConfig("server.tls", Path.of("/etc/gw/cert.pem"),
        Path.of("/etc/gw/key.pem"), Duration.ofSeconds(2)));
    assertThat(server.scheme()).isEqualTo("https");
    assertThat(server.tls().key("cert")).isEqualTo("server.tls.cert");
  }

  @Test
  void aCertificateWithoutItsKeyIsRefusedOnBothListenersAlike() {
    assertThat(ConfigTexts.failure("server: {tls: {cert: c.pem}}").getMessage())
        .contains("server.tls.key").contains("required with server.tls.cert");
    assertThat(ConfigTexts.failure("admin: {tls: {key: k.pem}}").getMessage())
        .contains("admin.tls.cert").contains("required with admin.tls.key");
  }

  @Test
  void emptyPathsAndUnknownKeysAreNamed() {
    assertThat(ConfigTexts.failure("server: {tls: {cert: '', key: k.pem}}").getMessage())
        .contains("server.tls.cert").contains("must not be empty");
    assertThat(ConfigTexts.failure("server: {tls: {cert: c.pem, key: k.pem, password: x}}").getMessage())
        .contains("server.tls.password");
  }

  @Test
  void http2BoundsAreRead() {
    Http2Config http2 = ConfigTexts.parse("server: {http2: {maxConcurrentStreams: 10, initialWindowSize: 128k,"
        + " connectionWindowSize: 4m, maxResetsPerWindow: 50, resetWindow: 10s}}").server().http2();

    assertThat(http2).isEqualTo(new Http2Config(10, 128 * 1024, 4 << 20, 50, Duration.ofSeconds(10)));
  }

  @Test
  void http2BoundsOutsideWhatTheProtocolAllowsAreNamed() {
    assertThat(ConfigTexts.failure("server: {http2: {initialWindowSize: 1k}}").getMessage())
        .contains("server.http2.initialWindowSize").contains("below HTTP/2's initial window");
    assertThat(ConfigTexts.failure("server: {http2: {connectionWindowSize: 4g}}").getMessage())
        .contains("server.http2.connectionWindowSize").contains("out of range");
    assertThat(ConfigTexts.failure("server: {http2: {maxConcurrentStreams: 0}}").getMessage())
        .contains("server.http2.maxConcurrentStreams");
    assertThat(ConfigTexts.failure("server: {http2: {resetWindow: 1500ms}}").getMessage())
        .contains("server.http2.resetWindow").contains("whole number of seconds");
  }
}
