package dev.smartgateway.cloudmock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;

import static dev.smartgateway.cloudmock.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

class VmLifecycleTest extends MockCloudTestBase {

  @Override
  MockCloudOptions options() {
    // Long enough to look at a booting VM, short enough for a quick test.
    return super.options().withBootDelay(300, 300);
  }

  @Test
  void vmIsUnreachableWhileBootingAndEchoesTheRequestOnceRunning() throws Exception {
    long before = System.currentTimeMillis();
    JsonObject booting = api.start("app", "g1", "g2");

    assertThat(booting.getString("id")).startsWith("vm-");
    assertThat(booting.getString("state")).isEqualTo("BOOTING");
    assertThat(booting.getValue("endpoint")).as("no port to reach while booting").isNull();
    assertThat(booting.getValue("readyAt")).isNull();
    assertThat(booting.getLong("bootMs")).isEqualTo(300);
    assertThat(booting.getLong("createdAt")).isBetween(before, System.currentTimeMillis());
    assertThat(booting.getJsonArray("groups")).containsExactly("g1", "g2");

    JsonObject running = api.awaitState(booting.getString("id"), "RUNNING");
    assertThat(running.getLong("readyAt")).as("the port opened only once the boot delay was over")
        .isGreaterThanOrEqualTo(running.getLong("createdAt") + running.getLong("bootMs"));

    byte[] body = new byte[300_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    HttpClient client = vertx.createHttpClient();
    JsonObject echo = await(client.request(new RequestOptions()
            .setMethod(HttpMethod.PUT)
            .setPort(CloudApi.port(running))
            .setHost("127.0.0.1")
            .setURI("/some%2Fpath/./x?q=a%20b&q=c"))
        .compose(request -> {
          request.headers().add("X-Multi", "one").add("X-Multi", "two").add("X-Case", "Kept");
          return request.send(Buffer.buffer(body));
        })
        .compose(response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.getHeader("X-Mock-Vm")).isEqualTo(running.getString("id"));
          return response.body();
        })
        .map(Buffer::toJsonObject));

    assertThat(echo.getString("vm")).isEqualTo(running.getString("id"));
    assertThat(echo.getString("resource")).isEqualTo("app");
    assertThat(echo.getJsonArray("groups")).containsExactly("g1", "g2");
    assertThat(echo.getString("method")).isEqualTo("PUT");
    assertThat(echo.getString("path")).as("raw, not decoded or normalised").isEqualTo("/some%2Fpath/./x");
    assertThat(echo.getString("query")).isEqualTo("q=a%20b&q=c");
    assertThat(echo.getJsonObject("headers").getString("x-multi")).isEqualTo("one, two");
    assertThat(echo.getJsonObject("headers").getString("x-case")).isEqualTo("Kept");
    assertThat(echo.getLong("bodyBytes")).isEqualTo(body.length);
    assertThat(echo.getString("bodySha256"))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
  }

  @Test
  void echoWithoutBodyReportsNoQueryAndTheDigestOfNothing() {
    JsonObject vm = api.startRunning("app");
    HttpClient client = vertx.createHttpClient();
    JsonObject echo = await(client.request(HttpMethod.GET, CloudApi.port(vm), "127.0.0.1", "/")
        .compose(request -> request.send())
        .compose(HttpClientResponse::body)
        .map(Buffer::toJsonObject));

    assertThat(echo.getValue("query")).isNull();
    assertThat(echo.getLong("bodyBytes")).isZero();
    assertThat(echo.getString("bodySha256"))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void stopClosesThePortAndTheVmEndsStopped() {
    JsonObject running = api.startRunning("app");
    int port = CloudApi.port(running);
    assertThat(await(api.refuses(port))).as("open while running").isFalse();

    JsonObject stopping = api.stop(running.getString("id"));
    assertThat(stopping.getString("state")).isEqualTo("STOPPING");

    JsonObject stopped = api.awaitState(running.getString("id"), "STOPPED");
    assertThat(stopped.getValue("endpoint")).isNull();
    assertThat(await(api.refuses(port))).as("refused once stopped").isTrue();
    assertThat(api.stats().getInteger("stopped")).isEqualTo(1);
    assertThat(api.stats().getInteger("running")).isZero();
  }

  @Test
  void stoppingAStoppedVmIsAcceptedAgainAndChangesNothing() {
    String id = api.startRunning("app").getString("id");
    api.stop(id);
    api.awaitState(id, "STOPPED");

    assertThat(api.stop(id).getString("state")).isEqualTo("STOPPED");
    assertThat(api.vm(id).getString("state")).isEqualTo("STOPPED");
  }

  @Test
  void stopWhileBootingCancelsTheBootSoThePortNeverOpens() {
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));
    String early = api.start("app").getString("id");
    assertThat(api.stop(early).getString("state")).isEqualTo("STOPPING");
    // Same fixed boot delay, created later: once it runs, the first VM's boot would have finished too.
    String later = api.start("app").getString("id");
    events.awaitState(later, "RUNNING");
    events.awaitState(early, "STOPPED");

    assertThat(events.statesOf(early)).containsExactly("BOOTING", "STOPPING", "STOPPED");
    JsonObject stopped = api.vm(early);
    assertThat(stopped.getValue("readyAt")).as("never listened").isNull();
    assertThat(stopped.getValue("endpoint")).isNull();
    events.close();
  }

  @Test
  void crashFailsTheVmClosesItsPortAndEmitsAnEvent() {
    EventRecorder events = await(EventRecorder.connect(vertx, cloud.port()));
    JsonObject running = api.startRunning("app");
    int port = CloudApi.port(running);

    var response = api.send(HttpMethod.POST, "/api/vms/" + running.getString("id") + "/crash", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("state")).isEqualTo("FAILED");
    assertThat(await(api.refuses(port))).as("the port died with the crash").isTrue();
    JsonObject event = events.awaitState(running.getString("id"), "FAILED");
    assertThat(event.getValue("endpoint")).isNull();
    assertThat(api.vm(running.getString("id")).getString("state")).isEqualTo("FAILED");
    assertThat(api.stats().getInteger("failed")).isEqualTo(1);
    events.close();
  }

  @Test
  void crashingAStoppedVmIsAConflict() {
    String id = api.startRunning("app").getString("id");
    api.stop(id);
    api.awaitState(id, "STOPPED");

    var response = api.send(HttpMethod.POST, "/api/vms/" + id + "/crash", null);

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void listShowsEveryVmInEveryStateAndFiltersByResource() {
    String a = api.startRunning("alpha").getString("id");
    String b = api.start("beta").getString("id");
    api.stop(a);
    api.awaitState(a, "STOPPED");

    var all = api.send(HttpMethod.GET, "/api/vms", null).bodyAsJsonArray();
    var betas = api.send(HttpMethod.GET, "/api/vms?resource=beta", null).bodyAsJsonArray();

    assertThat(all.stream().map(vm -> ((JsonObject) vm).getString("id"))).containsExactly(a, b);
    assertThat(betas.stream().map(vm -> ((JsonObject) vm).getString("id"))).containsExactly(b);
  }
}
