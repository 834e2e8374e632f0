package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

class IdleStopTest {

  private Harness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aVmWithNoTrafficIsStoppedAfterIdleTimeout() {
    harness = Harness.start(50, 100, "defaults: {idleTimeout: 500ms}\n");
    String vm = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");

    eventually("the idle VM is stopped", () -> "STOPPED".equals(harness.vm(vm).getString("state")));
    assertThat(harness.stats().getInteger("running")).isZero();
  }

  @Test
  void requestsArrivingAcrossScaleDownsAreAllAnsweredNeverRefused() {
    // A slow stop widens the window in which a request meets a stopping VM.
    harness = Harness.start(50, 100, "defaults: {idleTimeout: 200ms}\n");
    harness.faults(new JsonObject().put("stopDelayMs", 300));
    List<Integer> statuses = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    int round = 0;
    while (System.nanoTime() < end || harness.stats().getInteger("stopped") < 2) {
      // Quiet gaps of ~idleTimeout let the VM hit its idle timer, then a burst lands in drain/stop.
      List<Future<Harness.Reply>> burst = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        burst.add(harness.get("/smart_proxy/demo/g1/r" + round + "-" + i));
      }
      await(Future.join(burst));
      burst.forEach(f -> statuses.add(f.succeeded() ? f.result().status() : -1));
      await(harness.vertx.timer(150 + (round % 4) * 40L));
      round++;
      assertThat(round).as("rounds before two scale-downs happened").isLessThan(200);
    }
    assertThat(statuses).isNotEmpty().allMatch(s -> s == 200);
    assertThat(harness.stats().getInteger("stopped")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aLongStreamingResponseKeepsItsVmAlive() {
    harness = Harness.start(50, 100, "defaults: {idleTimeout: 300ms}\n");
    // 12 chunks 100 ms apart: the response lasts four idle timeouts.
    Harness.Reply reply = await(harness.get("/smart_proxy/demo/g1/stream?chunks=12&intervalMs=100"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().toString()).contains("chunk 11");
    String vm = reply.header("X-Mock-Vm");
    assertThat(harness.vm(vm).getString("state")).as("still running right after the stream").isEqualTo("RUNNING");
    eventually("stopped once the stream is over and idle", () -> "STOPPED".equals(harness.vm(vm).getString("state")));
  }
}
