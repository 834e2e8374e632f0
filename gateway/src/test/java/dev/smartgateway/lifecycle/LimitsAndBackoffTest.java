package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LimitsAndBackoffTest {

  @Test
  void fiftyDistinctGroupSetsStartAtMostMaxInstancesVms() {
    Rig rig = new Rig("defaults: {maxInstances: 4}");
    int refused = 0;
    for (int i = 0; i < 50; i++) {
      Waiter w = rig.hold("r", "u" + i);
      if (w.future().failed()) {
        GatewayException e = Rig.refused(w);
        assertThat(e.type()).isEqualTo(ErrorType.INSTANCE_LIMIT);
        assertThat(e.retryAfter()).isNotNull();
        assertThat(e.detail()).contains("maxInstances");
        refused++;
      }
    }
    assertThat(rig.cloud.count("start")).isEqualTo(4);
    assertThat(refused).isEqualTo(46);
  }

  @Test
  void overTheLimitARequestWaitsForACompatibleInstanceThatIsStarting() {
    Rig rig = new Rig("defaults: {maxInstances: 1}");
    Waiter staff = rig.hold("r", "staff");
    Waiter wider = rig.hold("r", "staff", "x1");
    assertThat(wider.future().isComplete()).as("waits for the staff VM, no refusal").isFalse();
    rig.boot("vm-1");
    Rig.granted(staff).answered();
    rig.clock.settle();
    assertThat(Rig.granted(wider).instanceId()).isEqualTo("vm-1");
    assertThat(Rig.refused(rig.hold("r", "other")).type()).isEqualTo(ErrorType.INSTANCE_LIMIT);
  }

  @Test
  void theGatewayWideLimitCountsEveryResource() {
    Rig rig = new Rig("limits: {maxInstances: 3}");
    rig.hold("a", "g");
    rig.hold("b", "g");
    rig.hold("c", "g");
    assertThat(Rig.refused(rig.hold("d", "g")).detail()).contains("limits.maxInstances");
    assertThat(rig.cloud.count("start")).isEqualTo(3);
  }

  @Test
  void aStoppedVmFreesItsPlaceUnderTheLimit() {
    Rig rig = new Rig("defaults: {maxInstances: 1, idleTimeout: 1s}");
    rig.warmUp("r", "a").release();
    assertThat(Rig.refused(rig.hold("r", "b")).type()).isEqualTo(ErrorType.INSTANCE_LIMIT);
    rig.clock.advance(1000);
    Waiter b = rig.hold("r", "b");
    rig.boot("vm-2");
    assertThat(Rig.granted(b).instanceId()).isEqualTo("vm-2");
  }

  @Test
  void aFailedStartMakesThePoolBackOffAndAnswerTheFailureMeanwhile() {
    Rig rig = new Rig("defaults: {startBackoff: {initial: 1s, max: 1m}}");
    rig.cloud.bootFails = true;
    GatewayException first = Rig.refused(rig.hold("r", "g"));
    assertThat(first.type()).isEqualTo(ErrorType.BOOT_FAILED);
    assertThat(first.retryAfter()).isEqualTo(Duration.ofSeconds(1));

    GatewayException during = Rig.refused(rig.hold("r", "g"));
    assertThat(during.type()).isEqualTo(ErrorType.BOOT_FAILED);
    assertThat(during.detail()).contains("vm-1", "the next start is in 1s");
    assertThat(rig.cloud.count("start")).as("no start during the backoff").isEqualTo(1);

    rig.clock.advance(1000);
    Rig.refused(rig.hold("r", "g"));
    assertThat(rig.cloud.count("start")).isEqualTo(2);
    assertThat(Rig.refused(rig.hold("r", "g")).retryAfter()).as("doubled").isEqualTo(Duration.ofSeconds(2));
  }

  /** Issue #10: with every boot failing, a reloading browser made 146 VM starts in 90 s. */
  @Test
  void aBrowserReloadingEvery200msForAMinuteOnAnAlwaysFailingResourceStartsAHandfulOfVms() {
    Rig rig = new Rig("");
    rig.cloud.bootFails = true;
    int failurePages = 0;
    for (int reload = 0; reload < 300; reload++) {
      var page = rig.manager.ensureStarting("r", GroupSet.of("g"));
      rig.clock.settle();
      if (page.failed()) {
        assertThat(((GatewayException) page.cause()).type()).isEqualTo(ErrorType.BOOT_FAILED);
        failurePages++;
      }
      rig.clock.advance(200);
    }
    assertThat(rig.cloud.count("start")).as("starts at 0, 1, 3, 7, 15, 31 s").isLessThanOrEqualTo(6);
    assertThat(failurePages).as("the failure is shown, not 'Starting…'").isGreaterThan(290);
  }

  @Test
  void aVmThatBecomesReadyEndsTheCrashLoop() {
    Rig rig = new Rig("");
    rig.cloud.bootFails = true;
    Rig.refused(rig.hold("r", "g"));
    rig.clock.advance(1000);
    rig.cloud.bootFails = false;
    Lease lease = rig.warmUp("r", "g");
    assertThat(lease.instanceId()).isEqualTo("vm-2");
    assertThat(rig.core.table.existing("r").pools.get(GroupSet.of("g")).failures).isZero();
  }

  @Test
  void theMemoryOfAFailureIsForgottenOnceNobodyAsks() {
    Rig rig = new Rig("defaults: {startBackoff: {initial: 1s, max: 10s}}");
    rig.cloud.bootFails = true;
    for (int i = 0; i < 100; i++) {
      Rig.refused(rig.hold("name-" + i, "g"));
    }
    assertThat(rig.core.table.resourceCount()).isEqualTo(100);
    rig.clock.advance(11_000);
    assertThat(rig.core.table.resourceCount()).as("sprayed failing names cost bounded memory").isZero();
  }
}
