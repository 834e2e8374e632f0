package dev.smartgateway.it;

import dev.smartgateway.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The waiting page and its status URL over plain HTTP, against a real gateway and the real mock cloud (the
 * page in a real browser: {@link WaitingPageBrowserTest}).
 */
class WaitingPageTest {

  private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  private static JsonObject status(Harness h, String resource, String groups) {
    Harness.Reply reply = await(h.get("/smart_proxy/_status/" + resource + "/" + groups));
    assertThat(reply.status()).as("status answer %s", reply.body()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).isEqualTo("application/json");
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    return reply.json();
  }

  @Test
  void theStatusUrlFollowsAStartThroughItsPhases() {
    try (Harness h = Harness.start(100, 100, "defaults: {readiness: {interval: 25ms}}")) {
      JsonObject none = status(h, "demo", "g1");
      assertThat(none).isEqualTo(new JsonObject().put("resource", "demo").put("groups", new JsonArray().add("g1"))
          .put("phase", "none").put("elapsedMs", 0).putNull("typicalMs").putNull("error").putNull("retryAfterSeconds"));

      // The start call is slow, the boot is held, then the app answers 503 for a while: every phase can be seen.
      h.faults("{\"apiLatencyMs\":700,\"holdBoots\":true,\"warmupMs\":1500}");
      Future<Harness.Reply> held = h.get("/smart_proxy/demo/g1/x?y=1");
      List<String> seen = new ArrayList<>();
      eventually("asking the cloud", () -> record(seen, status(h, "demo", "g1")).equals("starting"));
      eventually("booting", () -> record(seen, status(h, "demo", "g1")).equals("booting"));
      JsonObject booting = status(h, "demo", "g1");
      assertThat(booting.getLong("elapsedMs")).isGreaterThanOrEqualTo(700);
      h.faults("{\"apiLatencyMs\":0,\"holdBoots\":false}");
      eventually("warming: the port is open, the app still answers 503",
          () -> record(seen, status(h, "demo", "g1")).equals("warming"));
      eventually("ready", () -> record(seen, status(h, "demo", "g1")).equals("ready"));
      assertThat(seen).as("in order, none skipped").containsExactly("starting", "booting", "warming", "ready");

      JsonObject ready = status(h, "demo", "g1");
      assertThat(ready.getLong("elapsedMs")).as("how long the start took").isGreaterThanOrEqualTo(2200);
      assertThat(ready.getLong("typicalMs")).as("the one cold start so far (its phases, each in whole ms)")
          .isBetween(ready.getLong("elapsedMs") - 3, ready.getLong("elapsedMs"));
      assertThat(ready.getValue("error")).isNull();
      assertThat(status(h, "demo", "g1,g2").getString("phase")).as("a caller holding more groups").isEqualTo("ready");
      assertThat(status(h, "demo", "g2").getString("phase")).as("g1's VM is not g2's").isEqualTo("none");
      assertThat(await(held).status()).isEqualTo(200);
      assertThat(h.stats().getInteger("started")).as("the polls started nothing").isEqualTo(1);
      h.assertNoLeaks();
    }
  }

