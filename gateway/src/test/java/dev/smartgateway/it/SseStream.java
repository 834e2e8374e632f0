package dev.smartgateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
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

  private final RawStream raw;
  /** Body bytes decoded from chunks and not yet consumed. */
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean ended;

  private SseStream(RawStream raw) {
    this.raw = raw;
  }

  /**
   * Opens {@code path} with a GET and reads the answer's head.
   *
   * @param headers more request headers, as name, value, name, value ...
   */
  static SseStream open(int port, String path, String... headers) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: admin\r\nAccept: text/event-stream");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.append("\r\n").append(headers[i]).append(": ").append(headers[i + 1]);
    }
    try {
      return new SseStream(new RawStream(port, request.toString(), new byte[0], 0));
    } catch (IOException e) {
      throw new AssertionError("opening " + path + " failed: " + e, e);
    }
  }

  int status() {
    return raw.status();
  }

  /** A response header (names are matched case-insensitively). */
  String header(String name) {
    return raw.header(name);
  }

  /** Every header of the answer, names in lower case. */
  Map<String, String> headers() {
    return raw.headers();
  }

  /** The whole body of an answer that ends (an error): by Content-Length, or chunks to the last one. */
  byte[] body() {
    return raw.body();
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
    raw.close();
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
    byte[] data = raw.nextChunk();
    if (data == null) {
      ended = true;
    } else {
      pending.write(data);
    }
  }
}
