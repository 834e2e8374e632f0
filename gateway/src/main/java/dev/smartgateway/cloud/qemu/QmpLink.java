package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Each VM's QMP connection, kept open for its whole life: its events track pauses and resumes, its end tells at once
 * that QEMU exited (FAILED unless a stop was asked for), and suspend and resume are its {@code stop} and {@code cont}.
 * On the provider's context.
 */
final class QmpLink {

  /** The provider's logger, as before this was split off: operators who tuned it keep seeing these lines. */
  private static final Logger LOG = LoggerFactory.getLogger(QemuCloudProvider.class);
  private static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);
  /** QEMU may take a moment to accept a new QMP client after the previous gateway's connection closed. */
  private static final int QMP_CONNECT_TRIES = 10;
  private static final long QMP_RETRY_MS = 200;
  /** After its QMP connection ends, a QEMU that is exiting is gone well within this. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

  private final VmFleet fleet;
  private final VmEnding ending;
  private final NetClient unix;

  QmpLink(VmFleet fleet, VmEnding ending) {
    this.fleet = fleet;
    this.ending = ending;
    this.unix = fleet.vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) QMP_TIMEOUT.toMillis()));
  }

  /**
   * Connects to the VM's QMP socket (a few tries: QEMU accepts one client at a time, and the previous gateway's may
   * still be closing), asks for the run state, and from then on follows the events and the end of the connection.
   * A state the guest cannot run from again (panicked, an internal error) is left in {@code vm.reason} for the
   * caller to end the VM with.
   */
  Future<Void> attach(Vm vm) {
    return connect(vm, 1).compose(qmp -> {
      vm.qmp = qmp;
      qmp.eventHandler(event -> onQmpEvent(vm, event));
      qmp.closeHandler(v -> onQmpClosed(vm, qmp));
      return qmp.execute("query-status");
    }).map(status -> {
      InstanceState now = QmpStatus.state(status.getString("status"));
      if (now == InstanceState.FAILED) {
        vm.reason = "QEMU reports the guest " + status.getString("status")
            + ("internal-error".equals(status.getString("status")) ? " (with accel: kvm on a CPU without vmx/svm"
                + " support? try accel: tcg or auto)" : "");
      } else {
        ending.move(vm, now);
      }
      return null;
    });
  }

  /** QMP {@code stop} (to SUSPENDED) or {@code cont} (to RUNNING); answers once QEMU confirmed it. */
  Future<Void> switchTo(String instanceId, InstanceState target, String command) {
    Vm vm = fleet.vms.get(instanceId);
    if (vm == null) {
      return Future.failedFuture(fleet.vms.notFound(instanceId));
    }
    if (vm.state == target) {
      return Future.succeededFuture();
    }
    if (vm.stopRequested || vm.state.isTerminal() || vm.qmp == null) {
      return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, "cannot " + command + " " + instanceId
          + ": it is " + vm.state + (vm.qmp == null && !vm.state.isTerminal() ? " without a QMP connection" : "")));
    }
    return vm.qmp.execute(command)
        .recover(e -> Future.failedFuture(e instanceof CloudException ? e
            : new CloudException(CloudException.Kind.PERMANENT, e.getMessage(), e)))
        .map(done -> {
          ending.move(vm, target);
          LOG.info("{} {}", instanceId, target == InstanceState.SUSPENDED ? "paused (QMP stop)" : "resumed (QMP cont)");
          return null;
        });
  }

  Future<Void> close() {
    return unix.close();
  }

  private Future<QmpClient> connect(Vm vm, int attempt) {
    return QmpClient.connect(fleet.vertx, unix, vm.paths.qmp(), QMP_TIMEOUT).recover(e -> {
      if (attempt >= QMP_CONNECT_TRIES || vm.state.isTerminal() || fleet.closed) {
        return Future.failedFuture(new CloudException(CloudException.Kind.TRANSIENT,
            "cannot connect to the QMP socket " + vm.paths.qmp() + ": " + e.getMessage(), e));
      }
      Promise<QmpClient> later = Promise.promise();
      fleet.vertx.setTimer(QMP_RETRY_MS * attempt, t -> connect(vm, attempt + 1).onComplete(later));
      return later.future();
    });
  }

  private void onQmpEvent(Vm vm, QmpClient.QmpEvent event) {
    switch (event.name()) {
      case "STOP" -> ending.move(vm, InstanceState.SUSPENDED);
      case "RESUME" -> ending.move(vm, InstanceState.RUNNING);
      case "SHUTDOWN" -> {
        if (!vm.stopRequested && vm.reason == null) {
          vm.reason = "the guest shut down (" + event.data().getString("reason", "unknown reason") + ")";
        }
      }
      default -> { }
    }
  }

  /** QEMU exited (or, rarely, dropped the connection): find out which, and end the VM or reconnect. */
  private void onQmpClosed(Vm vm, QmpClient qmp) {
    if (vm.qmp == qmp) {
      vm.qmp = null;
    }
    if (fleet.closed || vm.exited || vm.stopRequested) {
      return; // left to the next gateway, already ending, or the stop sequence watches the process itself
    }
    ending.powerOff().awaitGone(vm, EXIT_GRACE).onComplete(gone -> {
      if (gone.succeeded()) {
        if (vm.reason == null) {
          vm.reason = "QEMU exited by itself" + VmFleet.lastConsoleLine(vm);
        }
        ending.exited(vm);
      } else if (!vm.stopRequested && !fleet.closed) {
        LOG.warn("{}: QMP connection lost while QEMU still runs; reconnecting", vm.id());
        attach(vm).onFailure(e -> ending.fail(vm, "QMP connection lost: " + e.getMessage()));
      }
    });
  }
}
