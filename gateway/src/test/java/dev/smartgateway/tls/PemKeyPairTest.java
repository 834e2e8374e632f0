package dev.smartgateway.tls;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.TlsConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemKeyPairTest {

  private static Vertx vertx;
  @TempDir
  static Path dir;
  private static TestCertificates.Pem one;
  private static TestCertificates.Pem two;

  @BeforeAll
  static void certificates() throws Exception {
    vertx = Vertx.vertx();
    one = TestCertificates.create(dir, "one");
    two = TestCertificates.create(dir, "two");
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static TlsConfig tls(Path cert, Path key) {
    return new TlsConfig("server.tls", cert, key, Duration.ofSeconds(10));
  }

  @Test
  void aMatchingPairLoadsWithItsSubjectAndSerial() {
    PemKeyPair pair = PemKeyPair.load(vertx, tls(one.cert(), one.key()));

    assertThat(pair.subject()).isEqualTo("CN=one");
    assertThat(pair.serial()).isEqualTo(one.serial());
    assertThat(pair.sameAs(PemKeyPair.load(vertx, tls(one.cert(), one.key())))).isTrue();
  }

  @Test
  void aMissingCertificateFileIsNamedUnderItsKey() {
    assertThatThrownBy(() -> PemKeyPair.load(vertx, tls(dir.resolve("nope.crt"), one.key())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.tls.cert").hasMessageContaining("file not found").hasMessageContaining("nope.crt");
  }

  @Test
  void aMissingKeyFileIsNamedUnderItsKey() {
    assertThatThrownBy(() -> PemKeyPair.load(vertx, tls(one.cert(), dir.resolve("nope.key"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.tls.key").hasMessageContaining("file not found");
  }

  @Test
  void aFileThatIsNotPemIsRefusedUnderItsKey() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello, I am no certificate\n");

    assertThatThrownBy(() -> PemKeyPair.load(vertx, tls(garbage, one.key())))
        .hasMessageContaining("server.tls.cert").hasMessageContaining("is not a PEM certificate");
    assertThatThrownBy(() -> PemKeyPair.load(vertx, tls(one.cert(), garbage)))
        .hasMessageContaining("server.tls.key").hasMessageContaining("is not a PEM private key");
  }

  @Test
  void aCorruptPemBlockIsRefusedWithTheParsersReason() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.key"),
        "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemKeyPair.load(vertx, tls(one.cert(), broken)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.tls.key");
  }

  @Test
  void theKeyOfAnotherCertificateIsRefused() {
    assertThatThrownBy(() -> PemKeyPair.load(vertx, tls(one.cert(), two.key())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.tls.key").hasMessageContaining("is not the private key of the certificate CN=one");
  }
}
