package dev.smartgateway.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Without {@code server.tls} the public port speaks HTTP/1.x only: no h2c, neither by upgrade nor by prior knowledge. */
class CleartextHttp2Test {

  private Harness harness;

  @BeforeEach
  void start() {
    harness = Harness.start(50, 50, "");
    assertThat(await(harness.get("/smart_proxy/warm/g1/")).status()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void theHttp2PrefaceIsRefusedAsAnHttp1RequestOfAnUnknownVersion() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

      // An HTTP/1 answer (Vert.x writes the request's version into its status line), never an HTTP/2 frame.
      assertThat(response.statusLine()).endsWith("505 HTTP Version Not Supported");
      response.assertProblem(505, "http-version-not-supported");
    }
  }

  @Test
  void curlAskingForHttp2GetsHttp11() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || "true".equals(System.getenv("CI")),
        "curl is not installed");
    String url = "http://127.0.0.1:" + harness.port() + "/smart_proxy/warm/g1/curl";

    assertThat(curl("--http2", url)).as("an h2c upgrade is ignored").isEqualTo("1.1 200");
    assertThat(curl("--http2-prior-knowledge", url)).as("prior knowledge gets no HTTP/2")
        .doesNotStartWith("2 ");
  }

  private static String curl(String version, String url) throws Exception {
    Process curl = new ProcessBuilder("curl", version, "-s", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
        "--max-time", "20", url).redirectErrorStream(true).start();
    assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }
}
