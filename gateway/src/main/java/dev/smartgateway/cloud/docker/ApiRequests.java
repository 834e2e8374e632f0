package dev.smartgateway.cloud.docker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paths and bodies of the Engine API calls the adapter makes, built from its settings: pure functions, so that
 * what is sent to the daemon is checked without one.
 */
final class ApiRequests {

  /**
   * The event kinds the adapter acts on. Health checks run as execs every interval: without this filter the stream
   * would carry three exec events per check and container.
   */
  static final List<String> EVENTS = List.of("start", "die", "destroy", "oom", "health_status");

  private ApiRequests() {
  }

  /** {@code POST /containers/create?name=...}: the container's name is its instance id. */
  static String createPath(String name) {
    return "/containers/create?name=" + encode(name);
  }

  /**
   * The body of a create: the image, its command and variables, the adapter's labels (owner, resource, groups,
   * port) on top of the configured ones, the network, and the limits.
   *
   * @param owner the provider's owner; null for a provider without one (no owner label)
   */
  static JsonObject createBody(ContainerSpec spec, ContainerSpec.Placement placement, String owner) {
    JsonObject body = new JsonObject().put("Image", spec.image());
    List<String> command = spec.commandLine(placement);
    if (command != null) {
      body.put("Cmd", new JsonArray(new ArrayList<>(command)));
    }
    JsonArray env = new JsonArray();
    spec.environment(placement).forEach((name, value) -> env.add(name + "=" + value));
    body.put("Env", env);
    body.put("Labels", new JsonObject(new LinkedHashMap<>(labels(spec, placement, owner))));
    // The daemon's own default for stop requests without ?t= (a `docker stop` by hand) matches the adapter's.
    body.put("StopTimeout", stopSeconds(spec));

    JsonObject hostConfig = new JsonObject().put("NetworkMode", spec.network());
    if (!spec.hostNetwork()) {
      String port = spec.port() + "/tcp";
      body.put("ExposedPorts", new JsonObject().put(port, new JsonObject()));
      hostConfig.put("PortBindings", new JsonObject().put(port, new JsonArray().add(new JsonObject()
          .put("HostIp", placement.host())
          .put("HostPort", Integer.toString(placement.hostPort())))));
    }
    if (spec.init()) {
      hostConfig.put("Init", true);
    }
    if (spec.memoryBytes() > 0) {
      hostConfig.put("Memory", spec.memoryBytes());
    }
    if (spec.nanoCpus() > 0) {
      hostConfig.put("NanoCpus", spec.nanoCpus());
    }
    body.put("HostConfig", hostConfig);
    return body;
  }

  /** The adapter's labels win over configured ones (the parser refuses those anyway). */
  static Map<String, String> labels(ContainerSpec spec, ContainerSpec.Placement placement, String owner) {
    Map<String, String> labels = new LinkedHashMap<>(spec.labels());
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    if (owner != null) {
      labels.put(Labels.OWNER, owner);
    }
    labels.put(Labels.RESOURCE, spec.resource());
    labels.put(Labels.GROUPS, ContainerSpec.joinGroups(placement.groups()));
    labels.put(Labels.PORT, Integer.toString(placement.hostPort()));
    return labels;
  }

  /** {@code POST /containers/{name}/stop?t=...}: how long the container may take after SIGTERM. */
  static String stopPath(String name, long seconds) {
    return "/containers/" + encode(name) + "/stop?t=" + seconds;
  }

  /**
   * The stop timeout in whole seconds (the daemon's unit), rounded up so that a configured 1500ms is not cut to 1s.
   *
   * @param spec null for a container whose resource is no longer configured: the default applies
   */
  static long stopSeconds(ContainerSpec spec) {
    long millis = (spec == null ? ContainerSpec.DEFAULT_STOP_TIMEOUT : spec.stopTimeout()).toMillis();
    return (millis + 999) / 1000;
  }

  /** {@code DELETE /containers/{name}?force=true&v=true}: also its anonymous volumes, which nobody else can use. */
  static String removePath(String name) {
    return "/containers/" + encode(name) + "?force=true&v=true";
  }

  /** {@code POST /containers/{name}/pause} or {@code .../unpause}. */
  static String pausePath(String name, boolean pause) {
    return "/containers/" + encode(name) + (pause ? "/pause" : "/unpause");
  }

  static String inspectPath(String name) {
    return "/containers/" + encode(name) + "/json";
  }

  static String startPath(String name) {
    return "/containers/" + encode(name) + "/start";
  }

  /**
   * {@code GET /containers/json?all=true&filters=...}: this adapter's containers of {@code owner}, in any state. A
   * provider without an owner cannot ask the daemon for "no owner label", so it gets every managed container and
   * keeps those without an owner itself.
   */
  static String listPath(String owner) {
    return "/containers/json?all=true&filters=" + encode(ownerFilter(owner).encode());
  }

  /**
   * {@code GET /events?filters=...}: container events of this owner's containers, of the kinds in {@link #EVENTS},
   * from {@code sinceNanos} on (0: from now), so that a reconnected stream replays what it missed.
   */
  static String eventsPath(String owner, long sinceNanos) {
    JsonObject filters = ownerFilter(owner)
        .put("type", new JsonArray().add("container"))
        .put("event", new JsonArray(new ArrayList<>(EVENTS)));
    String path = "/events?filters=" + encode(filters.encode());
    if (sinceNanos > 0) {
      path += "&since=" + sinceNanos / 1_000_000_000L + "." + String.format("%09d", sinceNanos % 1_000_000_000L);
    }
    return path;
  }

  /** {@code GET /containers/{name}/logs}: the last lines of both streams, for the reason of a failure. */
  static String logsPath(String name, int lines) {
    return "/containers/" + encode(name) + "/logs?stdout=true&stderr=true&tail=" + lines;
  }

  private static JsonObject ownerFilter(String owner) {
    JsonArray labels = new JsonArray().add(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE);
    if (owner != null) {
      labels.add(Labels.OWNER + "=" + owner);
    }
    return new JsonObject().put("label", labels);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
