package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.cloud.Liveness;
import dev.smartgateway.config.Durations;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Ends a VM: the ACPI power button (QMP {@code system_powerdown}) so that the guest can shut down cleanly, then, if
 * its QEMU still runs after the stopTimeout, QMP {@code quit}, then SIGKILL. A paused guest ignores the power button,
 * so a suspended VM is resumed ({@code cont}) first. A guest still booting ignores the button too (nothing listens
 * for it yet), so it is pressed again every {@link #PRESS_AGAIN_MS} until the timeout. Use from the provider's
 * context; process checks run on workers.
 */
final class PowerOff {

  private static final Logger LOG = LoggerFactory.getLogger(PowerOff.class);
  /** QEMU leaves at once on quit, and a killed process vanishes in milliseconds: past these something is wrong. */
  private static final Duration QUIT_GRACE = Duration.ofSeconds(5);
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);
  private static final long POLL_MS = 100;
  private static final long PRESS_AGAIN_MS = 2_000;

  private final Vertx vertx;
  private final Context context;

  PowerOff(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  /** Succeeds once the VM's QEMU process is gone. */
  Future<Void> run(Vm vm) {
    QmpClient qmp = vm.qmp;
    Future<Void> pressed;
    if (qmp == null || !qmp.isOpen()) {
      pressed = Future.failedFuture("no QMP connection");
    } else {
      Future<?> running = vm.state == InstanceState.SUSPENDED ? qmp.execute("cont") : Future.succeededFuture();
      pressed = running.compose(v -> qmp.execute("system_powerdown")).mapEmpty();
    }
    return pressed
        .compose(v -> awaitPoweredOff(vm, qmp).recover(slow -> {
          LOG.warn("{} did not power off within {} of the ACPI power button; quitting QEMU", vm.id(),
              Durations.format(vm.stopTimeout()));
          return quit(vm);
        }), unpressed -> {
          LOG.warn("Cannot press the power button of {} ({}); quitting QEMU", vm.id(), unpressed.getMessage());
          return quit(vm);
        })
        .recover(e -> {
          LOG.warn("{} (pid {}) is still running; sending SIGKILL", vm.id(), vm.record.pid());
          return context.<Void>executeBlocking(() -> {
            vm.process.destroyForcibly();
            return null;
          }, false).compose(v -> awaitGone(vm, KILL_GRACE));
        })
        .recover(e -> Future.failedFuture(new CloudException(CloudException.Kind.TRANSIENT,
            vm.id() + " (pid " + vm.record.pid() + ") did not exit after SIGKILL", e)));
  }

  /** Waits for the guest to power off within its stopTimeout, pressing the button again now and then. */
  private Future<Void> awaitPoweredOff(Vm vm, QmpClient qmp) {
    long presser = vertx.setPeriodic(PRESS_AGAIN_MS, t -> {
      if (qmp.isOpen()) {
        qmp.execute("system_powerdown");
      }
    });
    return awaitGone(vm, vm.stopTimeout()).onComplete(ar -> vertx.cancelTimer(presser));
  }

  private Future<Void> quit(Vm vm) {
    QmpClient qmp = vm.qmp;
    Future<?> asked = qmp != null && qmp.isOpen() ? qmp.execute("quit") : Future.failedFuture("no QMP connection");
    // The answer may be lost as QEMU leaves at once; whether it is gone is what counts.
    return asked.transform(ar -> ar.succeeded() ? awaitGone(vm, QUIT_GRACE) : Future.failedFuture(ar.cause()));
  }

  /** Polls until the process has exited; fails once {@code within} has passed. */
  Future<Void> awaitGone(Vm vm, Duration within) {
    Promise<Void> gone = Promise.promise();
    poll(vm, System.nanoTime() + within.toNanos(), gone);
    return gone.future();
  }

  private void poll(Vm vm, long deadline, Promise<Void> gone) {
    context.executeBlocking(() -> Liveness.gone(vm.process), false).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        gone.tryComplete();
      } else if (System.nanoTime() - deadline >= 0) {
        gone.tryFail("still running");
      } else {
        vertx.setTimer(POLL_MS, t -> poll(vm, deadline, gone));
      }
    });
  }
}
