package dev.smartgateway.lifecycle;

import dev.smartgateway.config.ProbeConfig;
import dev.smartgateway.config.ResourceSettings;

/**
 * A WARMING instance becomes READY once its readiness probe passes: probed at once when the cloud reports
 * it running, re-probed first after {@link #FIRST_RETRY_MS} and then at doubling gaps up to
 * {@code readiness.interval}, which it stays at. On READY its held requests are released and its idle clock
 * and liveness pings start. Control context only.
 *
 * <p>Why the short first retries: a cloud may report a VM running a moment before its application listens;
 * a first probe refused then would otherwise cost its held requests a whole interval. The extra probes are
 * at most a handful per start.
 */
final class Readiness {

  /** The gap before the first re-probe of a warming VM (never longer than {@code readiness.interval}). */
  static final long FIRST_RETRY_MS = 5;

  private final Lifecycle core;

  Readiness(Lifecycle core) {
    this.core = core;
  }

  void begin(ManagedInstance mi) {
    probe(mi, FIRST_RETRY_MS);
  }

  /** @param retryMs the gap before the next probe if this one fails (capped by {@code readiness.interval}) */
  private void probe(ManagedInstance mi, long retryMs) {
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
        long interval = probe.interval().toMillis();
        mi.probeTimer = core.scheduler.schedule(Math.min(retryMs, interval), () -> {
          mi.probeTimer = -1;
          probe(mi, Math.min(retryMs * 2, interval));
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
