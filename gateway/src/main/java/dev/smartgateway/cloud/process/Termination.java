package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.Liveness;
import dev.smartgateway.config.Durations;

import dev.smartgateway.cloud.CloudException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends processes: signal, wait (on Vert.x timers), SIGKILL. Signalling and {@code /proc} reads run as
 * blocking tasks on workers; use from the provider's context.
 */
final class Termination {

  private static final Logger LOG = LoggerFactory.getLogger(Termination.class);
  /** After SIGKILL a process normally vanishes in milliseconds; past this something is badly wrong. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);
  private static final long POLL_MS = 50;

  private final Vertx vertx;
  private final Context context;

  Termination(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  /**
   * Sends {@code signal} to the process and everything it started (a shell's children would otherwise be
   * orphaned), waits up to {@code timeout} for all of them, then kills whatever is left. The descendants
   * are listed before signalling: once the process is gone they are reparented and cannot be found from
   * it. For a group leader the signals go to the whole group, and a final SIGKILL to the group also catches
   * what was started after that list was taken.
   *
   * @param name how log lines and errors name the process
   * @return succeeds once the process (and the listed descendants) are gone
   */
  Future<Void> stop(String name, ProcessHandle process, boolean groupLeader, StopSignal signal, Duration timeout) {
    return context.<List<ProcessHandle>>executeBlocking(() -> {
          List<ProcessHandle> tree = new ArrayList<>();
          tree.add(process);
          process.descendants().forEach(tree::add);
          if (groupLeader) {
            Signals.sendToGroup(process.pid(), signal);
          } else {
            tree.forEach(p -> Signals.send(p, signal));
          }
          return tree;
        }, false)
        .compose(tree -> awaitGone(tree, timeout).recover(slow -> {
          LOG.warn("{} did not exit within {} of SIG{}; sending SIGKILL", name, Durations.format(timeout), signal);
          return context.<Void>executeBlocking(() -> {
                if (groupLeader) {
                  Signals.sendToGroup(process.pid(), StopSignal.KILL);
                }
                tree.forEach(ProcessHandle::destroyForcibly);
                return null;
              }, false)
              .compose(v -> awaitGone(List.of(process), KILL_GRACE));
        }))
        .compose(v -> groupLeader ? killGroup(process.pid()) : Future.<Void>succeededFuture())
        .recover(e -> {
          LOG.error("{} (pid {}) is still alive after SIGKILL", name, process.pid());
          return Future.failedFuture(new CloudException(CloudException.Kind.TRANSIENT,
              name + " (pid " + process.pid() + ") did not exit after SIGKILL", e));
        });
  }

  /**
   * What is left of a process group whose leader exited by itself: the stop signal at once, SIGKILL after
   * {@code timeout}, like on a stop.
   */
  void cleanUpGroup(long group, StopSignal signal, Duration timeout) {
    context.executeBlocking(() -> {
      Signals.sendToGroup(group, signal);
      return null;
    }, false).onComplete(sent -> vertx.setTimer(timeout.toMillis(), t -> killGroup(group)));
  }

  private Future<Void> killGroup(long group) {
    return context.executeBlocking(() -> {
      Signals.sendToGroup(group, StopSignal.KILL);
      return null;
    }, false);
  }

  /** Polls until every process has exited (see {@link Liveness#gone}); fails when {@code within} has passed. */
  Future<Void> awaitGone(List<ProcessHandle> processes, Duration within) {
    Promise<Void> done = Promise.promise();
    pollGone(processes, System.nanoTime() + within.toNanos(), done);
    return done.future();
  }

  private void pollGone(List<ProcessHandle> processes, long deadline, Promise<Void> done) {
    context.executeBlocking(() -> processes.stream().allMatch(Liveness::gone), false).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        done.tryComplete();
      } else if (System.nanoTime() - deadline >= 0) {
        done.tryFail("still running: " + processes.stream().map(ProcessHandle::pid).toList());
      } else {
        vertx.setTimer(POLL_MS, t -> pollGone(processes, deadline, done));
      }
    });
  }
}
