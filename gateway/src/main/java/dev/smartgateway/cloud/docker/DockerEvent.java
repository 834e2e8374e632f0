package dev.smartgateway.cloud.docker;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One container event of the daemon's {@code /events} stream, e.g.
 * {@code {"Type":"container","Action":"die","Actor":{"ID":"...","Attributes":{"name":"sg-echo-1a2b","exitCode":"137",
 * ...labels}},"timeNano":...}}. A health change comes as the action {@code "health_status: healthy"}: it is split
 * into {@link #action} {@code health_status} and {@link #detail} {@code healthy}.
 *
 * @param action     {@code start die destroy oom health_status} (see {@link ApiRequests#EVENTS}) or another one
 * @param detail     what follows {@code ": "} in the action, or null
 * @param name       the container's name: the instance id
 * @param attributes the actor's attributes: the container's labels, its name and image, and an exit code on die
 * @param timeNanos  when it happened, in nanoseconds since the epoch; 0 if absent
 */
record DockerEvent(String action, String detail, String containerId, String name, Map<String, String> attributes,
                   long timeNanos) {

  DockerEvent {
    attributes = Map.copyOf(attributes);
  }

  /** @return the event, or null for anything that is not a container event with a name */
  static DockerEvent parse(JsonObject json) {
    if (!"container".equals(json.getString("Type"))) {
      return null;
    }
    JsonObject actor = json.getJsonObject("Actor", new JsonObject());
    JsonObject attributesJson = actor.getJsonObject("Attributes", new JsonObject());
    Map<String, String> attributes = new LinkedHashMap<>();
    attributesJson.forEach(e -> attributes.put(e.getKey(), String.valueOf(e.getValue())));
    String name = attributes.get("name");
    String fullAction = json.getString("Action", json.getString("status"));
    if (name == null || fullAction == null) {
      return null;
    }
    int colon = fullAction.indexOf(": ");
    String action = colon < 0 ? fullAction : fullAction.substring(0, colon);
    String detail = colon < 0 ? null : fullAction.substring(colon + 2).trim();
    Long nanos = json.getLong("timeNano");
    if (nanos == null) {
      Long seconds = json.getLong("time");
      nanos = seconds == null ? 0L : seconds * 1_000_000_000L;
    }
    return new DockerEvent(action, detail, actor.getString("ID", json.getString("id")), name, attributes, nanos);
  }

  /** The exit code a {@code die} event carries; null for other events or when absent. */
  Integer exitCode() {
    String code = attributes.get("exitCode");
    if (code == null) {
      return null;
    }
    try {
      return Integer.valueOf(code.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  Map<String, String> labels() {
    return attributes;
  }
}
