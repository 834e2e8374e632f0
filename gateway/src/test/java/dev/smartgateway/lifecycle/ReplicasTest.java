package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.lifecycle.LifecycleEvent.Cause;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Replicas per pool (DESIGN §6, §7a): minInstances, scaling on targetConcurrency, balancing, keepWarm — on a fake clock. */
class ReplicasTest {

  private static long live(Rig rig) {
    return rig.core.table.views().stream().filter(v -> !v.state().name().startsWith("STOP")).count();
  }

  private static void bootAll(Rig rig) {
    for (int i = 1; i <= rig.cloud.count("start"); i++) {
      String id = "vm-" + i;
      if (rig.cloud.vms.get(id).state() == InstanceState.BOOTING) {
        rig.boot(id);
      }
    }
  }

  @Test
  void minInstancesKeepsThatManyVmsRunningWithNoTraffic() {
    Rig rig = new Rig("resources: {r: {minInstances: 2, idleTimeout: 10s}}");

    rig.clock.advance(Scaler.TICK_MS);
    assertThat(rig.cloud.count("start")).isEqualTo(2);
    bootAll(rig);
    rig.clock.advance(600_000);

    assertThat(rig.cloud.stopped()).as("never idle-stopped below the floor").isEmpty();
    assertThat(live(rig)).isEqualTo(2);
    assertThat(rig.events.stream().filter(e -> e.type() == Type.STARTING).map(LifecycleEvent::cause))
        .containsOnly(Cause.FLOOR);
  }

  @Test
  void aCrashedFloorVmIsReplaced() {
    Rig rig = new Rig("resources: {r: {minInstances: 2}}");
    rig.clock.advance(Scaler.TICK_MS);
    bootAll(rig);

    rig.cloud.report("vm-1", InstanceState.FAILED);
    rig.clock.advance(Scaler.TICK_MS);

    assertThat(rig.cloud.count("start")).isEqualTo(3);
    rig.boot("vm-3");
    assertThat(live(rig)).isEqualTo(2);
  }

  @Test
  void floorVmsServeCallersOfAnyGroup() {
    Rig rig = new Rig("resources: {r: {minInstances: 1}}");
    rig.clock.advance(Scaler.TICK_MS);
    bootAll(rig);

    assertThat(rig.tryLease("r", "staff")).isNotNull();
    assertThat(rig.tryLease("r", "guests", "other")).isNotNull();
    assertThat(rig.cloud.count("start")).isEqualTo(1);
  }

  @Test
  void aFloorStartThatFailsBacksOffInsteadOfStorming() {
    Rig rig = new Rig("resources: {r: {minInstances: 1, startBackoff: {initial: 10s, max: 10s}}}");
    rig.cloud.bootFails = true;

    rig.clock.advance(9_000);

    assertThat(rig.cloud.count("start")).as("one start, then the backoff").isEqualTo(1);
    rig.clock.advance(1_500);
    assertThat(rig.cloud.count("start")).isEqualTo(2);
  }

