package dev.smartgateway.it;

import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.cloudmock.grpc.EchoReply;
import dev.smartgateway.cloudmock.grpc.EchoRequest;
import dev.smartgateway.cloudmock.grpc.GrpcFrames;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * gRPC as a real client makes it: HTTP/2 chosen by ALPN over TLS (trusting only the test certificate), through a
 * real gateway with {@code server.tls} to the real mock cloud, whose {@code grpc} and {@code slow} VMs speak h2c
 * and serve {@code mock.Echo}. Cold starts are made deterministic with the mock's {@code holdBoots}: a call is
 * seen held before its VM may finish booting.
 */
class GrpcOverTlsTest {

  private static final String YAML = """
      resources:
        grpc: {protocol: h2c}
        slow: {protocol: h2c, startTimeout: 1s}
      """;

  @TempDir
  Path dir;
  private TlsHarness tls;
  private HttpClientAgent client;

  @BeforeEach
  void start() throws Exception {
    tls = TlsHarness.start(dir, MockCloudOptions.defaults().withBootDelay(50, 100)
        .withResources(Set.of("grpc", "slow")).withH2cResources(Set.of("grpc", "slow")), YAML);
    client = tls.http2TrustingTheCertificate();
  }

  @AfterEach
  void stop() {
    try {
      // (PUT /api/faults merges: each fault a test set is switched off by name.)
      tls.harness.faults("{\"holdBoots\": false, \"bootFailureRate\": 0.0}");
      tls.harness.assertNoLeaks();
    } finally {
      tls.close();
    }
  }

