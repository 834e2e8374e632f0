package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * How containers end: stopped on request (stop, then remove: STOPPING, then STOPPED), or by themselves (exited,
 * killed, unhealthy, never ready: FAILED, then removed), or removed by someone else (FAILED). Whatever the way,
 * nothing of the container is left on the daemon, and the instance stays visible for {@code forgetAfter}. Runs on
 * the provider's context.
 */
final class Endings {

  private static final Logger LOG = LoggerFactory.getLogger(DockerCloudProvider.class);
  /** Log lines of a failed container shown in the gateway's log (the last error line also goes into the reason). */
  private static final int LOG_LINES = 20;

  private final Fleet fleet;
  private final Pausing pausing;

  Endings(Fleet fleet, Pausing pausing) {
    this.fleet = fleet;
    this.pausing = pausing;
  }

  /** Stops and removes the container; answers when it is gone. Every later call gets the same answer. */
  Future<Void> stop(TrackedContainer c) {
    if (c.stopping != null) {
      return c.stopping;
    }
    if (c.state.isTerminal()) {
      return c.cleanup == null ? Future.succeededFuture() : c.cleanup.otherwiseEmpty();
    }
    c.stopRequested = true;
    c.cancelBoot();
    Future<Void> thawed = pausing.thawForStop(c);
    c.state = InstanceState.STOPPING;
    long seconds = ApiRequests.stopSeconds(c.spec);
    LOG.info("Stopping container {} (SIGTERM, then SIGKILL after {} s) and removing it", c.name, seconds);
    fleet.push(c);
    Future<Void> stopping = thawed.compose(v -> stopAndRemove(c.name, seconds))
        .onSuccess(v -> {
          c.state = InstanceState.STOPPED;
          LOG.info("Container {} stopped and removed", c.name);
          fleet.push(c);
          forgetLater(c);
        })
        .onFailure(err -> {
          LOG.warn("Stopping container {} failed: {}", c.name, err.getMessage());
          c.stopping = null; // the next stop call tries again
        });
    c.stopping = stopping;
    return stopping;
  }

  /** The daemon's stop (SIGTERM, SIGKILL after {@code seconds}), then removal; a container already gone is fine. */
  Future<Void> stopAndRemove(String name, long seconds) {
    return fleet.api.call(HttpMethod.POST, ApiRequests.stopPath(name, seconds), null,
            seconds * 1000 + DockerApi.CALL_TIMEOUT_MS)
        .compose(resp -> resp.status() == 204 || resp.status() == 304 || resp.status() == 404
            ? remove(name)
            : Future.failedFuture(ApiErrors.unexpected("stop container " + name, resp)));
  }

  /**
   * A container that exited without being asked to: its last log lines are fetched (into the log, the last error
   * line into the reason), then it is reported FAILED and removed.
   */
  void ended(TrackedContainer c, Integer exitCode, boolean oomKilled, String error) {
    if (c.ending || c.state.isTerminal() || c.stopRequested) {
      return;
    }
    c.ending = true;
    c.cancelBoot();
    c.exitCode = exitCode;
    String exit = exitReason(exitCode, oomKilled || c.oomKilled, error);
    fleet.api.call(HttpMethod.GET, ApiRequests.logsPath(c.name, LOG_LINES), null, 2_000).onComplete(ar -> {
      List<LogTail.Line> lines = ar.succeeded() && ar.result().status() == 200
          ? LogTail.lines(ar.result().body()) : List.of();
      if (!lines.isEmpty()) {
        LOG.warn("Last output of container {}:\n  {}", c.name,
            String.join("\n  ", lines.stream().map(LogTail.Line::text).toList()));
      }
      String words = LogTail.lastWords(lines);
      fail(c, words == null ? exit : exit + ": " + words);
    });
  }

  static String exitReason(Integer exitCode, boolean oomKilled, String error) {
    String what;
    if (oomKilled) {
      what = "killed for want of memory (exit code " + exitCode + ")";
    } else if (exitCode == null) {
      what = "exited by itself";
    } else if (exitCode == 137) {
      what = "was killed (SIGKILL, exit code 137)";
    } else if (exitCode == 143) {
      what = "was terminated (SIGTERM, exit code 143)";
    } else {
      what = "exited by itself with code " + exitCode;
    }
    return error == null || error.isBlank() ? what : what + " (" + error + ")";
  }

  /** FAILED, then removed: nothing of a failed container is left behind (its last words are in the log). */
  void fail(TrackedContainer c, String reason) {
    if (!markFailed(c, reason)) {
      return;
    }
    c.cleanup = remove(c.name).onFailure(err ->
        LOG.warn("Could not remove failed container {}: {} (remove it by hand: docker rm -f {})", c.name,
            err.getMessage(), c.name));
  }

  /** Removed by someone else: FAILED, with nothing left to clean up. */
  void gone(TrackedContainer c, String reason) {
    markFailed(c, reason);
  }

  private boolean markFailed(TrackedContainer c, String reason) {
    if (c.state.isTerminal() || c.stopRequested) {
      return false;
    }
    c.cancelBoot();
    c.reason = reason;
    c.state = InstanceState.FAILED;
    LOG.warn("Container {} of resource '{}' failed: {}", c.name, c.resource, reason);
    fleet.push(c);
    forgetLater(c);
    return true;
  }

  /** Removes a container, forced; one that is already gone, or going, counts as removed. */
  Future<Void> remove(String name) {
    return fleet.api.call(HttpMethod.DELETE, ApiRequests.removePath(name), null, DockerApi.CALL_TIMEOUT_MS)
        .compose(resp -> resp.status() == 204 || resp.status() == 404 || resp.status() == 409
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(ApiErrors.unexpected("remove container " + name, resp)));
  }

  /** An ended container stays visible to describe and list for forgetAfter, then is forgotten. */
  private void forgetLater(TrackedContainer c) {
    if (!fleet.closed) {
      fleet.vertx.cancelTimer(c.forgetTimer);
      c.forgetTimer = fleet.vertx.setTimer(fleet.settings.forgetAfter().toMillis(),
          t -> fleet.containers.remove(c.name, c));
    }
  }
}
