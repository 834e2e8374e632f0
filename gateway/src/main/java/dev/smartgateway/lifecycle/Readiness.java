package dev.smartgateway.lifecycle;

import dev.smartgateway.config.ProbeConfig;
import dev.smartgateway.config.ResourceSettings;

/**
 * A WARMING instance becomes READY once its readiness probe passes: probed at once when the cloud reports
 * it running, then every {@code readiness.interval}. On READY its held requests are released and its
 * idle clock and liveness pings start. Control context only.
 */
final class Readiness {

  private final Lifecycle core;

  Readiness(Lifecycle core) {
    this.core = core;
  }

  void begin(ManagedInstance mi) {
    probe(mi);
  }

  private void probe(ManagedInstance mi) {
    if (mi.state() != LifecycleState.WARMING) {
      return;
    }
    ResourceSettings settings = core.settings(mi.resource);
    ProbeConfig probe = settings.readiness();
    core.prober.probe(mi.host, mi.port, probe, settings.protocol()).onComplete(ar -> core.scheduler.execute(() -> {
      if (mi.state() != LifecycleState.WARMING) {
        return;
      }
      if (ar.succeeded() && probe.accepts(ar.result())) {
        ready(mi);
      } else {
        mi.probeTimer = core.scheduler.schedule(probe.interval().toMillis(), () -> {
          mi.probeTimer = -1;
          probe(mi);
        });
      }
    }));
  }

  private void ready(ManagedInstance mi) {
    // Held requests are released before the READY event is published: its subscribers (the log line, history,
    // usage, metrics) took 3 to 10 ms of the control context in the cold-burst bench, all of it before the
    // first request went out. They learn of the instance a moment later; nothing of theirs is needed to serve.
    if (!core.transitions.ready(mi, () -> core.dispatcher.pump(mi.pool))) {
      return;
    }
    core.scheduler.cancel(mi.bootTimer);
    mi.bootTimer = -1;
    core.gate.recovered(mi.pool);
    core.statuses.recovered(mi.pool);
    core.idle.arm(mi);
    core.liveness.arm(mi);
    core.scaler.wake();
  }
}
