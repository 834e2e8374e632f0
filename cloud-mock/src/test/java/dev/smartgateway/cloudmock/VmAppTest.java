package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The application each VM runs, spoken to over real HTTP. */
class VmAppTest extends MockCloudTestBase {

  // Fields, not inline: Vert.x 5 closes a client nothing references any more, even mid-handshake.
  private HttpClient client;
  private io.vertx.core.http.WebSocketClient webSockets;
  private JsonObject vm;

  @BeforeEach
  void startVm() {
    // Room for /headers' largest head (Vert.x's default is 8 KiB).
    client = vertx.createHttpClient(new HttpClientOptions().setMaxHeaderSize(2 << 20));
    webSockets = vertx.createWebSocketClient();
    vm = api.startRunning("app", "g");
  }

  @Test
  void healthAnswersOkWithTheVmId() {
    HttpClientResponse response = get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("X-Mock-Vm")).isEqualTo(vm.getString("id"));
    assertThat(bodyOf(response).toJsonObject())
        .isEqualTo(new JsonObject().put("status", "ok").put("vm", vm.getString("id")));
  }

  @Test
  void bytesStreamsExactlyNBytesInTheRepeatingPattern() {
    long n = 3_000_017;
    HttpClientResponse response = get("/bytes?n=" + n);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(response.getHeader("Content-Length")).isEqualTo(Long.toString(n));

    Promise<Long> received = Promise.promise();
    long[] offset = {0};
    long[] mismatchAt = {-1};
    response.handler(chunk -> {
      for (int i = 0; i < chunk.length(); i++, offset[0]++) {
        if (mismatchAt[0] < 0 && chunk.getByte(i) != (byte) (offset[0] % 251)) {
          mismatchAt[0] = offset[0];
        }
      }
    });
    response.endHandler(v -> received.complete(offset[0]));
    response.exceptionHandler(received::tryFail);
    response.resume();

    assertThat(await(received.future())).isEqualTo(n);
    assertThat(mismatchAt[0]).as("first byte off the pattern").isEqualTo(-1);
  }

  @Test
  void bytesOfZeroIsAnEmptyBody() {
    HttpClientResponse response = get("/bytes?n=0");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(bodyOf(response).length()).isZero();
  }

  @Test
  void streamSendsTheAskedChunksOneByOne() {
    HttpClientResponse response = get("/stream?chunks=5&intervalMs=20");
    assertThat(response.getHeader("Transfer-Encoding")).isEqualTo("chunked");

    assertThat(bodyOf(response).toString())
        .isEqualTo("chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n");
  }

  @Test
  void statusAnswersTheAskedStatusWithTheEcho() {
    HttpClientResponse response = get("/status?code=418");

    assertThat(response.statusCode()).isEqualTo(418);
    assertThat(bodyOf(response).toJsonObject().getString("path")).isEqualTo("/status");
  }

  @Test
  void headersAddsAFillerHeaderOfTheAskedSizeToTheEcho() {
    int[] sizes = {1, 32 * 1024, (int) VmApp.MAX_FILLER_BYTES};
    for (int i = 0; i < sizes.length; i++) {
      HttpClientResponse response = get("/headers?bytes=" + sizes[i] + "&key=h");
      JsonObject echo = bodyOf(response).toJsonObject();

      assertThat(response.statusCode()).isEqualTo(200);
      String filler = response.getHeader("X-Mock-Filler");
      assertThat(filler).as("%d bytes", sizes[i]).hasSize(sizes[i]).startsWith("abcdefghijklmnopqrstuvwxyzab".substring(0,
          Math.min(sizes[i], 28)));
      assertThat(filler.charAt(sizes[i] - 1)).isEqualTo((char) ('a' + (sizes[i] - 1) % 26));
      assertThat(echo.getString("path")).isEqualTo("/headers");
      assertThat(echo.getLong("seen")).as("requests with the key so far").isEqualTo(i + 1);
    }
    HttpClientResponse none = get("/headers");
    assertThat(none.getHeader("X-Mock-Filler")).isNull();
    assertThat(bodyOf(none).toJsonObject().containsKey("seen")).as("no key, no count").isFalse();
  }

  @Test
  void headerParametersBecomeResponseHeadersOnAnyPath() {
    HttpClientResponse echo = get("/anything?header.Cache-Control=max-age%3D60&header.Vary=Accept&header.Vary=X-A");
    HttpClientResponse bytes = get("/bytes?n=3&header.Cache-Control=no-store");

    assertThat(echo.getHeader("Cache-Control")).isEqualTo("max-age=60");
    assertThat(echo.headers().getAll("Vary")).containsExactly("Accept", "X-A");
    assertThat(bytes.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(bodyOf(bytes).length()).isEqualTo(3);
    assertThat(get("/anything").getHeader("Cache-Control")).as("none asked, none sent").isNull();
  }

  @Test
  void cacheCountsRequestsByKeyAndAnswersAfterTheAskedDelay() {
    long start = System.nanoTime();
    HttpClientResponse first = get("/cache?key=c&ms=200&code=404");
    JsonObject firstEcho = bodyOf(first).toJsonObject();
    JsonObject second = bodyOf(get("/cache?key=c&other")).toJsonObject();

    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
    assertThat(first.statusCode()).isEqualTo(404);
    assertThat(firstEcho.getString("path")).isEqualTo("/cache");
    assertThat(firstEcho.getLong("seen")).isEqualTo(1);
    assertThat(second.getLong("seen")).as("requests with the key so far, whatever their URI").isEqualTo(2);
    assertThat(bodyOf(get("/cache")).toJsonObject().containsKey("seen")).as("no key, no count").isFalse();
  }

  @Test
  void slowAnswersTheEchoAfterTheAskedDelay() {
    long start = System.nanoTime();
    HttpClientResponse response = get("/slow?ms=300");
    JsonObject echo = bodyOf(response).toJsonObject();

    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
    assertThat(echo.getString("query")).isEqualTo("ms=300");
  }

  @Test
  void badParametersAreRefusedWith400() {
    for (String uri : List.of("/slow?ms=soon", "/bytes?n=-1", "/status?code=99", "/stream?chunks=x",
        "/headers?bytes=" + (VmApp.MAX_FILLER_BYTES + 1))) {
      HttpClientResponse response = get(uri);
      assertThat(response.statusCode()).as(uri).isEqualTo(400);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.getHeader("X-Mock-Vm")).isEqualTo(vm.getString("id"));
    }
  }

  @Test
  void echoStreamsALargeUploadAndReportsItsSizeAndDigest() throws Exception {
    int chunks = 256;
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    Buffer chunk = Buffer.buffer(64 * 1024);
    for (int i = 0; i < 64 * 1024; i++) {
      chunk.appendByte((byte) (i * 7));
    }

    JsonObject echo = await(onContext(() -> client.request(HttpMethod.POST, CloudApi.port(vm), "127.0.0.1", "/upload")
        .compose(request -> {
          request.setChunked(true);
          Future<HttpClientResponse> response = request.response();
          writeChunks(request, chunk, chunks, expected);
          return response;
        })
        .compose(HttpClientResponse::body)
        .map(Buffer::toJsonObject)));

    assertThat(echo.getLong("bodyBytes")).isEqualTo((long) chunks * chunk.length());
    assertThat(echo.getString("bodySha256")).isEqualTo(HexFormat.of().formatHex(expected.digest()));
    assertThat(echo.getJsonObject("headers").getString("transfer-encoding")).isEqualTo("chunked");
  }

  @Test
  void webSocketEchoesTextAndBinaryMessages() {
    WebSocket ws = await(onContext(() -> webSockets.connect(CloudApi.port(vm), "127.0.0.1", "/ws")));
    List<Object> received = new ArrayList<>();
    Promise<Void> both = Promise.promise();
    ws.textMessageHandler(text -> {
      received.add(text);
      if (received.size() == 2) {
        both.tryComplete();
      }
    });
    ws.binaryMessageHandler(data -> {
      received.add(data);
      if (received.size() == 2) {
        both.tryComplete();
      }
    });

    ws.writeTextMessage("hello");
    ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
    await(both.future());

    assertThat(received).containsExactly("hello", Buffer.buffer(new byte[] {1, 2, 3}));
    await(ws.close());
  }

  private HttpClientResponse get(String uri) {
    return await(onContext(() -> client.request(HttpMethod.GET, CloudApi.port(vm), "127.0.0.1", uri)
        .compose(request -> request.send())
        .map(response -> {
          // Bodies are read by the test itself; hold them until it does.
          response.pause();
          return response;
        })));
  }

  /** Reads the body of a response {@link #get} held paused: on the context it arrived on, never the JUnit thread. */
  private Buffer bodyOf(HttpClientResponse response) {
    return await(onContext(() -> {
      Future<Buffer> body = response.body();
      response.resume();
      return body;
    }));
  }

  /** Writes chunk after chunk, waiting for drain when the connection is busy, then ends the request. */
  private static void writeChunks(HttpClientRequest request, Buffer chunk, int remaining,
                                  MessageDigest digest) {
    int left = remaining;
    while (left > 0 && !request.writeQueueFull()) {
      request.write(chunk);
      digest.update(chunk.getBytes());
      left--;
    }
    if (left == 0) {
      request.end();
    } else {
      int next = left;
      request.drainHandler(v -> writeChunks(request, chunk, next, digest));
    }
  }
}
