package dev.smartgateway.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PreconnectTest {

  record Asked(String host, int port, String resource, int count) {
  }

  private static List<Asked> recording(Rig rig) {
    List<Asked> asked = new ArrayList<>();
    rig.core.preconnect = (host, port, settings, count) -> asked.add(new Asked(host, port, "r", count));
    return asked;
  }

  @Test
  void connectionsForTheFirstReleaseAreOpenedWhileTheProbeRunsBeforeAnyRequestIsReleased() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 3}");
    List<Asked> asked = recording(rig);
    List<Waiter> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(rig.hold("r", "g"));
    }
    rig.prober.hold(20000);
    rig.boot("vm-1");

    assertThat(asked).as("as many as go out at once: releaseConcurrency").containsExactly(
        new Asked("127.0.0.1", 20000, "r", 3));
    assertThat(held).as("the probe has not passed: nothing released yet").noneMatch(w -> w.future().isComplete());

    rig.prober.pending.get(0).answer().complete(200);
    rig.clock.settle();
    assertThat(held.stream().filter(w -> w.future().succeeded())).hasSize(3);
    assertThat(asked).as("once per start").hasSize(1);
  }

  @Test
  void fewerHeldRequestsThanReleaseConcurrencyGetOneConnectionEach() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 64}");
    List<Asked> asked = recording(rig);
    rig.hold("r", "g");
    rig.hold("r", "g");
    rig.boot("vm-1");

    assertThat(asked).extracting(Asked::count).containsExactly(2);
  }

  @Test
  void aVmStartedWithNobodyWaitingGetsNoConnectionsAhead() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 64}");
    List<Asked> asked = recording(rig);
    Waiter gone = rig.hold("r", "g");
    rig.manager.withdraw(gone); // its client hung up while the VM was starting
    rig.clock.settle();
    rig.boot("vm-1");

    assertThat(asked).isEmpty();
  }
}
