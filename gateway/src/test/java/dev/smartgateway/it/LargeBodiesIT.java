package dev.smartgateway.it;

import dev.smartgateway.cloudmock.MockCloud;
import dev.smartgateway.cloudmock.MockCloudOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 MB each way through a held (cold) request, with the gateway in its own JVM limited to a 64 MB heap:
 * if it buffered a body it could not survive, let alone pass the checksum.
 */
class LargeBodiesIT {

  private static final long SIZE = 200L * 1024 * 1024;
  private static final Duration DEADLINE = Duration.ofMinutes(3);

  @TempDir
  Path dir;
  private Vertx vertx;
  private MockCloud mock;
  private GatewayProcess gateway;
  private HttpClientAgent client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    mock = await(MockCloud.start(vertx, MockCloudOptions.defaults().withPort(0).withBootDelay(300, 600).withSeed(7L)));
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, "server: {host: 127.0.0.1, port: 0}\n"
        + "provider: {type: mock, url: '" + mock.baseUrl() + "'}\n");
    gateway = GatewayProcess.start(config, List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"), dir);
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    await(mock.close());
    await(vertx.close());
  }

  @Test
  void a200MbUploadThroughAHeldRequestArrivesIntact() throws Exception {
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1").setPort(gateway.port())
        .setURI("/smart_proxy/uploads/g1/big").putHeader("Content-Length", Long.toString(SIZE));
    JsonObject echo = await(client.request(options)
        .compose(req -> writePattern(req, SIZE, sent).compose(v -> req.response()))
        .compose(resp -> resp.body().map(b -> {
          assertThat(resp.statusCode()).isEqualTo(200);
          assertThat(resp.getHeader("X-Smart-Gateway-Wait-Ms")).as("the upload was held for a cold VM").isNotNull();
          return b.toJsonObject();
        })), DEADLINE);

    assertThat(echo.getLong("bodyBytes")).isEqualTo(SIZE);
    assertThat(echo.getString("bodySha256")).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    assertThat(gateway.isAlive()).as("gateway survived with -Xmx64m:\n%s", gateway.output()).isTrue();
  }

  @Test
  void a200MbDownloadThroughAHeldRequestArrivesIntact() throws Exception {
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(gateway.port())
        .setURI("/smart_proxy/downloads/g1/bytes?n=" + SIZE);
    long[] count = {0};
    await(client.request(options).compose(req -> req.send()).compose(resp -> {
      assertThat(resp.statusCode()).isEqualTo(200);
      assertThat(resp.getHeader("Content-Length")).isEqualTo(Long.toString(SIZE));
      resp.handler(chunk -> {
        byte[] bytes = chunk.getBytes();
        received.update(bytes);
        count[0] += bytes.length;
      });
      return resp.end();
    }), DEADLINE);
    updatePattern(expected, SIZE);

    assertThat(count[0]).isEqualTo(SIZE);
    assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
    assertThat(gateway.isAlive()).as("gateway survived with -Xmx64m:\n%s", gateway.output()).isTrue();
  }

  /** The mock's /bytes pattern: byte i is (i % 251). */
  private static void updatePattern(MessageDigest digest, long size) {
    byte[] block = patternBlock();
    for (long offset = 0; offset < size; offset += block.length) {
      int n = (int) Math.min(block.length, size - offset);
      // block.length is a multiple of 251, so every block starts at phase 0.
      digest.update(block, 0, n);
    }
  }

  private static byte[] patternBlock() {
    byte[] block = new byte[251 * 256];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) (i % 251);
    }
    return block;
  }

  /** Writes {@code size} pattern bytes honouring back-pressure, hashing what it sends. */
  private static Future<Void> writePattern(HttpClientRequest req, long size, MessageDigest digest) {
    byte[] block = patternBlock();
    Promise<Void> done = Promise.promise();
    long[] written = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (written[0] < size && !req.writeQueueFull()) {
        int n = (int) Math.min(block.length, size - written[0]);
        digest.update(block, 0, n);
        req.write(Buffer.buffer(n).appendBytes(block, 0, n));
        written[0] += n;
      }
      if (written[0] >= size) {
        req.end().onComplete(done);
      } else {
        req.drainHandler(v -> pump[0].run());
      }
    };
    pump[0].run();
    return done.future();
  }
}
