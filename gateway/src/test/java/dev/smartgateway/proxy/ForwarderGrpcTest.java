package dev.smartgateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smartgateway.cloudmock.grpc.EchoReply;
import dev.smartgateway.cloudmock.grpc.EchoRequest;
import dev.smartgateway.cloudmock.grpc.EchoService;
import dev.smartgateway.cloudmock.grpc.GrpcFrames;
import dev.smartgateway.config.ResourceSettings.Protocol;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC calls from an HTTP/2 client through the forwarder to the mock VM's gRPC service over h2c, as they will go
 * once the public listener speaks HTTP/2 (over TLS): frames stream as they are written, the status arrives in the
 * trailers.
 */
@ExtendWith(VertxExtension.class)
class ForwarderGrpcTest {

  private Bench bench;

  @BeforeEach
  void start(Vertx vertx) {
    bench = Bench.start(vertx);
    bench.protocol = Protocol.H2C;
    EchoService service = new EchoService(vertx, "vm-7", "grpc");
    bench.originHandler = service;
  }

  private RequestOptions call(String method) {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(bench.frontPort())
        .setURI("/mock.Echo/" + method).putHeader("content-type", "application/grpc").putHeader("te", "trailers");
  }

  @Test
  void aUnaryCallIsAnsweredByTheVmWithItsStatusInTheTrailers() {
    MultiMap[] trailers = new MultiMap[1];
    List<EchoReply> replies = bench.onClient(() -> bench.h2Client.request(call("Unary"))
        .compose(req -> req.send(GrpcFrames.frame(EchoRequest.of("ping").encode())))
        .compose(resp -> resp.body().map(body -> {
          trailers[0] = resp.trailers();
          return decode(body);
        })));

    assertThat(replies).containsExactly(new EchoReply("ping", "vm-7", "grpc", 0, "HTTP/2"));
    assertThat(trailers[0].get("grpc-status")).isEqualTo("0");
  }

  @Test
  void aServerStreamArrivesMessageByMessageWhileTheVmIsStillSending() {
    // Five replies 300 ms apart: the first must be at the client long before the VM is done.
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    List<EchoReply> replies = new CopyOnWriteArrayList<>();
    Promise<MultiMap> ended = Promise.promise();
    long start = System.nanoTime();
    bench.onClient(() -> bench.h2Client.request(call("ServerStream"))
        .compose(req -> req.send(GrpcFrames.frame(new EchoRequest("tick", 5, 300, 0).encode())))
        .map(resp -> {
          GrpcFrames.Deframer deframer = new GrpcFrames.Deframer(1 << 20, m -> {
            arrivals.add((System.nanoTime() - start) / 1_000_000);
            replies.add(EchoReply.decode(m));
          });
          resp.handler(deframer::feed);
          resp.endHandler(v -> ended.complete(resp.trailers()));
          return resp;
        }));

    assertThat(Bench.await(ended.future()).get("grpc-status")).isEqualTo("0");
    assertThat(replies).extracting(EchoReply::index).containsExactly(0, 1, 2, 3, 4);
    assertThat(arrivals.get(4) - arrivals.get(0)).as("spread over the stream, not delivered at its end")
        .isGreaterThanOrEqualTo(900);
  }

  @Test
  void aBidiCallGetsEachReplyBeforeItSendsTheNextMessage() {
    List<EchoReply> replies = new CopyOnWriteArrayList<>();
    Promise<Void> first = Promise.promise();
    Promise<MultiMap> ended = Promise.promise();
    HttpClientRequest request = bench.onClient(() -> bench.h2Client.request(call("Bidi")).compose(req -> {
      req.response().onSuccess(resp -> {
        resp.handler(new GrpcFrames.Deframer(1 << 20, m -> {
          replies.add(EchoReply.decode(m));
          first.tryComplete();
        })::feed);
        resp.endHandler(v -> ended.complete(resp.trailers()));
      });
      req.setChunked(true);
      return req.write(GrpcFrames.frame(EchoRequest.of("one").encode())).map(req);
    }));

    Bench.await(first.future());
    bench.onClient(() -> request.end(GrpcFrames.frame(EchoRequest.of("two").encode())));

    assertThat(Bench.await(ended.future()).get("grpc-status")).isEqualTo("0");
    assertThat(replies).extracting(EchoReply::message).containsExactly("one", "two");
  }

  @Test
  void aFailedCallsTrailersOnlyAnswerKeepsItsStatus() {
    MultiMap[] head = new MultiMap[1];
    Buffer body = bench.onClient(() -> bench.h2Client.request(call("Unary"))
        .compose(req -> req.send(GrpcFrames.frame(new EchoRequest("no", 0, 0, 9).encode())))
        .compose(resp -> {
          head[0] = resp.headers();
          return resp.body();
        }));

    assertThat(head[0].get("grpc-status")).isEqualTo("9");
    assertThat(head[0].get("grpc-message")).isEqualTo("failed as asked: no");
    assertThat(body.length()).isZero();
  }

  private static List<EchoReply> decode(Buffer body) {
    List<EchoReply> replies = new ArrayList<>();
    new GrpcFrames.Deframer(1 << 20, m -> replies.add(EchoReply.decode(m))).feed(body);
    return replies;
  }
}
