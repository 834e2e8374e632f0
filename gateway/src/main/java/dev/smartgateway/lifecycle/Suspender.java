package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.config.ResourceSettings.IdlePolicy;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.lifecycle.LifecycleEvent.Cause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;

/**
 * {@code idlePolicy: suspend} (DESIGN section 6): an idle instance of a provider that can pause is drained, then
 * paused instead of stopped; the next request that needs it resumes it, and it serves again once its readiness
 * probe passes — far sooner than a boot. A suspended instance stays in its pool (held requests wait for it like
 * for one that starts) but takes no lease. Control context only.
 */
final class Suspender {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.lifecycle");

  private final Lifecycle core;

  Suspender(Lifecycle core) {
    this.core = core;
  }

  /** Whether the drain of this instance ends in a pause rather than a stop: idle, configured so, and possible. */
  boolean suspendsWhenDrained(ManagedInstance mi) {
    return mi.drainCause == Cause.IDLE && core.settings(mi.resource).idlePolicy() == IdlePolicy.SUSPEND
        && mi.instanceId() != null && core.providers.forResource(mi.resource).canSuspend();
  }

  /** The instance just became SUSPENDED: out of every timer, and the cloud pauses it. */
  void suspend(ManagedInstance mi) {
    core.failures.cancelTimers(mi);
    mi.suspendCallInFlight = true;
    CloudProvider provider = core.providers.forResource(mi.resource);
    provider.suspend(mi.instanceId()).onComplete(ar -> core.scheduler.execute(() -> {
      mi.suspendCallInFlight = false;
      if (mi.state() != LifecycleState.SUSPENDED) {
        return; // stopped or failed meanwhile: the stop covers a paused VM as well
      }
      if (ar.failed()) {
        // A VM in an unknown state is not left running unwatched: it is stopped, and whoever waits for it gets a
        // fresh one (the stop reroutes them).
        log.warn("suspend failed resource={} instance={}: {}; stopping it instead", mi.resource, mi.instanceId(),
            ar.cause().toString());
        core.transitions.stopping(mi, "the cloud could not suspend it: " + ar.cause().getMessage(), Cause.IDLE);
        core.stopper.stop(mi);
      } else if (mi.resumeWanted) {
        resume(mi, Cause.REQUEST, "a request arrived while it was being suspended");
      }
    }));
  }

  /** Someone needs the pool: if the instance it would wait for is suspended, that instance is resumed. */
  void wake(Pool pool, Cause cause) {
    ManagedInstance usable = pool.usable();
    if (usable != null && usable.state() == LifecycleState.SUSPENDED) {
      if (usable.isMirror()) {
        core.cluster.wake(usable); // another member's: only its manager resumes it
        return;
      }
      resume(usable, cause, cause == Cause.BY_HAND ? "resumed by hand" : "a request is waiting");
    }
  }

  /** SUSPENDED → WARMING: asks the cloud to resume, then probes. A resume that fails gives the waiters a fresh VM. */
  void resume(ManagedInstance mi, Cause cause, String reason) {
    if (mi.state() != LifecycleState.SUSPENDED) {
      return;
    }
    if (mi.suspendCallInFlight) {
      mi.resumeWanted = true; // resumed as soon as the pause is confirmed: the cloud handles one at a time
      return;
    }
    mi.resumeWanted = false;
    if (!core.transitions.resumed(mi, reason, cause)) {
      return;
    }
    core.launcher.armBootTimeout(mi, "the resumed VM did not become ready within ");
    CloudProvider provider = core.providers.forResource(mi.resource);
    String id = mi.instanceId();
    provider.resume(id)
        .compose(v -> mi.host != null ? io.vertx.core.Future.succeededFuture((Instance) null) : provider.describe(id))
        .onComplete(ar -> core.scheduler.execute(() -> {
          if (mi.state() != LifecycleState.WARMING) {
            return;
          }
          if (ar.succeeded() && ar.result() != null) {
            endpoint(mi, ar.result());
          }
          if (ar.failed() || mi.host == null) {
            String why = ar.failed() ? ar.cause().getMessage() : "the cloud reports no endpoint after the resume";
            core.failures.fail(mi, new GatewayException(ErrorType.BACKEND_FAILED,
                "could not resume the VM " + id + ": " + why, mi.resource), true);
            return;
          }
          core.readiness.begin(mi);
        }));
  }

  /** An adopted VM's address when the list gave none (a cloud may omit it while paused). */
  private static void endpoint(ManagedInstance mi, Instance instance) {
    mi.cloudView = instance;
    URI endpoint = instance.endpoint();
    if (instance.state() == InstanceState.RUNNING && endpoint != null) {
      mi.host = endpoint.getHost();
      mi.port = endpoint.getPort() > 0 ? endpoint.getPort() : 80;
    }
  }
}
