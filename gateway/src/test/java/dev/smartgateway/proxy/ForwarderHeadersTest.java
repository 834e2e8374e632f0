package dev.smartgateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ForwarderHeadersTest {

  private Bench bench;

  @BeforeEach
  void start(Vertx vertx) {
    bench = Bench.start(vertx);
    // The VM echoes what it received: method, raw URI and every header (all values, in order).
    bench.originHandler = req -> {
      JsonObject headers = new JsonObject();
      for (String name : req.headers().names()) {
        headers.put(name.toLowerCase(), String.join(" | ", req.headers().getAll(name)));
      }
      req.response()
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("method", req.method().name()).put("uri", req.uri())
              .put("headers", headers).encode());
    };
  }

  private record Echo(HttpClientResponse response, JsonObject body) {
    JsonObject headers() {
      return body.getJsonObject("headers");
    }
  }

  private Echo get(String uri, MultiMap headers) {
    return bench.onClient(() -> bench.client.request(new RequestOptions().setMethod(HttpMethod.GET)
            .setHost("127.0.0.1").setPort(bench.frontPort()).setURI(uri).setHeaders(headers))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> new Echo(resp, body.toJsonObject()))));
  }

  @Test
  void rawPathAndQueryReachTheVmByteForByte() {
    String uri = "/a%2Fb/%7E/%E2%82%AC;p=1?x=%20&y&z=a+b&&%2F";

    Echo echo = get(uri, MultiMap.caseInsensitiveMultiMap());

    assertThat(echo.response().statusCode()).isEqualTo(200);
    assertThat(echo.body().getString("uri")).isEqualTo(uri);
    assertThat(echo.body().getString("method")).isEqualTo("GET");
    assertThat(bench.nextOutcome().status()).isEqualTo(200);
  }

  @Test
  void hopByHopAndConnectionNamedRequestHeadersAreRemovedAndEndToEndOnesKept() {
    Echo echo = get("/h", MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "keep-alive, X-Hop-Private")
        .add("X-Hop-Private", "secret")
        .add("Keep-Alive", "timeout=5")
        .add("Proxy-Authorization", "Basic Zm9vOmJhcg==")
        .add("Proxy-Connection", "keep-alive")
        .add("TE", "trailers")
        .add("Trailer", "X-Checksum")
        .add("Accept", "text/plain")
        .add("Authorization", "Bearer end-to-end")
        .add("Cookie", "a=1"));

    JsonObject seen = echo.headers();
    assertThat(seen.fieldNames()).doesNotContain("x-hop-private", "keep-alive",
        "proxy-authorization", "proxy-connection", "trailer", "transfer-encoding", "upgrade");
    // TE is hop-by-hop, but "trailers" says the client reads trailers (which the gateway passes on): the VM is
    // told so itself, with TE as the only token of Connection.
    assertThat(seen.getString("te")).isEqualTo("trailers");
    assertThat(seen.getString("connection")).isEqualTo("te");
    assertThat(seen.getString("accept")).isEqualTo("text/plain");
    assertThat(seen.getString("authorization")).isEqualTo("Bearer end-to-end");
    assertThat(seen.getString("cookie")).isEqualTo("a=1");
    bench.nextOutcome();
  }

  @Test
  void aTeWithoutTrailersIsDroppedWithTheConnectionHeader() {
    Echo echo = get("/te", MultiMap.caseInsensitiveMultiMap().add("Connection", "TE").add("TE", "gzip, deflate"));

    assertThat(echo.headers().fieldNames()).doesNotContain("te", "connection");
    bench.nextOutcome();
  }

  @Test
  void hopByHopAndConnectionNamedResponseHeadersAreRemovedAndEndToEndOnesKept() {
    bench.originHandler = req -> req.response()
        .putHeader("Connection", "X-Resp-Private")
        .putHeader("X-Resp-Private", "secret")
        .putHeader("Keep-Alive", "timeout=99")
        .putHeader("Proxy-Authenticate", "Basic realm=vm")
        .putHeader("Upgrade", "h2c")
        .putHeader("Set-Cookie", java.util.List.<String>of("a=1", "b=2"))
        .putHeader("Cache-Control", "no-cache")
        .end("body");

    Echo echo = bench.onClient(() -> bench.client.request(HttpMethod.GET, bench.frontPort(), "127.0.0.1", "/r")
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> new Echo(resp, new JsonObject().put("body", body.toString())))));

    MultiMap headers = echo.response().headers();
    assertThat(headers.contains("X-Resp-Private")).isFalse();
    assertThat(headers.contains("Keep-Alive")).isFalse();
    assertThat(headers.contains("Proxy-Authenticate")).isFalse();
    assertThat(headers.contains("Upgrade")).isFalse();
    assertThat(headers.get("Connection")).isNull();
    assertThat(headers.getAll("Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(headers.get("Cache-Control")).isEqualTo("no-cache");
    assertThat(headers.get("Content-Length")).isEqualTo("4");
    assertThat(echo.body().getString("body")).isEqualTo("body");
    bench.nextOutcome();
  }

  @Test
  void forwardingHeadersFromAnUntrustedClientAreReplacedAndHostIsTheClients() {
    Echo echo = get("/f", forwardingHeaders());

    String host = "127.0.0.1:" + bench.frontPort();
    JsonObject seen = echo.headers();
    assertThat(seen.getString("host")).isEqualTo(host);
    assertThat(seen.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.getString("forwarded")).isEqualTo("for=127.0.0.1;proto=http;host=\"" + host + "\"");
    assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.getString("x-forwarded-host")).isEqualTo(host);
    assertThat(seen.getString("x-forwarded-prefix")).isEqualTo(Bench.PREFIX);
    bench.nextOutcome();
  }

  @Test
  void forwardingHeadersFromATrustedProxyAreAppendedToAndKept() {
    bench.fromTrustedProxy = true;
    Echo echo = get("/f", forwardingHeaders());

    String host = "127.0.0.1:" + bench.frontPort();
    JsonObject seen = echo.headers();
    assertThat(seen.getString("host")).isEqualTo(host);
    assertThat(seen.getString("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
    assertThat(seen.getString("forwarded"))
        .isEqualTo("for=203.0.113.7;proto=https, for=127.0.0.1;proto=http;host=\"" + host + "\"");
    assertThat(seen.getString("x-forwarded-proto")).isEqualTo("https");
    assertThat(seen.getString("x-forwarded-host")).isEqualTo("public.example");
    assertThat(seen.getString("x-forwarded-prefix")).isEqualTo("/edge" + Bench.PREFIX);
    bench.nextOutcome();
  }

  private static MultiMap forwardingHeaders() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("X-Forwarded-For", "203.0.113.7")
        .add("Forwarded", "for=203.0.113.7;proto=https")
        .add("X-Forwarded-Proto", "https")
        .add("X-Forwarded-Host", "public.example")
        .add("X-Forwarded-Prefix", "/edge");
  }

  @Test
  void forgedGatewayHeadersAreStrippedBothWaysAndTheGatewaysOwnAreSet() {
    bench.originHandler = req -> req.response()
        .putHeader("X-Smart-Gateway-Wait-Ms", "999999")
        .putHeader("X-Smart-Gateway-Vm", "leak")
        .end(String.join(" | ", req.headers().getAll("X-Smart-Gateway-Groups"))
            + "/" + req.headers().contains("x-smart-gateway-admin"));

    String[] result = bench.onClient(() -> bench.client.request(new RequestOptions().setHost("127.0.0.1")
            .setPort(bench.frontPort()).setURI("/g")
            .addHeader("X-Smart-Gateway-Groups", "admin")
            .addHeader("x-smart-gateway-admin", "true"))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> new String[] {
            body.toString(), resp.getHeader("X-Smart-Gateway-Wait-Ms"),
            String.valueOf(resp.headers().contains("X-Smart-Gateway-Vm"))})));

    assertThat(result[0]).isEqualTo("g1,g2/false");
    assertThat(result[1]).isEqualTo("42");
    assertThat(result[2]).isEqualTo("false");
    bench.nextOutcome();
  }

  @Test
  void aClientWithoutHostGetsTheVmAddressAsHostAndNoForwardedHost() {
    Buffer raw = bench.raw("GET /nohost HTTP/1.0\r\n\r\n");

    String text = raw.toString();
    assertThat(text).startsWith("HTTP/1.0 200");
    JsonObject echo = new JsonObject(text.substring(text.indexOf("\r\n\r\n") + 4));
    assertThat(echo.getJsonObject("headers").getString("host")).isEqualTo("127.0.0.1:" + bench.targetPort);
    assertThat(echo.getJsonObject("headers").containsKey("x-forwarded-host")).isFalse();
    assertThat(echo.getJsonObject("headers").getString("forwarded")).isEqualTo("for=127.0.0.1;proto=http");
    bench.nextOutcome();
  }

}
