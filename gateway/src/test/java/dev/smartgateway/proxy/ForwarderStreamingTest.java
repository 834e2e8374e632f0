package dev.smartgateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smartgateway.proxy.Bench.Hasher;
import dev.smartgateway.proxy.Bench.PatternStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bodies stream through whole and in order, both ways, however long the request was held. */
@ExtendWith(VertxExtension.class)
class ForwarderStreamingTest {

  private static final long MB = 1024 * 1024;

  private Bench bench;

  @BeforeEach
  void start(Vertx vertx) {
    bench = Bench.start(vertx);
  }

  /** The VM hashes the body it receives and answers "sha256 bytes". */
  private static void hashingOrigin(HttpServerRequest req) {
    Hasher hasher = new Hasher();
    req.handler(hasher::update);
    req.endHandler(v -> req.response().end(hasher.hex() + " " + hasher.bytes));
  }

  private String upload(long total, boolean chunked) {
    return bench.onClient(() -> bench.client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setHost("127.0.0.1").setPort(bench.frontPort()).setURI("/upload"))
        .compose(req -> {
          if (chunked) {
            req.setChunked(true);
          } else {
            req.putHeader("Content-Length", Long.toString(total));
          }
          return req.send(new PatternStream(bench.clientContext, total));
        })
        .compose(resp -> resp.body().map(body -> resp.statusCode() + " " + body)));
  }

  private record Download(HttpClientResponse response, String sha256, long bytes) {
  }

  private Download download(String uri) {
    return bench.onClient(() -> bench.client.request(HttpMethod.GET, bench.frontPort(), "127.0.0.1", uri)
        .compose(req -> req.send())
        .compose(resp -> {
          Hasher hasher = new Hasher();
          Promise<Download> done = Promise.promise();
          resp.handler(hasher::update);
          resp.exceptionHandler(done::tryFail);
          resp.endHandler(v -> done.tryComplete(new Download(resp, hasher.hex(), hasher.bytes)));
          return done.future();
        }));
  }

  @Test
  void aRequestHeldThreeHundredMillisecondsThenForwardedKeepsItsWholeChunkedBody() {
    bench.holdMs = 300;
    bench.originHandler = ForwarderStreamingTest::hashingOrigin;
    long total = 5 * MB + 17;

    String answer = upload(total, true);

    assertThat(answer).isEqualTo("200 " + Bench.sha256OfPattern(total) + " " + total);
    ForwardOutcome outcome = bench.nextOutcome();
    assertThat(outcome.requestBytes()).isEqualTo(total);
    assertThat(outcome.status()).isEqualTo(200);
  }

  @Test
  void aFiftyMegabyteUploadWithContentLengthStreamsThroughIntact() {
    bench.originHandler = req -> {
      if (req.getHeader("Content-Length").equals(Long.toString(50 * MB)) && req.getHeader("Transfer-Encoding") == null) {
        hashingOrigin(req);
      } else {
        req.response().setStatusCode(500).end("framing changed: " + req.headers());
      }
    };

    String answer = upload(50 * MB, false);

    assertThat(answer).isEqualTo("200 " + Bench.sha256OfPattern(50 * MB) + " " + 50 * MB);
    assertThat(bench.nextOutcome().requestBytes()).isEqualTo(50 * MB);
  }

  @Test
  void aFiftyMegabyteChunkedDownloadStreamsThroughIntactAndStaysChunked() {
    bench.originHandler = req -> {
      req.response().setChunked(true);
      new PatternStream(Vertx.currentContext(), 50 * MB).pipeTo(req.response());
    };

    Download download = download("/download");

    assertThat(download.response().getHeader("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(download.bytes()).isEqualTo(50 * MB);
    assertThat(download.sha256()).isEqualTo(Bench.sha256OfPattern(50 * MB));
    ForwardOutcome outcome = bench.nextOutcome();
    assertThat(outcome.responseBytes()).isEqualTo(50 * MB);
    assertThat(outcome.requestBytes()).isZero();
  }

  @Test
  void aDownloadWithContentLengthKeepsItsLengthInsteadOfBeingChunked() {
    long total = 3 * MB + 5;
    bench.originHandler = req -> {
      req.response().putHeader("Content-Length", Long.toString(total));
      new PatternStream(Vertx.currentContext(), total).pipeTo(req.response());
    };

    Download download = download("/sized");

    assertThat(download.response().getHeader("Content-Length")).isEqualTo(Long.toString(total));
    assertThat(download.response().getHeader("Transfer-Encoding")).isNull();
    assertThat(download.sha256()).isEqualTo(Bench.sha256OfPattern(total));
    assertThat(bench.nextOutcome().responseBytes()).isEqualTo(total);
  }

  @Test
  void theFutureCompletesOnlyWhenALongStreamingResponseHasEnded() {
    Promise<Runnable> finishStream = Promise.promise();
    bench.originHandler = req -> {
      req.response().setChunked(true).write("first;");
      io.vertx.core.Context origin = Vertx.currentContext();
      finishStream.complete(() -> origin.runOnContext(v -> req.response().end("last")));
    };
    Promise<String> firstChunk = Promise.promise();
    Future<String> body = bench.onClient(() -> Future.succeededFuture(
        bench.client.request(HttpMethod.GET, bench.frontPort(), "127.0.0.1", "/stream")
            .compose(req -> req.send())
            .compose(resp -> {
              StringBuilder text = new StringBuilder();
              Promise<String> done = Promise.promise();
              resp.handler(chunk -> {
                text.append(chunk);
                firstChunk.tryComplete(text.toString());
              });
              resp.endHandler(v -> done.complete(text.toString()));
              return done.future();
            })));

    assertThat(Bench.await(firstChunk.future())).isEqualTo("first;");
    assertThat(bench.outcomes).isEmpty();
    Bench.await(finishStream.future()).run();

    assertThat(Bench.await(body)).isEqualTo("first;last");
    assertThat(bench.nextOutcome().responseBytes()).isEqualTo("first;last".length());
  }

  @Test
  void aRequestForwardedFromAnotherContextStreamsBothWaysAtOnceAndCompletesOnTheRequestsContext() {
    bench.forwardFrom = bench.vertx.getOrCreateContext();
    bench.holdMs = 50;
    bench.originHandler = req -> {
      req.response().setChunked(true);
      req.pipeTo(req.response()); // echoes while still receiving
    };
    long total = 8 * MB + 1;
    Promise<io.vertx.core.Context> completedOn = Promise.promise();
    bench.frontForward = req -> bench.forwarder.forward(req, bench.target(req))
        .andThen(ar -> completedOn.complete(Vertx.currentContext()));

    Download echo = bench.onClient(() -> bench.client.request(HttpMethod.POST, bench.frontPort(), "127.0.0.1", "/echo")
        .compose(req -> {
          req.setChunked(true);
          req.send(new PatternStream(bench.clientContext, total));
          return req.response();
        })
        .compose(resp -> {
          Hasher hasher = new Hasher();
          Promise<Download> done = Promise.promise();
          resp.handler(hasher::update);
          resp.exceptionHandler(done::tryFail);
          resp.endHandler(v -> done.tryComplete(new Download(resp, hasher.hex(), hasher.bytes)));
          return done.future();
        }));

    assertThat(echo.bytes()).isEqualTo(total);
    assertThat(echo.sha256()).isEqualTo(Bench.sha256OfPattern(total));
    ForwardOutcome outcome = bench.nextOutcome();
    assertThat(outcome.requestBytes()).isEqualTo(total);
    assertThat(outcome.responseBytes()).isEqualTo(total);
    assertThat(Bench.await(completedOn.future())).isNotSameAs(bench.forwardFrom);
  }
}
