package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded soak: requests at a steady rate to a few resources while random faults come and go (cloud API
 * errors and latency, boot failures, crashes, slow stops, warming apps) and VMs churn through short idle
 * timeouts. Every request gets an answer: a correct echo, or one of the documented errors. Nothing leaks.
 * {@code -Dsoak.seconds=N} runs longer.
 */
class SoakTest {

  private static final Set<String> DOCUMENTED = Set.of("boot-failed", "backend-failed", "cloud-failed",
      "cloud-unavailable", "waiters-full", "no-capacity", "start-timeout", "backend-timeout");

  private Harness harness;
  private final Random random = new Random(20261122L);

  @BeforeEach
  void start() {
    harness = Harness.start(50, 300, """
        cloud: {timeout: 1s, retryCount: 2, retryInterval: 100ms, breaker: {window: 10, minimumCalls: 10, openFor: 1s}}
        defaults:
          startTimeout: 8s
          idleTimeout: 700ms
          liveness: {ping: 200ms, misses: 2}
        """);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void underRandomFaultsEveryRequestIsAnsweredCorrectlyOrWithADocumentedErrorAndNothingLeaks() throws Exception {
    long seconds = Long.getLong("soak.seconds", 25);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Future<Outcome>> outcomes = new CopyOnWriteArrayList<>();
    int[] sent = {0};
    long ticker = harness.vertx.setPeriodic(50, id -> {
      if (System.nanoTime() < end) {
        outcomes.add(request(sent[0]++));
      }
    });
    long nextFault = 0;
    while (System.nanoTime() < end) {
      if (System.nanoTime() >= nextFault) {
        injectRandomFault();
        nextFault = System.nanoTime() + Duration.ofMillis(1500 + random.nextInt(1000)).toNanos();
      }
      await(harness.vertx.timer(100));
    }
    harness.vertx.cancelTimer(ticker);
    harness.faults(new JsonObject().put("bootFailureRate", 0.0).put("apiErrorRate", 0.0).put("apiLatencyMs", 0)
        .put("warmupMs", 0).put("stopDelayMs", 0));

    await(Future.join(new ArrayList<>(outcomes)), Duration.ofSeconds(60));

    Map<String, Integer> tally = new TreeMap<>();
    for (Future<Outcome> f : outcomes) {
      assertThat(f.succeeded()).as("every request gets an HTTP answer: %s", f.cause()).isTrue();
      Outcome o = f.result();
      tally.merge(o.kind(), 1, Integer::sum);
      if (o.status() != 200) {
        assertThat(DOCUMENTED).as("status %d %s", o.status(), o.kind()).contains(o.kind());
      }
    }
    System.out.println("soak: " + outcomes.size() + " requests in " + seconds + " s: " + tally
        + "; VMs started " + harness.stats().getInteger("started"));
    assertThat(outcomes.size()).isGreaterThan((int) (seconds * 10));
    assertThat(tally.getOrDefault("ok", 0)).as("most requests succeed").isGreaterThan(outcomes.size() / 2);
    harness.assertNoLeaks();
  }

  private Future<Outcome> request(int n) {
    // Bursts of one second per resource, then three quiet seconds: longer than idleTimeout, so VMs keep
    // scaling down and waking up under the faults.
    String resource = "soak" + ((n / 20) % 4);
    String body = "request-" + n + "-".repeat(n % 200);
    return harness.send(HttpMethod.POST, "/smart_proxy/" + resource + "/g" + (n % 2) + "/item/" + n, Buffer.buffer(body))
        .map(reply -> {
          if (reply.status() == 200) {
            JsonObject echo = reply.json();
            // A correct answer is this request's own echo, whole.
            assertThat(echo.getString("path")).isEqualTo("/item/" + n);
            assertThat(echo.getLong("bodyBytes")).isEqualTo(body.length());
            return new Outcome(200, "ok");
          }
          assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
          String type = reply.json().getString("type");
          return new Outcome(reply.status(), type.substring(type.lastIndexOf(':') + 1));
        });
  }

  private void injectRandomFault() {
    JsonObject faults = new JsonObject().put("bootFailureRate", 0.0).put("apiErrorRate", 0.0).put("apiLatencyMs", 0)
        .put("warmupMs", 0).put("stopDelayMs", 0);
    switch (random.nextInt(7)) {
      case 0 -> { }
      case 1 -> faults.put("apiErrorRate", 0.3);
      case 2 -> faults.put("bootFailureRate", 0.5);
      case 3 -> faults.put("apiLatencyMs", 200);
      case 4 -> faults.put("stopDelayMs", 500);
      case 5 -> faults.put("warmupMs", 300);
      default -> crashARunningVm();
    }
    harness.faults(faults);
  }

  private void crashARunningVm() {
    List<String> running = new ArrayList<>();
    harness.vms().forEach(o -> {
      JsonObject vm = (JsonObject) o;
      if ("RUNNING".equals(vm.getString("state"))) {
        running.add(vm.getString("id"));
      }
    });
    if (!running.isEmpty()) {
      harness.mockApi(HttpMethod.POST, "/api/vms/" + running.get(random.nextInt(running.size())) + "/crash", null);
    }
  }

  private record Outcome(int status, String kind) {
  }
}