  private static List<Lease> leases(Rig rig, int n) {
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Lease lease = rig.tryLease("r", "g");
      assertThat(lease).isNotNull();
      leases.add(lease);
    }
    return leases;
  }

  @Test
  void sustainedLoadAboveTheTargetStartsMoreVmsOneAtATimeUpToMaxInstances() {
    Rig rig = new Rig("resources: {r: {targetConcurrency: 2, maxInstances: 3, idleTimeout: 1h}}");
    List<Lease> open = new ArrayList<>(List.of(rig.warmUp("r", "g")));
    open.addAll(leases(rig, 2)); // 3 in flight on 1 VM: above 2

    rig.clock.advance(Scaler.SCALE_UP_AFTER_MS + Scaler.TICK_MS);
    assertThat(rig.cloud.count("start")).isEqualTo(2);
    rig.clock.advance(5_000);
    assertThat(rig.cloud.count("start")).as("one start at a time: the second is still booting").isEqualTo(2);
    rig.boot("vm-2");

    open.addAll(leases(rig, 2)); // 5 on 2 VMs: above 4
    rig.clock.advance(Scaler.SCALE_UP_AFTER_MS + Scaler.TICK_MS);
    assertThat(rig.cloud.count("start")).isEqualTo(3);
    rig.boot("vm-3");
    open.addAll(leases(rig, 10)); // far above, but maxInstances is 3
    rig.clock.advance(10_000);

    assertThat(rig.cloud.count("start")).isEqualTo(3);
    assertThat(rig.events.stream().filter(e -> e.type() == Type.STARTING).map(LifecycleEvent::cause))
        .containsExactly(Cause.REQUEST, Cause.LOAD, Cause.LOAD);
  }

  @Test
  void aColdBurstsBacklogReleasedToItsFreshVmIsNoLoad() {
    Rig rig = new Rig("resources: {r: {targetConcurrency: 3, releaseConcurrency: 2, maxInstances: 3}}");
    List<Waiter> held = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      held.add(rig.hold("r", "g"));
    }
    rig.boot("vm-1");

    // The VM answers each request in 50 ms; the backlog goes out two at a time for a second.
    List<Waiter> done = new ArrayList<>();
    for (int round = 0; done.size() < held.size() && round < 100; round++) {
      for (Waiter w : held) {
        if (w.future().isComplete() && !done.contains(w)) {
          Lease lease = Rig.granted(w);
          lease.answered();
          lease.release();
          done.add(w);
        }
      }
      rig.clock.advance(50);
    }

    assertThat(done).hasSize(40);
    assertThat(rig.cloud.count("start")).as("a backlog is drained in moments; another VM would come too late")
        .isEqualTo(1);
  }

  @Test
  void aMomentaryBurstStartsNothing() {
    Rig rig = new Rig("resources: {r: {targetConcurrency: 2}}");
    Lease first = rig.warmUp("r", "g");
    List<Lease> burst = leases(rig, 4);

    rig.clock.advance(Scaler.TICK_MS);
    burst.forEach(Lease::release);
    rig.clock.advance(5_000);

    assertThat(rig.cloud.count("start")).isEqualTo(1);
    first.release();
  }

  @Test
  void whenTheLoadFallsExtraVmsDrainOneAtATimeAndTheLastGoesByIdleTimeout() {
    Rig rig = new Rig("resources: {r: {targetConcurrency: 1, maxInstances: 3, scaleDownDelay: 5s, idleTimeout: 1h}}");
    List<Lease> open = new ArrayList<>(List.of(rig.warmUp("r", "g")));
    open.addAll(leases(rig, 1));
    rig.clock.advance(Scaler.SCALE_UP_AFTER_MS + Scaler.TICK_MS);
    rig.boot("vm-2");
    open.addAll(leases(rig, 2));
    rig.clock.advance(Scaler.SCALE_UP_AFTER_MS + Scaler.TICK_MS);
    rig.boot("vm-3");
    assertThat(live(rig)).isEqualTo(3);

    open.forEach(Lease::release);
    rig.clock.advance(5_000 + Scaler.TICK_MS);
    assertThat(rig.cloud.stopped()).hasSize(1);
    rig.clock.advance(Scaler.TICK_MS);
    assertThat(rig.cloud.stopped()).as("one at a time").hasSize(1);
    rig.clock.advance(5_000);
    assertThat(rig.cloud.stopped()).hasSize(2);
    rig.clock.advance(60_000);
    assertThat(rig.cloud.stopped()).as("the last one stays until idleTimeout").hasSize(2);
    assertThat(rig.events.stream().filter(e -> e.type() == Type.DRAINING).map(LifecycleEvent::cause))
        .containsExactly(Cause.LOAD, Cause.LOAD);
    rig.clock.advance(3_600_000);
    assertThat(rig.cloud.stopped()).hasSize(3);
  }

  @Test
  void loadScaleDownNeverGoesBelowTheFloor() {
    Rig rig = new Rig("resources: {r: {minInstances: 2, targetConcurrency: 1, scaleDownDelay: 1s}}");
    rig.clock.advance(Scaler.TICK_MS);
    bootAll(rig);

    rig.clock.advance(60_000);

    assertThat(rig.cloud.stopped()).isEmpty();
  }

  @Test
  void leastOutstandingSpreadsSequentialRequestsOverEqualVms() {
    Rig rig = new Rig("resources: {r: {minInstances: 3}}");
    rig.clock.advance(Scaler.TICK_MS);
    bootAll(rig);
    Map<String, Integer> served = new HashMap<>();

    for (int i = 0; i < 3000; i++) {
      Lease lease = rig.tryLease("r", "g");
      served.merge(lease.instanceId(), 1, Integer::sum);
      lease.release();
    }

    assertThat(served).hasSize(3);
    assertThat(served.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(750));
  }

  @Test
  void leastOutstandingPrefersTheVmWithFewestRequestsInFlight() {
    Rig rig = new Rig("resources: {r: {minInstances: 2}}");
    rig.clock.advance(Scaler.TICK_MS);
    bootAll(rig);
    Lease busy = rig.tryLease("r", "g");
    String other = busy.instanceId().equals("vm-1") ? "vm-2" : "vm-1";

    for (int i = 0; i < 20; i++) {
      Lease lease = rig.tryLease("r", "g");
      assertThat(lease.instanceId()).isEqualTo(other);
      lease.release();
    }
  }

  @Test
  void roundRobinTakesEachVmInTurn() {
    Rig rig = new Rig("resources: {r: {minInstances: 3, balancing: round-robin}}");
    rig.clock.advance(Scaler.TICK_MS);
    bootAll(rig);
    List<String> order = new ArrayList<>();

    for (int i = 0; i < 6; i++) {
      Lease lease = rig.tryLease("r", "g");
      order.add(lease.instanceId());
      lease.release();
    }

    assertThat(order.subList(0, 3)).doesNotHaveDuplicates();
    assertThat(order.subList(3, 6)).isEqualTo(order.subList(0, 3));
  }

  @Test
  void aKeepWarmWindowStartsItsVmsAheadOfTimeKeepsThemThroughItThenLetsThemIdle() {
    Instant t0 = Instant.ofEpochMilli(new FakeScheduler().currentTimeMillis());
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    Instant opens = t0.plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    Instant closes = opens.plusSeconds(1800);
    Rig rig = new Rig("resources: {r: {idleTimeout: 5m, keepWarm: [{days: daily, from: \"" + hhmm.format(opens)
        + "\", to: \"" + hhmm.format(closes) + "\", zone: UTC, instances: 2, lead: 1m}]}}");
    long toLead = opens.minusSeconds(60).toEpochMilli() - rig.clock.currentTimeMillis();

    rig.clock.advance(toLead - 1_000);
    assertThat(rig.cloud.count("start")).as("nothing before the lead").isZero();
    rig.clock.advance(1_000 + Scaler.TICK_MS);
    assertThat(rig.cloud.count("start")).as("started a minute ahead").isEqualTo(2);
    bootAll(rig);

    rig.clock.advance(1_800_000); // through the window (30 min; idleTimeout is 5 min)
    assertThat(rig.cloud.stopped()).as("kept through the window").isEmpty();
    rig.clock.advance(600_000);
    assertThat(rig.cloud.stopped()).as("after the window, the usual idle rules").hasSize(2);
  }

  @Test
  void aResourceRegisteredWithAFloorAtRunTimeGetsItsVms() {
    Rig rig = new Rig("defaults: {}");
    rig.core.catalog.put("late", dev.smartgateway.config.ResourceSettingsJson.read("late", "{\"minInstances\": 1}",
        rig.core.catalog.defaults()));

    rig.manager.settingsChanged();
    rig.clock.advance(Scaler.TICK_MS);

    assertThat(rig.cloud.count("start")).isEqualTo(1);
    assertThat(rig.core.table.pool("late", GroupSet.of()).instances).hasSize(1);
  }
}
