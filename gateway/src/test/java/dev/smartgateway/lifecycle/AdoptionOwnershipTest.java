package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway adopts, and so may stop, only instances that carry its own {@code gateway.id} (DESIGN section 5):
 * never another gateway's, never one without an owner. On a fake clock: the idle timeout passes in full.
 */
class AdoptionOwnershipTest {

  private static final String A = "gateway: {id: gw-a}\ndefaults: {idleTimeout: 1s}\n";
  private static final String B = "gateway: {id: gw-b}\ndefaults: {idleTimeout: 1s}\n";

  @Test
  void aGatewayWithAnotherIdNeitherAdoptsNorStopsTheFirstsVm() {
    Rig first = new Rig(A);
    first.warmUp("r", "g").release();
    assertThat(first.cloud.vms.get("vm-1").owner()).isEqualTo("gw-a");

    Rig second = new Rig(B, first.cloud);
    second.clock.advance(60_000);

    assertThat(second.tryLease("r", "g")).as("not adopted").isNull();
    assertThat(second.events).isEmpty();
    assertThat(second.core.table.trackedCount()).isZero();
    assertThat(first.cloud.stopped()).as("nobody stopped it (the first gateway's clock did not move)").isEmpty();
    assertThat(first.cloud.vms.get("vm-1").state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aGatewayWithTheSameIdAdoptsItsOwn() {
    Rig first = new Rig(A);
    first.warmUp("r", "g").release();

    Rig again = new Rig(A, first.cloud);

    assertThat(again.tryLease("r", "g")).as("adopted and serving").isNotNull();
    assertThat(first.cloud.count("start")).isEqualTo(1);
  }

  @Test
  void anInstanceWithoutAnOwnerIsNotAdopted() {
    FakeCloud cloud = new FakeCloud();
    cloud.vms.put("old-1", new Instance("old-1", "r", Set.of("g"), InstanceState.RUNNING,
        URI.create("http://127.0.0.1:20999"), Map.of()));

    Rig gateway = new Rig(A, cloud);
    gateway.clock.advance(60_000);

    assertThat(gateway.tryLease("r", "g")).isNull();
    assertThat(gateway.events).isEmpty();
    assertThat(cloud.stopped()).isEmpty();
  }

  @Test
  void anotherGatewaysCloudEventsChangeNothingHere() {
    FakeCloud cloud = new FakeCloud();
    Rig gateway = new Rig(A, cloud);
    cloud.vms.put("vm-b", new Instance("vm-b", "r", Set.of("g"), InstanceState.BOOTING, null,
        Map.of(Instance.OWNER, "gw-b")));

    cloud.run("vm-b");
    cloud.report("vm-b", InstanceState.FAILED);
    gateway.clock.advance(60_000);

    assertThat(gateway.events).isEmpty();
    assertThat(gateway.core.table.takeEarly(gateway.cloud, "vm-b")).as("not kept as an early event of ours").isNull();
    assertThat(cloud.stopped()).isEmpty();
  }

  @Test
  void anotherGatewaysRunningEventIsNotKeptForLater() {
    FakeCloud cloud = new FakeCloud();
    Rig gateway = new Rig(A, cloud);
    cloud.vms.put("vm-b", new Instance("vm-b", "r", Set.of("g"), InstanceState.BOOTING, null,
        Map.of(Instance.OWNER, "gw-b")));
    cloud.vms.put("vm-mine", new Instance("vm-mine", "r", Set.of("g"), InstanceState.BOOTING, null,
        Map.of(Instance.OWNER, "gw-a")));

    cloud.run("vm-b");
    cloud.run("vm-mine");
    gateway.clock.settle();

    assertThat(gateway.core.table.takeEarly(gateway.cloud, "vm-b")).isNull();
    assertThat(gateway.core.table.takeEarly(gateway.cloud, "vm-mine")).as("ours may be the answer to a start in flight").isNotNull();
  }
}
