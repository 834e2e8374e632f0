package dev.smartgateway.it;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The public listener with {@code server.tls}: HTTP/2 and HTTP/1.1 by ALPN, forwarded to VMs over HTTP/1.1. */
class TlsListenerTest {

  @TempDir
  Path dir;
  private TlsHarness tls;
  private AccessCapture access;

  @BeforeEach
  void start() throws Exception {
    tls = TlsHarness.start(dir, "");
    access = AccessCapture.start();
  }

  @AfterEach
  void stop() {
    access.close();
    tls.close();
  }

  @Test
  void http2AndHttp11OverTlsBothThroughAColdStartToTheSameVm() {
    TlsHarness.Seen h2 = await(tls.send(HttpVersion.HTTP_2, HttpMethod.GET, "/smart_proxy/demo/g1/over-h2", null));
    TlsHarness.Seen h1 = await(tls.send(HttpVersion.HTTP_1_1, HttpMethod.GET, "/smart_proxy/demo/g1/over-h1", null));

    assertThat(h2.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(h2.status()).isEqualTo(200);
    assertThat(h2.headers().get("X-Smart-Gateway-Wait-Ms")).as("the first one was held").isNotNull();
    assertThat(h1.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(h1.status()).isEqualTo(200);
    assertThat(h1.json().getString("vm")).isEqualTo(h2.json().getString("vm"));
    assertThat(tls.harness.stats().getInteger("started")).isEqualTo(1);
    for (TlsHarness.Seen seen : new TlsHarness.Seen[] {h2, h1}) {
      JsonObject headers = seen.json().getJsonObject("headers");
      assertThat(headers.getString("x-forwarded-proto")).isEqualTo("https");
      assertThat(headers.getString("forwarded")).contains("proto=https");
      assertThat(headers.getString("host")).as("the :authority is the VM's Host").isEqualTo("127.0.0.1:" + tls.harness.port());
    }
    assertThat(access.lineFor("/smart_proxy/demo/g1/over-h2").getString("protocol")).isEqualTo("HTTP/2");
    assertThat(access.lineFor("/smart_proxy/demo/g1/over-h1").getString("protocol")).isEqualTo("HTTP/1.1");
  }

  @Test
  void anHttp2RequestReachesTheVmAsHttp11AndItsAnswerComesBackWithoutConnectionHeaders() {
    Buffer body = Buffer.buffer("x".repeat(200_000));
    TlsHarness.Seen seen = await(tls.send(HttpVersion.HTTP_2, HttpMethod.POST,
        "/smart_proxy/demo/g1/upload?header.Keep-Alive=timeout%3D5&header.X-Mixed-Case=Yes", body,
        "cookie", "a=1", "cookie", "b=2", "te", "trailers", "content-type", "text/plain"));

    assertThat(seen.status()).isEqualTo(200);
    JsonObject echo = seen.json();
    assertThat(echo.getLong("bodyBytes")).isEqualTo(200_000);
    JsonObject headers = echo.getJsonObject("headers");
    assertThat(headers.getString("cookie")).as("HTTP/1.1 has one Cookie line").isEqualTo("a=1; b=2");
    assertThat(headers.getString("te")).isEqualTo("trailers");
    assertThat(headers.getString("connection")).isEqualToIgnoringCase("te");
    assertThat(seen.headers().get("x-mixed-case")).isEqualTo("Yes");
    assertThat(seen.headers().contains("keep-alive")).as("hop-by-hop headers stay on their hop").isFalse();
  }

  @Test
  void problemsAreAnsweredPerStreamAndTheConnectionGoesOn() {
    var client = tls.client(HttpVersion.HTTP_2);
    TlsHarness.Seen notVirtual = await(tls.send(client, HttpMethod.GET, "/elsewhere", null));
    TlsHarness.Seen fine = await(tls.send(client, HttpMethod.GET, "/smart_proxy/demo/g1/after", null));

    assertThat(notVirtual.status()).isEqualTo(404);
    assertThat(notVirtual.headers().get("content-type")).isEqualTo("application/problem+json");
    assertThat(fine.status()).isEqualTo(200);
    assertThat(tls.harness.gateway.connections().open()).as("one connection carried both").isEqualTo(1);
  }

  @Test
  void curlSpeaksHttp2AndHttp11ToIt() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || "true".equals(System.getenv("CI")),
        "curl is not installed");
    String url = "https://127.0.0.1:" + tls.harness.port() + "/smart_proxy/demo/g1/curl";

    assertThat(curl("--http2", url)).isEqualTo("2 200");
    assertThat(curl("--http1.1", url)).isEqualTo("1.1 200");
  }

  private String curl(String version, String url) throws Exception {
    Process curl = new ProcessBuilder("curl", version, "-k", "-s", "-o", "/dev/null", "-w",
        "%{http_version} %{http_code}", "--max-time", "20", url).redirectErrorStream(true).start();
    assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }
}
