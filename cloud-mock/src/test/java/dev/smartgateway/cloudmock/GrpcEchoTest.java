package dev.smartgateway.cloudmock;

import dev.smartgateway.cloudmock.grpc.EchoReply;
import dev.smartgateway.cloudmock.grpc.EchoRequest;
import dev.smartgateway.cloudmock.grpc.GrpcFrames;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** VMs of an h2c resource: HTTP/2 with prior knowledge beside HTTP/1.1, and the gRPC service mock.Echo. */
class GrpcEchoTest extends MockCloudTestBase {

  // Fields: Vert.x 5 closes a client nothing references any more.
  private HttpClientAgent h2;
  private HttpClientAgent http1;
  private JsonObject vm;

  @Override
  MockCloudOptions options() {
    return super.options().withH2cResources(Set.of("grpc"));
  }

  @BeforeEach
  void startVm() {
    h2 = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
        .build();
    http1 = vertx.httpClientBuilder().with(new HttpClientOptions()).build();
    vm = api.startRunning("grpc", "g");
  }

  /** A finished call: status line, headers, the replies, trailers. */
  private record Call(int status, MultiMap headers, List<EchoReply> replies, MultiMap trailers) {
    String grpcStatus() {
      return trailers.contains("grpc-status") ? trailers.get("grpc-status") : headers.get("grpc-status");
    }
  }

