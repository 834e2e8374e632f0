package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code idlePolicy: suspend} for containers: the daemon's pause (the cgroup freezer: every process stopped, its
 * memory kept, its port still bound) and unpause. A paused container answers nothing until it is unpaused, which
 * takes milliseconds against a cold start's create + start + boot. Runs on the provider's context.
 */
final class Pausing {

  private static final Logger LOG = LoggerFactory.getLogger(DockerCloudProvider.class);

  private final Fleet fleet;

  Pausing(Fleet fleet) {
    this.fleet = fleet;
  }

  /** RUNNING → SUSPENDED; a suspended container stays so. */
  Future<Void> suspend(TrackedContainer c) {
    if (c.state == InstanceState.SUSPENDED) {
      return Future.succeededFuture();
    }
    if (c.state != InstanceState.RUNNING) {
      return Future.failedFuture(notIn(c, "suspended", "RUNNING"));
    }
    return call(c, true).onSuccess(v -> {
      if (c.state == InstanceState.RUNNING) { // not stopped or ended meanwhile
        c.state = InstanceState.SUSPENDED;
        LOG.info("Container {} paused", c.name);
        fleet.push(c);
      }
    });
  }

  /** SUSPENDED → RUNNING at the same endpoint; a running container stays so. */
  Future<Void> resume(TrackedContainer c) {
    if (c.state == InstanceState.RUNNING) {
      return Future.succeededFuture();
    }
    if (c.state != InstanceState.SUSPENDED) {
      return Future.failedFuture(notIn(c, "resumed", "SUSPENDED"));
    }
    return call(c, false).onSuccess(v -> {
      if (c.state == InstanceState.SUSPENDED) {
        c.state = InstanceState.RUNNING;
        LOG.info("Container {} unpaused", c.name);
        fleet.push(c);
      }
    });
  }

  /**
   * Before a paused container is stopped: a frozen process cannot act on SIGTERM, so it would sit out the whole stop
   * timeout and be killed. Unpausing first lets it end cleanly; a failure here leaves the stop to the daemon.
   */
  Future<Void> thawForStop(TrackedContainer c) {
    return c.state != InstanceState.SUSPENDED ? Future.succeededFuture()
        : call(c, false).otherwise(err -> {
          LOG.debug("Unpausing container {} before its stop failed: {}", c.name, err.getMessage());
          return null;
        });
  }

  /**
   * {@code POST /containers/{name}/pause|unpause}: 204 done; 409 when the daemon finds it already in the asked state
   * (or not running at all), which the caller's state check has ruled out unless someone else acted on it.
   */
  private Future<Void> call(TrackedContainer c, boolean pause) {
    String action = pause ? "pause" : "unpause";
    return fleet.api.call(HttpMethod.POST, ApiRequests.pausePath(c.name, pause), null, DockerApi.CALL_TIMEOUT_MS)
        .compose(resp -> switch (resp.status()) {
          case 204 -> Future.<Void>succeededFuture();
          case 404 -> Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND,
              "no container " + c.name));
          default -> Future.failedFuture(ApiErrors.unexpected(action + " container " + c.name, resp));
        });
  }

  private static CloudException notIn(TrackedContainer c, String what, String needed) {
    return new CloudException(CloudException.Kind.PERMANENT,
        "container " + c.name + " is " + c.state + "; only a " + needed + " one can be " + what);
  }
}