  @Test
  void aUnaryCallOverTlsAndHttp2IsHeldThroughAColdStartAndAnsweredWithItsReplyAndStatusOk() {
    Call call = coldStart(() -> Call.open(this, "/smart_proxy/grpc/g1/mock.Echo/Unary", EchoRequest.of("cold and secure")));

    HttpClientResponse head = await(call.head.future());
    MultiMap trailers = await(call.ended.future());

    assertThat(head.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("content-type")).isEqualTo("application/grpc");
    List<EchoReply> replies = call.all();
    assertThat(replies).hasSize(1);
    assertThat(replies.get(0).message()).isEqualTo("cold and secure");
    assertThat(replies.get(0).resource()).isEqualTo("grpc");
    assertThat(replies.get(0).httpVersion()).as("the VM was reached over h2c").isEqualTo("HTTP/2");
    assertThat(trailers.get("grpc-status")).isEqualTo("0");
    assertThat(tls.harness.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void aServerStreamThroughAColdStartArrivesMessageByMessageInOrderThenStatusOk() {
    // Four replies 400 ms apart: the VM sends the last 1.2 s after the first.
    Call call = coldStart(() -> Call.open(this, "/smart_proxy/grpc/g1/mock.Echo/ServerStream",
        new EchoRequest("tick", 4, 400, 0)));

    MultiMap trailers = await(call.ended.future());

    List<Arrival> arrivals = new ArrayList<>(call.replies);
    assertThat(arrivals).extracting(a -> a.reply().index()).containsExactly(0, 1, 2, 3);
    assertThat(arrivals).extracting(a -> a.reply().message()).containsOnly("tick");
    assertThat(trailers.get("grpc-status")).isEqualTo("0");
    long spreadMs = TimeUnit.NANOSECONDS.toMillis(arrivals.get(3).atNanos() - arrivals.get(0).atNanos());
    assertThat(spreadMs).as("the first reply was read long before the VM sent the last: streamed, not buffered")
        .isGreaterThanOrEqualTo(900);
  }

  @Test
  void aBidiCallThroughTheGatewayAnswersEachMessageBeforeTheNextIsSent() {
    Call call = await(tls.harness.onContext(() -> Call.begin(this, "/smart_proxy/grpc/g1/mock.Echo/Bidi")));

    for (String message : List.of("one", "two", "three")) {
      await(tls.harness.onContext(() -> call.request.write(GrpcFrames.frame(EchoRequest.of(message).encode()))));
      EchoReply reply = call.next();
      assertThat(reply.message()).isEqualTo(message);
      assertThat(call.ended.future().isComplete()).as("the call is still open").isFalse();
    }
    await(tls.harness.onContext(() -> call.request.end()));

    assertThat(await(call.ended.future()).get("grpc-status")).isEqualTo("0");
    assertThat(await(call.head.future()).version()).isEqualTo(HttpVersion.HTTP_2);
  }

  @Test
  void aCallHeldForAVmThatFailsToBootGetsUnavailableAsATrailersOnlyAnswer() {
    tls.harness.faults("{\"bootFailureRate\": 1.0}");

    Call call = await(tls.harness.onContext(
        () -> Call.open(this, "/smart_proxy/grpc/g1/mock.Echo/Unary", EchoRequest.of("x"))));

    assertTrailersOnly(call, "14", "boot-failed: ", "grpc");
  }

  @Test
  void aCallForAResourceTheCloudDoesNotKnowGetsNotFoundAsATrailersOnlyAnswer() {
    Call call = await(tls.harness.onContext(
        () -> Call.open(this, "/smart_proxy/nope/g1/mock.Echo/Unary", EchoRequest.of("x"))));

    assertTrailersOnly(call, "5", "unknown-resource: ", "nope");
  }

  @Test
  void aCallHeldPastTheStartTimeoutGetsDeadlineExceeded() {
    tls.harness.faults("{\"holdBoots\": true}"); // the VM never finishes booting

    Call call = await(tls.harness.onContext(
        () -> Call.open(this, "/smart_proxy/slow/g1/mock.Echo/Unary", EchoRequest.of("x"))));

    assertTrailersOnly(call, "4", "start-timeout: ", "slow");
  }

  // ------------------------------------------------------------------ calls

  /** Opens a call with the mock's boots held, sees it held, then lets the VM finish booting. */
  private Call coldStart(java.util.function.Supplier<Future<Call>> open) {
    tls.harness.faults("{\"holdBoots\": true}");
    Call call = await(tls.harness.onContext(open));
    tls.harness.awaitWaiting(1);
    assertThat(call.head.future().isComplete()).as("nothing answered while the VM boots").isFalse();
    tls.harness.faults("{\"holdBoots\": false}");
    return call;
  }

  /** A gateway-made gRPC status: HTTP 200, application/grpc, the status in the headers, no message, no body. */
  private static void assertTrailersOnly(Call call, String status, String slug, String resource) {
    HttpClientResponse head = await(call.head.future());
    MultiMap trailers = await(call.ended.future());
    assertThat(head.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("content-type")).as("never HTML or problem+json").isEqualTo("application/grpc");
    assertThat(head.getHeader("grpc-status")).isEqualTo(status);
    assertThat(head.getHeader("grpc-message")).startsWith(slug).contains("(resource " + resource + ")");
    assertThat(call.replies).isEmpty();
    assertThat(call.bodyBytes).as("trailers-only: no body").isZero();
    assertThat(trailers.get("grpc-status")).as("nothing after the headers").isNull();
  }

  private record Arrival(EchoReply reply, long atNanos) {
  }

  /** One gRPC call on its HTTP/2 stream: the response head, the replies as they arrive, the trailers. */
  private static final class Call {
    final Promise<HttpClientResponse> head = Promise.promise();
    final Promise<MultiMap> ended = Promise.promise();
    final BlockingQueue<Arrival> replies = new LinkedBlockingQueue<>();
    volatile long bodyBytes;
    HttpClientRequest request;

    /** Opens the call; the request stays open for more messages (on the harness's context). */
    static Future<Call> begin(GrpcOverTlsTest test, String uri) {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(test.tls.harness.port()).setURI(uri)
          .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
      return test.client.request(options).map(request -> {
        Call call = new Call();
        // No content-length, as gRPC clients send it: the messages are written as they come (on HTTP/2,
        // "chunked" only tells Vert.x so).
        call.request = request.setChunked(true);
        GrpcFrames.Deframer deframer = new GrpcFrames.Deframer(1 << 20,
            m -> call.replies.add(new Arrival(EchoReply.decode(m), System.nanoTime())));
        request.response().onComplete(ar -> {
          if (ar.failed()) {
            call.head.fail(ar.cause());
            call.ended.tryFail(ar.cause());
            return;
          }
          HttpClientResponse response = ar.result();
          response.handler(chunk -> {
            call.bodyBytes += chunk.length();
            deframer.feed(chunk);
          });
          response.exceptionHandler(call.ended::tryFail);
          response.endHandler(v -> call.ended.tryComplete(response.trailers()));
          call.head.complete(response);
        });
        return call;
      });
    }

    /** Opens a call with one request message and ends its request side (Unary, ServerStream). */
    static Future<Call> open(GrpcOverTlsTest test, String uri, EchoRequest message) {
      return begin(test, uri).compose(call -> {
        call.request.end(GrpcFrames.frame(message.encode()));
        return Future.succeededFuture(call);
      });
    }

    EchoReply next() {
      try {
        Arrival arrival = replies.poll(10, TimeUnit.SECONDS);
        assertThat(arrival).as("a reply within 10 s").isNotNull();
        return arrival.reply();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    List<EchoReply> all() {
      return replies.stream().map(Arrival::reply).toList();
    }
  }
}
