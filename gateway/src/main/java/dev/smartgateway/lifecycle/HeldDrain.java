package dev.smartgateway.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What a graceful stop does with the requests it holds (README "Cluster", "Rolling restarts"). Clustered, the VM a
 * held request waits for lives on after this member has gone — another member manages it, or the cluster takes over
 * this member's own start — so the request stays held and goes to its VM once it is ready, as it would have anyway;
 * only those still held when the drain's bound ({@code server.shutdownGrace}) runs out are answered 503 +
 * Retry-After. Alone, a gateway answers them at once: while it drains nobody listens in its place (its successor
 * cannot bind the port until it has gone), so waiting for a boot would lengthen the outage for every new client to
 * spare the held ones a retry, which the next gateway holds again (it adopts the VM). New requests are refused from
 * the start either way. Control context only.
 */
final class HeldDrain {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.lifecycle");

  private final Lifecycle core;
  /** Completed once no request is held any more; null until the drain begins. */
  private Promise<Void> drained;
  private long boundTimer = -1;

  HeldDrain(Lifecycle core) {
    this.core = core;
  }

  /** The drain begins ({@code core.closed} is already set): completes once nothing is held, after {@code bound} at most. */
  Future<Void> begin(Duration bound) {
    if (drained != null) {
      return drained.future();
    }
    drained = Promise.promise();
    int held = core.dispatcher.totalWaiting();
    if (!core.cluster.on || bound.isZero() || held == 0) {
      runOut();
      return drained.future();
    }
    log.info("shutting down: {} held request(s) wait for their VM (the cluster keeps it) for up to {}", held, bound);
    boundTimer = core.scheduler.schedule(bound.toMillis(), () -> {
      boundTimer = -1;
      int left = core.dispatcher.totalWaiting();
      if (left > 0) {
        log.info("shutting down: {} request(s) still held after {}: answered 503", left, bound);
      }
      runOut();
    });
    return drained.future();
  }

  /** The number of held requests changed (a request was answered, given up or failed). */
  void heldChanged(int held) {
    if (held == 0 && drained != null && boundTimer >= 0) {
      core.scheduler.cancel(boundTimer);
      boundTimer = -1;
      drained.tryComplete();
    }
  }

  /** Whatever is still held gets 503 + Retry-After. */
  private void runOut() {
    core.dispatcher.failAll(Failures.shuttingDown(null));
    drained.tryComplete();
  }
}
