package dev.smartgateway.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket whose answer is read as it arrives, chunk by chunk: what the
 * stream clients of the tests ({@link NdjsonStream}, {@link SseStream}) share. A test can then tell a stream
 * from a buffered answer, read slowly, or hang up mid-stream. Blocking with a deadline on every read: for the
 * JUnit thread, never an event loop.
 */
final class RawStream implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private final Socket socket;
  private final InputStream in;
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final boolean chunked;
  private boolean ended;

  /**
   * Sends {@code head} (the request line and headers, without the blank line) and {@code body}, then reads the
   * answer's head.
   *
   * @param receiveBuffer the socket's receive buffer in bytes (small: a slow reader fills up soon); 0: the default
   */
  RawStream(int port, String head, byte[] body, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) DEADLINE.toMillis());
    socket.setSoTimeout((int) DEADLINE.toMillis());
    OutputStream out = socket.getOutputStream();
    out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    String[] lines = new String(readUntil("\r\n\r\n"), StandardCharsets.ISO_8859_1).split("\r\n");
    status = Integer.parseInt(lines[0].split(" ")[1]);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
  }

  int status() {
    return status;
  }

  /** A response header (names are matched case-insensitively). */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Every header of the answer, names in lower case. */
  Map<String, String> headers() {
    return headers;
  }

  boolean isChunked() {
    return chunked;
  }

  /** The next chunk's data as it arrives; null once the last chunk was read. */
  byte[] nextChunk() throws IOException {
    if (ended) {
      return null;
    }
    String sizeLine = new String(readUntil("\r\n"), StandardCharsets.ISO_8859_1).trim();
    int size = Integer.parseInt(sizeLine.split(";")[0], 16);
    if (size == 0) {
      readUntil("\r\n");
      ended = true;
      return null;
    }
    byte[] data = in.readNBytes(size);
    if (data.length < size || in.read() != '\r' || in.read() != '\n') {
      throw new AssertionError("the stream was cut inside a chunk");
    }
    return data;
  }

  /** The whole body of an answer that ends: by Content-Length, or chunks to the last one. */
  byte[] body() {
    try {
      if (!chunked) {
        String length = header("content-length");
        return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] chunk = nextChunk(); chunk != null; chunk = nextChunk()) {
        all.write(chunk);
      }
      return all.toByteArray();
    } catch (IOException e) {
      throw new AssertionError("reading the body failed: " + e, e);
    }
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
      if (bytes.length >= end.length && Arrays.equals(bytes, bytes.length - end.length, bytes.length, end, 0, end.length)) {
        return Arrays.copyOf(bytes, bytes.length - end.length);
      }
    }
  }
}
