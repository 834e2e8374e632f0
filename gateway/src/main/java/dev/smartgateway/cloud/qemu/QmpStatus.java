package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.InstanceState;

/** What QEMU's run state ({@code query-status}'s {@code status}) means for the gateway. */
final class QmpStatus {

  private QmpStatus() {
  }

  /**
   * RUNNING while the guest runs; SUSPENDED while paused ({@code stop}, or a guest suspended to RAM); FAILED when it
   * can never run again without help (shut down with {@code -no-shutdown}, panicked, an internal error such as a KVM
   * that cannot work); BOOTING for the short states around start-up and migration.
   */
  static InstanceState state(String status) {
    return switch (status == null ? "" : status) {
      case "running" -> InstanceState.RUNNING;
      case "paused", "suspended" -> InstanceState.SUSPENDED;
      case "shutdown", "guest-panicked", "internal-error", "io-error", "watchdog" -> InstanceState.FAILED;
      default -> InstanceState.BOOTING; // prelaunch, inmigrate, postmigrate, finish-migrate, restore-vm, save-vm, debug
    };
  }
}
