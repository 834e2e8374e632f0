package dev.smartgateway.proxy;

import static dev.smartgateway.proxy.Bench.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.proxy.Bench.Hasher;
import dev.smartgateway.proxy.Bench.PatternStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every failure ends the future exactly once with the right problem; nothing ends as a truncated success. */
@ExtendWith(VertxExtension.class)
class ForwarderFailureTest {

  private Bench bench;

  @BeforeEach
  void start(Vertx vertx) {
    bench = Bench.start(vertx);
  }

  private record Answer(int status, String contentType, String connection, String body) {
    String problemType() {
      return new JsonObject(body).getString("type");
    }
  }

  private Answer send(HttpMethod method, String uri, Buffer body) {
    return bench.onClient(() -> bench.client.request(method, bench.frontPort(), "127.0.0.1", uri)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("Content-Type"),
            resp.getHeader("Connection"), b.toString()))));
  }

  /**
   * Completes when the VM's side of the exchange was torn down: over HTTP/1.1 an aborted request is a
   * closed connection.
   */
  private static Promise<Void> watchAbort(HttpServerRequest req) {
    Promise<Void> aborted = Promise.promise();
    req.exceptionHandler(t -> aborted.tryComplete());
    req.response().closeHandler(v -> aborted.tryComplete());
    req.connection().closeHandler(v -> aborted.tryComplete());
    return aborted;
  }

  @Test
  void aContentLengthOverTheLimitIs413BeforeTheVmIsContacted() {
    bench.maxBodyBytes = 1000;

    Answer answer = send(HttpMethod.POST, "/big", Buffer.buffer(new byte[2000]));

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.contentType()).isEqualTo("application/problem+json");
    assertThat(answer.problemType()).isEqualTo(ErrorType.BODY_TOO_LARGE.typeUri());
    ForwardException failure = bench.nextFailure();
    assertThat(failure.problem().type()).isEqualTo(ErrorType.BODY_TOO_LARGE);
    assertThat(failure.responseStarted()).isFalse();
    assertThat(bench.originConnections.get()).isZero();
  }

  @Test
  void aChunkedBodyPassingTheLimitIsCutOffWith413AndTheVmRequestAborted() {
    bench.maxBodyBytes = 1024 * 1024;
    Promise<Promise<Void>> originAborted = Promise.promise();
    AtomicLong originReceived = new AtomicLong();
    bench.originHandler = req -> {
      originAborted.complete(watchAbort(req));
      req.handler(b -> originReceived.addAndGet(b.length()));
    };

    String answer = bench.onClient(() -> bench.client.request(HttpMethod.POST, bench.frontPort(), "127.0.0.1", "/up")
        .compose(req -> req.setChunked(true).send(new PatternStream(bench.clientContext, 5L * 1024 * 1024)))
        .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + resp.getHeader("Connection") + " "
            + new JsonObject(b).getString("type"))));

    assertThat(answer).isEqualTo("413 close " + ErrorType.BODY_TOO_LARGE.typeUri());
    await(await(originAborted.future()).future());
    assertThat(originReceived.get()).isLessThanOrEqualTo(1024 * 1024);
    ForwardException failure = bench.nextFailure();
    assertThat(failure.problem().type()).isEqualTo(ErrorType.BODY_TOO_LARGE);
    assertThat(failure.requestReplayable()).isFalse();
  }

  @Test
  void aRefusedConnectionIs502AndTheRequestStaysReplayable() {
    bench.targetPort = bench.deadPort();

    Answer answer = send(HttpMethod.GET, "/x", null);

    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.problemType()).isEqualTo(ErrorType.BACKEND_FAILED.typeUri());
    ForwardException failure = bench.nextFailure();
    assertThat(failure.problem().type()).isEqualTo(ErrorType.BACKEND_FAILED);
    assertThat(failure.requestReplayable()).isTrue();
    assertThat(failure.responseStarted()).isFalse();
    assertThat(failure.clientClosed()).isFalse();
  }

  @Test
  void aReplayableRequestCanBeForwardedAgainWithItsWholeBody() {
    int deadPort = bench.deadPort();
    bench.holdMs = 100;
    bench.originHandler = req -> {
      Hasher hasher = new Hasher();
      req.handler(hasher::update);
      req.endHandler(v -> req.response().end(hasher.hex()));
    };
    bench.frontForward = req -> bench.forwarder.forward(req, bench.target(req, deadPort))
        .recover(t -> t instanceof ForwardException fe && fe.requestReplayable()
            ? bench.forwarder.forward(req, bench.target(req))
            : Future.failedFuture(t));
    long total = 2L * 1024 * 1024;

    String answer = bench.onClient(() -> bench.client.request(HttpMethod.PUT, bench.frontPort(), "127.0.0.1", "/r")
        .compose(req -> req.putHeader("Content-Length", Long.toString(total))
            .send(new PatternStream(bench.clientContext, total)))
        .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b)));

    assertThat(answer).isEqualTo("200 " + Bench.sha256OfPattern(total));
    assertThat(bench.nextOutcome().requestBytes()).isEqualTo(total);
  }

  @Test
  void noResponseHeadWithinTheResponseTimeoutIs504AndTheVmRequestAborted() {
    bench.responseTimeout = Duration.ofMillis(300);
    Promise<Promise<Void>> originAborted = Promise.promise();
    bench.originHandler = req -> originAborted.complete(watchAbort(req));

    Answer answer = send(HttpMethod.GET, "/slow", null);

    assertThat(answer.status()).isEqualTo(504);
    assertThat(answer.problemType()).isEqualTo(ErrorType.BACKEND_TIMEOUT.typeUri());
    assertThat(bench.nextFailure().problem().type()).isEqualTo(ErrorType.BACKEND_TIMEOUT);
    await(await(originAborted.future()).future());
  }

  @Test
  void aVmClosingTheConnectionBeforeAnsweringIs502() {
    bench.originHandler = req -> req.connection().close();

    Answer answer = send(HttpMethod.GET, "/die", null);

    assertThat(answer.status()).isEqualTo(502);
    ForwardException failure = bench.nextFailure();
    assertThat(failure.problem().type()).isEqualTo(ErrorType.BACKEND_FAILED);
    assertThat(failure.responseStarted()).isFalse();
    assertThat(failure.requestReplayable()).isTrue();
  }

  @Test
  void aVmResetAfterTheResponseHeadResetsTheClientInsteadOfEndingCleanly() {
    Promise<Runnable> killOrigin = Promise.promise();
    bench.originHandler = req -> {
      req.response().setChunked(true).write("partial");
      Context origin = Vertx.currentContext();
      killOrigin.complete(() -> origin.runOnContext(v -> req.connection().close()));
    };
    Promise<Integer> firstChunk = Promise.promise();
    Future<Void> clientBody = bench.onClient(() -> Future.succeededFuture(
        bench.client.request(HttpMethod.GET, bench.frontPort(), "127.0.0.1", "/reset")
            .compose(req -> req.send())
            .compose(resp -> {
              Promise<Void> body = Promise.promise();
              resp.handler(b -> firstChunk.tryComplete(resp.statusCode()));
              resp.exceptionHandler(body::tryFail);
              resp.endHandler(v -> body.tryComplete());
              return body.future();
            })));

    assertThat(await(firstChunk.future())).isEqualTo(200);
    await(killOrigin.future()).run();

    assertThat(Bench.awaitFailure(clientBody)).isNotNull();
    ForwardException failure = bench.nextFailure();
    assertThat(failure.responseStarted()).isTrue();
    assertThat(failure.problem().type()).isEqualTo(ErrorType.BACKEND_FAILED);
  }

  @Test
  void aClientAbortingMidUploadAbortsTheVmRequestAndCompletesTheFuture() {
    Promise<Void> originReceiving = Promise.promise();
    Promise<Promise<Void>> originAborted = Promise.promise();
    bench.originHandler = req -> {
      originAborted.complete(watchAbort(req));
      req.handler(b -> originReceiving.tryComplete());
    };

    HttpClientRequest upload = bench.onClient(() -> bench.client.request(HttpMethod.POST, bench.frontPort(),
        "127.0.0.1", "/abort").map(req -> {
          req.setChunked(true).write(Bench.piece(0, 256 * 1024));
          return req;
        }));
    await(originReceiving.future());
    bench.onClient(() -> upload.connection().close());

    await(await(originAborted.future()).future());
    ForwardException failure = bench.nextFailure();
    assertThat(failure.clientClosed()).isTrue();
    assertThat(failure.requestReplayable()).isFalse();
  }

  @Test
  void aClientAbortingMidDownloadAbortsTheVmResponseAndCompletesTheFuture() {
    Promise<Promise<Void>> originAborted = Promise.promise();
    bench.originHandler = req -> {
      originAborted.complete(watchAbort(req));
      req.response().setChunked(true);
      new PatternStream(Vertx.currentContext(), Long.MAX_VALUE / 2).pipeTo(req.response());
    };

    bench.onClient(() -> bench.client.request(HttpMethod.GET, bench.frontPort(), "127.0.0.1", "/endless")
        .compose(req -> req.send())
        .compose(resp -> {
          Promise<Void> gotSome = Promise.promise();
          resp.handler(b -> {
            if (gotSome.tryComplete()) {
              resp.request().connection().close();
            }
          });
          return gotSome.future();
        }));

    await(await(originAborted.future()).future());
    ForwardException failure = bench.nextFailure();
    assertThat(failure.clientClosed()).isTrue();
    assertThat(failure.responseStarted()).isTrue();
  }

  @Test
  void aClientGoneWhileHeldIsNotForwardedAtAll() {
    bench.holdMs = 300;

    bench.onClient(() -> bench.netClient.connect(bench.frontPort(), "127.0.0.1").compose(socket ->
        socket.write("GET /gone HTTP/1.1\r\nHost: x\r\n\r\n").compose(v -> socket.close())));

    ForwardException failure = bench.nextFailure();
    assertThat(failure.clientClosed()).isTrue();
    assertThat(bench.originConnections.get()).isZero();
  }

  @Test
  void aClosedForwarderRefusesWith503ShuttingDown() {
    await(bench.forwarder.close());

    Answer answer = send(HttpMethod.GET, "/late", null);

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.problemType()).isEqualTo(ErrorType.SHUTTING_DOWN.typeUri());
    assertThat(bench.nextFailure().requestReplayable()).isTrue();
    assertThat(bench.originConnections.get()).isZero();
  }
}
