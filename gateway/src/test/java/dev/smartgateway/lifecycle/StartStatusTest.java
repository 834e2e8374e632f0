package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The waiting page's status of a start, on a fake clock: phases, elapsed time, usual cold start, failures. */
class StartStatusTest {

  private static StartStatus status(Rig rig, String resource, String... groups) {
    Future<StartStatus> status = rig.manager.status(resource, GroupSet.of(groups));
    rig.clock.settle();
    assertThat(status.succeeded()).as("answered: %s", status.cause()).isTrue();
    return status.result();
  }

  @Test
  void aStartGoesThroughStartingBootingWarmingReadyWithItsElapsedTime() {
    Rig rig = new Rig("defaults: {readiness: {interval: 25ms}}");
    rig.cloud.manualStarts = true;
    rig.hold("r", "g");
    rig.clock.advance(300);
    StartStatus asking = status(rig, "r", "g");
    assertThat(asking.phase()).as("the start call is out").isEqualTo(StartPhase.STARTING);
    assertThat(asking.elapsedMs()).isEqualTo(300);
    assertThat(asking.typicalMs()).as("no cold start seen yet").isNull();
    assertThat(asking.error()).isNull();

    rig.cloud.pendingStarts.remove(0).complete(rig.cloud.create("r", Set.of("g")));
    rig.clock.advance(700);
    StartStatus booting = status(rig, "r", "g");
    assertThat(booting.phase()).as("the cloud accepted").isEqualTo(StartPhase.BOOTING);
    assertThat(booting.elapsedMs()).isEqualTo(1000);

    rig.prober.answer(20000, 503);
    rig.boot("vm-1");
    rig.clock.advance(500);
    StartStatus warming = status(rig, "r", "g");
    assertThat(warming.phase()).as("port open, probe not passed").isEqualTo(StartPhase.WARMING);
    assertThat(warming.elapsedMs()).isEqualTo(1500);

    rig.prober.answer(20000, 200);
    rig.clock.advance(25);
    StartStatus ready = status(rig, "r", "g");
    assertThat(ready.phase()).isEqualTo(StartPhase.READY);
    assertThat(ready.elapsedMs()).as("how long the start took").isEqualTo(1525);
    assertThat(ready.typicalMs()).isEqualTo(1525L);
    rig.clock.advance(5000);
    assertThat(status(rig, "r", "g").elapsedMs()).as("frozen once ready").isEqualTo(1525);
  }

  @Test
  void aCallerHoldingMoreGroupsSeesTheStartItWouldBeServedBy() {
    Rig rig = new Rig("");
    rig.hold("r", "g1");
    assertThat(status(rig, "r", "g1", "g2").phase()).isEqualTo(StartPhase.BOOTING);
    assertThat(status(rig, "r", "g2").phase()).as("g1's VM cannot serve g2 alone").isEqualTo(StartPhase.NONE);
    rig.boot("vm-1");
    assertThat(status(rig, "r", "g1", "g2").phase()).isEqualTo(StartPhase.READY);
  }

  @Test
  void askingStartsNothingAndCreatesNoState() {
    Rig rig = new Rig("");
    for (int i = 0; i < 100; i++) {
      StartStatus none = status(rig, "r" + i, "g");
      assertThat(none.phase()).isEqualTo(StartPhase.NONE);
      assertThat(none.elapsedMs()).isZero();
      assertThat(none.error()).isNull();
      assertThat(none.retryAfter()).isNull();
    }
    assertThat(rig.cloud.count("start")).isZero();
    assertThat(rig.core.table.resourceCount()).as("no entry made for a resource asked about").isZero();
    assertThat(rig.events).isEmpty();
  }

  @Test
  void aTabPollingForEverNeitherKeepsAVmAliveNorRestartsIt() {
    Rig rig = new Rig("defaults: {idleTimeout: 10s, drainTimeout: 1s}");
    rig.warmUp("r", "g").release();
    for (int i = 0; i < 40; i++) { // 20 s of polls every 500 ms
      status(rig, "r", "g");
      rig.clock.advance(500);
    }
    assertThat(rig.cloud.stopped()).as("stopped after idleTimeout, polls notwithstanding").containsExactly("vm-1");
    assertThat(status(rig, "r", "g").phase()).isEqualTo(StartPhase.NONE);
    for (int i = 0; i < 40; i++) {
      status(rig, "r", "g");
      rig.clock.advance(500);
    }
    assertThat(rig.cloud.count("start")).as("no start by polling").isEqualTo(1);
  }

