package dev.smartgateway.proxy;

import static dev.smartgateway.proxy.Bench.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smartgateway.proxy.Bench.Hasher;
import dev.smartgateway.proxy.Bench.PatternStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Message framing, interim responses, connection reuse and upgrades. */
@ExtendWith(VertxExtension.class)
class ForwarderProtocolTest {

  private Bench bench;

  @BeforeEach
  void start(Vertx vertx) {
    bench = Bench.start(vertx);
  }

  /** A raw HTTP/1.x response: head text and body bytes. */
  private record RawResponse(String head, Buffer body) {
    static RawResponse parse(Buffer raw) {
      String text = raw.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      return new RawResponse(text.substring(0, end).toLowerCase(), raw.getBuffer(end + 4, raw.length()));
    }
  }

  @Test
  void headResponsesKeepTheirContentLengthAndCarryNoBody() {
    bench.originHandler = req -> {
      if (req.method() == HttpMethod.HEAD) {
        req.response().putHeader("Content-Length", "1234").end();
      } else {
        req.response().end("after");
      }
    };

    // Pipelined on one connection: any stray body byte after the HEAD response would corrupt the next one.
    RawResponse raw = RawResponse.parse(bench.raw("HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));

    assertThat(raw.head()).startsWith("http/1.1 200").contains("content-length: 1234")
        .doesNotContain("transfer-encoding");
    assertThat(raw.body().toString()).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nafter");
    assertThat(bench.nextOutcome().responseBytes()).isZero();
    assertThat(bench.nextOutcome().responseBytes()).isEqualTo(5);
  }

  @Test
  void noContentAndNotModifiedResponsesCarryNoBodyAndKeepTheConnectionUsable() {
    bench.originHandler = req -> {
      switch (req.path()) {
        case "/204" -> req.response().setStatusCode(204).end();
        case "/304" -> req.response().setStatusCode(304).putHeader("ETag", "\"v1\"").end();
        default -> req.response().end("after");
      }
    };

    Buffer raw = bench.raw("GET /204 HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /304 HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"v1\"\r\n\r\n"
        + "GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    String[] responses = raw.toString().split("(?=HTTP/1\\.1 )");
    assertThat(responses).hasSize(3);
    assertThat(responses[0]).startsWith("HTTP/1.1 204").endsWith("\r\n\r\n")
        .doesNotContainIgnoringCase("transfer-encoding");
    assertThat(responses[1]).startsWith("HTTP/1.1 304").containsIgnoringCase("etag: \"v1\"").endsWith("\r\n\r\n")
        .doesNotContainIgnoringCase("transfer-encoding");
    assertThat(responses[2]).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nafter");
    assertThat(bench.nextOutcome().status()).isEqualTo(204);
    assertThat(bench.nextOutcome().status()).isEqualTo(304);
    assertThat(bench.nextOutcome().status()).isEqualTo(200);
  }

  @Test
  void anHttp10ClientGetsAnUnchunkedResponseEndedByClose() {
    long total = 300 * 1024 + 3;
    bench.originHandler = req -> {
      req.response().setChunked(true);
      new PatternStream(Vertx.currentContext(), total).pipeTo(req.response());
    };

    for (String request : new String[] {"GET /ten HTTP/1.0\r\nHost: x\r\n\r\n",
        "GET /ten HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"}) {
      RawResponse raw = RawResponse.parse(bench.raw(request));

      assertThat(raw.head()).startsWith("http/1.0 200").doesNotContain("transfer-encoding").doesNotContain("chunked");
      Hasher hasher = new Hasher();
      hasher.update(raw.body());
      assertThat(hasher.bytes).isEqualTo(total);
      assertThat(hasher.hex()).isEqualTo(Bench.sha256OfPattern(total));
      assertThat(bench.nextOutcome().responseBytes()).isEqualTo(total);
    }
  }

  @Test
  void anHttp10ClientGetsAContentLengthWhenTheVmGaveOne() {
    bench.originHandler = req -> req.response().end("sized body");

    RawResponse raw = RawResponse.parse(bench.raw("GET /ten HTTP/1.0\r\nHost: x\r\n\r\n"));

    assertThat(raw.head()).startsWith("http/1.0 200").contains("content-length: 10");
    assertThat(raw.body().toString()).isEqualTo("sized body");
    bench.nextOutcome();
  }

  @Test
  void expectContinueIsGrantedOnlyByTheVmAndOnlyThenIsTheBodySent() {
    bench.holdMs = 300;
    AtomicBoolean vmReached = new AtomicBoolean();
    bench.originHandler = req -> {
      vmReached.set(true);
      Hasher hasher = new Hasher();
      req.handler(hasher::update);
      req.endHandler(v -> req.response().end(hasher.hex()));
      req.response().writeContinue();
    };
    long total = 1024 * 1024;
    AtomicBoolean continueCameAfterTheVm = new AtomicBoolean();

    String answer = bench.onClient(() -> bench.client.request(HttpMethod.POST, bench.frontPort(), "127.0.0.1", "/e")
        .compose(req -> {
          req.putHeader("Expect", "100-continue").putHeader("Content-Length", Long.toString(total));
          req.continueHandler(v -> {
            continueCameAfterTheVm.set(vmReached.get());
            new PatternStream(bench.clientContext, total).pipeTo(req);
          });
          req.sendHead();
          return req.response();
        })
        .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b)));

    assertThat(continueCameAfterTheVm).isTrue();
    assertThat(answer).isEqualTo("200 " + Bench.sha256OfPattern(total));
    assertThat(bench.nextOutcome().requestBytes()).isEqualTo(total);
  }

  @Test
  void aVmRefusingAnExpectContinueAnswersWithoutTheBodyBeingSent() {
    bench.originHandler = req -> req.response().setStatusCode(417).end();
    AtomicBoolean continued = new AtomicBoolean();

    HttpClientResponse resp = bench.onClient(() -> bench.client.request(HttpMethod.PUT, bench.frontPort(),
            "127.0.0.1", "/e")
        .compose(req -> {
          req.putHeader("Expect", "100-continue").putHeader("Content-Length", "10");
          req.continueHandler(v -> continued.set(true));
          req.sendHead();
          return req.response();
        }));

    assertThat(resp.statusCode()).isEqualTo(417);
    assertThat(continued).isFalse();
    ForwardOutcome outcome = bench.nextOutcome();
    assertThat(outcome.status()).isEqualTo(417);
    assertThat(outcome.requestBytes()).isZero();

    // The VM connection still owed 10 body bytes; reusing it would feed the next request to the VM as body.
    bench.originHandler = req -> req.response().end(req.method() + " " + req.uri());
    String next = bench.onClient(() -> bench.client.request(HttpMethod.GET, bench.frontPort(), "127.0.0.1", "/next")
        .compose(req -> req.send())
        .compose(r -> r.body().map(b -> r.statusCode() + " " + b)));
    assertThat(next).isEqualTo("200 GET /next");
    bench.nextOutcome();
  }

  @Test
  void aVmThatNeitherGrantsNorRefusesAnExpectContinueTimesOutWith504() {
    bench.responseTimeout = java.time.Duration.ofMillis(300);
    bench.originHandler = req -> { };

    HttpClientResponse resp = bench.onClient(() -> bench.client.request(HttpMethod.POST, bench.frontPort(),
            "127.0.0.1", "/silent")
        .compose(req -> {
          req.putHeader("Expect", "100-continue").putHeader("Content-Length", "10");
          req.sendHead();
          return req.response();
        }));

    assertThat(resp.statusCode()).isEqualTo(504);
    assertThat(bench.nextFailure().problem().type()).isEqualTo(dev.smartgateway.error.ErrorType.BACKEND_TIMEOUT);
  }

  @Test
  void sequentialRequestsReuseKeptAliveVmConnections() {
    bench.originHandler = req -> req.response().end("n");

    for (int i = 0; i < 50; i++) {
      String body = bench.onClient(() -> bench.client.request(HttpMethod.GET, bench.frontPort(), "127.0.0.1", "/k")
          .compose(req -> req.send())
          .compose(HttpClientResponse::body)
          .map(Buffer::toString));
      assertThat(body).isEqualTo("n");
      assertThat(bench.nextOutcome().status()).isEqualTo(200);
    }

    assertThat(bench.originRequests.get()).isEqualTo(50);
    assertThat(bench.originConnections.get()).isLessThanOrEqualTo(2);
  }

  @Test
  void webSocketUpgradesArePassedThroughAndSplicedBothWays() {
    Promise<JsonObject> handshake = Promise.promise();
    bench.originHandler = req -> req.toWebSocket().onSuccess(ws -> {
      handshake.complete(new JsonObject().put("uri", ws.uri())
          .put("xff", ws.headers().get("X-Forwarded-For"))
          .put("groups", ws.headers().get("X-Smart-Gateway-Groups")));
      ws.textMessageHandler(ws::writeTextMessage);
      ws.binaryMessageHandler(ws::writeBinaryMessage);
    });
    int messages = 64;
    int size = 16 * 1024;
    Promise<String> echoedText = Promise.promise();
    Hasher echoed = new Hasher();
    Promise<Void> allEchoed = Promise.promise();

    WebSocket ws = bench.onClient(() -> bench.webSocketClient
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(bench.frontPort())
            .setURI("/ws/a%2Fb?x=%20"))
        .map(socket -> {
          socket.textMessageHandler(echoedText::tryComplete);
          socket.binaryMessageHandler(data -> {
            echoed.update(data);
            if (echoed.bytes == (long) messages * size) {
              allEchoed.complete();
            }
          });
          socket.writeTextMessage("hello");
          for (int i = 0; i < messages; i++) {
            socket.writeBinaryMessage(Bench.piece((long) i * size, size));
          }
          return socket;
        }));

    assertThat(await(echoedText.future())).isEqualTo("hello");
    await(allEchoed.future());
    assertThat(echoed.hex()).isEqualTo(Bench.sha256OfPattern((long) messages * size));
    JsonObject seen = await(handshake.future());
    assertThat(seen.getString("uri")).isEqualTo("/ws/a%2Fb?x=%20");
    assertThat(seen.getString("xff")).isEqualTo("127.0.0.1");
    assertThat(seen.getString("groups")).isEqualTo("g1,g2");
    assertThat(bench.outcomes).isEmpty();

    bench.onClient(ws::close);

    ForwardOutcome outcome = bench.nextOutcome();
    assertThat(outcome.status()).isEqualTo(101);
    assertThat(outcome.requestBytes()).isGreaterThan((long) messages * size);
    assertThat(outcome.responseBytes()).isGreaterThan((long) messages * size);
  }

  @Test
  void aWebSocketUpgradeTheVmRefusesReachesTheClientAsAnOrdinaryResponse() {
    bench.originHandler = req -> req.response().setStatusCode(403).end("no");

    Throwable failure = Bench.awaitFailure(bench.onClient(() -> Future.succeededFuture(
        bench.webSocketClient.connect(bench.frontPort(), "127.0.0.1", "/ws"))));

    assertThat(failure).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) failure).getStatus()).isEqualTo(403);
    assertThat(bench.nextOutcome().status()).isEqualTo(403);
  }
}
