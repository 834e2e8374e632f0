package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.config.Durations;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The states of a VM's life after its start, and how it ends: a stop asked for (STOPPING, then STOPPED once QEMU is
 * gone), a VM that cannot serve (powered off the same way, reported FAILED with the reason), or a QEMU that exited by
 * itself. Every end removes the VM's files and pushes one terminal event; the VM stays listed for {@code forgetAfter}.
 * On the provider's context.
 */
final class VmEnding {

  /** The provider's logger, as before this was split off: operators who tuned it keep seeing these lines. */
  private static final Logger LOG = LoggerFactory.getLogger(QemuCloudProvider.class);

  private final VmFleet fleet;
  private final PowerOff powerOff;

  VmEnding(VmFleet fleet) {
    this.fleet = fleet;
    this.powerOff = new PowerOff(fleet.vertx, fleet.context);
  }

  PowerOff powerOff() {
    return powerOff;
  }

  /** A state change while the VM lives, pushed once; no way back from stopping or an end. */
  void move(Vm vm, InstanceState state) {
    if (vm.state == state || vm.state.isTerminal() || vm.stopRequested) {
      return;
    }
    vm.state = state;
    fleet.push(vm);
  }

  /** Ends a VM that cannot serve: powered off like on a stop, but reported FAILED with the reason. */
  void fail(Vm vm, String reason) {
    if (!vm.stopRequested) {
      vm.failing = true;
      vm.reason = reason;
    }
    stop(vm);
  }

  /** Answers once the VM is STOPPED (or FAILED meanwhile) and its files are gone. */
  Future<Void> stop(Vm vm) {
    if (vm.state.isTerminal()) {
      return Future.succeededFuture();
    }
    if (!vm.stopRequested) {
      vm.stopRequested = true;
      vm.state = InstanceState.STOPPING;
      LOG.info("Stopping {} (pid {}): ACPI power button, {} before it is ended", vm.id(), vm.record.pid(),
          Durations.format(vm.stopTimeout()));
      fleet.push(vm);
      powerOff.run(vm).onComplete(ar -> {
        if (ar.failed()) {
          LOG.error("{}", ar.cause().getMessage());
          vm.failing = true;
          vm.reason = ar.cause().getMessage();
        }
        exited(vm);
      });
    }
    return vm.ended.future();
  }

  /** The QEMU process is gone: last console lines, files removed, terminal event; forgotten after forgetAfter. */
  void exited(Vm vm) {
    if (vm.exited) {
      return;
    }
    vm.exited = true;
    if (vm.qmp != null) {
      vm.qmp.close();
    }
    InstanceState end = vm.stopRequested && !vm.failing ? InstanceState.STOPPED : InstanceState.FAILED;
    fleet.pump.finish(vm.console)
        .transform(ar -> fleet.context.executeBlocking(() -> {
          fleet.dir.deleteAll(vm.id());
          return null;
        }, false))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("Cannot remove the files of {}: {}", vm.id(), ar.cause().toString());
          }
          vm.state = end;
          if (end == InstanceState.FAILED) {
            LOG.warn("{} (pid {}) failed: {}", vm.id(), vm.record.pid(), vm.reason);
          } else {
            LOG.info("{} (pid {}) stopped", vm.id(), vm.record.pid());
          }
          fleet.push(vm);
          vm.ended.tryComplete();
          if (!fleet.closed) {
            fleet.vms.forgetAfter(vm.id(), vm, fleet.settings.forgetAfter());
          }
        });
  }
}
