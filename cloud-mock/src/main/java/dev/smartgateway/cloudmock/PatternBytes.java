package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams {@code n} bytes where the byte at offset {@code i} is {@code (byte) (i % 251)}: a prime period
 * never lines up with chunk or buffer sizes, so a client can detect lost, duplicated or reordered data.
 * Writes one chunk at a time and waits for drain when the connection's queue is full, so a huge
 * {@code n} costs one chunk of memory, not {@code n}.
 */
final class PatternBytes {

  static final int PERIOD = 251;
  private static final int CHUNK = 64 * 1024;
  private static final byte[] PATTERN = new byte[CHUNK + PERIOD];

  static {
    for (int i = 0; i < PATTERN.length; i++) {
      PATTERN[i] = (byte) (i % PERIOD);
    }
  }

  private final HttpServerResponse response;
  private final long length;
  private long offset;

  private PatternBytes(HttpServerResponse response, long length) {
    this.response = response;
    this.length = length;
  }

  /** Sends headers and starts streaming; {@code bodyWanted} is false for HEAD. */
  static void send(HttpServerResponse response, long length, boolean bodyWanted) {
    response.putHeader("Content-Type", "application/octet-stream")
        .putHeader("Content-Length", Long.toString(length));
    if (!bodyWanted) {
      response.end();
      return;
    }
    new PatternBytes(response, length).pump();
  }

  private void pump() {
    while (offset < length) {
      if (response.closed()) {
        return;
      }
      if (response.writeQueueFull()) {
        response.drainHandler(v -> pump());
        return;
      }
      int len = (int) Math.min(CHUNK, length - offset);
      response.write(Buffer.buffer(len).appendBytes(PATTERN, (int) (offset % PERIOD), len));
      offset += len;
    }
    response.end();
  }
}
