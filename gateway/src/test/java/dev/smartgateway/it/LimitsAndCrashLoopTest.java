package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue #10: what an outsider can make the gateway start is bounded, and a failing resource stays failed. */
class LimitsAndCrashLoopTest {

  @Test
  void fiftyDistinctGroupSetsStartAtMostMaxInstancesVms() {
    try (Harness h = Harness.start(20, 50, "defaults: {maxInstances: 4}\n")) {
      List<Future<Harness.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        replies.add(h.get("/smart_proxy/r/u" + i + "/"));
      }
      await(Future.join(replies));
      long served = replies.stream().filter(f -> f.result().status() == 200).count();
      List<Harness.Reply> refused = replies.stream().map(Future::result).filter(r -> r.status() != 200).toList();

      assertThat(h.stats().getInteger("started")).isEqualTo(4);
      assertThat(served).isEqualTo(4);
      assertThat(refused).hasSize(46).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().getString("type")).isEqualTo("urn:smart-gateway:problem:instance-limit");
        assertThat(r.header("Retry-After")).isNotNull();
      });
      h.assertNoLeaks();
    }
  }

  /** With every boot failing, a reloading browser made 146 VM starts in 90 s and saw "Starting…" for ever. */
  @Test
  void aBrowserReloadingEvery200msForAMinuteOnAFailingResourceStartsAHandfulOfVmsAndSeesTheFailure() {
    try (Harness h = Harness.start(20, 20, "")) {
      h.faults(new JsonObject().put("bootFailureRate", 1.0));
      int failurePages = 0;
      int waitingPages = 0;
      long end = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < end) {
        Harness.Reply page = await(h.get("/smart_proxy/wiki/staff/", "Accept", "text/html"));
        String html = page.body().toString();
        assertThat(page.header("Content-Type")).startsWith("text/html");
        if (html.contains("Starting wiki")) {
          waitingPages++;
        } else {
          assertThat(page.status()).isEqualTo(502);
          assertThat(html).contains("failed to start").contains("boot-failed");
          assertThat(page.header("Retry-After")).isNotNull();
          failurePages++;
        }
        // A browser's reload loop: the next request 200 ms after this answer.
        await(h.vertx.timer(200));
      }
      assertThat(h.stats().getInteger("started")).as("starts at about 0, 1, 3, 7, 15, 31 s").isBetween(2, 7);
      assertThat(waitingPages).as("one 'Starting…' per start at most").isLessThanOrEqualTo(7);
      assertThat(failurePages).isGreaterThan(200);
      h.assertNoLeaks();
    }
  }
}
