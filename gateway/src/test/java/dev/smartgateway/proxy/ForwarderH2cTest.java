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
  void aBodyEchoedWhileItIsStillBeingSentStreamsBothWaysAtOnce() {
    // The VM answers with what it receives as it receives it: neither direction may wait for the other's end.
    bench.originHandler = req -> req.pipeTo(req.response());
    long total = 8L * 1024 * 1024 + 1;

    String[] echoed = bench.onClient(() -> bench.h2Client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setHost("127.0.0.1").setPort(bench.frontPort()).setURI("/echo"))
        .compose(req -> {
          req.setChunked(true);
          req.send(new PatternStream(bench.clientContext, total));
          return req.response();
        })
        .compose(resp -> {
          Hasher hasher = new Hasher();
          Promise<String[]> done = Promise.promise();
          resp.handler(hasher::update);
          resp.exceptionHandler(done::tryFail);
          resp.endHandler(v -> done.tryComplete(new String[] {hasher.hex(), Long.toString(hasher.bytes)}));
          return done.future();
        }));

    assertThat(echoed).containsExactly(Bench.sha256OfPattern(total), Long.toString(total));
  }

  @Test
  void aClientThatStopsReadingStopsTheVmWritingAndAllOfItArrivesOnceItReadsAgain() {
    long total = 64L * 1024 * 1024;
    AtomicReference<PatternStream> source = new AtomicReference<>();
    bench.originHandler = req -> {
      PatternStream stream = new PatternStream(Vertx.currentContext(), total);
      source.set(stream);
      stream.pipeTo(req.response());
    };
    AtomicReference<HttpClientResponse> response = new AtomicReference<>();
    Hasher hasher = new Hasher();
    Promise<Void> firstBytes = Promise.promise();
    Promise<Void> ended = Promise.promise();
    bench.onClient(() -> bench.client.request(new RequestOptions().setHost("127.0.0.1").setPort(bench.frontPort())
            .setURI("/download"))
        .compose(req -> req.send())
        .map(resp -> {
          response.set(resp);
          resp.handler(chunk -> {
            hasher.update(chunk);
            if (firstBytes.tryComplete()) {
              resp.pause();
            }
          });
          resp.endHandler(v -> ended.complete());
          return resp;
        }));
    Bench.await(firstBytes.future());

    // Stalled: the VM's writes stop growing while the client does not read (the HTTP/2 window and the queues
    // between are all that may be in flight).
    long stalledAt = awaitStall(source.get());
    assertThat(stalledAt).isLessThan(16L * 1024 * 1024);

    bench.onClient(() -> {
      response.get().resume();
      return io.vertx.core.Future.succeededFuture();
    });
    Bench.await(ended.future());
    assertThat(hasher.bytes).isEqualTo(total);
    assertThat(hasher.hex()).isEqualTo(Bench.sha256OfPattern(total));
  }

  /** The VM's bytes written once they stop growing for 300 ms (checked against a deadline, never assumed). */
  private static long awaitStall(PatternStream source) {
    long deadline = System.nanoTime() + Bench.DEADLINE.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = source.sent();
      if (now == last) {
        return now;
      }
      last = now;
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the VM never stopped writing to a client that does not read");
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
