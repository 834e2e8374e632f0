package dev.smartgateway.it;

import dev.smartgateway.it.Harness.Reply;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.smartgateway.it.Harness.assertProblem;
import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * README "Failure behaviour", the rows about a VM failing one forwarded exchange: a reset before any response
 * byte (the VM app's {@code /reset?key=K&times=N}, which also tells how many attempts reached it), a failure
 * after the response started (a crash mid-stream), no response head in time. One test per row.
 */
class ForwardFailureRowsTest {

  private static final String RESET = "/smart_proxy/demo/g1/reset";

  @Test
  void anIdempotentRequestResetBeforeAnyResponseByteIsRetriedOnce() {
    try (Harness h = Harness.start(50, 100, "");
         LifecycleRecorder events = h.recordEvents()) {
      String vm = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");

      for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS)) {
        Reply reply = await(h.send(method, RESET + "?key=" + method + "&times=1", null));
        assertThat(reply.status()).as("%s: %s", method, reply.body()).isEqualTo(200);
        assertThat(reply.json().getLong("seen")).as("%s: reset once, then retried once", method).isEqualTo(2);
        assertThat(reply.json().getString("vm")).isEqualTo(vm);
      }
      // HEAD has no body to tell: the next request with its key does.
      assertThat(await(h.send(HttpMethod.HEAD, RESET + "?key=HEAD&times=1", null)).status()).isEqualTo(200);
      assertThat(await(h.get(RESET + "?key=HEAD&times=1")).json().getLong("seen")).isEqualTo(3);

      // Once only: reset twice, the request fails; exactly two attempts reached the VM.
      assertProblem(await(h.get(RESET + "?key=twice&times=2")), 502, "backend-failed", "demo");
      assertThat(await(h.get(RESET + "?key=twice&times=2")).json().getLong("seen")).isEqualTo(3);

      assertThat(h.stats().getInteger("started")).as("a reset is no reason to replace the VM").isEqualTo(1);
      assertThat(events.all()).noneMatch(e -> e.type() == Type.FAILED);
      h.assertNoLeaks();
    }
  }

  @Test
  void aPostResetBeforeAnyResponseByteGets502() {
    try (Harness h = Harness.start(50, 100, "")) {
      await(h.get("/smart_proxy/demo/g1/"));

      assertProblem(await(h.send(HttpMethod.POST, RESET + "?key=post&times=1", Buffer.buffer("hello"))),
          502, "backend-failed", "demo");
      assertThat(await(h.get(RESET + "?key=post&times=1")).json().getLong("seen")).as("the POST went once").isEqualTo(2);

      assertProblem(await(h.send(HttpMethod.POST, RESET + "?key=empty&times=1", null)), 502, "backend-failed", "demo");
      assertThat(await(h.get(RESET + "?key=empty&times=1")).json().getLong("seen")).isEqualTo(2);

      // An idempotent method whose body bytes were sent is not retried either.
      assertProblem(await(h.send(HttpMethod.PUT, RESET + "?key=put&times=1", Buffer.buffer("hello"))),
          502, "backend-failed", "demo");
      assertThat(await(h.get(RESET + "?key=put&times=1")).json().getLong("seen")).isEqualTo(2);

      assertThat(h.stats().getInteger("started")).isEqualTo(1);
      h.assertNoLeaks();
    }
  }

  @Test
  void aVmFailingAfterTheResponseStartedResetsTheClientConnection() throws IOException {
    try (Harness h = Harness.start(50, 100, "")) {
      String vm = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");
      try (Socket socket = new Socket("127.0.0.1", h.port())) {
        socket.setSoTimeout((int) Harness.DEADLINE.toMillis());
        socket.getOutputStream().write(("GET /smart_proxy/demo/g1/stream?chunks=100000&intervalMs=20 HTTP/1.1\r\n"
            + "Host: t\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        readUntil(socket.getInputStream(), got, "chunk 1\n");

        h.crash(vm);
        Ending ending = readToEnd(socket.getInputStream(), got);

        String text = got.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 200").contains("transfer-encoding: chunked");
        assertThat(ending).as("the connection ends").isIn(Ending.CLOSED, Ending.RESET);
        assertThat(text).as("never the last chunk of a complete response").doesNotContain("\r\n0\r\n\r\n");
      }
      h.assertNoLeaks();
    }
  }

  @Test
  void anHttp10ResponseCutByAFailingVmEndsInAResetNotAnEndOfBody() throws IOException {
    // HTTP/1.0 without Content-Length: the body ends where the connection closes, so a plain close after the
    // VM failed would look like a complete response. Only a reset (RST) tells the client it is cut short.
    try (Harness h = Harness.start(50, 100, "")) {
      String vm = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");
      try (Socket socket = new Socket("127.0.0.1", h.port())) {
        socket.setSoTimeout((int) Harness.DEADLINE.toMillis());
        socket.getOutputStream().write("GET /smart_proxy/demo/g1/stream?chunks=100000&intervalMs=20 HTTP/1.0\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        readUntil(socket.getInputStream(), got, "chunk 1\n");

        h.crash(vm);
        Ending ending = readToEnd(socket.getInputStream(), got);

        String text = got.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.0 200").doesNotContainIgnoringCase("content-length");
        assertThat(ending).as("a truncated close-delimited body must end in a reset, got: %s", text)
            .isEqualTo(Ending.RESET);
      }
      h.assertNoLeaks();
    }
  }

  @Test
  void noResponseHeadWithinResponseTimeoutGets504() {
    try (Harness h = Harness.start(50, 100, "defaults: {responseTimeout: 500ms}\n");
         LifecycleRecorder events = h.recordEvents()) {
      String vm = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");

      Reply slow = await(h.get("/smart_proxy/demo/g1/slow?ms=600000"));

      assertThat(assertProblem(slow, 504, "backend-timeout", "demo").getString("detail")).contains("500 ms");
      Reply next = await(h.get("/smart_proxy/demo/g1/next"));
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.json().getString("vm")).as("a slow answer is no reason to replace the VM").isEqualTo(vm);
      assertThat(events.all()).noneMatch(e -> e.type() == Type.FAILED);
      h.assertNoLeaks();
    }
  }

  private enum Ending { CLOSED, RESET }

  private static void readUntil(InputStream in, ByteArrayOutputStream got, String marker) throws IOException {
    while (!got.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed before '" + marker + "': " + got.toString(StandardCharsets.ISO_8859_1));
      }
      got.write(b);
    }
  }

  /** Reads until the gateway ends the connection: by a close (end of stream) or a reset. */
  private static Ending readToEnd(InputStream in, ByteArrayOutputStream got) throws IOException {
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        got.write(buffer, 0, n);
      }
      return Ending.CLOSED;
    } catch (SocketException reset) {
      return Ending.RESET;
    }
  }
}
