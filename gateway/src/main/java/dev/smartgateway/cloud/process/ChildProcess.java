package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One instance of the {@code process} provider: a child process we launched, or a process a previous
 * gateway launched and we adopted. Mutable; confined to the provider's context.
 */
final class ChildProcess {

  final String id;
  final String resource;
  final Set<String> groups;
  /** Null for an adopted child whose resource is no longer configured. */
  final ProcessSpec spec;
  final boolean adopted;
  /** The gateway it was started for ({@link Instance#OWNER}); null if none. */
  final String owner;
  final ChildOutput output;
  /** Completes once the child reached STOPPED or FAILED and its files are gone. */
  final Promise<Void> ended = Promise.promise();
  /** The running stop sequence (signal, wait, kill, sweep), once one started; null before. */
  Future<Void> termination;

  /** Null when adopted: a process that is not our child has only a handle (no exit code). */
  Process process;
  ProcessHandle handle;
  int port;
  List<String> commandLine;
  Instant startedAt;
  /** Whether it leads its own process group: then signals go to the group (see {@link ProcessLauncher}). */
  boolean processGroup;
  int launches = 1;
  boolean relaunching;

  InstanceState state;
  boolean stopRequested;
  Integer exitCode;
  String reason;
  ReadinessCheck readiness;

  ChildProcess(String id, String resource, Set<String> groups, ProcessSpec spec, boolean adopted, String owner,
               ChildOutput output, InstanceState state) {
    this.id = id;
    this.owner = owner;
    this.resource = resource;
    this.groups = Set.copyOf(groups);
    this.spec = spec;
    this.adopted = adopted;
    this.output = output;
    this.state = state;
  }

  void attach(ProcessLauncher.Launch launch) {
    attach(launch.process(), launch.process().toHandle(), launch.port(), launch.commandLine(), launch.startedAt(),
        launch.processGroup());
  }

  void attach(Process process, ProcessHandle handle, int port, List<String> commandLine, Instant startedAt,
              boolean processGroup) {
    this.process = process;
    this.handle = handle;
    this.port = port;
    this.commandLine = List.copyOf(commandLine);
    this.startedAt = startedAt;
    this.processGroup = processGroup;
  }

  StopSignal stopSignal() {
    return spec != null ? spec.stopSignal() : ProcessSpec.DEFAULT_STOP_SIGNAL;
  }

  Duration stopTimeout() {
    return spec != null ? spec.stopTimeout() : ProcessSpec.DEFAULT_STOP_TIMEOUT;
  }

  void cancelReadiness() {
    if (readiness != null) {
      readiness.cancel();
      readiness = null;
    }
  }

  Instance toInstance(String host) {
    URI address = URI.create("http://" + hostForUri(host) + ":" + port);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("pid", Long.toString(handle.pid()));
    metadata.put("port", Integer.toString(port));
    // Where the child listens; the endpoint proper is only set once it is RUNNING.
    metadata.put("address", address.toString());
    metadata.put("command", String.join(" ", commandLine));
    metadata.put("startedAt", startedAt.toString());
    metadata.put("adopted", Boolean.toString(adopted));
    if (owner != null) {
      metadata.put(Instance.OWNER, owner);
    }
    if (launches > 1) {
      metadata.put("launches", Integer.toString(launches));
    }
    if (exitCode != null) {
      metadata.put("exitCode", Integer.toString(exitCode));
    }
    if (reason != null) {
      metadata.put("reason", reason);
    }
    return new Instance(id, resource, groups, state, state == InstanceState.RUNNING ? address : null, metadata);
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
