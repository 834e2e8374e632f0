package dev.smartgateway.cloudmock.grpc;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * gRPC's message framing over HTTP/2 ("Length-Prefixed-Message" of the gRPC HTTP/2 protocol): a compressed
 * flag byte, a 4-byte big-endian length, the message. The mock never compresses and refuses compressed input
 * (it announces only {@code identity}).
 */
public final class GrpcFrames {

  public static final int HEADER_BYTES = 5;

  private GrpcFrames() {
  }

  /** One uncompressed message, framed. */
  public static Buffer frame(Buffer message) {
    return Buffer.buffer(HEADER_BYTES + message.length())
        .appendByte((byte) 0)
        .appendInt(message.length())
        .appendBuffer(message);
  }

  /** Thrown by {@link Deframer#feed} for a frame that cannot be read; carries the gRPC status to end the call with. */
  public static final class FrameException extends RuntimeException {
    private final int status;

    FrameException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * Cuts a byte stream (chunks as they arrive, split anywhere) into messages. Holds at most one message and a
   * header: a message over {@code maxMessageBytes} is refused before it is read.
   */
  public static final class Deframer {
    private final int maxMessageBytes;
    private final Handler<Buffer> onMessage;
    private Buffer pending = Buffer.buffer();

    public Deframer(int maxMessageBytes, Handler<Buffer> onMessage) {
      this.maxMessageBytes = maxMessageBytes;
      this.onMessage = onMessage;
    }

    public void feed(Buffer chunk) {
      pending.appendBuffer(chunk);
      while (pending.length() >= HEADER_BYTES) {
        byte flag = pending.getByte(0);
        long length = pending.getUnsignedInt(1);
        if (flag != 0) {
          throw new FrameException(GrpcStatusCodes.UNIMPLEMENTED, "compressed messages are not supported");
        }
        if (length > maxMessageBytes) {
          throw new FrameException(GrpcStatusCodes.RESOURCE_EXHAUSTED,
              "message of " + length + " bytes is over the limit of " + maxMessageBytes);
        }
        int end = HEADER_BYTES + (int) length;
        if (pending.length() < end) {
          return;
        }
        Buffer message = pending.getBuffer(HEADER_BYTES, end);
        pending = pending.getBuffer(end, pending.length());
        onMessage.handle(message);
      }
    }

    /** True when no part of a message is waiting for more bytes: the stream may end here. */
    public boolean atBoundary() {
      return pending.length() == 0;
    }
  }
}
