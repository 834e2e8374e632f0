package dev.smartgateway.cloudmock.grpc;

import io.vertx.core.buffer.Buffer;

/**
 * {@code mock.EchoReply} of {@code mock/echo.proto}, encoded by hand.
 *
 * @param message     the request's message
 * @param vm          the id of the VM that answered
 * @param resource    that VM's resource
 * @param index       0, 1, 2... over the replies of one call
 * @param httpVersion how the request reached the VM: {@code HTTP/2} or {@code HTTP/1.1}
 */
public record EchoReply(String message, String vm, String resource, int index, String httpVersion) {

  public Buffer encode() {
    Buffer out = Buffer.buffer();
    Protobuf.writeString(out, 1, message);
    Protobuf.writeString(out, 2, vm);
    Protobuf.writeString(out, 3, resource);
    Protobuf.writeInt32(out, 4, index);
    Protobuf.writeString(out, 5, httpVersion);
    return out;
  }

  /** @throws IllegalArgumentException for bytes that are not an EchoReply */
  public static EchoReply decode(Buffer bytes) {
    Protobuf.Reader in = new Protobuf.Reader(bytes);
    String message = "";
    String vm = "";
    String resource = "";
    int index = 0;
    String httpVersion = "";
    while (in.more()) {
      int tag = in.tag();
      switch (tag) {
        case 1 << 3 | Protobuf.LENGTH_DELIMITED -> message = in.string();
        case 2 << 3 | Protobuf.LENGTH_DELIMITED -> vm = in.string();
        case 3 << 3 | Protobuf.LENGTH_DELIMITED -> resource = in.string();
        case 4 << 3 | Protobuf.VARINT -> index = (int) in.varint();
        case 5 << 3 | Protobuf.LENGTH_DELIMITED -> httpVersion = in.string();
        default -> in.skip(tag & 7);
      }
    }
    return new EchoReply(message, vm, resource, index, httpVersion);
  }
}
