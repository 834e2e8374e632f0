package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One container the provider knows: one it created, or one of its owner's it found running (adopted after a
 * gateway restart). What it cannot learn from the daemon at any moment lives here: whether its readiness check
 * passed, whether a stop was asked for, why it failed. Mutable; confined to the provider's context.
 */
final class TrackedContainer {

  /** The container's name, which is also the instance id. */
  final String name;
  final String resource;
  final Set<String> groups;
  /** The gateway it was started for ({@link Instance#OWNER}); null if none. */
  final String owner;
  /** Null for an adopted container whose resource is no longer configured: it can still be stopped. */
  final ContainerSpec spec;
  /** The port the gateway connects to on the adapter's host. */
  final int port;
  final boolean adopted;

  String containerId;
  String image;
  InstanceState state;
  BootWatch boot;
  boolean stopRequested;
  /** The running stop (stop, then remove), once asked for; answers every later stop call too. */
  Future<Void> stopping;
  /** Removing a container that ended by itself; a stop call waits for it. */
  Future<Void> cleanup;
  /** It exited by itself and its end is being recorded (last log lines fetched, then FAILED). */
  boolean ending;
  /** The daemon said the kernel killed it for want of memory. */
  boolean oomKilled;
  Integer exitCode;
  String reason;
  long forgetTimer = -1;

  TrackedContainer(String name, String resource, Set<String> groups, String owner, ContainerSpec spec, int port,
                   boolean adopted, InstanceState state) {
    this.name = name;
    this.resource = resource;
    this.groups = Set.copyOf(groups);
    this.owner = owner;
    this.spec = spec;
    this.port = port;
    this.adopted = adopted;
    this.state = state;
  }

  void cancelBoot() {
    if (boot != null) {
      boot.cancel();
      boot = null;
    }
  }

  /** As the SPI reports it; the endpoint only while RUNNING. */
  Instance toInstance(String host) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (owner != null) {
      metadata.put(Instance.OWNER, owner);
    }
    if (containerId != null) {
      metadata.put("containerId", containerId.length() > 12 ? containerId.substring(0, 12) : containerId);
    }
    if (image != null) {
      metadata.put("image", image);
    }
    metadata.put("port", Integer.toString(port));
    if (spec != null) {
      metadata.put("network", spec.network());
    }
    if (adopted) {
      metadata.put("adopted", "true");
    }
    if (exitCode != null) {
      metadata.put("exitCode", exitCode.toString());
    }
    if (reason != null) {
      metadata.put("reason", reason);
    }
    URI endpoint = state == InstanceState.RUNNING ? URI.create("http://" + hostForUri(host) + ":" + port) : null;
    return new Instance(name, resource, groups, state, endpoint, metadata);
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
