package dev.smartgateway.it;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A client of an NDJSON stream ({@code POST /admin/fanout}) that reads it line by line as it arrives, over a
 * plain socket: a test can then tell a stream from a buffered answer, read slowly, or hang up mid-stream.
 * Blocking with a deadline on every read: for the JUnit thread, never an event loop.
 */
final class NdjsonStream implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private final RawStream raw;
  private final ArrayDeque<JsonObject> lines = new ArrayDeque<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private boolean ended;

  private NdjsonStream(RawStream raw) {
    this.raw = raw;
  }

  /** POSTs {@code body} to {@code path} and reads the response head. */
  static NdjsonStream post(int port, String path, String body) {
    return post(port, path, body, 0);
  }

  /** @param receiveBuffer the socket's receive buffer in bytes (small: a slow reader fills up soon); 0: the default */
  static NdjsonStream post(int port, String path, String body, int receiveBuffer) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try {
      return new NdjsonStream(new RawStream(port, "POST " + path + " HTTP/1.1\r\nHost: admin\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + bytes.length, bytes, receiveBuffer));
    } catch (IOException e) {
      throw new AssertionError("fan-out request failed: " + e, e);
    }
  }

  int status() {
    return raw.status();
  }

  String header(String name) {
    return raw.header(name);
  }

  /** The whole body of an answer with a Content-Length (an error, or an empty fan-out). */
  String body() {
    return new String(raw.body(), StandardCharsets.UTF_8);
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
    raw.close();
  }

  private void readChunk() throws IOException {
    byte[] data = raw.nextChunk();
    if (data == null) {
      ended = true;
      if (partial.size() > 0) {
        throw new AssertionError("the stream ended inside a line: " + partial);
      }
      return;
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
}
