package dev.smartgateway.cloudmock.grpc;

import io.vertx.core.buffer.Buffer;

/**
 * {@code mock.EchoRequest} of {@code mock/echo.proto}, encoded by hand.
 *
 * @param message    echoed back in every reply
 * @param count      ServerStream: how many replies (0: {@link EchoService#DEFAULT_STREAM_COUNT})
 * @param intervalMs ServerStream: the pause before each reply after the first
 * @param failStatus not 0: the call ends with this {@code grpc-status} (after the replies, for a stream; as a
 *                   trailers-only answer for Unary), to see how a proxy relays a failed call
 */
public record EchoRequest(String message, int count, int intervalMs, int failStatus) {

  public EchoRequest {
    message = message == null ? "" : message;
  }

  public static EchoRequest of(String message) {
    return new EchoRequest(message, 0, 0, 0);
  }

  public Buffer encode() {
    Buffer out = Buffer.buffer();
    Protobuf.writeString(out, 1, message);
    Protobuf.writeInt32(out, 2, count);
    Protobuf.writeInt32(out, 3, intervalMs);
    Protobuf.writeInt32(out, 4, failStatus);
    return out;
  }

  /** @throws IllegalArgumentException for bytes that are not an EchoRequest */
  public static EchoRequest decode(Buffer bytes) {
    Protobuf.Reader in = new Protobuf.Reader(bytes);
    String message = "";
    int count = 0;
    int intervalMs = 0;
    int failStatus = 0;
    while (in.more()) {
      int tag = in.tag();
      switch (tag) {
        case 1 << 3 | Protobuf.LENGTH_DELIMITED -> message = in.string();
        case 2 << 3 | Protobuf.VARINT -> count = (int) in.varint();
        case 3 << 3 | Protobuf.VARINT -> intervalMs = (int) in.varint();
        case 4 << 3 | Protobuf.VARINT -> failStatus = (int) in.varint();
        default -> in.skip(tag & 7);
      }
    }
    return new EchoRequest(message, count, intervalMs, failStatus);
  }
}
