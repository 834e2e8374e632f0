package dev.smartgateway.it;

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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client of a server-sent event stream ({@code GET /admin/events/stream}) over a plain socket: it reads the
 * answer's head, then the events one by one as they arrive (HTTP/1.1 chunked), and hangs up when closed. An
 * answer that is not a stream (an error) is read whole with {@link #body()}. Blocking with a deadline on every
 * read: for the JUnit thread, never an event loop.
 */
final class SseStream implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  /** One event: its fields ({@code id}, {@code event}, {@code data}; several {@code data:} lines joined by \n). */
  record Event(Map<String, String> fields) {
    String get(String name) {
      return fields.get(name);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final boolean chunked;
  /** Body bytes decoded from chunks and not yet consumed. */
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean ended;

  private SseStream(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    String[] head = new String(readUntil("\r\n\r\n"), StandardCharsets.ISO_8859_1).split("\r\n");
    this.status = Integer.parseInt(head[0].split(" ")[1]);
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      if (colon > 0) {
        headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
      }
    }
    this.chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
  }

  /**
   * Opens {@code path} with a GET and reads the answer's head.
   *
   * @param headers more request headers, as name, value, name, value ...
   */
  static SseStream open(int port, String path, String... headers) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) DEADLINE.toMillis());
      socket.setSoTimeout((int) DEADLINE.toMillis());
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: admin\r\nAccept: text/event-stream\r\n");
      for (int i = 0; i + 1 < headers.length; i += 2) {
        request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new SseStream(socket);
    } catch (IOException e) {
      throw new AssertionError("opening " + path + " failed: " + e, e);
    }
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

  /** The whole body of an answer that ends (an error): by Content-Length, or chunks to the last one. */
  byte[] body() {
    try {
      if (!chunked) {
        String length = header("content-length");
        return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
      }
      while (!ended) {
        readChunk();
      }
      return pending.toByteArray();
    } catch (IOException e) {
      throw new AssertionError("reading the body failed: " + e, e);
    }
  }

  /** The next event (comment-only blocks such as the greeting and keep-alives are skipped); null once the stream ended. */
  Event next() {
    try {
      while (true) {
        String block = nextBlock();
        if (block == null) {
          return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : block.split("\n")) {
          if (line.isEmpty() || line.startsWith(":")) {
            continue;
          }
          int colon = line.indexOf(':');
          String name = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          fields.merge(name, value, (a, b) -> a + "\n" + b);
        }
        if (!fields.isEmpty()) {
          return new Event(fields);
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no event within " + DEADLINE);
    } catch (IOException e) {
      throw new AssertionError("reading the stream failed: " + e, e);
    }
  }

  /** Hangs up. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing our end
    }
  }

  /** The text up to the next blank line (an event's block), or null if the stream ended first. */
  private String nextBlock() throws IOException {
    while (true) {
      String text = pending.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\n\n");
      if (end >= 0) {
        byte[] rest = text.substring(end + 2).getBytes(StandardCharsets.UTF_8);
        pending.reset();
        pending.write(rest);
        return text.substring(0, end);
      }
      if (ended) {
        return null;
      }
      readChunk();
    }
  }

  private void readChunk() throws IOException {
    String sizeLine = new String(readUntil("\r\n"), StandardCharsets.ISO_8859_1).trim();
    int size = Integer.parseInt(sizeLine.split(";")[0], 16);
    if (size == 0) {
      readUntil("\r\n");
      ended = true;
      return;
    }
    byte[] data = in.readNBytes(size);
    if (data.length < size || in.read() != '\r' || in.read() != '\n') {
      throw new AssertionError("the stream was cut inside a chunk");
    }
    pending.write(data);
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
