package dev.smartgateway.cloudmock.grpc;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written protobuf messages and gRPC framing of the mock's service. */
class GrpcWireTest {

  @Test
  void anEchoRequestIsEncodedAsProtobufWouldEncodeIt() {
    // message = "hi" (field 1, length-delimited), count = 3 (field 2, varint), failStatus = 300 (field 4).
    Buffer bytes = new EchoRequest("hi", 3, 0, 300).encode();

    assertThat(HexFormat.of().formatHex(bytes.getBytes())).isEqualTo("0a0268691003" + "20ac02");
  }

  @Test
  void messagesSurviveARoundTripIncludingNonAsciiText() {
    EchoReply reply = new EchoReply("zażółć", "vm-1", "grpc", 7, "HTTP/2");
    EchoRequest request = new EchoRequest("x", 10, 250, 14);

    assertThat(EchoReply.decode(reply.encode())).isEqualTo(reply);
    assertThat(EchoRequest.decode(request.encode())).isEqualTo(request);
  }

  @Test
  void unknownFieldsOfEveryWireTypeAreSkipped() {
    Buffer bytes = Buffer.buffer(HexFormat.of().parseHex(
        "2801" // field 5, varint
            + "310102030405060708" // field 6, fixed64
            + "3a03616263" // field 7, length-delimited "abc"
            + "3d01020304" // field 7 again as fixed32 (field 7, wire type 5)
            + "0a026f6b")); // field 1, "ok"

    assertThat(EchoRequest.decode(bytes)).isEqualTo(EchoRequest.of("ok"));
  }

  @Test
  void aTruncatedMessageIsRefused() {
    assertThatThrownBy(() -> EchoRequest.decode(Buffer.buffer(HexFormat.of().parseHex("0a0568"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void framesSplitAnywhereAreReassembled() {
    Buffer stream = Buffer.buffer()
        .appendBuffer(GrpcFrames.frame(Buffer.buffer("first")))
        .appendBuffer(GrpcFrames.frame(Buffer.buffer()))
        .appendBuffer(GrpcFrames.frame(Buffer.buffer("third")));
    List<String> messages = new ArrayList<>();
    GrpcFrames.Deframer deframer = new GrpcFrames.Deframer(1024, m -> messages.add(m.toString()));

    for (int i = 0; i < stream.length(); i += 3) {
      deframer.feed(stream.getBuffer(i, Math.min(stream.length(), i + 3)));
    }

    assertThat(messages).containsExactly("first", "", "third");
    assertThat(deframer.atBoundary()).isTrue();
  }

  @Test
  void aFrameOverTheLimitIsRefusedBeforeItsBytesArrive() {
    GrpcFrames.Deframer deframer = new GrpcFrames.Deframer(10, m -> { });

    assertThatThrownBy(() -> deframer.feed(Buffer.buffer().appendByte((byte) 0).appendInt(11)))
        .isInstanceOfSatisfying(GrpcFrames.FrameException.class,
            e -> assertThat(e.status()).isEqualTo(GrpcStatusCodes.RESOURCE_EXHAUSTED));
  }

  @Test
  void aCompressedFrameIsUnimplemented() {
    GrpcFrames.Deframer deframer = new GrpcFrames.Deframer(10, m -> { });

    assertThatThrownBy(() -> deframer.feed(Buffer.buffer().appendByte((byte) 1).appendInt(1).appendByte((byte) 0)))
        .isInstanceOfSatisfying(GrpcFrames.FrameException.class,
            e -> assertThat(e.status()).isEqualTo(GrpcStatusCodes.UNIMPLEMENTED));
  }

  @Test
  void grpcMessageIsPercentEncodedAsUtf8() {
    assertThat(GrpcStatusCodes.percentEncode("50% off: żółw\n")).isEqualTo("50%25 off: %C5%BC%C3%B3%C5%82w%0A");
  }
}
