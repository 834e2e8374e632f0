package dev.smartgateway.lifecycle;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

import java.time.Duration;

/**
 * Failed instances (DESIGN section 6, "Failures"): FAILED, out of routing, stopped in the cloud (nothing is
 * left running). Its held requests either get the failure (a boot failure: 502 with the reason) or, for an
 * instance that had been serving, are placed again for a fresh VM: they never reached the dead one.
 * Control context only.
 */
final class Failures {

  private final Lifecycle core;

  Failures(Lifecycle core) {
    this.core = core;
  }

  void fail(ManagedInstance mi, GatewayException error, boolean reroute) {
    LifecycleState previous = core.transitions.failed(mi, error.detail(), error.type());
    if (previous == LifecycleState.FAILED || previous == LifecycleState.STOPPED) {
      return;
    }
    cancelTimers(mi);
    // A start that failed: the pool backs off (remembered before the instance leaves, so the pool is kept),
    // and its held requests learn when to come back.
    GatewayException answer = reroute ? error : core.gate.failed(mi.pool, error);
    if (!reroute) {
      core.statuses.failed(mi, answer); // a waiting page that polls learns of it, even once the pool is gone
    }
    core.cluster.failed(mi, reroute ? null : mi.pool);
    core.table.remove(mi);
    if (reroute) {
      core.dispatcher.reroute(mi.pool);
    } else {
      core.dispatcher.failWaiters(mi.pool, answer);
      core.table.forgetIfIdle(core.table.entry(mi.resource));
    }
    if (previous != LifecycleState.STOPPING) {
      core.stopper.stopInCloud(mi);
    }
  }

  void cancelTimers(ManagedInstance mi) {
    Scheduler s = core.scheduler;
    s.cancel(mi.idleTimer);
    s.cancel(mi.bootTimer);
    s.cancel(mi.pollTimer);
    s.cancel(mi.probeTimer);
    s.cancel(mi.pingTimer);
    s.cancel(mi.paceTimer);
    mi.idleTimer = mi.bootTimer = mi.pollTimer = mi.probeTimer = mi.pingTimer = mi.paceTimer = -1;
  }

  static GatewayException shuttingDown(String resource) {
    return new GatewayException(ErrorType.SHUTTING_DOWN, "the gateway is shutting down; retry shortly",
        resource, Duration.ofSeconds(2), null);
  }

  static GatewayException unknownResource(String resource) {
    return new GatewayException(ErrorType.UNKNOWN_RESOURCE, "the cloud does not know resource '" + resource + "'",
        resource);
  }
}