  @Test
  void aBootFailureStaysVisibleWithItsBackoffAfterThePoolIsForgotten() {
    Rig rig = new Rig("defaults: {startBackoff: {initial: 1s, max: 1m}}");
    rig.cloud.bootFails = true;
    rig.clock.advance(0);
    Rig.refused(rig.hold("r", "g"));

    StartStatus failed = status(rig, "r", "g");
    assertThat(failed.phase()).isEqualTo(StartPhase.FAILED);
    assertThat(failed.error().type()).isEqualTo(ErrorType.BOOT_FAILED);
    assertThat(failed.error().detail()).contains("vm-1");
    assertThat(failed.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    rig.clock.advance(400);
    assertThat(status(rig, "r", "g").retryAfter()).as("counts down").isEqualTo(Duration.ofMillis(600));

    rig.clock.advance(70_000); // past the backoff and its memory on the pool (1 s + max 1 m)
    assertThat(rig.core.table.resourceCount()).as("the pool is forgotten").isZero();
    StartStatus later = status(rig, "r", "g");
    assertThat(later.phase()).as("still shown to a tab asking late").isEqualTo(StartPhase.FAILED);
    assertThat(later.error().type()).isEqualTo(ErrorType.BOOT_FAILED);
    assertThat(later.retryAfter()).as("a new start may be tried now").isEqualTo(Duration.ZERO);

    rig.clock.advance(StartStatuses.FAILURE_SHOWN.toMillis());
    assertThat(status(rig, "r", "g").phase()).isEqualTo(StartPhase.NONE);
    assertThat(rig.cloud.count("start")).as("none of the polls started anything").isEqualTo(1);
  }

  @Test
  void aFailureTheBackoffIgnoresIsShownToo() {
    Rig rig = new Rig("");
    rig.cloud.startFailure = r -> new CloudException(CloudException.Kind.TRANSIENT, "the cloud API is down");
    Rig.refused(rig.hold("r", "g"));
    StartStatus failed = status(rig, "r", "g");
    assertThat(failed.phase()).isEqualTo(StartPhase.FAILED);
    assertThat(failed.error().type()).isEqualTo(ErrorType.CLOUD_UNAVAILABLE);
    assertThat(failed.error().detail()).contains("the cloud API is down");
    assertThat(failed.retryAfter()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anUnknownResourceIsAFailureWithoutRetryAfter() {
    Rig rig = new Rig("limits: {unknownResourceTtl: 30s}");
    rig.cloud.startFailure = r -> new CloudException(CloudException.Kind.UNKNOWN_RESOURCE, "no " + r);
    Rig.refused(rig.hold("nope", "g"));
    StartStatus failed = status(rig, "nope", "other");
    assertThat(failed.phase()).isEqualTo(StartPhase.FAILED);
    assertThat(failed.error().type()).isEqualTo(ErrorType.UNKNOWN_RESOURCE);
    assertThat(failed.retryAfter()).isNull();
  }

  @Test
  void aCancelledStartIsShownAsAFailureWithTheOperatorsReason() {
    Rig rig = new Rig("");
    rig.hold("r", "g");
    rig.manager.cancelStart("vm-1", "cancelled by ops: wrong image");
    rig.clock.settle();
    StartStatus cancelled = status(rig, "r", "g");
    assertThat(cancelled.phase()).isEqualTo(StartPhase.FAILED);
    assertThat(cancelled.error().type()).isEqualTo(ErrorType.START_CANCELLED);
    assertThat(cancelled.error().detail()).isEqualTo("cancelled by ops: wrong image");
  }

  @Test
  void aVmThatBecomesReadyEndsTheFailureAndANewStartHidesIt() {
    Rig rig = new Rig("defaults: {idleTimeout: 5s, drainTimeout: 1s}");
    rig.cloud.bootFails = true;
    Rig.refused(rig.hold("r", "g"));
    rig.clock.advance(1000);
    rig.cloud.bootFails = false;
    Waiter w = rig.hold("r", "g");
    assertThat(status(rig, "r", "g").phase()).as("the new start, not the old failure").isEqualTo(StartPhase.BOOTING);
    rig.boot("vm-2");
    assertThat(status(rig, "r", "g").phase()).isEqualTo(StartPhase.READY);
    Rig.granted(w).release();
    rig.clock.advance(10_000);
    assertThat(rig.cloud.stopped()).contains("vm-2");
    assertThat(status(rig, "r", "g").phase()).as("the failure was forgotten when a VM became ready")
        .isEqualTo(StartPhase.NONE);
  }

  @Test
  void theTypicalColdStartIsTheMedianOfTheResourcesLastTwenty() {
    Rig rig = new Rig("defaults: {idleTimeout: 1s, drainTimeout: 1s}");
    for (int i = 1; i <= 25; i++) {
      Waiter w = rig.hold("r", "g");
      rig.clock.advance(i < 6 ? 60_000 : 1000 * i); // the first five, slow ones, fall out of the window
      rig.boot("vm-" + rig.cloud.count("start"));
      Rig.granted(w).release();
      rig.clock.advance(5000); // idle: stopped before the next
    }
    // the last twenty: 6..25 s; the median of an even count is the mean of the middle two (15 s and 16 s)
    assertThat(status(rig, "r", "g").typicalMs()).isEqualTo(15_500L);
    assertThat(status(rig, "other", "g").typicalMs()).as("per resource").isNull();
  }

  @Test
  void adoptedVmsDoNotCountAsColdStarts() {
    FakeCloud cloud = new FakeCloud();
    cloud.owner = "g1";
    cloud.vms.put("vm-9", new Instance("vm-9", "r", Set.of("g"), InstanceState.RUNNING,
        URI.create("http://127.0.0.1:20999"), Map.of(Instance.OWNER, "g1")));
    Rig rig = new Rig("gateway: {id: g1}", cloud);
    StartStatus adopted = status(rig, "r", "g");
    assertThat(adopted.phase()).isEqualTo(StartPhase.READY);
    assertThat(adopted.elapsedMs()).as("its start was not seen").isZero();
    assertThat(adopted.typicalMs()).isNull();
  }

  @Test
  void theColdStartMemoryIsBoundedOldestResourceFirst() {
    ColdStarts starts = new ColdStarts(3);
    starts.record("a", 100);
    starts.record("b", 200);
    starts.record("c", 300);
    starts.record("a", 300); // a is now the most recent
    starts.record("d", 400);
    assertThat(starts.size()).isEqualTo(3);
    assertThat(starts.typicalMs("b")).as("forgotten first").isNull();
    assertThat(starts.typicalMs("a")).isEqualTo(200L);
    assertThat(starts.typicalMs("d")).isEqualTo(400L);
  }

  @Test
  void theFailureMemoryIsBoundedPerResourceAndInAll() {
    Rig rig = new Rig("");
    StartStatuses statuses = new StartStatuses(rig.core, 3);
    GatewayException boom = new GatewayException(ErrorType.BOOT_FAILED, "boom", "x", Duration.ofSeconds(1), null);
    for (int i = 0; i < 10; i++) {
      statuses.failed(instance("r" + i, "g"), boom);
    }
    assertThat(statuses.failuresKept()).isEqualTo(3);
    assertThat(statuses.status("r0", GroupSet.of("g")).phase()).isEqualTo(StartPhase.NONE);
    assertThat(statuses.status("r9", GroupSet.of("g")).phase()).isEqualTo(StartPhase.FAILED);

    for (int i = 0; i < 20; i++) {
      statuses.failed(instance("r9", "u" + i), boom);
    }
    assertThat(statuses.status("r9", GroupSet.of("u19")).phase()).isEqualTo(StartPhase.FAILED);
    assertThat(statuses.status("r9", GroupSet.of("u0")).phase()).as("only the last few group sets per resource")
        .isEqualTo(StartPhase.NONE);
  }

  private static ManagedInstance instance(String resource, String group) {
    return new ManagedInstance(new Pool(resource, GroupSet.of(group)), "i-" + resource, 0, 0);
  }
}
