package dev.smartgateway.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client connection written and read byte by byte, so that no client library tidies a malformed request
 * up. Blocking, with a deadline on every read: for the JUnit thread, never an event loop.
 */
final class RawHttp implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(15);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  /** Bytes read past the end of the last response (a pipelined one, or a second answer that must not exist). */
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawHttp connect(int port) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new AssertionError("cannot connect to 127.0.0.1:" + port, e);
    }
  }

  /**
   * The mock cloud's counters ({@code /api/stats}: started, running, ...), read over a socket of their own: a
   * fault matrix reads them after every case, and this way no client library's pooling is in the picture.
   */
  static JsonObject mockStats(Harness harness) {
    return new JsonObject(mockGet(harness, "/api/stats"));
  }

  /** The resource of every VM the mock cloud ever started, oldest first. */
  static List<String> mockVmResources(Harness harness) {
    return new JsonArray(mockGet(harness, "/api/vms")).stream()
        .map(vm -> ((JsonObject) vm).getString("resource")).toList();
  }

  private static String mockGet(Harness harness, String path) {
    try (RawHttp connection = connect(harness.mock.port())) {
      Response response = connection.exchange("GET " + path + " HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n");
      assertThat(response.status()).isEqualTo(200);
      return response.body();
    }
  }

  /** Sends {@code raw} as ISO-8859-1 bytes (so "\u00e9" is the single byte 0xE9). */
  RawHttp send(String raw) {
    return send(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp send(byte[] raw) {
    try {
      out.write(raw);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new AssertionError("the gateway closed the connection while we were sending", e);
    }
  }

  /** True if the write failed because the gateway has closed the connection. */
  boolean sendFails(String raw) {
    try {
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  Response exchange(String raw) {
    return send(raw).read();
  }

  /** Reads one complete response; fails if the connection ends or the deadline passes first. */
  Response read() {
    long end = System.nanoTime() + DEADLINE.toNanos();
    byte[] head = readUntil("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), end);
    String headText = new String(head, StandardCharsets.ISO_8859_1);
    String[] lines = headText.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
    }
    String body;
    if (status < 200 || status == 204 || status == 304) {
      body = "";
    } else if (headers.containsKey("content-length")) {
      body = new String(readExactly(Integer.parseInt(headers.get("content-length")), end), StandardCharsets.UTF_8);
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = readChunked(end);
    } else {
      body = new String(readToEof(end), StandardCharsets.UTF_8);
    }
    return new Response(lines[0], status, headers, body);
  }

  /**
   * True if the gateway closes the connection within {@code within} without sending another byte; false if
   * it stays open that long. Bytes arriving instead are a failure: nothing more was owed.
   */
  boolean closedByPeer(Duration within) {
    if (pending.size() > 0) {
      throw new AssertionError("unexpected bytes: " + pending.toString(StandardCharsets.ISO_8859_1));
    }
    long end = System.nanoTime() + within.toNanos();
    try {
      while (true) {
        long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        int b = in.read();
        if (b < 0) {
          return true;
        }
        pending.write(b);
        pending.write(in.readNBytes(in.available()));
        throw new AssertionError("unexpected bytes: " + pending.toString(StandardCharsets.ISO_8859_1));
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Everything the gateway sends until it closes the connection (for "exactly one answer" checks). */
  String readToClose() {
    long end = System.nanoTime() + DEADLINE.toNanos();
    return new String(readToEof(end), StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing our end; nothing to do
    }
  }

  private byte[] readUntil(byte[] marker, long end) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (!endsWith(got, marker)) {
      int b = readByte(end);
      if (b < 0) {
        throw new AssertionError("connection closed before a complete response head; got: "
            + got.toString(StandardCharsets.ISO_8859_1));
      }
      got.write(b);
    }
    return got.toByteArray();
  }

  private byte[] readExactly(int n, long end) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (got.size() < n) {
      int b = readByte(end);
      if (b < 0) {
        throw new AssertionError("connection closed after " + got.size() + " of " + n + " body bytes");
      }
      got.write(b);
    }
    return got.toByteArray();
  }

  private String readChunked(long end) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = new String(readUntil("\r\n".getBytes(StandardCharsets.ISO_8859_1), end), StandardCharsets.ISO_8859_1).trim();
      int size = Integer.parseInt(sizeLine.split(";")[0], 16);
      if (size == 0) {
        readUntil("\r\n".getBytes(StandardCharsets.ISO_8859_1), end);
        return body.toString(StandardCharsets.UTF_8);
      }
      body.writeBytes(readExactly(size, end));
      readExactly(2, end);
    }
  }

  private byte[] readToEof(long end) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (true) {
      int b;
      try {
        b = readByte(end);
      } catch (AssertionError reset) {
        if (reset.getCause() instanceof SocketException) {
          return got.toByteArray();
        }
        throw reset;
      }
      if (b < 0) {
        return got.toByteArray();
      }
      got.write(b);
    }
  }

  private int readByte(long end) {
    try {
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new AssertionError("no complete answer within " + DEADLINE);
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
      return in.read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no complete answer within " + DEADLINE);
    } catch (IOException e) {
      throw new AssertionError("reading failed: " + e, e);
    }
  }

  private static boolean endsWith(ByteArrayOutputStream got, byte[] marker) {
    if (got.size() < marker.length) {
      return false;
    }
    byte[] bytes = got.toByteArray();
    for (int i = 0; i < marker.length; i++) {
      if (bytes[bytes.length - marker.length + i] != marker[i]) {
        return false;
      }
    }
    return true;
  }

  record Response(String statusLine, int status, Map<String, String> headers, String body) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    /** Status, content type and problem type, and a problem body that names them consistently. */
    Response assertProblem(int expectedStatus, String slug) {
      assertThat(status).as("status of %s", this).isEqualTo(expectedStatus);
      assertThat(header("content-type")).as("content type of %s", this).isEqualTo("application/problem+json");
      JsonObject problem = json();
      assertThat(problem.getString("type")).as("problem type of %s", this)
          .isEqualTo("urn:smart-gateway:problem:" + slug);
      assertThat(problem.getInteger("status")).isEqualTo(expectedStatus);
      assertThat(problem.getString("title")).isNotBlank();
      assertThat(problem.getString("detail")).isNotBlank();
      return this;
    }

    @Override
    public String toString() {
      return statusLine + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
  }
}
