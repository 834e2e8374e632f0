package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.CloudException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ends instances: takes a STOPPING instance out of routing (its held requests go elsewhere), then asks
 * the cloud to stop the VM until it confirms. The provider already retried, but a VM the gateway forgot
 * while the cloud kept it running would run, and cost, forever. Control context only.
 */
final class Stopper {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.lifecycle");
  static final long RETRY_MIN_MS = 1000;
  static final long RETRY_MAX_MS = 60_000;

  private final Lifecycle core;
  private final AtomicInteger pending = new AtomicInteger();

  Stopper(Lifecycle core) {
    this.core = core;
  }

  /** Stop calls the cloud has not confirmed yet. Any thread. */
  int pending() {
    return pending.get();
  }

  /** The instance is STOPPING: no request reaches it any more. */
  void stop(ManagedInstance mi) {
    core.failures.cancelTimers(mi);
    core.table.remove(mi);
    core.dispatcher.reroute(mi.pool);
    stopInCloud(mi);
  }

  void stopInCloud(ManagedInstance mi) {
    if (mi.instanceId() == null) {
      return;
    }
    pending.incrementAndGet();
    attempt(mi, RETRY_MIN_MS);
  }

  private void attempt(ManagedInstance mi, long nextDelayMs) {
    String id = mi.instanceId();
    dev.smartgateway.cloud.CloudProvider provider = core.providers.forResource(mi.resource);
    provider.stop(id).onComplete(ar -> core.scheduler.execute(() -> {
      if (ar.succeeded() || ar.cause() instanceof CloudException ce && ce.kind() == CloudException.Kind.INSTANCE_NOT_FOUND) {
        core.table.unbind(provider, id);
        pending.decrementAndGet();
        core.transitions.stopped(mi);
      } else {
        log.warn("stop failed resource={} instance={}: {}; trying again in {} ms", mi.resource, id,
            ar.cause().toString(), nextDelayMs);
        core.scheduler.schedule(nextDelayMs, () -> attempt(mi, Math.min(RETRY_MAX_MS, nextDelayMs * 2)));
      }
    }));
  }
}
