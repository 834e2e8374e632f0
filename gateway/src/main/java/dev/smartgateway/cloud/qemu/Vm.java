package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Promise;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One instance of the {@code qemu} provider: a QEMU process we launched, or one a previous gateway launched and we
 * adopted. Mutable; confined to the provider's context.
 */
final class Vm {

  final VmRecord record;
  final VmPaths paths;
  /** Null for an adopted VM whose resource is no longer configured: it can still be stopped. */
  final VmSpec spec;
  final boolean adopted;
  final ProcessHandle process;
  final ConsoleLog console;
  /** Completes once the VM is STOPPED or FAILED and its files are gone. */
  final Promise<Void> ended = Promise.promise();

  InstanceState state;
  /** The open QMP connection, or null (not yet connected, lost, or left to the next gateway). */
  QmpClient qmp;
  boolean stopRequested;
  /** Being ended because it cannot serve (it then ends FAILED, not STOPPED). */
  boolean failing;
  /** The QEMU process is known to be gone; its end is being recorded. */
  boolean exited;
  String reason;
  long forgetTimer = -1;

  Vm(VmRecord record, VmPaths paths, VmSpec spec, boolean adopted, ProcessHandle process, ConsoleLog console,
     InstanceState state) {
    this.record = record;
    this.paths = paths;
    this.spec = spec;
    this.adopted = adopted;
    this.process = process;
    this.console = console;
    this.state = state;
  }

  String id() {
    return record.id();
  }

  Set<String> groups() {
    return record.groups();
  }

  java.time.Duration stopTimeout() {
    return spec != null ? spec.stopTimeout() : VmSpec.DEFAULT_STOP_TIMEOUT;
  }

  Instance toInstance(String host) {
    URI address = URI.create("http://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
        + ":" + record.port());
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("pid", Long.toString(record.pid()));
    metadata.put("port", Integer.toString(record.port()));
    // Where the guest is forwarded to; the endpoint proper is set only while it runs.
    metadata.put("address", address.toString());
    metadata.put("accel", record.accel());
    metadata.put("startedAt", record.startedAt().toString());
    metadata.put("adopted", Boolean.toString(adopted));
    metadata.put("console", paths.console().toString());
    if (record.owner() != null) {
      metadata.put(Instance.OWNER, record.owner());
    }
    if (reason != null) {
      metadata.put("reason", reason);
    }
    boolean serves = state == InstanceState.RUNNING || state == InstanceState.SUSPENDED;
    return new Instance(record.id(), record.resource(), record.groups(), state, serves ? address : null, metadata);
  }
}
