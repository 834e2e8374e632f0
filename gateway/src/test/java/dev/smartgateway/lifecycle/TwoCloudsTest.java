package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.InstanceState;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Resources on clouds of their own (per-resource providers), whose instance ids may coincide. */
class TwoCloudsTest {

  @Test
  void oneCloudsEventNeverReachesAnotherCloudsVmOfTheSameId() {
    FakeCloud other = new FakeCloud();
    Rig rig = new Rig("", new FakeCloud(), Map.of("b", other));
    other.owner = rig.cloud.owner;
    rig.warmUp("a", "g").release();
    Waiter onB = rig.hold("b", "g");
    other.run("vm-1");
    rig.clock.settle();
    Rig.granted(onB).release();
    assertThat(rig.cloud.vms.keySet()).containsExactly("vm-1");
    assertThat(other.vms.keySet()).as("both clouds issued vm-1").containsExactly("vm-1");

    other.report("vm-1", InstanceState.FAILED);
    rig.clock.settle();

    assertThat(rig.tryLease("a", "g")).as("a's vm-1 serves on").isNotNull();
    assertThat(rig.tryLease("b", "g")).as("b's vm-1 failed").isNull();
    assertThat(rig.cloud.stopped()).isEmpty();
  }
}
