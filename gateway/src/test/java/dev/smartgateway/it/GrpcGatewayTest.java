package dev.smartgateway.it;

import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.cloudmock.grpc.EchoReply;
import dev.smartgateway.cloudmock.grpc.EchoRequest;
import dev.smartgateway.cloudmock.grpc.GrpcFrames;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code protocol: h2c} and gRPC through a real gateway and the mock cloud, whose VMs of {@code grpc} speak h2c and
 * serve {@code mock.Echo}. The public listener speaks HTTP/1.1 here (HTTP/2 comes with TLS), so the client side
 * is HTTP/1.1: the VM side is HTTP/2 all the same, and gateway-made errors for gRPC requests are gRPC statuses.
 */
class GrpcGatewayTest {

  private static final String YAML = """
      resources:
        grpc: {protocol: h2c}
        http1only: {protocol: h2c, startTimeout: 2s}
      """;

  private Harness harness;

  @BeforeEach
  void start() {
    harness = Harness.start(MockCloudOptions.defaults().withBootDelay(100, 200)
        .withResources(Set.of("grpc", "http1only")).withH2cResources(Set.of("grpc")), "", "", YAML);
  }

  @AfterEach
  void stop() {
    try {
      harness.assertNoLeaks();
    } finally {
      harness.close();
    }
  }

  @Test
  void anHttp11RequestColdStartsAnH2cVmAndItsBodyReachesTheVmOverHttp2() {
    Buffer body = Buffer.buffer(new byte[3 * 1024 * 1024 + 1]);

    Harness.Reply reply = await(harness.send(HttpMethod.POST, "/smart_proxy/grpc/g1/upload", body,
        "Host", "api.example"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("X-Smart-Gateway-Wait-Ms")).as("a cold start").isNotNull();
    JsonObject echo = reply.json();
    assertThat(echo.getString("httpVersion")).isEqualTo("HTTP/2");
    assertThat(echo.getString("path")).isEqualTo("/upload");
    assertThat(echo.getLong("bodyBytes")).isEqualTo(body.length());
    assertThat(echo.getString("authority")).as("the client's Host").isEqualTo("api.example");
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void aGrpcUnaryCallOverHttp11ReachesTheVmsServiceAndItsStatusComesBackInChunkedTrailers() {
    Buffer call = GrpcFrames.frame(EchoRequest.of("through the gateway").encode());

    Answer answer = grpc("/smart_proxy/grpc/g1/mock.Echo/Unary", call);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.replies()).hasSize(1);
    assertThat(answer.replies().get(0).message()).isEqualTo("through the gateway");
    assertThat(answer.replies().get(0).resource()).isEqualTo("grpc");
    assertThat(answer.replies().get(0).httpVersion()).isEqualTo("HTTP/2");
    assertThat(answer.trailers().get("grpc-status")).isEqualTo("0");
  }

  @Test
  void aGrpcRequestForAnUnknownResourceGetsNotFoundAsATrailersOnlyAnswer() {
    Answer answer = grpc("/smart_proxy/nope/g1/mock.Echo/Unary", GrpcFrames.frame(EchoRequest.of("x").encode()));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("content-type")).isEqualTo("application/grpc");
    assertThat(answer.headers().get("grpc-status")).isEqualTo("5");
    assertThat(answer.headers().get("grpc-message")).startsWith("unknown-resource: ");
    assertThat(answer.replies()).isEmpty();
  }

  @Test
  void aGrpcRequestHeldForAVmThatFailsToBootGetsUnavailable() {
    harness.faults(new JsonObject().put("bootFailureRate", 1.0));

    Answer answer = grpc("/smart_proxy/grpc/g1/mock.Echo/Unary", GrpcFrames.frame(EchoRequest.of("x").encode()));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("grpc-status")).isEqualTo("14");
    assertThat(answer.headers().get("grpc-message")).startsWith("boot-failed: ");
    assertThat(answer.headers().get("content-type")).isEqualTo("application/grpc");
  }

  @Test
  void anH2cResourceWhoseVmSpeaksOnlyHttp11NeverPassesItsProbeAndAGrpcCallerGetsDeadlineExceeded() {
    // The probe speaks h2c too: a VM that cannot is never taken for ready, whatever it answers over HTTP/1.1.
    Answer answer = grpc("/smart_proxy/http1only/g1/mock.Echo/Unary", GrpcFrames.frame(EchoRequest.of("x").encode()));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("grpc-status")).isEqualTo("4");
    assertThat(answer.headers().get("grpc-message")).startsWith("start-timeout: ");
  }

  /** A gRPC answer as an HTTP/1.1 client sees it. */
  private record Answer(int status, MultiMap headers, List<EchoReply> replies, MultiMap trailers) {
  }

  private Answer grpc(String uri, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(harness.port()).setURI(uri)
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    return await(harness.onContext(() -> harness.client.request(options)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(all -> {
          List<EchoReply> replies = new ArrayList<>();
          new GrpcFrames.Deframer(1 << 20, m -> replies.add(EchoReply.decode(m))).feed(all);
          return new Answer(resp.statusCode(), resp.headers(), replies, resp.trailers());
        }))));
  }
}
