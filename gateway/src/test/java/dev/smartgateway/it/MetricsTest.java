package dev.smartgateway.it;

import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.it.Harness.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /metrics} on the admin listener of a real gateway on a real mock cloud: what a cold start, a boot
 * failure, a start timeout and a cancelled start leave in the scrape, that the resource label is bounded, that
 * metrics can be switched off, and that the Grafana dashboard in {@code examples/} queries only series a real
 * scrape has.
 */
class MetricsTest {

  private static final String[] PHASES = {"cloud_call", "boot", "probe", "first_byte", "total"};
  private static final Path DASHBOARD = Path.of("../examples/grafana/smart-gateway-dashboard.json");

  @Test
  void aColdStartLeavesEveryPhaseWithOutcomeReadyTheRequestAndTheReadyInstance() {
    try (Harness h = Harness.start(5, 20, "")) {
      Reply served = await(h.get("/smart_proxy/app/g/hello"));
      assertThat(served.status()).isEqualTo(200);

      Reply reply = h.metrics();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      PrometheusText scrape = scrapeWhen(h, s -> s.sum("smart_gateway_hold_seconds_count") == 1);
      for (String phase : PHASES) {
        assertThat(scrape.value("smart_gateway_cold_start_seconds_count", "phase", phase, "outcome", "ready",
            "resource", "app")).as("phase %s", phase).isEqualTo(1);
        assertThat(scrape.value("smart_gateway_cold_start_seconds_bucket", "phase", phase, "outcome", "ready",
            "resource", "app", "le", "+Inf")).as("phase %s", phase).isEqualTo(1);
        assertThat(scrape.samples("smart_gateway_cold_start_seconds_bucket", "phase", phase, "outcome", "ready"))
            .as("buckets from 10 ms to 10 min").hasSize(17);
      }
      assertThat(scrape.value("smart_gateway_cold_start_seconds_bucket", "phase", "total", "outcome", "ready",
          "le", "600.0")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_requests_total", "resource", "app", "status_class", "2xx")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_requests_total", "resource", "app", "status_class", "5xx")).isZero();
      assertThat(scrape.value("smart_gateway_request_bytes_total", "resource", "app", "direction", "out"))
          .isEqualTo(served.body().length());
      assertThat(scrape.value("smart_gateway_instances", "state", "READY")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_instances", "state", "STARTING")).isZero();
      assertThat(scrape.value("smart_gateway_held_requests")).isZero();
      assertThat(scrape.value("smart_gateway_hold_seconds_count", "outcome", "ready")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_starts_total", "reason", "request", "outcome", "ready")).isEqualTo(1);
      assertThat(scrape.sum("smart_gateway_cloud_call_seconds_count", "provider", "mock", "operation", "start",
          "outcome", "ok")).isEqualTo(1);
      assertThat(scrape.value("resilience4j_circuitbreaker_state", "name", "cloud-mock", "state", "closed"))
          .isEqualTo(1);
      assertThat(scrape.names()).contains("smart_gateway_access_log_dropped_total", "smart_gateway_store_dropped_total",
          "smart_gateway_store_queue");
      assertThat(scrape.names()).as("Vert.x's own metrics are off on the harness's Vert.x")
          .noneMatch(n -> n.startsWith("vertx_"));

      // Warm: counted, no new cold start.
      assertThat(await(h.get("/smart_proxy/app/g/again")).status()).isEqualTo(200);
      PrometheusText warm = scrapeWhen(h, s -> s.sum("smart_gateway_requests_total", "resource", "app") == 2);
      assertThat(warm.value("smart_gateway_cold_start_seconds_count", "phase", "total", "outcome", "ready",
          "resource", "app")).isEqualTo(1);
      assertThat(warm.sum("smart_gateway_hold_seconds_count")).isEqualTo(1);

      // Stopped by hand: a stop with its reason, no instance left.
      String vm = h.admin(HttpMethod.GET, "/admin/instances", null).json().getJsonArray("instances")
          .getJsonObject(0).getString("instanceId");
      assertThat(h.admin(HttpMethod.POST, "/admin/instances/" + vm + "/stop", "").status()).isEqualTo(202);
      PrometheusText stopped = scrapeWhen(h, s -> s.value("smart_gateway_instances", "state", "READY") == 0
          && s.value("smart_gateway_instances", "state", "STOPPING") == 0);
      assertThat(stopped.value("smart_gateway_stops_total", "reason", "by_hand")).isEqualTo(1);
    }
  }

  @Test
  void aBootFailureIsOutcomeFailedAndARejectionWithItsSlug() {
    try (Harness h = Harness.start(5, 20, "resources:\n  broken: {startBackoff: {initial: 1m, max: 1m}}\n")) {
      h.faults("{\"bootFailureRate\": 1.0}");
      Reply failed = await(h.get("/smart_proxy/broken/g/"));
      assertThat(failed.status()).isEqualTo(502);
      // During the backoff the same failure is answered without a start: a rejection, but no second cold start.
      assertThat(await(h.get("/smart_proxy/broken/g/")).status()).isEqualTo(502);

      PrometheusText scrape = scrapeWhen(h, s -> s.sum("smart_gateway_rejections_total") == 2
          && s.sum("smart_gateway_stops_total") == 1);
      assertThat(scrape.value("smart_gateway_rejections_total", "reason", "boot-failed")).isEqualTo(2);
      assertThat(scrape.value("smart_gateway_cold_start_seconds_count", "phase", "total", "outcome", "failed",
          "resource", "broken")).as("a configured resource has its label from the start").isEqualTo(1);
      // first_byte is what held requests saw: both were held, and both got the failure as their first byte.
      assertThat(scrape.value("smart_gateway_cold_start_seconds_count", "phase", "first_byte", "outcome", "failed",
          "resource", "broken")).isEqualTo(2);
      assertThat(scrape.sum("smart_gateway_cold_start_seconds_count", "outcome", "ready")).isZero();
      assertThat(scrape.value("smart_gateway_starts_total", "reason", "request", "outcome", "failed")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_stops_total", "reason", "failed")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_hold_seconds_count", "outcome", "failed")).isEqualTo(2);
      assertThat(scrape.value("smart_gateway_requests_total", "resource", "broken", "status_class", "5xx"))
          .isEqualTo(2);
      assertThat(scrape.sum("smart_gateway_instances")).isZero();
    }
  }