  private Call call(HttpClientAgent client, String method, EchoRequest... requests) {
    Buffer body = Buffer.buffer();
    for (EchoRequest r : requests) {
      body.appendBuffer(GrpcFrames.frame(r.encode()));
    }
    return await(client.request(grpcRequest(method))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(all -> new Call(resp.statusCode(), resp.headers(), replies(all),
            resp.trailers()))));
  }

  private RequestOptions grpcRequest(String method) {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(vm.getInteger("port"))
        .setURI("/mock.Echo/" + method).putHeader("content-type", "application/grpc").putHeader("te", "trailers");
  }

  private static List<EchoReply> replies(Buffer body) {
    List<EchoReply> replies = new ArrayList<>();
    GrpcFrames.Deframer deframer = new GrpcFrames.Deframer(1 << 20, m -> replies.add(EchoReply.decode(m)));
    deframer.feed(body);
    assertThat(deframer.atBoundary()).as("the body ends on a message boundary").isTrue();
    return replies;
  }

  @Test
  void unaryAnswersTheMessageAndTheVmOverHttp2WithAnOkStatusInTheTrailers() {
    Call call = call(h2, "Unary", EchoRequest.of("hello"));

    assertThat(call.status()).isEqualTo(200);
    assertThat(call.headers().get("content-type")).isEqualTo("application/grpc");
    assertThat(call.replies()).containsExactly(
        new EchoReply("hello", vm.getString("id"), "grpc", 0, "HTTP/2"));
    assertThat(call.trailers().get("grpc-status")).isEqualTo("0");
    assertThat(call.headers().contains("grpc-status")).as("not trailers-only").isFalse();
  }

  @Test
  void serverStreamSendsCountRepliesThenTheStatus() {
    Call call = call(h2, "ServerStream", new EchoRequest("tick", 5, 10, 0));

    assertThat(call.replies()).extracting(EchoReply::index).containsExactly(0, 1, 2, 3, 4);
    assertThat(call.replies()).extracting(EchoReply::message).containsOnly("tick");
    assertThat(call.trailers().get("grpc-status")).isEqualTo("0");
  }

  @Test
  void aStreamAskedToFailEndsWithThatStatusAfterItsReplies() {
    Call call = call(h2, "ServerStream", new EchoRequest("x", 2, 0, 14));

    assertThat(call.replies()).hasSize(2);
    assertThat(call.trailers().get("grpc-status")).isEqualTo("14");
    assertThat(call.trailers().get("grpc-message")).isEqualTo("failed as asked after 2 replies");
  }

  @Test
  void aUnaryCallAskedToFailGetsATrailersOnlyAnswer() {
    Call call = call(h2, "Unary", new EchoRequest("100% wrong", 0, 0, 7));

    assertThat(call.status()).isEqualTo(200);
    assertThat(call.replies()).isEmpty();
    assertThat(call.headers().get("grpc-status")).isEqualTo("7");
    assertThat(call.headers().get("grpc-message")).isEqualTo("failed as asked: 100%25 wrong");
  }

  @Test
  void anUnknownMethodIsUnimplemented() {
    Call call = call(h2, "Shout", EchoRequest.of("x"));

    assertThat(call.grpcStatus()).isEqualTo("12");
    assertThat(call.replies()).isEmpty();
  }

  @Test
  void aUnaryCallWithoutItsRequestMessageIsAnInvalidArgument() {
    assertThat(call(h2, "Unary").grpcStatus()).isEqualTo("3");
  }

  @Test
  void bidiAnswersEachMessageAsItArrives() {
    List<EchoReply> seen = new ArrayList<>();
    Promise<MultiMap> trailers = Promise.promise();
    Promise<Void> firstReply = Promise.promise();
    HttpClientRequest request = await(h2.request(grpcRequest("Bidi")).compose(req -> {
      req.response().onSuccess(resp -> {
        GrpcFrames.Deframer deframer = new GrpcFrames.Deframer(1 << 20, m -> {
          seen.add(EchoReply.decode(m));
          firstReply.tryComplete();
        });
        resp.handler(deframer::feed);
        resp.endHandler(v -> trailers.complete(resp.trailers()));
      });
      req.setChunked(true); // Vert.x asks for it before a body of unknown length, even over HTTP/2
      return req.write(GrpcFrames.frame(EchoRequest.of("one").encode())).map(req);
    }));

    // The second message goes only once the first one's reply came back: a reply per message, not at the end.
    await(firstReply.future());
    assertThat(seen).extracting(EchoReply::message).containsExactly("one");
    await(request.end(GrpcFrames.frame(EchoRequest.of("two").encode())));

    assertThat(await(trailers.future()).get("grpc-status")).isEqualTo("0");
    assertThat(seen).extracting(EchoReply::message).containsExactly("one", "two");
    assertThat(seen).extracting(EchoReply::index).containsExactly(0, 1);
  }

  @Test
  void theSamePortStillSpeaksHttp11AndTheEchoSaysWhichVersionCameIn() {
    JsonObject overHttp1 = echo(http1);
    JsonObject overH2 = echo(h2);

    assertThat(overHttp1.getString("httpVersion")).isEqualTo("HTTP/1.1");
    assertThat(overH2.getString("httpVersion")).isEqualTo("HTTP/2");
    assertThat(overH2.getString("authority")).isEqualTo("127.0.0.1:" + vm.getInteger("port"));
  }

  @Test
  void gRpcOverHttp11GetsItsStatusInChunkedTrailers() {
    Call call = call(http1, "Unary", EchoRequest.of("old"));

    assertThat(call.replies()).extracting(EchoReply::httpVersion).containsExactly("HTTP/1.1");
    assertThat(call.trailers().get("grpc-status")).isEqualTo("0");
  }

  @Test
  void aRequestThatIsNotGrpcIsUnsupportedMediaType() {
    int status = await(h2.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(vm.getInteger("port")).setURI("/mock.Echo/Unary").putHeader("content-type", "application/json"))
        .compose(req -> req.send("{}")).compose(resp -> resp.end().map(v -> resp.statusCode())));

    assertThat(status).isEqualTo(415);
  }

  @Test
  void aVmOfAPlainResourceRefusesHttp2() {
    JsonObject plain = api.startRunning("plain", "g");

    Future<Integer> attempt = h2.request(new RequestOptions().setHost("127.0.0.1").setPort(plain.getInteger("port"))
            .setURI("/health")).compose(req -> req.send()).map(HttpClientResponse::statusCode);

    assertThatThrownBy(() -> await(attempt)).isNotNull();
    // Its app is there all the same, over HTTP/1.1.
    assertThat(echo(http1, plain.getInteger("port")).getString("httpVersion")).isEqualTo("HTTP/1.1");
  }

  private JsonObject echo(HttpClientAgent client) {
    return echo(client, vm.getInteger("port"));
  }

  private JsonObject echo(HttpClientAgent client, int port) {
    return await(client.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/echo"))
        .compose(req -> req.send()).compose(HttpClientResponse::body)).toJsonObject();
  }
}
