package dev.smartgateway.it;

import dev.smartgateway.it.Harness.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.assertProblem;
import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * README "Failure behaviour", the rows where the cloud answers but says no (no capacity, refused, unknown
 * resource, asked again) and where the gateway itself holds starts back (a flood of starts): one test per
 * row, the cloud's answer produced by the mock's {@code startError}.
 */
class CloudRefusalRowsTest {

  @Test
  void noCapacityGets503WithRetryAfterAndNothingRuns() {
    try (Harness h = Harness.start(50, 100, "")) {
      h.faults("{\"startError\":\"capacity\"}");

      Reply reply = await(h.get("/smart_proxy/demo/g1/"));

      assertProblem(reply, 503, "no-capacity", "demo");
      assertThat(reply.header("Retry-After")).as("the cloud's own Retry-After").isEqualTo("30");
      assertThat(h.calls("start")).as("an answer, not a fault: not retried").isEqualTo(1);
      assertThat(h.stats().getInteger("started")).isZero();
      assertThat(await(h.gateway.lifecycle().instances())).isEmpty();
      h.assertNoLeaks();
    }
  }

  @Test
  void aCloudRefusalGets403AndNothingRuns() {
    try (Harness h = Harness.start(50, 100, "")) {
      h.faults("{\"startError\":\"refused\"}");

      Reply reply = await(h.get("/smart_proxy/demo/g1/"));

      assertProblem(reply, 403, "forbidden", "demo");
      assertThat(h.calls("start")).isEqualTo(1);
      assertThat(h.stats().getInteger("started")).isZero();
      assertThat(await(h.gateway.lifecycle().instances())).isEmpty();
      h.assertNoLeaks();
    }
  }

  @Test
  void anUnknownResourceGets404AndIsNotAskedAgain() {
    try (Harness h = Harness.start(50, 100, "")) {
      h.faults("{\"startError\":\"unknown-resource\"}");

      assertProblem(await(h.get("/smart_proxy/ghost/g1/")), 404, "unknown-resource", "ghost");
      assertThat(h.calls("start")).isEqualTo(1);
      assertThat(h.stats().getInteger("started")).isZero();

      // Asked again (other groups, other paths, a POST): answered from memory, no cloud call.
      assertProblem(await(h.get("/smart_proxy/ghost/g1/")), 404, "unknown-resource", "ghost");
      assertProblem(await(h.get("/smart_proxy/ghost/g2,g3/x?y=1")), 404, "unknown-resource", "ghost");
      assertProblem(await(h.send(io.vertx.core.http.HttpMethod.POST, "/smart_proxy/ghost/g1/",
          io.vertx.core.buffer.Buffer.buffer("x"))), 404, "unknown-resource", "ghost");
      assertThat(h.calls("start")).as("remembered for limits.unknownResourceTtl").isEqualTo(1);
      // The memory is per name: another resource is still asked.
      assertProblem(await(h.get("/smart_proxy/other/g1/")), 404, "unknown-resource", "other");
      assertThat(h.calls("start")).isEqualTo(2);
      assertThat(await(h.gateway.lifecycle().instances())).isEmpty();
      h.assertNoLeaks();
    }
  }

  @Test
  void aFloodOfStartsIsHeldUntilItsTurnAndPastFiveSecondsGets503StartsThrottled() {
    try (Harness h = Harness.start(50, 100, "limits: {startsPerSecond: 1}\n")) {
      long floodStart = System.currentTimeMillis();
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        replies.add(h.get("/smart_proxy/f" + i + "/g1/"));
      }
      await(Future.join(replies), Harness.DEADLINE.multipliedBy(2));

      int served = 0;
      int throttled = 0;
      for (int i = 0; i < replies.size(); i++) {
        Reply reply = replies.get(i).result();
        if (reply.status() == 200) {
          served++;
          assertThat(reply.json().getString("resource")).isEqualTo("f" + i);
          assertThat(reply.header("X-Smart-Gateway-Wait-Ms")).as("held until its turn").isNotNull();
        } else {
          throttled++;
          assertProblem(reply, 503, "starts-throttled", "f" + i);
          assertThat(reply.header("Retry-After")).isEqualTo("5");
        }
      }
      // A start's turn comes at one a second from the first: the first six fit within 5 s whenever they
      // arrived, and twenty arriving together cannot all fit.
      assertThat(served).isGreaterThanOrEqualTo(6);
      assertThat(throttled).isGreaterThanOrEqualTo(1);
      assertThat(h.calls("start")).as("a throttled request made no call").isEqualTo(served);
      assertThat(h.stats().getInteger("started")).isEqualTo(served);
      // The k-th start reached the cloud no earlier than k seconds after the flood began (one a second).
      List<Long> created = h.vms().stream().map(o -> ((JsonObject) o).getLong("createdAt")).sorted().toList();
      for (int k = 0; k < created.size(); k++) {
        assertThat(created.get(k)).as("start %d", k).isGreaterThanOrEqualTo(floodStart + k * 1000L - 5);
      }
      h.assertNoLeaks();
    }
  }
}
