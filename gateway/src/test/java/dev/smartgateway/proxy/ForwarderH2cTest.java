package dev.smartgateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smartgateway.config.ResourceSettings.Protocol;
import dev.smartgateway.proxy.Bench.Hasher;
import dev.smartgateway.proxy.Bench.PatternStream;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code protocol: h2c}: the forwarder speaks HTTP/2 with prior knowledge to the VM, streams both ways, and
 * passes trailers on. The bench's front is a plain Vert.x server, which (unlike the gateway's public listener)
 * accepts h2c, so the client side can be HTTP/2 here as it will be over TLS.
 */
@ExtendWith(VertxExtension.class)
class ForwarderH2cTest {

  private Bench bench;

  @BeforeEach
  void start(Vertx vertx) {
    bench = Bench.start(vertx);
    bench.protocol = Protocol.H2C;
  }

  /** What a response looked like to the client: status, headers, body, trailers. */
  private record Seen(int status, MultiMap headers, String body, MultiMap trailers) {
  }

  private Seen exchange(HttpClientAgent client, RequestOptions options, Buffer body) {
    return bench.onClient(() -> client.request(options.setHost("127.0.0.1").setPort(bench.frontPort()))
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Seen(resp.statusCode(), resp.headers(), b.toString(), resp.trailers()))));
  }

  @Test
  void anHttp11ClientsBodyStreamsToTheVmOverHttp2WithItsHostAsTheAuthority() {
    AtomicReference<HttpVersion> version = new AtomicReference<>();
    AtomicReference<String> authority = new AtomicReference<>();
    bench.originHandler = req -> {
      version.set(req.version());
      authority.set(req.authority().toString());
      Hasher hasher = new Hasher();
      req.handler(hasher::update);
      req.endHandler(v -> req.response().end(hasher.hex() + " " + hasher.bytes));
    };
    long total = 5L * 1024 * 1024 + 3;

    String answer = bench.onClient(() -> bench.client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setHost("127.0.0.1").setPort(bench.frontPort()).setURI("/upload").putHeader("Host", "app.example:8443"))
        .compose(req -> req.setChunked(true).send(new PatternStream(bench.clientContext, total)))
        .compose(resp -> resp.body().map(body -> resp.statusCode() + " " + body)));

    assertThat(answer).isEqualTo("200 " + Bench.sha256OfPattern(total) + " " + total);
    assertThat(version.get()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(authority.get()).isEqualTo("app.example:8443");
    assertThat(bench.nextOutcome().requestBytes()).isEqualTo(total);
  }

  @Test
  void trailersFromTheVmReachAnHttp2Client() {
    bench.originHandler = req -> req.endHandler(v -> req.response()
        .putHeader("content-type", "application/grpc")
        .putTrailer("grpc-status", "0")
        .putTrailer("grpc-message", "all%20good")
        .end(Buffer.buffer("message")));

    Seen seen = exchange(bench.h2Client, new RequestOptions().setMethod(HttpMethod.POST).setURI("/mock.Echo/Unary")
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers"), Buffer.buffer("call"));

    assertThat(seen.status()).isEqualTo(200);
    assertThat(seen.body()).isEqualTo("message");
    assertThat(seen.trailers().get("grpc-status")).isEqualTo("0");
    assertThat(seen.trailers().get("grpc-message")).isEqualTo("all%20good");
    assertThat(seen.headers().contains("grpc-status")).isFalse();
  }

  @Test
  void trailersReachAnHttp11ClientThatAcceptsThemAfterAChunkedBody() {
    // No Content-Length (as from a gRPC server): only a chunked body can carry trailers over HTTP/1.1.
    bench.originHandler = req -> req.response().putTrailer("x-checksum", "abc").write("body").compose(v -> req.response().end());

    Seen seen = exchange(bench.client, new RequestOptions().setURI("/t").putHeader("TE", "trailers"), null);

    assertThat(seen.headers().get("transfer-encoding")).isEqualTo("chunked");
    assertThat(seen.body()).isEqualTo("body");
    assertThat(seen.trailers().get("x-checksum")).isEqualTo("abc");
  }

  @Test
  void teTrailersIsSaidAgainToTheVmAndNothingElseOfTe() {
    AtomicReference<MultiMap> headers = new AtomicReference<>();
    bench.originHandler = req -> {
      headers.set(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      req.response().end();
    };

    exchange(bench.client, new RequestOptions().setURI("/te").putHeader("TE", "trailers, deflate;q=0.5")
        .putHeader("Connection", "TE"), null);
    assertThat(headers.get().getAll("te")).containsExactly("trailers");

    exchange(bench.client, new RequestOptions().setURI("/te").putHeader("TE", "deflate")
        .putHeader("Connection", "TE"), null);
    assertThat(headers.get().contains("te")).isFalse();
  }

  @Test
  void aVmsTrailersOnlyAnswerReachesAnHttp2ClientWithItsStatusInTheHead() {
    bench.originHandler = req -> req.response().putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", "5").putHeader("grpc-message", "no such thing").end();

    Seen seen = exchange(bench.h2Client, new RequestOptions().setMethod(HttpMethod.POST).setURI("/mock.Echo/Unary")
        .putHeader("content-type", "application/grpc"), Buffer.buffer());

    assertThat(seen.status()).isEqualTo(200);
    assertThat(seen.headers().get("grpc-message")).isEqualTo("no such thing");
    assertThat(seen.headers().get("grpc-status")).isEqualTo("5");
    assertThat(seen.body()).isEmpty();
  }

  @Test
  void aStreamedResponseReachesTheClientPieceByPieceNotAtTheEnd() {
    // The VM sends its second message only once the client has the first: nothing may wait for the end.
    ConcurrentLinkedQueue<HttpServerRequest> open = new ConcurrentLinkedQueue<>();
    bench.originHandler = req -> {
      req.response().putHeader("content-type", "application/grpc").write("first");
      open.add(req);
    };
    Promise<String> firstArrived = Promise.promise();
    List<String> pieces = new ArrayList<>();
    Promise<MultiMap> trailers = Promise.promise();

    bench.onClient(() -> bench.h2Client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setHost("127.0.0.1").setPort(bench.frontPort()).setURI("/mock.Echo/ServerStream")
            .putHeader("content-type", "application/grpc"))
        .compose(req -> req.send(Buffer.buffer("ask")))
        .map(resp -> {
          resp.handler(chunk -> {
            pieces.add(chunk.toString());
            firstArrived.tryComplete(chunk.toString());
          });
          resp.endHandler(v -> trailers.complete(resp.trailers()));
          return resp;
        }));
    assertThat(Bench.await(firstArrived.future())).isEqualTo("first");

    HttpServerRequest vmSide = open.poll();
    vmSide.response().putTrailer("grpc-status", "0");
    vmSide.response().end("second");

    assertThat(Bench.await(trailers.future()).get("grpc-status")).isEqualTo("0");
    assertThat(String.join("", pieces)).isEqualTo("firstsecond");
  }

  @Test
  void concurrentRequestsToOneVmShareOneConnection() {
    bench.originHandler = req -> req.response().end("warm");
    assertThat(exchange(bench.h2Client, new RequestOptions().setURI("/warm"), null).body()).isEqualTo("warm");
    bench.nextOutcome();
    ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
    bench.originHandler = held::add;
    int requests = 20;
    List<io.vertx.core.Future<Seen>> answers = new ArrayList<>();
    bench.onClient(() -> {
      for (int i = 0; i < requests; i++) {
        answers.add(bench.h2Client.request(new RequestOptions().setHost("127.0.0.1").setPort(bench.frontPort())
                .setURI("/" + i))
            .compose(req -> req.send())
            .compose(resp -> resp.body().map(b -> new Seen(resp.statusCode(), resp.headers(), b.toString(), null))));
      }
      return io.vertx.core.Future.succeededFuture();
    });
    long deadline = System.nanoTime() + Bench.DEADLINE.toNanos();
    while (held.size() < requests && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(held).as("all in flight at the VM at once").hasSize(requests);
    held.forEach(req -> req.response().end(req.path()));

    for (io.vertx.core.Future<Seen> answer : answers) {
      assertThat(Bench.await(answer).status()).isEqualTo(200);
    }
    assertThat(bench.originConnections.get()).as("streams of one HTTP/2 connection").isEqualTo(1);
  }

  @Test
  void aGrpcRequestThatCannotReachItsVmGetsAGrpcStatusNotAProblemDocument() {
    bench.targetPort = bench.deadPort();

    Seen overHttp11 = exchange(bench.client, new RequestOptions().setMethod(HttpMethod.POST)
        .setURI("/mock.Echo/Unary").putHeader("content-type", "application/grpc+proto"), Buffer.buffer("x"));
    Seen overHttp2 = exchange(bench.h2Client, new RequestOptions().setMethod(HttpMethod.POST)
        .setURI("/mock.Echo/Unary").putHeader("content-type", "application/grpc"), Buffer.buffer("x"));

    for (Seen seen : List.of(overHttp11, overHttp2)) {
      assertThat(seen.status()).isEqualTo(200);
      assertThat(seen.headers().get("content-type")).isEqualTo("application/grpc");
      assertThat(seen.headers().get("grpc-status")).isEqualTo("14");
      assertThat(seen.headers().get("grpc-message")).startsWith("backend-failed: ");
      assertThat(seen.body()).isEmpty();
    }
  }

  @Test
  void aClientResponseIsHttp2WhenTheClientSpeaksIt() {
    bench.originHandler = req -> req.response().end(req.version().name());

    HttpClientResponse[] response = new HttpClientResponse[1];
    String body = bench.onClient(() -> bench.h2Client.request(new RequestOptions().setHost("127.0.0.1")
            .setPort(bench.frontPort()).setURI("/v"))
        .compose(req -> req.send())
        .compose(resp -> {
          response[0] = resp;
          return resp.body();
        })).toString();

    assertThat(response[0].version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(body).isEqualTo("HTTP_2");
  }
}
