package dev.smartgateway.proxy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Follows the frames of one direction of a WebSocket (RFC 6455 section 5.2) as its bytes pass, reading only the
 * frame headers and skipping payloads without looking at them: enough to know where a frame ends, so that the
 * gateway can put a close frame of its own between two frames, and to notice a close frame. Not thread-safe:
 * one direction is read on one event loop.
 */
final class WebSocketFrames {

  private static final int OPCODE_CLOSE = 0x8;
  /** Longest header: 2 bytes, an 8-byte length, a 4-byte masking key. */
  private final byte[] header = new byte[14];
  private int headerRead;
  /** The whole header's length once its first two bytes are in; 0 before. */
  private int headerLength;
  private long payloadLeft;
  private int opcode;
  private boolean closeSeen;

  /** Between two frames: the next byte, if any, starts a frame. */
  boolean atBoundary() {
    return headerRead == 0 && payloadLeft == 0;
  }

  /** A whole close frame went by. */
  boolean closeSeen() {
    return closeSeen;
  }

  /**
   * Reads {@code data} from {@code from}: to its end, or, with {@code stopAtBoundary}, only to the end of the
   * frame under way (not at all if none is).
   *
   * @return where it stopped: {@code data.length()} or the index just past the frame's end
   */
  int read(Buffer data, int from, boolean stopAtBoundary) {
    int i = from;
    int n = data.length();
    while (i < n) {
      if (payloadLeft > 0) {
        long take = Math.min(payloadLeft, n - i);
        i += (int) take;
        payloadLeft -= take;
        if (payloadLeft == 0) {
          frameEnded();
          if (stopAtBoundary) {
            return i;
          }
        }
        continue;
      }
      if (stopAtBoundary && headerRead == 0) {
        return i;
      }
      header[headerRead++] = data.getByte(i++);
      if (headerRead == 2) {
        int length7 = header[1] & 0x7f;
        headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
      }
      if (headerRead >= 2 && headerRead == headerLength) {
        opcode = header[0] & 0x0f;
        payloadLeft = payloadLength();
        headerRead = 0;
        headerLength = 0;
        if (payloadLeft == 0) {
          frameEnded();
          if (stopAtBoundary) {
            return i;
          }
        }
      }
    }
    return i;
  }

  private long payloadLength() {
    int length7 = header[1] & 0x7f;
    if (length7 < 126) {
      return length7;
    }
    if (length7 == 126) {
      return ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
    }
    long length = 0;
    for (int k = 2; k < 10; k++) {
      length = (length << 8) | (header[k] & 0xffL);
    }
    // The most significant bit must be 0 (RFC 6455); a peer that sets it is followed as if "endless".
    return length < 0 ? Long.MAX_VALUE : length;
  }

  private void frameEnded() {
    if (opcode == OPCODE_CLOSE) {
      closeSeen = true;
    }
  }

  /**
   * A close frame with a status code and a short reason; masked (with a fresh random key) as a client's frames
   * to a server must be.
   */
  static Buffer close(int code, String reason, boolean masked) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int textLength = Math.min(text.length, 123); // a control frame's payload is at most 125 bytes
    byte[] payload = new byte[2 + textLength];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, textLength);
    Buffer frame = Buffer.buffer(2 + (masked ? 4 : 0) + payload.length);
    frame.appendByte((byte) (0x80 | OPCODE_CLOSE));
    frame.appendByte((byte) ((masked ? 0x80 : 0) | payload.length));
    if (masked) {
      byte[] key = new byte[4];
      ThreadLocalRandom.current().nextBytes(key);
      frame.appendBytes(key);
      for (int k = 0; k < payload.length; k++) {
        payload[k] ^= key[k & 3];
      }
    }
    return frame.appendBytes(payload);
  }
}