  private static String record(List<String> seen, JsonObject status) {
    String phase = status.getString("phase");
    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(phase)) {
      seen.add(phase);
    }
    return phase;
  }

  @Test
  void theStatusUrlStartsNothingAndKeepsTheGrammarOfVirtualUrls() {
    try (Harness h = Harness.start(100, 100, "resources: {staff: {allowedGroups: [staff]}}")) {
      for (int i = 0; i < 50; i++) {
        assertThat(status(h, "r" + i, "g").getString("phase")).isEqualTo("none");
      }
      assertThat(status(h, "demo", "b,a,a").getJsonArray("groups")).as("a set").isEqualTo(new JsonArray().add("a").add("b"));
      assertThat(h.stats().getInteger("started")).isZero();
      assertThat(await(h.gateway.lifecycle().resourceCount())).as("nothing kept for the names asked about").isZero();

      Harness.assertProblem(await(h.get("/smart_proxy/_status/staff/visitors")), 403, "forbidden", "staff");
      Harness.assertProblem(await(h.get("/smart_proxy/_status/demo")), 400, "bad-virtual-url", "demo");
      Harness.assertProblem(await(h.get("/smart_proxy/_status/demo/g1/more")), 400, "bad-virtual-url", "demo");
      Harness.assertProblem(await(h.get("/smart_proxy/_status/demo/../g1")), 400, "bad-virtual-url", "demo");
      Harness.Reply post = await(h.send(HttpMethod.POST, "/smart_proxy/_status/demo/g1", null));
      Harness.assertProblem(post, 405, "method-not-allowed", "demo");
      assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
      Harness.assertProblem(await(h.send(HttpMethod.GET, "/smart_proxy/_status/demo/g1",
          io.vertx.core.buffer.Buffer.buffer("x"))), 400, "bad-request", "demo");
      Harness.Reply head = await(h.send(HttpMethod.HEAD, "/smart_proxy/_status/demo/g1", null));
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.body().length()).isZero();
      assertThat(status(h, "demo", "g1/").getString("phase")).as("a trailing slash is allowed").isEqualTo("none");
      assertThat(h.stats().getInteger("started")).isZero();
    }
  }

  @Test
  void aJsonClientOnTheVirtualUrlIsHeldAndServedNotGivenAPage() {
    try (Harness h = Harness.start(300, 300, "")) {
      Harness.Reply reply = await(h.get("/smart_proxy/demo/g1/api?q=1", "Accept", "application/json"));
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("query")).isEqualTo("q=1");
      assertThat(reply.header("X-Smart-Gateway-Wait-Ms")).isNotNull();
    }
  }

  @Test
  void theWaitingPageShowsThePhaseAndPointsAtItsStatusUrlAndTheUrlAskedFor() {
    try (Harness h = Harness.start(2000, 2000, "")) {
      String uri = "/smart_proxy/demo/g2,g1/a%20b/c?x=1&y=%2F&z=<q>\"";
      Harness.Reply page = await(h.get(uri, "Accept", HTML));
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
      assertThat(page.header("Cache-Control")).isEqualTo("no-store");
      assertThat(page.header("Retry-After")).isEqualTo("2");
      assertThat(page.header("Refresh")).as("the script moves on; only a page without it reloads").isNull();
      String html = page.body().toString();
      assertThat(html).contains("<title>Starting demo…</title>")
          .contains("data-phase=\"starting\"").contains("Asking the cloud for a machine…")
          .contains("data-status-url=\"/smart_proxy/_status/demo/g1,g2\"")
          .contains("href=\"/smart_proxy/demo/g2,g1/a%20b/c?x=1&amp;y=%2F&amp;z=&lt;q&gt;&quot;\"")
          .contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>")
          .contains("role=\"status\"")
          .doesNotContain("<q>").doesNotContain("{{")
          .doesNotContain("http://").doesNotContain("https://"); // nothing loaded from elsewhere

      eventually("booting", () -> status(h, "demo", "g1,g2").getString("phase").equals("booting"));
      Harness.Reply again = await(h.get(uri, "Accept", HTML));
      assertThat(again.body().toString()).as("the same start, further on").contains("data-phase=\"booting\"")
          .contains("The machine is booting…");
      assertThat(h.stats().getInteger("started")).isEqualTo(1);

      eventually("ready", () -> status(h, "demo", "g1,g2").getString("phase").equals("ready"));
      Harness.Reply served = await(h.get(uri, "Accept", HTML));
      assertThat(served.status()).as("a page load once ready is the VM's answer").isEqualTo(200);
      assertThat(served.json().getString("query")).isEqualTo("x=1&y=%2F&z=<q>\"");

      // The next start of this resource is usually about 2 s, the one start seen.
      Harness.Reply other = await(h.get("/smart_proxy/demo/g3/", "Accept", HTML));
      assertThat(other.body().toString()).contains("Usually ready in about 2 s.").contains("data-typical-ms=\"2");
    }
  }

  @Test
  void aBootFailureIsAFailurePageAndAReloadDuringTheBackoffStartsNothing() {
    try (Harness h = Harness.start(100, 100, "defaults: {startBackoff: {initial: 30s, max: 1m}}")) {
      h.faults(new JsonObject().put("bootFailureRate", 1.0));
      Harness.Reply waiting = await(h.get("/smart_proxy/demo/g1/", "Accept", HTML));
      assertThat(waiting.status()).isEqualTo(503);
      eventually("failed", () -> status(h, "demo", "g1").getString("phase").equals("failed"));
      JsonObject failed = status(h, "demo", "g1");
      assertThat(failed.getJsonObject("error").getString("type")).isEqualTo("urn:smart-gateway:problem:boot-failed");
      assertThat(failed.getJsonObject("error").getString("title")).isEqualTo("The VM failed to start");
      assertThat(failed.getJsonObject("error").getInteger("status")).isEqualTo(502);
      assertThat(failed.getJsonObject("error").getString("detail")).contains("FAILED");
      assertThat(failed.getInteger("retryAfterSeconds")).isBetween(1, 30);

      Harness.Reply page = await(h.get("/smart_proxy/demo/g1/?again=1", "Accept", HTML));
      assertThat(page.status()).isEqualTo(502);
      assertThat(page.header("Retry-After")).isNotNull();
      String html = page.body().toString();
      assertThat(html).contains("data-phase=\"failed\"").contains("<h1 id=\"heading\">The VM failed to start</h1>")
          .contains("urn:smart-gateway:problem:boot-failed").contains("the next start is in")
          .contains("href=\"/smart_proxy/demo/g1/?again=1\">Try again</a>")
          .contains("<meta http-equiv=\"refresh\" content=\"\">")
          .doesNotContain("Starting demo");
      assertThat(h.stats().getInteger("started")).as("the reload started nothing").isEqualTo(1);
    }
  }

  @Test
  void aTemplateFileReplacesThePageAndIsCheckedAtStart(@TempDir Path dir) throws IOException {
    Path template = dir.resolve("page.html");
    Files.writeString(template, "<!DOCTYPE html><title>{{ title }}</title><p>MARKER-7f3 {{resource}} {{ phase }} "
        + "{{statusUrl}} {{retryUrl}} {{typicalText}}</p>\n");
    try (Harness h = Harness.start("waitingPageTemplate: '" + template + "'", 1000, 1000, "")) {
      Harness.Reply page = await(h.get("/smart_proxy/demo/g1/?a=1&b=2", "Accept", HTML));
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.body().toString()).isEqualTo("<!DOCTYPE html><title>Starting demo…</title><p>MARKER-7f3 demo "
          + "starting /smart_proxy/_status/demo/g1 /smart_proxy/demo/g1/?a=1&amp;b=2 </p>\n");
    }

    Files.writeString(template, "<p>{{resource}}</p>\n<p>{{nope}}</p>");
    assertThatThrownBy(() -> Harness.start("waitingPageTemplate: '" + template + "'", 0, 0, "").close())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.waitingPageTemplate: " + template + ", line 2: unknown placeholder {{nope}}");
    Path missing = dir.resolve("missing.html");
    assertThatThrownBy(() -> Harness.start("waitingPageTemplate: '" + missing + "'", 0, 0, "").close())
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.waitingPageTemplate: file not found: " + missing);
  }
}
