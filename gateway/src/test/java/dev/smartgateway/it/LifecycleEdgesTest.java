package dev.smartgateway.it;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.lifecycle.Lease;
import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The lifecycle's edges through a real gateway and a real mock cloud (issue #9). */
class LifecycleEdgesTest {

  private Harness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  /**
   * Release pacing counted long-lived requests for their whole life: 65 cold {@code /slow?ms=20000} requests
   * made a GET wait 17.5 s. A release now counts until the VM answers, and for 100 ms at most.
   */
  @Test
  void aPlainGetIsAnsweredAsSoonAsTheVmIsReadyDespiteAHundredLongLivedHeldRequests() {
    harness = Harness.start("shutdownGrace: 1s", 300, 300, "");
    List<Future<Harness.Reply>> slow = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      slow.add(harness.get("/smart_proxy/demo/g1/slow?ms=20000&i=" + i));
    }
    eventually("all 100 are held", () -> harness.gateway.lifecycle().waiting() == 100);
    Harness.Reply plain = await(harness.get("/smart_proxy/demo/g1/plain"), Duration.ofSeconds(15));

    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.json().getString("path")).isEqualTo("/plain");
    assertThat(slow).as("answered while every long request still runs").noneMatch(Future::isComplete);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
    Harness.Reply afterReady = await(harness.get("/smart_proxy/demo/g1/after"), Duration.ofSeconds(5));
    assertThat(afterReady.status()).isEqualTo(200);
    assertThat(slow).noneMatch(Future::isComplete);
  }

  /**
   * A VM revived while draining was never idle-stopped again. The revive is made to happen inside the drain
   * window: a subscriber takes a lease the moment the DRAINING event is published, before the stop.
   */
  @Test
  void aVmRevivedWhileDrainingStillStopsAfterIdleTimeout() {
    harness = Harness.start(20, 20, "defaults: {idleTimeout: 1s, drainTimeout: 1m}\n");
    String vm = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");
    List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    AtomicReference<Lease> reviving = new AtomicReference<>();
    harness.gateway.lifecycle().events().subscribe(e -> {
      events.add(e);
      if (e.type() == Type.DRAINING && reviving.get() == null) {
        reviving.set(harness.gateway.lifecycle().tryLease("demo", GroupSet.of("g1")));
      }
    });

    eventually("the VM was revived while draining", () -> events.stream().anyMatch(e -> e.type() == Type.REVIVED));
    assertThat(reviving.get()).isNotNull();
    assertThat(reviving.get().instanceId()).isEqualTo(vm);
    assertThat(await(harness.get("/smart_proxy/demo/g1/again")).json().getString("vm"))
        .as("served by the revived VM").isEqualTo(vm);
    reviving.get().release();

    eventually("the revived VM is stopped after idleTimeout", Duration.ofSeconds(20),
        () -> "STOPPED".equals(harness.vm(vm).getString("state")));
    assertThat(events.stream().map(LifecycleEvent::type).toList())
        .containsSubsequence(Type.DRAINING, Type.REVIVED, Type.DRAINING, Type.STOPPING, Type.STOPPED);
    harness.assertNoLeaks();
  }

  /**
   * 100 000 requests for distinct unknown names left 100 002 entries on the heap and made 100 000 cloud calls.
   * Now unknown names are remembered (bounded) and starts are throttled: the cloud sees at most
   * limits.startsPerSecond start calls a second, and nothing stays held for names that are gone.
   * {@code -Dspray.names=100000} for the full figure.
   */
  @Test
  void sprayedUnknownNamesLeaveMemoryAndCloudCallsBounded() {
    int names = Integer.getInteger("spray.names", 10_000);
    harness = Harness.start(MockCloudOptions.defaults().withBootDelay(0, 0).withResources(Set.of("known")), "", "",
        "limits: {startsPerSecond: 100, maxInstances: 100}\n");
    long started = System.nanoTime();
    int notFound = 0;
    int throttled = 0;
    // As fast as the client can: the attacker does not wait for answers.
    for (int base = 0; base < names; base += 10_000) {
      List<Future<Harness.Reply>> batch = new ArrayList<>();
      for (int i = base; i < Math.min(names, base + 10_000); i++) {
        batch.add(harness.get("/smart_proxy/n" + i + "/g/"));
      }
      await(Future.join(batch), Duration.ofSeconds(120));
      for (Future<Harness.Reply> f : batch) {
        String type = f.result().json().getString("type");
        if (type.endsWith(":unknown-resource")) {
          notFound++;
        } else {
          // Refused by a bound before any cloud call: the start throttle, or limits.maxInstances while the
          // starts of other names are still in flight.
          assertThat(type).matches(".*:(starts-throttled|instance-limit)");
          assertThat(f.result().header("Retry-After")).isNotNull();
          throttled++;
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long startCalls = harness.stats().getJsonObject("calls").getLong("start");

    assertThat(notFound + throttled).isEqualTo(names);
    assertThat(startCalls).as("start calls over %.1f s", seconds).isLessThanOrEqualTo(100 + (long) Math.ceil(100 * seconds));
    assertThat(startCalls).isEqualTo(notFound);
    eventually("nothing held for the sprayed names", () -> await(harness.gateway.lifecycle().resourceCount()) == 0);
    assertThat(harness.gateway.lifecycle().waiting()).isZero();
    assertThat(await(harness.get("/smart_proxy/known/g/")).status()).as("a real resource still works").isEqualTo(200);
  }
}
