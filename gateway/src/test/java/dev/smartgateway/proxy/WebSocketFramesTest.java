package dev.smartgateway.proxy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Frame boundaries found in any split of the bytes: small, 16-bit and 64-bit lengths, masked or not. */
class WebSocketFramesTest {

  @Test
  void findsTheBoundariesWhateverTheSplit() {
    Buffer frames = Buffer.buffer()
        .appendBuffer(frame(0x1, 5, false))
        .appendBuffer(frame(0x2, 300, true))
        .appendBuffer(frame(0x2, 70_000, false))
        .appendBuffer(frame(0x9, 0, true));
    // header + payload: 2 + 5; 2 + 2 (16-bit length) + 4 (key) + 300; 2 + 8 (64-bit length) + 70000; 2 + 4 (key) + 0
    int[] ends = {7, 7 + 308, 7 + 308 + 70_010, 7 + 308 + 70_010 + 6};
    assertThat(frames.length()).isEqualTo(ends[3]);
    for (int chunk : new int[] {1, 3, 7, 64, 1000, frames.length()}) {
      WebSocketFrames tracker = new WebSocketFrames();
      int boundaries = 0;
      for (int at = 0; at < frames.length(); at += chunk) {
        Buffer piece = frames.getBuffer(at, Math.min(frames.length(), at + chunk));
        int i = 0;
        while (i < piece.length()) {
          int stop = tracker.read(piece, i, true);
          if (tracker.atBoundary() && stop > i) {
            assertThat(at + stop).as("boundary %d in chunks of %d", boundaries, chunk).isEqualTo(ends[boundaries]);
            boundaries++;
          }
          i = stop == i ? skipOneFrameStart(tracker, piece, i) : stop;
        }
      }
      assertThat(boundaries).as("chunks of %d", chunk).isEqualTo(4);
      assertThat(tracker.atBoundary()).isTrue();
      assertThat(tracker.closeSeen()).isFalse();
    }
  }

  @Test
  void stopsAtTheEndOfTheFrameUnderWayAndNotBeforeTheNext() {
    WebSocketFrames tracker = new WebSocketFrames();
    Buffer two = Buffer.buffer().appendBuffer(frame(0x1, 10, false)).appendBuffer(frame(0x1, 10, false));
    assertThat(tracker.read(two, 0, true)).as("at a boundary: nothing to finish").isZero();
    assertThat(tracker.read(two.getBuffer(0, 5), 0, false)).isEqualTo(5);
    assertThat(tracker.atBoundary()).isFalse();
    Buffer rest = two.getBuffer(5, two.length());
    assertThat(tracker.read(rest, 0, true)).as("the rest of the first frame").isEqualTo(7);
    assertThat(tracker.atBoundary()).isTrue();
  }

  @Test
  void seesACloseFrameOnlyOnceItIsWhole() {
    WebSocketFrames tracker = new WebSocketFrames();
    Buffer close = WebSocketFrames.close(1001, "bye", true);
    tracker.read(close.getBuffer(0, close.length() - 1), 0, false);
    assertThat(tracker.closeSeen()).isFalse();
    tracker.read(close.getBuffer(close.length() - 1, close.length()), 0, false);
    assertThat(tracker.closeSeen()).isTrue();
    assertThat(tracker.atBoundary()).isTrue();
  }

  @Test
  void aCloseFrameCarriesItsCodeAndReasonMaskedOrNot() {
    Buffer plain = WebSocketFrames.close(1001, "going away", false);
    assertThat(plain.getByte(0) & 0xff).isEqualTo(0x88);
    assertThat(plain.getByte(1) & 0xff).isEqualTo(12);
    assertThat(plain.getUnsignedShort(2)).isEqualTo(1001);
    assertThat(plain.getString(4, plain.length(), "UTF-8")).isEqualTo("going away");

    Buffer masked = WebSocketFrames.close(1001, "going away", true);
    assertThat(masked.getByte(1) & 0xff).isEqualTo(0x80 | 12);
    byte[] key = masked.getBytes(2, 6);
    byte[] payload = masked.getBytes(6, masked.length());
    for (int k = 0; k < payload.length; k++) {
      payload[k] ^= key[k & 3];
    }
    assertThat(((payload[0] & 0xff) << 8) | (payload[1] & 0xff)).isEqualTo(1001);
    assertThat(new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)).isEqualTo("going away");
  }

  /** At a boundary {@code read(.., true)} reads nothing: read on without stopping up to the next frame's header. */
  private static int skipOneFrameStart(WebSocketFrames tracker, Buffer piece, int i) {
    tracker.read(piece.getBuffer(i, i + 1), 0, false);
    return i + 1;
  }

  private static Buffer frame(int opcode, int length, boolean masked) {
    Buffer frame = Buffer.buffer().appendByte((byte) (0x80 | opcode));
    int maskBit = masked ? 0x80 : 0;
    if (length < 126) {
      frame.appendByte((byte) (maskBit | length));
    } else if (length < 65_536) {
      frame.appendByte((byte) (maskBit | 126)).appendUnsignedShort(length);
    } else {
      frame.appendByte((byte) (maskBit | 127)).appendLong(length);
    }
    if (masked) {
      frame.appendInt(0x01020304);
    }
    return frame.appendBytes(new byte[length]);
  }
}
