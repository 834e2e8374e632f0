package dev.smartgateway.cloud.process;

import java.nio.file.Path;
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
 * @param command     program and arguments (no shell), with {@code {port}}, {@code {resource}}, {@code {groups}}
 * @param workingDir  the child's working directory, or null for the gateway's
 * @param env         extra environment variables on top of the gateway's own; values may use the placeholders too
 * @param readiness   what the adapter checks before it reports RUNNING
 * @param stopSignal  sent first by {@code stop}
 * @param stopTimeout how long the child may take to exit after {@code stopSignal} before it is killed
 */
record ProcessSpec(String resource, List<String> command, Path workingDir, Map<String, String> env,
                   Readiness readiness, StopSignal stopSignal, Duration stopTimeout) {

  /** Used for an adopted child whose resource is no longer configured: it can still be stopped. */
  static final StopSignal DEFAULT_STOP_SIGNAL = StopSignal.TERM;
  static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  ProcessSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  /**
   * The adapter's own readiness check.
   *
   * @param path    null: a TCP connect to the port suffices; otherwise an HTTP GET of this path must answer 2xx or 3xx
   * @param timeout a child not ready by then is killed and reported FAILED
   */
  record Readiness(String path, Duration timeout) {

    boolean isTcp() {
      return path == null;
    }
  }

  /** The command line with its placeholders filled in. */
  List<String> commandLine(int port, Set<String> groups) {
    List<String> line = new ArrayList<>(command.size());
    for (String arg : command) {
      line.add(fill(arg, port, groups));
    }
    return line;
  }

  /**
   * Variables the child gets on top of the inherited environment. The adapter's own ({@code PORT},
   * {@code SMART_GATEWAY_RESOURCE}, {@code SMART_GATEWAY_GROUPS}) win over configured ones: a child told a
   * different port than the one the adapter checks would never become ready.
   */
  Map<String, String> environment(int port, Set<String> groups) {
    Map<String, String> vars = new LinkedHashMap<>();
    env.forEach((name, value) -> vars.put(name, fill(value, port, groups)));
    vars.put("PORT", Integer.toString(port));
    vars.put("SMART_GATEWAY_RESOURCE", resource);
    vars.put("SMART_GATEWAY_GROUPS", joinGroups(groups));
    return vars;
  }

  private String fill(String template, int port, Set<String> groups) {
    return template.replace("{port}", Integer.toString(port))
        .replace("{resource}", resource)
        .replace("{groups}", joinGroups(groups));
  }

  /** Sorted so that the same set always gives the same text (groups are a set, DESIGN section 3). */
  static String joinGroups(Set<String> groups) {
    return String.join(",", new TreeSet<>(groups));
  }
}
