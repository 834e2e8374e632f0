package dev.smartgateway.it;

import dev.smartgateway.cloud.ResilientCloudProvider;
import dev.smartgateway.it.Harness.Reply;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.assertProblem;
import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * README "Failure behaviour", the rows about cloud API calls that fail or time out: one test per row, each
 * fault produced on demand by the mock (counted faults, so a retry meets exactly the answer the test asked
 * for), the outcome asserted exactly. The breaker row has two tests: "503 at once without calling the cloud"
 * needs an open period longer than the test, "trial calls close it" a short one.
 */
class CloudCallFailureRowsTest {

  /** A breaker that never opens in these tests: they count calls, and an open breaker would make fewer. */
  private static final String QUIET_BREAKER = "breaker: {window: 100, minimumCalls: 100}";
  private static final String LIFECYCLE_LOG = "dev.smartgateway.lifecycle";

  @Test
  void aCloudApiCallThatFailsIsRetriedWhileTheRequestStaysHeld() {
    try (Harness h = Harness.start(50, 100, "cloud: {retryCount: 3, retryInterval: 100ms, " + QUIET_BREAKER + "}\n");
         LifecycleRecorder events = h.recordEvents()) {
      h.faults("{\"startError\":\"error\",\"startFaultCalls\":2}");

      Reply reply = await(h.get("/smart_proxy/demo/g1/"));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("X-Smart-Gateway-Wait-Ms")).as("it was held, not answered").isNotNull();
      assertThat(reply.json().getString("vm")).isEqualTo("vm-1");
      assertThat(h.calls("start")).as("two failed starts, then the one that worked").isEqualTo(3);
      assertThat(h.stats().getInteger("started")).isEqualTo(1);
      assertThat(events.all()).noneMatch(e -> e.type() == Type.FAILED);
      h.assertNoLeaks();
    }
  }

  @Test
  void aCloudApiCallStillFailingAfterTheRetriesGets503WithRetryAfterAndCountsAgainstTheBreaker() {
    // The window is exactly one request's three calls (the start-up list slides out): if they count as
    // failures, the breaker opens.
    try (Harness h = Harness.start(50, 100, """
        cloud: {retryCount: 2, retryInterval: 50ms, breaker: {window: 3, minimumCalls: 3, failureRate: 100, openFor: 1h}}
        """)) {
      h.faults("{\"startError\":\"error\"}");

      Reply failed = await(h.get("/smart_proxy/demo/g1/"));

      assertProblem(failed, 503, "cloud-unavailable", "demo");
      assertThat(failed.header("Retry-After")).isEqualTo("5");
      assertThat(h.calls("start")).as("the call and its two retries").isEqualTo(3);

      Reply next = await(h.get("/smart_proxy/other/g1/"));

      assertThat(assertProblem(next, 503, "cloud-unavailable", "other").getString("detail")).contains("circuit open");
      assertThat(next.header("Retry-After")).isEqualTo("3600");
      assertThat(h.calls("start")).as("the open breaker let no call through").isEqualTo(3);
      assertThat(h.stats().getInteger("started")).isZero();
      h.assertNoLeaks();
    }
  }

  @Test
  void aCloudFailingInBurstsOpensTheBreakerSoRequestsGet503AtOnceWithoutCallingTheCloud() {
    // The window is the last four calls, all failed: the list the gateway makes at start-up has slid out.
    try (Harness h = Harness.start(50, 100, """
        cloud: {retryCount: 0, breaker: {window: 4, minimumCalls: 4, failureRate: 100, openFor: 1h, halfOpenCalls: 1}}
        """)) {
      h.faults("{\"startError\":\"error\"}");
      for (int i = 0; i < 4; i++) {
        assertProblem(await(h.get("/smart_proxy/r" + i + "/g1/")), 503, "cloud-unavailable", "r" + i);
        assertThat(h.calls("start")).isEqualTo(i + 1);
      }

      for (int i = 0; i < 5; i++) {
        Reply fast = await(h.get("/smart_proxy/s" + i + "/g1/"));
        assertThat(assertProblem(fast, 503, "cloud-unavailable", "s" + i).getString("detail")).contains("circuit open");
        assertThat(fast.header("Retry-After")).as("the breaker's openFor").isEqualTo("3600");
      }

      assertThat(h.calls("start")).as("nothing reached the cloud while open").isEqualTo(4);
      assertThat(h.stats().getInteger("started")).isZero();
      h.assertNoLeaks();
    }
  }

  @Test
  void anOpenBreakerLetsTrialCallsThroughAfterOpenForAndClosesWhenTheySucceed() {
    try (Harness h = Harness.start(50, 100, """
        cloud: {retryCount: 0, breaker: {window: 4, minimumCalls: 4, failureRate: 100, openFor: 500ms, halfOpenCalls: 2}}
        """)) {
      h.faults("{\"startError\":\"error\"}");
      for (int i = 0; i < 4; i++) {
        assertProblem(await(h.get("/smart_proxy/r" + i + "/g1/")), 503, "cloud-unavailable", "r" + i);
      }
      h.faults("{\"startError\":\"none\"}");

      // Until openFor is over every request is refused by the open breaker; the first after it is a trial.
      List<Reply> refusedWhileOpen = new ArrayList<>();
      eventually("a trial call after openFor is served", () -> {
        Reply reply = await(h.get("/smart_proxy/t0/g1/"));
        if (reply.status() != 200) {
          refusedWhileOpen.add(reply);
        }
        return reply.status() == 200;
      });
      for (Reply refused : refusedWhileOpen) {
        assertThat(assertProblem(refused, 503, "cloud-unavailable", "t0").getString("detail")).contains("circuit open");
      }
      // The second trial closes it; from then on every request calls the cloud and is served.
      for (int i = 1; i < 5; i++) {
        Reply reply = await(h.get("/smart_proxy/t" + i + "/g1/"));
        assertThat(reply.status()).as("t%d after the trials", i).isEqualTo(200);
      }

      assertThat(h.calls("start")).as("4 failures, then one start per served resource; none for refused ones")
          .isEqualTo(4 + 5);
      h.assertNoLeaks();
    }
  }

  @Test
  void aStartCallThatTimesOutGets503AndIsNotRetriedAndTheLateVmIsStopped() {
    try (Harness h = Harness.start(50, 100, "cloud: {timeout: 300ms, retryCount: 2, retryInterval: 50ms, "
        + QUIET_BREAKER + "}\n")) {
      h.faults("{\"startLatencyMs\":1500}");

      Reply reply = await(h.get("/smart_proxy/demo/g1/"));

      assertThat(assertProblem(reply, 503, "cloud-unavailable", "demo").getString("detail")).contains("no answer in time");
      assertThat(reply.header("Retry-After")).isEqualTo("5");
      eventually("the VM the late answer created is stopped", () -> h.vms().size() == 1
          && "STOPPED".equals(h.vmState("vm-1")));
      assertThat(h.calls("start")).as("a start that timed out is not retried").isEqualTo(1);
      assertThat(h.calls("stop")).isEqualTo(1);
      assertThat(h.stats().getInteger("started")).isEqualTo(1);
      h.assertNoLeaks();
    }
  }

  @Test
  void aDescribeThatTimesOutIsRetried() {
    // Without pushed events, describe polls are how the gateway learns that the VM runs.
    try (Harness h = Harness.start(50, 100, "events: false", "cloud: {timeout: 300ms, retryCount: 2, "
        + "retryInterval: 50ms, " + QUIET_BREAKER + "}\n");
         LogCapture provider = LogCapture.of(ResilientCloudProvider.class);
         LifecycleRecorder events = h.recordEvents()) {
      h.faults("{\"describeLatencyMs\":2000,\"describeFaultCalls\":1}");

      Reply reply = await(h.get("/smart_proxy/demo/g1/"));

      assertThat(reply.status()).as("the client gets nothing of the timeout").isEqualTo(200);
      assertThat(reply.json().getString("vm")).isEqualTo("vm-1");
      assertThat(provider.matching("describe vm-1 failed", "no answer in time", "retry 1 of 2")).hasSize(1);
      assertThat(h.calls("describe")).isGreaterThanOrEqualTo(2);
      assertThat(h.stats().getInteger("started")).isEqualTo(1);
      assertThat(events.all()).noneMatch(e -> e.type() == Type.FAILED);
      h.assertNoLeaks();
    }
  }

  @Test
  void aStopThatTimesOutIsRetried() {
    try (Harness h = Harness.start(50, 100, "cloud: {timeout: 300ms, retryCount: 2, retryInterval: 50ms, "
        + QUIET_BREAKER + "}\ndefaults: {idleTimeout: 200ms}\n");
         LogCapture provider = LogCapture.of(ResilientCloudProvider.class);
         LogCapture lifecycle = LogCapture.of(LIFECYCLE_LOG);
         LifecycleRecorder events = h.recordEvents()) {
      h.faults("{\"stopLatencyMs\":2000,\"stopFaultCalls\":1}");
      String vm = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");

      events.await(Type.STOPPED, vm);

      assertThat(h.calls("stop")).as("the stop that timed out and its retry").isEqualTo(2);
      assertThat(provider.matching("stop " + vm + " failed", "no answer in time", "retry 1 of 2")).hasSize(1);
      assertThat(lifecycle.matching("stop failed")).as("retried by the provider at once, not a second later")
          .isEmpty();
      eventually("the VM is stopped in the cloud", () -> "STOPPED".equals(h.vmState(vm)));
      h.assertNoLeaks();
    }
  }

  @Test
  void aListThatTimesOutIsRetried() {
    // The gateway lists the cloud's VMs when it starts, to adopt them: a list that failed would adopt none.
    try (Harness h = Harness.start(50, 100, "cloud: {timeout: 300ms, retryCount: 2, retryInterval: 50ms, "
        + QUIET_BREAKER + "}\n");
         LogCapture provider = LogCapture.of(ResilientCloudProvider.class)) {
      String vm = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");
      h.stopGateway();
      h.faults("{\"listLatencyMs\":2000,\"listFaultCalls\":1}");

      h.startGateway();
      Reply reply = await(h.get("/smart_proxy/demo/g1/again"));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("vm")).as("adopted, not started anew").isEqualTo(vm);
      assertThat(h.stats().getInteger("started")).isEqualTo(1);
      assertThat(h.calls("list")).as("one list at the first start, the timed-out one and its retry").isEqualTo(3);
      assertThat(provider.matching("list failed", "no answer in time", "retry 1 of 2")).hasSize(1);
      h.assertNoLeaks();
    }
  }

  @Test
  void aStopTheCloudKeepsFailingIsRetriedUntilConfirmed() {
    // Each stop attempt is a call and one provider retry; the first four calls fail: two attempts fail.
    try (Harness h = Harness.start(50, 100, "cloud: {retryCount: 1, retryInterval: 50ms, " + QUIET_BREAKER
        + "}\ndefaults: {idleTimeout: 200ms}\n");
         LogCapture lifecycle = LogCapture.of(LIFECYCLE_LOG);
         LifecycleRecorder events = h.recordEvents()) {
      h.faults("{\"stopError\":true,\"stopFaultCalls\":4}");
      String vm = await(h.get("/smart_proxy/demo/g1/")).json().getString("vm");

      events.await(Type.STOPPED, vm);

      assertThat(h.calls("stop")).as("two failed attempts of two calls, then the one that worked").isEqualTo(5);
      assertThat(lifecycle.matching("stop failed", "instance=" + vm, "trying again in")).hasSize(2);
      assertThat(lifecycle.matching("instance=" + vm, "trying again in 1000 ms")).hasSize(1);
      assertThat(lifecycle.matching("instance=" + vm, "trying again in 2000 ms")).hasSize(1);
      assertThat(events.typesOf(vm)).endsWith(Type.DRAINING, Type.STOPPING, Type.STOPPED);
      eventually("the VM is stopped in the cloud", () -> "STOPPED".equals(h.vmState(vm)));
      h.assertNoLeaks();
    }
  }
}
