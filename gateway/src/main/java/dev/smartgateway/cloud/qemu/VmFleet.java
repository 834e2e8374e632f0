package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceEventStream;
import dev.smartgateway.cloud.local.InstanceTable;
import dev.smartgateway.cloud.local.OutputPump;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What the parts of one {@code qemu} provider share: its context and settings, the state directory, the VMs it
 * tracks, their consoles' pump and the event stream. Confined to the provider's context, like everything it holds.
 */
final class VmFleet {

  /** How often guests' consoles reach the log. */
  private static final long CONSOLE_PERIOD_MS = 250;

  final Vertx vertx;
  final Context context;
  final QemuSettings settings;
  final StateDir dir;
  final OutputPump pump;
  final InstanceEventStream events = new InstanceEventStream();
  final InstanceTable<Vm> vms;
  /** Set once by close(): no VM starts after it, and a VM's end no longer schedules its forgetting. */
  boolean closed;

  VmFleet(Vertx vertx, Context context, QemuSettings settings, StateDir dir) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.dir = dir;
    this.pump = new OutputPump(vertx, context, CONSOLE_PERIOD_MS);
    this.vms = new InstanceTable<>(vertx, QemuCloudProviderFactory.TYPE, this::view);
  }

  Instance view(Vm vm) {
    return vm.toInstance(settings.host());
  }

  /** Pushes the VM's current view to the event stream. */
  void push(Vm vm) {
    events.push(view(vm));
  }

  /** " (console: <last line>)" for a failure's reason, or nothing when the guest said nothing. */
  static String lastConsoleLine(Vm vm) {
    List<String> lines = vm.console.lastLines();
    return lines.isEmpty() ? "" : " (console: " + lines.get(lines.size() - 1) + ")";
  }

  /** Guests' consoles go to {@code qemu.<resource>}, so operators can tune them per resource. */
  static Logger consoleLog(String resource) {
    return LoggerFactory.getLogger("qemu." + resource);
  }
}
