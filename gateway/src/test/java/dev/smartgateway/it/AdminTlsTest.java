package dev.smartgateway.it;

import dev.smartgateway.tls.TestCertificates;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin side with TLS: {@code admin.tls} loaded and reloaded as {@code server.tls}, the fan-out over TLS. */
class AdminTlsTest {

  @TempDir
  Path dir;
  private TlsHarness tls;

  @AfterEach
  void stop() {
    if (tls != null) {
      tls.close();
    }
  }

  @Test
  void theAdminListenerServesHttpsAndTakesARenewedCertificateLikeThePublicOne() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    tls = TlsHarness.start(dir, "", "admin: {port: 0, tls: {cert: '" + cert + "', key: '" + key
        + "', reloadInterval: 100ms}}\n");
    // A connection per call (no keep-alive): each one is a new handshake, which shows the certificate in use.
    HttpClientAgent https = tls.harness.vertx.httpClientBuilder()
        .with(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false).setKeepAlive(false)).build();

    assertThat(adminSerial(https)).isEqualTo(tls.first.serial());
    TestCertificates.Pem second = tls.renew("second");
    eventually("the admin listener shows the renewed certificate", () -> second.serial().equals(adminSerial(https)));
  }

  @Test
  void aFanOutReachesThePublicListenerOverTls() throws Exception {
    tls = TlsHarness.start(dir, "");

    Harness.Reply reply = tls.harness.admin(HttpMethod.POST, "/admin/fanout",
        "{\"targets\":[\"demo\"],\"groups\":[\"g1\"],\"method\":\"GET\",\"path\":\"/via-fanout\"}");

    assertThat(reply.status()).isEqualTo(200);
    JsonObject line = new JsonObject(reply.body().toString().trim().split("\n")[0]);
    assertThat(line.getInteger("status")).as("line %s", line).isEqualTo(200);
    assertThat(new JsonObject(line.getString("body")).getJsonObject("headers").getString("x-forwarded-proto"))
        .isEqualTo("https");
  }

  private String adminSerial(HttpClientAgent https) {
    return await(tls.harness.onContext(() -> https.request(new RequestOptions().setHost("127.0.0.1")
            .setPort(tls.harness.adminPort()).setURI("/health"))
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> {
          assertThat(resp.statusCode()).isEqualTo(200);
          return TlsHarness.serial(req.connection());
        })))));
  }
}
