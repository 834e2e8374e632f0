package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.lifecycle.LifecycleEvent.Cause;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What operators do by hand (admin API): pre-warm a pool, stop or cancel an instance, retire a resource.
 * Each goes through the same collaborators and the same {@link Transitions} as what the gateway does by
 * itself, so its events, tasks and usage look the same. Control context only.
 */
final class ByHand {

  static final String STARTED = "started by hand";

  private final Lifecycle core;

  ByHand(Lifecycle core) {
    this.core = core;
  }

  /**
   * Pre-warm: makes sure an instance for exactly this group set is ready or coming, and returns it. Refused
   * like a request would be (unknown resource, backoff after a failed start, instance limits).
   */
  InstanceView start(String resource, GroupSet groups) {
    if (core.closed) {
      throw Failures.shuttingDown(resource);
    }
    if (core.unknown.isUnknown(resource, core.scheduler.nanoTime())) {
      throw Failures.unknownResource(resource);
    }
    Pool pool = core.table.pool(resource, groups);
    ManagedInstance existing = pool.usable();
    if (existing != null) {
      core.suspender.wake(pool, Cause.BY_HAND);
      return existing.view();
    }
    GatewayException refused = core.launcher.launch(pool, STARTED, Cause.BY_HAND);
    if (refused != null) {
      core.table.forgetIfIdle(core.table.entry(resource));
      throw refused;
    }
    return pool.instances.get(pool.instances.size() - 1).view();
  }

  /**
   * Stops an instance (by the cloud's id or the gateway's ref): a READY one drains first (in-flight requests
   * finish, up to drainTimeout), unless {@code force}; one that is still starting is cancelled. Returns it as
   * it is after the call.
   */
  InstanceView stop(String idOrRef, boolean force) {
    return stop(own(find(idOrRef), idOrRef), idOrRef, force);
  }

  /**
   * Clustered, the same for any instance of the cluster: one another member manages is stopped by that member
   * (asked over the event bus); the answer is its view of it.
   */
  io.vertx.core.Future<InstanceView> stopAnywhere(String idOrRef, boolean force) {
    ManagedInstance mi = find(idOrRef);
    if (mi.isMirror() && mi.shared != null) {
      return core.cluster.cluster.stopAt(mi.manager, mi.shared.key(), force);
    }
    return io.vertx.core.Future.succeededFuture(stop(own(mi, idOrRef), idOrRef, force));
  }

  private InstanceView stop(ManagedInstance mi, String idOrRef, boolean force) {
    LifecycleState state = mi.state();
    if (state.isComingUp()) {
      cancel(mi, "stopped by hand while starting", Cause.BY_HAND);
    } else if (state == LifecycleState.READY && !force) {
      core.idle.drain(mi, "stopped by hand", Cause.BY_HAND);
    } else if (state.isServing() || state == LifecycleState.SUSPENDED) {
      stopNow(mi, force ? "stopped by hand (forced: requests in flight are cut)" : "stopped by hand", Cause.BY_HAND);
    } else {
      throw new GatewayException(ErrorType.CONFLICT, "instance " + idOrRef + " is already " + state, mi.resource);
    }
    return mi.view();
  }

  /** Cancels a start: the instance is stopped and the requests held for it get 503 start-cancelled. */
  InstanceView cancel(String idOrRef, String reason) {
    ManagedInstance mi = own(find(idOrRef), idOrRef);
    if (!mi.state().isComingUp()) {
      throw new GatewayException(ErrorType.CONFLICT, "instance " + idOrRef + " is " + mi.state()
          + ": only a start that is still running can be cancelled", mi.resource);
    }
    cancel(mi, reason, Cause.BY_HAND);
    return mi.view();
  }

  /**
   * A resource's registration was removed: every instance of it drains and stops (one still starting is
   * cancelled). Requests that arrive afterwards are served with the defaults, like any unlisted resource.
   * Returns the instances affected.
   */
  List<InstanceView> retire(String resource, String reason) {
    List<InstanceView> affected = new ArrayList<>();
    ResourceEntry entry = core.table.existing(resource);
    if (entry == null) {
      return affected;
    }
    for (ManagedInstance mi : entry.instances.clone()) {
      if (mi.isMirror()) {
        continue; // its manager retires it
      }
      LifecycleState state = mi.state();
      if (state.isComingUp()) {
        cancel(mi, reason, Cause.UNREGISTERED);
      } else if (state == LifecycleState.READY) {
        core.idle.drain(mi, reason, Cause.UNREGISTERED);
      } else if (state == LifecycleState.SUSPENDED) {
        stopNow(mi, reason, Cause.UNREGISTERED);
      }
      affected.add(mi.view());
    }
    return affected;
  }

  private void cancel(ManagedInstance mi, String reason, Cause cause) {
    core.transitions.stopping(mi, reason, cause);
    core.failures.cancelTimers(mi);
    core.table.remove(mi);
    GatewayException cancelled = new GatewayException(ErrorType.START_CANCELLED, reason, mi.resource,
        Duration.ofSeconds(1), null);
    core.statuses.failed(mi, cancelled);
    core.dispatcher.failWaiters(mi.pool, cancelled);
    core.table.forgetIfIdle(core.table.entry(mi.resource));
    // Without an id the start call is still out: its answer finds the instance dead and stops the VM then.
    core.stopper.stopInCloud(mi);
  }

  private void stopNow(ManagedInstance mi, String reason, Cause cause) {
    core.transitions.stopping(mi, reason, cause);
    core.stopper.stop(mi);
  }

  /** Clustered: only the member that manages an instance stops it. */
  private static ManagedInstance own(ManagedInstance mi, String idOrRef) {
    if (mi.isMirror()) {
      throw new GatewayException(ErrorType.CONFLICT, "instance " + idOrRef + " is managed by cluster member "
          + mi.manager + ": stop it through that gateway", mi.resource);
    }
    return mi;
  }

  private ManagedInstance find(String idOrRef) {
    ManagedInstance byId = core.table.byId(idOrRef);
    if (byId != null && !byId.state().isDead()) {
      return byId;
    }
    for (ResourceEntry entry : core.table.entries()) {
      for (ManagedInstance mi : entry.instances) {
        // A mirror also answers to the cloud's id and to its manager's ref (what the shared record and tasks say).
        if (mi.ref.equals(idOrRef) || mi.isMirror() && (idOrRef.equals(mi.instanceId())
            || mi.shared != null && idOrRef.equals(mi.shared.ref()))) {
          return mi;
        }
      }
    }
    if (byId != null) {
      throw new GatewayException(ErrorType.CONFLICT, "instance " + idOrRef + " is already " + byId.state(),
          byId.resource);
    }
    throw new GatewayException(ErrorType.NOT_FOUND, "no instance " + idOrRef + " (neither a cloud id nor a ref of a"
        + " live instance of this gateway)");
  }
}
