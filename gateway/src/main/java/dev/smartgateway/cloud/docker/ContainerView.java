package dev.smartgateway.cloud.docker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the daemon says about one container, from an inspect ({@code GET /containers/{id}/json}) or a list entry
 * ({@code GET /containers/json}), in one shape. A list entry says less: its exit code and health come from the
 * human-readable {@code Status} ("Exited (137) 3 seconds ago", "Up 2 seconds (healthy)").
 *
 * @param id        the daemon's id (64 hex digits)
 * @param name      without the leading '/': the instance id of the containers the adapter creates
 * @param status    {@code created running paused restarting removing exited dead}
 * @param exitCode  once it exited; null before, or when unknown
 * @param oomKilled whether the kernel killed it for want of memory
 * @param health    {@code starting healthy unhealthy}, or null for an image without a HEALTHCHECK
 * @param error     the daemon's error for a container that could not run (e.g. the runtime's message); may be empty
 */
record ContainerView(String id, String name, String image, Map<String, String> labels, String status,
                     Integer exitCode, boolean oomKilled, String health, String error) {

  private static final Pattern EXITED = Pattern.compile("^Exited \\((-?\\d+)\\)");
  private static final Pattern HEALTH = Pattern.compile("\\((healthy|unhealthy|health: starting)\\)");

  ContainerView {
    labels = Map.copyOf(labels);
  }

  static ContainerView fromInspect(JsonObject json) {
    JsonObject state = json.getJsonObject("State", new JsonObject());
    JsonObject config = json.getJsonObject("Config", new JsonObject());
    String status = state.getString("Status", "");
    Integer exitCode = status.equals("exited") || status.equals("dead") ? state.getInteger("ExitCode") : null;
    JsonObject health = state.getJsonObject("Health");
    return new ContainerView(json.getString("Id"), stripSlash(json.getString("Name", "")),
        config.getString("Image", ""), labels(config.getJsonObject("Labels")), status, exitCode,
        state.getBoolean("OOMKilled", false), health == null ? null : health.getString("Status"),
        state.getString("Error", ""));
  }

  static ContainerView fromList(JsonObject json) {
    JsonArray names = json.getJsonArray("Names", new JsonArray());
    String name = names.isEmpty() ? "" : stripSlash(names.getString(0));
    String text = json.getString("Status", "");
    Matcher exited = EXITED.matcher(text);
    Matcher health = HEALTH.matcher(text);
    String healthStatus = health.find() ? health.group(1).replace("health: ", "") : null;
    return new ContainerView(json.getString("Id"), name, json.getString("Image", ""),
        labels(json.getJsonObject("Labels")), json.getString("State", ""),
        exited.find() ? Integer.valueOf(exited.group(1)) : null, false, healthStatus, "");
  }

  boolean running() {
    return status.equals("running");
  }

  /** It will not run again by itself (the adapter never sets a restart policy). */
  boolean ended() {
    return status.equals("exited") || status.equals("dead");
  }

  boolean hasHealthcheck() {
    return health != null;
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static Map<String, String> labels(JsonObject json) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return labels;
  }
}