  @Test
  void aStartThatTimesOutIsOutcomeTimeout() {
    try (Harness h = Harness.start(5, 20, "resources:\n  slow: {startTimeout: 300ms}\n")) {
      h.faults("{\"holdBoots\": true}");
      Reply timedOut = await(h.get("/smart_proxy/slow/g/"));
      assertThat(timedOut.status()).isEqualTo(504);

      // The boot stays held until the start's own timeout is counted: released earlier, on a loaded machine the
      // VM could come up before the lifecycle got to that deadline, and the start would end as a success.
      PrometheusText scrape = scrapeWhen(h, s -> s.sum("smart_gateway_rejections_total") == 1
          && s.sum("smart_gateway_starts_total") == 1);
      h.faults("{\"holdBoots\": false}");
      assertThat(scrape.value("smart_gateway_rejections_total", "reason", "start-timeout")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_cold_start_seconds_count", "phase", "total", "outcome", "timeout",
          "resource", "slow")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_starts_total", "reason", "request", "outcome", "timeout")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_hold_seconds_count", "outcome", "timeout")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_hold_seconds_bucket", "outcome", "timeout", "le", "0.25")).isZero();
      assertThat(scrape.value("smart_gateway_hold_seconds_bucket", "outcome", "timeout", "le", "0.5")).isEqualTo(1);
      h.assertNoLeaks();
    }
  }

  @Test
  void aCancelledStartIsOutcomeCancelled() {
    try (Harness h = Harness.start(5, 10, "")) {
      h.faults("{\"holdBoots\": true}");
      Reply started = h.admin(HttpMethod.POST, "/admin/resources/slow/start", "{\"groups\": [\"g\"]}");
      assertThat(started.status()).isEqualTo(202);
      Future<Reply> held = h.get("/smart_proxy/slow/g/");
      h.awaitWaiting(1);
      assertThat(scrape(h).value("smart_gateway_held_requests")).isEqualTo(1);
      assertThat(scrape(h).value("smart_gateway_instances", "state", "STARTING")).isEqualTo(1);

      Reply cancelled = h.admin(HttpMethod.POST, "/admin/tasks/" + started.json().getString("id") + "/cancel", "");
      assertThat(cancelled.status()).isEqualTo(200);
      assertThat(await(held).status()).isEqualTo(503);
      h.faults("{\"holdBoots\": false}");

      PrometheusText scrape = scrapeWhen(h, s -> s.sum("smart_gateway_hold_seconds_count") == 1);
      assertThat(scrape.value("smart_gateway_starts_total", "reason", "by_hand", "outcome", "cancelled")).isEqualTo(1);
      assertThat(scrape.sum("smart_gateway_cold_start_seconds_count", "phase", "total", "outcome", "cancelled"))
          .isEqualTo(1);
      assertThat(scrape.sum("smart_gateway_cold_start_seconds_count", "phase", "first_byte", "outcome", "cancelled"))
          .isEqualTo(1);
      assertThat(scrape.value("smart_gateway_stops_total", "reason", "by_hand")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_rejections_total", "reason", "start-cancelled")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_hold_seconds_count", "outcome", "cancelled")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_held_requests")).isZero();
      h.assertNoLeaks();
      assertThat(scrape(h).sum("smart_gateway_instances")).isZero();
    }
  }

  @Test
  void resourcesBeyondMaxResourcesAreCountedAsOther() {
    try (Harness h = Harness.start(MockCloudOptions.defaults().withBootDelay(5, 10)
        .withResources(Set.of("r1", "r2", "r3", "r4", "r5")), "", "", "metrics: {maxResources: 3}\n")) {
      // A name the cloud does not know is never served: it takes no place.
      assertThat(await(h.get("/smart_proxy/ghost/g/")).status()).isEqualTo(404);
      for (int i = 1; i <= 5; i++) {
        assertThat(await(h.get("/smart_proxy/r" + i + "/g/")).status()).isEqualTo(200);
      }
      PrometheusText scrape = scrapeWhen(h, s -> s.sum("smart_gateway_requests_total") == 6);
      assertThat(scrape.values("smart_gateway_requests_total", "resource"))
          .containsExactlyInAnyOrder("r1", "r2", "r3", "other", "none");
      assertThat(scrape.value("smart_gateway_requests_total", "resource", "other", "status_class", "4xx")).isEqualTo(1);
      assertThat(scrape.value("smart_gateway_rejections_total", "reason", "unknown-resource")).isEqualTo(1);
      for (String r : List.of("r1", "r2", "r3")) {
        assertThat(scrape.value("smart_gateway_requests_total", "resource", r, "status_class", "2xx")).isEqualTo(1);
      }
      assertThat(scrape.value("smart_gateway_requests_total", "resource", "other", "status_class", "2xx")).isEqualTo(2);
      assertThat(scrape.values("smart_gateway_cold_start_seconds_count", "resource"))
          .containsExactlyInAnyOrder("r1", "r2", "r3", "other");
      assertThat(scrape.value("smart_gateway_cold_start_seconds_count", "resource", "other", "phase", "total",
          "outcome", "ready")).isEqualTo(2);

      // A malformed URL names no resource.
      assertThat(await(h.get("/smart_proxy/")).status()).isEqualTo(400);
      PrometheusText after = scrapeWhen(h, s -> s.sum("smart_gateway_requests_total") == 7);
      assertThat(after.value("smart_gateway_requests_total", "resource", "none", "status_class", "4xx")).isEqualTo(1);
      assertThat(after.value("smart_gateway_rejections_total", "reason", "bad-virtual-url")).isEqualTo(1);
    }
  }

  @Test
  void switchedOffThereIsNoMetricsRouteAndRequestsAreServedAsBefore() {
    try (Harness h = Harness.start(5, 10, "metrics: {enabled: false}\n")) {
      assertThat(await(h.get("/smart_proxy/app/g/")).status()).isEqualTo(200);
      assertThat(h.metrics().status()).isEqualTo(404);
      assertThat(h.gateway.metrics().enabled()).isFalse();
    }
  }

  @Test
  void behindTheAdminTokenWhenOneIsSet(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "metrics-token\n");
    try (Harness h = Harness.start(5, 10, "admin: {port: 0, tokenFile: '" + token + "'}\n")) {
      assertThat(h.metrics().status()).isEqualTo(401);
      Reply scraped = h.admin(HttpMethod.GET, "/metrics", null, "metrics-token");
      assertThat(scraped.status()).isEqualTo(200);
      assertThat(scraped.body().toString()).contains("# TYPE smart_gateway_requests_total counter");
    }
  }

  /**
   * The Grafana dashboard cannot drift: every series its queries name is in a real scrape of a gateway that has
   * been through a cold start, a boot failure and a cloud call, with Vert.x's metrics on as GatewayMain runs it.
   */
  @Test
  void theDashboardQueriesOnlySeriesARealScrapeHas() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
    Set<String> queried = new TreeSet<>();
    collectExpressions(dashboard, queried);
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:smart_gateway|vertx|resilience4j|jvm|process)_[a-zA-Z0-9_]+)").matcher(
        String.join("\n", queried));
    while (m.find()) {
      names.add(m.group(1));
    }
    assertThat(names).as("the dashboard's metrics").isNotEmpty()
        .contains("smart_gateway_cold_start_seconds_bucket", "smart_gateway_held_requests",
            "smart_gateway_rejections_total", "smart_gateway_instances", "smart_gateway_requests_total",
            "smart_gateway_cloud_call_seconds_bucket", "resilience4j_circuitbreaker_state");

    try (Harness h = Harness.startWithVertxMetrics(5, 20,
        "resources:\n  broken: {startBackoff: {initial: 1m, max: 1m}}\n")) {
      assertThat(await(h.get("/smart_proxy/app/g/")).status()).isEqualTo(200);
      h.faults("{\"bootFailureRate\": 1.0}");
      assertThat(await(h.get("/smart_proxy/broken/g/")).status()).isEqualTo(502);
      h.faults("{\"bootFailureRate\": 0.0}");
      PrometheusText scrape = scrapeWhen(h, s -> s.sum("smart_gateway_rejections_total") == 1
          && s.sum("smart_gateway_hold_seconds_count") == 2);
      assertThat(scrape.names()).as("Vert.x's HTTP server metrics are there").contains(
          "vertx_http_server_requests_total");
      Set<String> missing = new TreeSet<>(names);
      missing.removeAll(scrape.names());
      assertThat(missing).as("series the dashboard queries that a real scrape does not have").isEmpty();
    }
  }

  private static void collectExpressions(Object node, Set<String> out) {
    if (node instanceof JsonObject o) {
      o.forEach(e -> {
        if (e.getKey().equals("expr") && e.getValue() instanceof String expr) {
          out.add(expr);
        } else {
          collectExpressions(e.getValue(), out);
        }
      });
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collectExpressions(v, out));
    }
  }

  private static PrometheusText scrape(Harness h) {
    Reply reply = h.metrics();
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
    return PrometheusText.parse(reply.body().toString(StandardCharsets.UTF_8));
  }

  /** Scrapes until the condition holds (the hook and the events run just after the client has its answer). */
  private static PrometheusText scrapeWhen(Harness h, Predicate<PrometheusText> condition) {
    PrometheusText[] last = new PrometheusText[1];
    try {
      eventually("the scrape shows it", () -> condition.test(last[0] = scrape(h)));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nlast scrape:\n" + last[0], e);
    }
    return last[0];
  }
}
