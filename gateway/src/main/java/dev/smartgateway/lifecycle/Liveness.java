package dev.smartgateway.lifecycle;

import dev.smartgateway.config.LivenessConfig;
import dev.smartgateway.config.ProbeConfig;
import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

import java.util.SplittableRandom;

/**
 * Whether a serving VM still answers (DESIGN section 6, "Liveness"): pings every {@code liveness.ping}
 * (±20%, so many VMs are not pinged in step), and a check at once when a request could not connect. A VM
 * is FAILED and replaced after {@code liveness.misses} missed pings in a row, {@code pongDiscardTimeout}
 * without an answer, a failed check, or {@code liveness.connectFailures} connect failures in a row. A
 * single failed connect (a blip, a full backlog) costs nothing once the check passes. Control context only.
 */
final class Liveness {

  private final Lifecycle core;
  /** Seeded: jitter does not need to be unpredictable, and tests repeat. */
  private final SplittableRandom random = new SplittableRandom(0x5eed);

  Liveness(Lifecycle core) {
    this.core = core;
  }

  void arm(ManagedInstance mi) {
    mi.lastPongNanos = core.scheduler.nanoTime();
    mi.missedPings = 0;
    schedulePing(mi);
  }

  private void schedulePing(ManagedInstance mi) {
    long ping = core.settings(mi.resource).liveness().ping().toMillis();
    long jitter = ping / 5;
    long delay = Math.max(1, ping + (jitter == 0 ? 0 : random.nextLong(-jitter, jitter + 1)));
    mi.pingTimer = core.scheduler.schedule(delay, () -> {
      mi.pingTimer = -1;
      ping(mi);
    });
  }

  private void ping(ManagedInstance mi) {
    // A closed gateway leaves its VMs to the next one (adoption) with their timers still armed; its prober's client
    // is closed, so a ping now would only throw.
    if (core.closed || !mi.state().isServing()) {
      return;
    }
    ResourceSettings settings = core.settings(mi.resource);
    ProbeConfig probe = settings.readiness();
    core.prober.probe(mi.host, mi.port, probe, settings.protocol()).onComplete(ar -> core.scheduler.execute(() -> {
      if (!mi.state().isServing()) {
        return;
      }
      if (ar.succeeded() && probe.accepts(ar.result())) {
        mi.missedPings = 0;
        mi.lastPongNanos = core.scheduler.nanoTime();
      } else {
        mi.missedPings++;
        LivenessConfig liveness = core.settings(mi.resource).liveness();
        long silentNanos = core.scheduler.nanoTime() - mi.lastPongNanos;
        if (mi.missedPings >= liveness.misses() || silentNanos >= liveness.pongDiscardTimeout().toNanos()) {
          core.failures.fail(mi, new GatewayException(ErrorType.BACKEND_FAILED, "the VM stopped answering its liveness pings ("
              + mi.missedPings + " missed)", mi.resource), true);
          return;
        }
      }
      schedulePing(mi);
    }));
  }

  /**
   * Clustered: a mirror that refused a connection takes requests again once it answers a probe; its manager fails
   * and replaces it if it does not (its record then says so).
   */
  private void verifyMirror(ManagedInstance mi) {
    if (mi.verifying) {
      return;
    }
    mi.verifying = true;
    ProbeConfig probe = core.settings(mi.resource).readiness();
    core.prober.probe(mi.host, mi.port, probe).onComplete(ar -> core.scheduler.execute(() -> {
      mi.verifying = false;
      if (ar.succeeded() && probe.accepts(ar.result()) && mi.state().isServing()) {
        mi.suspect(false);
        core.dispatcher.pump(mi.pool);
      }
    }));
  }

  /**
   * A request could not connect to the VM (the lease already took it out of rotation). Too many in a row
   * fail it; otherwise it is probed at once: back in rotation if it answers, FAILED and replaced if not.
   */
  void connectFailed(ManagedInstance mi) {
    if (core.closed || !mi.state().isServing()) {
      return;
    }
    if (mi.isMirror()) {
      verifyMirror(mi);
      return;
    }
    int failures = mi.connectFailures.incrementAndGet();
    int limit = core.settings(mi.resource).liveness().connectFailures();
    if (failures >= limit) {
      core.failures.fail(mi, new GatewayException(ErrorType.BACKEND_FAILED,
          "the VM refused " + failures + " connections in a row", mi.resource), true);
      return;
    }
    if (mi.verifying) {
      return;
    }
    mi.verifying = true;
    ResourceSettings settings = core.settings(mi.resource);
    ProbeConfig probe = settings.readiness();
    core.prober.probe(mi.host, mi.port, probe, settings.protocol()).onComplete(ar -> core.scheduler.execute(() -> {
      mi.verifying = false;
      if (!mi.state().isServing()) {
        return;
      }
      if (ar.succeeded() && probe.accepts(ar.result())) {
        mi.suspect(false);
        mi.lastPongNanos = core.scheduler.nanoTime();
        core.dispatcher.pump(mi.pool);
      } else {
        core.failures.fail(mi, new GatewayException(ErrorType.BACKEND_FAILED,
            "the VM refused a connection and did not answer a probe", mi.resource), true);
      }
    }));
  }
}
