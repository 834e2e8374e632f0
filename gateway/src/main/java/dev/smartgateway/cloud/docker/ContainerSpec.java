package dev.smartgateway.cloud.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to run one resource: the parsed {@code provider.resources.<id>} section.
 *
 * @param resource    the resource id
 * @param image       a local image (never pulled)
 * @param command     the container's command, replacing the image's CMD; null for the image's own. Placeholders
 *                    {@code {port}}, {@code {host}}, {@code {resource}}, {@code {groups}}, {@code {instance}}
 * @param env         variables on top of the image's; values may use the placeholders too
 * @param labels      extra container labels (never the adapter's own, see {@link Labels})
 * @param port        the port the container serves on. With host networking, null means "pick a free loopback port
 *                    per container and pass it as {@code {port}}" (a fixed port allows one container per host);
 *                    with another network it is required: the container port, published on a free host port
 * @param network     {@code host}, or the name of a Docker network (the port is then published on the host)
 * @param readiness   what the adapter checks before it reports RUNNING
 * @param stopTimeout how long the container may take to exit after SIGTERM before the daemon kills it
 * @param memoryBytes memory limit; 0 for none
 * @param nanoCpus    CPU limit in billionths of a CPU; 0 for none
 * @param init        run the daemon's init (docker-init, Podman's catatonit) as the container's process 1: a program
 *                    that is process 1 gets no default signal handling, so one without a SIGTERM handler of its
 *                    own (busybox httpd) would ignore the stop signal and be killed only after stopTimeout
 */
record ContainerSpec(String resource, String image, List<String> command, Map<String, String> env,
                     Map<String, String> labels, Integer port, String network, Readiness readiness,
                     Duration stopTimeout, long memoryBytes, long nanoCpus, boolean init) {

  static final String HOST_NETWORK = "host";
  static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

  ContainerSpec {
    command = command == null ? null : List.copyOf(command);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
  }

  /**
   * The adapter's own check that the container serves, after the daemon says it runs (and, if the image has a
   * HEALTHCHECK, that it is healthy).
   *
   * @param path    null: a TCP connect suffices; otherwise an HTTP GET of this path must answer 2xx or 3xx
   * @param timeout a container not ready by then is removed and reported FAILED
   */
  record Readiness(String path, Duration timeout) {

    boolean isTcp() {
      return path == null;
    }
  }

  boolean hostNetwork() {
    return HOST_NETWORK.equals(network);
  }

  /**
   * What one container is told, with the placeholders' values.
   *
   * @param instance the instance id (the container's name)
   * @param host     the adapter's host: where the gateway connects, and where a port is published
   * @param hostPort the port the gateway connects to on the adapter's host: the one the container listens on
   *                 with host networking, the published one otherwise (the container listens on {@link #port})
   */
  record Placement(String instance, String host, int hostPort, Set<String> groups) {
  }

  /** The command with its placeholders filled in; null to keep the image's CMD. */
  List<String> commandLine(Placement placement) {
    if (command == null) {
      return null;
    }
    List<String> line = new ArrayList<>(command.size());
    for (String arg : command) {
      line.add(fill(arg, placement));
    }
    return line;
  }

  /**
   * The container's variables. The adapter's own ({@code PORT}, {@code SMART_GATEWAY_*}) win over configured ones:
   * a container told a different port than the one the adapter checks would never become ready.
   */
  Map<String, String> environment(Placement placement) {
    Map<String, String> vars = new LinkedHashMap<>();
    env.forEach((name, value) -> vars.put(name, fill(value, placement)));
    vars.put("PORT", Integer.toString(containerPort(placement)));
    vars.put("SMART_GATEWAY_RESOURCE", resource);
    vars.put("SMART_GATEWAY_GROUPS", joinGroups(placement.groups()));
    vars.put("SMART_GATEWAY_INSTANCE", placement.instance());
    return vars;
  }

  /** The port the process in the container listens on. */
  int containerPort(Placement placement) {
    return hostNetwork() ? placement.hostPort() : port;
  }

  /**
   * The address the process in the container should listen on ({@code {host}}): the adapter's host with host
   * networking; every address of the container's own network namespace otherwise, since the daemon's published
   * port reaches it from outside that namespace.
   */
  String bindHost(Placement placement) {
    return hostNetwork() ? placement.host() : "0.0.0.0";
  }

  private String fill(String template, Placement placement) {
    return template.replace("{port}", Integer.toString(containerPort(placement)))
        .replace("{host}", bindHost(placement))
        .replace("{resource}", resource)
        .replace("{groups}", joinGroups(placement.groups()))
        .replace("{instance}", placement.instance());
  }

  /** Sorted so that the same set always gives the same text (groups are a set, DESIGN section 3). */
  static String joinGroups(Set<String> groups) {
    return String.join(",", new TreeSet<>(groups));
  }
}
