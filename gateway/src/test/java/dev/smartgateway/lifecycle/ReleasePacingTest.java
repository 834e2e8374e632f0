package dev.smartgateway.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReleasePacingTest {

  @Test
  void atMostReleaseConcurrencyHeldRequestsGoToAFreshVmUntilItAnswers() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 2}");
    List<Waiter> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      held.add(rig.hold("r", "g"));
    }
    rig.boot("vm-1");
    Rig.granted(held.get(0)).answered();
    rig.clock.settle();
    assertThat(held.stream().filter(w -> w.future().isComplete())).hasSize(3);

    Rig.granted(held.get(1)).answered();
    rig.clock.settle();
    assertThat(held.stream().filter(w -> w.future().isComplete())).as("one answered: one more goes").hasSize(4);
  }

  /**
   * The first request has the fresh VM to itself: released with releaseConcurrency others at once, it waited behind
   * their connects (cold-burst bench: 18-26 ms from the probe passing to its answer, against 5 ms alone).
   */
  @Test
  void aFreshVmGetsTheFirstHeldRequestAloneThenReleaseConcurrencyOnceItAnswers() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 3}");
    List<Waiter> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(rig.hold("r", "g"));
    }
    rig.boot("vm-1");
    assertThat(held.stream().filter(w -> w.future().isComplete())).as("the first alone").hasSize(1);

    Rig.granted(held.get(0)).answered();
    rig.clock.settle();
    assertThat(held.stream().filter(w -> w.future().isComplete())).as("answered: three at a time").hasSize(4);
  }

  @Test
  void aFirstReleaseThatIsNotAnsweredHoldsTheOthersBackForThePacingWindowAtMost() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 3}");
    List<Waiter> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(rig.hold("r", "g"));
    }
    rig.boot("vm-1");
    rig.clock.advance(Dispatcher.PACING_WINDOW_MS - 1);
    assertThat(held.stream().filter(w -> w.future().isComplete())).hasSize(1);

    rig.clock.advance(1);
    assertThat(held).allMatch(w -> w.future().succeeded());
  }

  /**
   * Issue #9: pacing counted long-lived requests for their whole life; 70 WebSockets on a cold start kept
   * every later request waiting (504). A release now counts until answered, and for the pacing window at most.
   */
  @Test
  void longLivedReleasesStopCountingAfterThePacingWindow() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 64}");
    List<Waiter> longLived = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      longLived.add(rig.hold("r", "g"));
    }
    rig.boot("vm-1");
    Rig.granted(longLived.get(0)).answered(); // the first, alone; then 64 that never answer (WebSockets)
    rig.clock.settle();
    assertThat(longLived.stream().filter(w -> w.future().isComplete())).hasSize(65);
    Waiter plain = rig.hold("r", "g");
    assertThat(plain.future().isComplete()).as("behind the backlog, fairly").isFalse();

    rig.clock.advance(Dispatcher.PACING_WINDOW_MS);
    assertThat(longLived).allMatch(w -> w.future().succeeded());
    assertThat(Rig.granted(plain).instanceId()).isEqualTo("vm-1");
  }

  @Test
  void answeredRequestsNoLongerCountHoweverLongTheyRun() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 1}");
    Waiter socket = rig.hold("r", "g");
    Waiter next = rig.hold("r", "g");
    rig.boot("vm-1"); // the first release goes alone (with releaseConcurrency 1 it would anyway)
    Lease ws = Rig.granted(socket);
    assertThat(next.future().isComplete()).isFalse();
    ws.answered(); // the VM sent its 101: the WebSocket runs on, but the next request may go
    rig.clock.settle();
    assertThat(Rig.granted(next).instanceId()).isEqualTo("vm-1");
    assertThat(rig.instance("vm-1").inFlight()).isEqualTo(2);
  }

  @Test
  void newRequestsQueueBehindHeldOnesOnTheWarmPath() {
    Rig rig = new Rig("defaults: {releaseConcurrency: 1}");
    rig.hold("r", "g");
    Waiter second = rig.hold("r", "g");
    rig.boot("vm-1");
    assertThat(rig.tryLease("r", "g")).as("a held request is still queued: no overtaking").isNull();
    rig.clock.advance(Dispatcher.PACING_WINDOW_MS);
    Rig.granted(second);
    assertThat(rig.tryLease("r", "g")).isNotNull();
  }
}
