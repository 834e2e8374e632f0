package dev.smartgateway.it;

import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client of an NDJSON stream ({@code POST /admin/fanout}) that reads it line by line as it arrives, over a
 * plain socket: a test can then tell a stream from a buffered answer, read slowly, or hang up mid-stream.
 * Blocking with a deadline on every read: for the JUnit thread, never an event loop.
 */
final class NdjsonStream implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private final Socket socket;
  private final InputStream in;
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final ArrayDeque<JsonObject> lines = new ArrayDeque<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private boolean ended;

  private NdjsonStream(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    String[] head = new String(readUntil("\r\n\r\n"), StandardCharsets.ISO_8859_1).split("\r\n");
    this.status = Integer.parseInt(head[0].split(" ")[1]);
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      if (colon > 0) {
        headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
      }
    }
  }

  /** POSTs {@code body} to {@code path} and reads the response head. */
  static NdjsonStream post(int port, String path, String body) {
    return post(port, path, body, 0);
  }

  /** @param receiveBuffer the socket's receive buffer in bytes (small: a slow reader fills up soon); 0: the default */
  static NdjsonStream post(int port, String path, String body, int receiveBuffer) {
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) DEADLINE.toMillis());
      socket.setSoTimeout((int) DEADLINE.toMillis());
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: admin\r\nContent-Type: application/json\r\nContent-Length: "
          + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      return new NdjsonStream(socket);
    } catch (IOException e) {
      throw new AssertionError("fan-out request failed: " + e, e);
    }
  }

  int status() {
    return status;
  }

  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The whole body of an answer with a Content-Length (an error, or an empty fan-out). */
  String body() {
    int length = Integer.parseInt(header("content-length"));
    try {
      return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The next line as it arrives, or null once the stream has ended; fails if nothing comes within the deadline. */
  JsonObject next() {
    try {
      while (lines.isEmpty() && !ended) {
        readChunk();
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no line within " + DEADLINE);
    } catch (IOException e) {
      throw new AssertionError("reading the stream failed: " + e, e);
    }
    return lines.poll();
  }

  /** Hangs up without reading on. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing our end
    }
  }

  private void readChunk() throws IOException {
    String sizeLine = new String(readUntil("\r\n"), StandardCharsets.ISO_8859_1).trim();
    int size = Integer.parseInt(sizeLine.split(";")[0], 16);
    if (size == 0) {
      readUntil("\r\n");
      ended = true;
      if (partial.size() > 0) {
        throw new AssertionError("the stream ended inside a line: " + partial);
      }
      return;
    }
    byte[] data = in.readNBytes(size);
    if (data.length < size || in.read() != '\r' || in.read() != '\n') {
      throw new AssertionError("the stream was cut inside a chunk");
    }
    for (byte b : data) {
      if (b == '\n') {
        lines.add(new JsonObject(partial.toString(StandardCharsets.UTF_8)));
        partial.reset();
      } else {
        partial.write(b);
      }
    }
  }

  private byte[] readUntil(String marker) throws IOException {
    byte[] end = marker.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("the connection closed early; got: " + got.toString(StandardCharsets.ISO_8859_1));
      }
      got.write(b);
      byte[] bytes = got.toByteArray();
      if (bytes.length >= end.length
          && java.util.Arrays.equals(bytes, bytes.length - end.length, bytes.length, end, 0, end.length)) {
        return java.util.Arrays.copyOf(bytes, bytes.length - end.length);
      }
    }
  }
}
