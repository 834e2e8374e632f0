package dev.smartgateway.it;

import dev.smartgateway.tls.TestCertificates;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code server.tls}'s files change: new connections get the new certificate, open ones keep going. */
class CertificateReloadTest {

  @TempDir
  Path dir;
  private TlsHarness tls;

  @BeforeEach
  void start() throws Exception {
    tls = TlsHarness.start(dir, "");
  }

  @AfterEach
  void stop() {
    tls.close();
  }

  @Test
  void aRenewedCertificateIsServedToNewConnectionsWhileALongRequestOnTheOldOneCompletes() throws Exception {
    HttpClientAgent longClient = tls.client(HttpVersion.HTTP_2);
    // An upload whose end is held back: the request stays open across the reload.
    HttpClientRequest upload = await(tls.harness.onContext(() -> longClient.request(new RequestOptions()
        .setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(tls.harness.port())
        .setURI("/smart_proxy/demo/g1/long-upload").putHeader("content-length", "10"))));
    Future<Buffer> answer = tls.harness.onContext(() -> {
      upload.write("01234");
      return upload.response().compose(r -> r.body());
    });
    tls.harness.awaitInFlight(1);
    assertThat(TlsHarness.serial(upload.connection())).isEqualTo(tls.first.serial());

    TestCertificates.Pem second = tls.renew("second");

    eventually("a new connection is shown the renewed certificate", () -> second.serial().equals(
        await(tls.send(tls.client(HttpVersion.HTTP_1_1), HttpMethod.GET, "/smart_proxy/demo/g1/probe", null)).serial()));
    assertThat(tls.harness.gateway.certificates().current().subject()).isEqualTo("CN=second");
    await(tls.harness.onContext(() -> upload.end("56789")));
    JsonObject echo = await(answer).toJsonObject();
    assertThat(echo.getLong("bodyBytes")).as("the long request completed on its old connection").isEqualTo(10);
    assertThat(TlsHarness.serial(upload.connection())).isEqualTo(tls.first.serial());
  }

  @Test
  void aBrokenNewPairIsLoggedAndTheOldCertificateKeptUntilAGoodOneComes() throws Exception {
    try (LogCapture logs = LogCapture.of(dev.smartgateway.tls.CertificateReloader.class)) {
      Path garbage = Files.writeString(dir.resolve("garbage"), "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n");
      Files.move(garbage, tls.keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

      eventually("the broken pair is refused", () -> tls.harness.gateway.certificates().refusals() >= 1);
      assertThat(logs.messages()).anySatisfy(m -> assertThat(m).contains("server.tls").contains("are kept"));
      TlsHarness.Seen stillOld = await(tls.send(tls.client(HttpVersion.HTTP_2), HttpMethod.GET,
          "/smart_proxy/demo/g1/still-old", null));
      assertThat(stillOld.status()).isEqualTo(200);
      assertThat(stillOld.serial()).isEqualTo(tls.first.serial());

      TestCertificates.Pem third = tls.renew("third");
      eventually("the good pair that followed is taken", () -> third.serial().equals(
          await(tls.send(tls.client(HttpVersion.HTTP_2), HttpMethod.GET, "/smart_proxy/demo/g1/new", null)).serial()));
    }
  }
}
