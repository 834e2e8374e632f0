package dev.smartgateway.cloudmock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One VM as the API shows it at one moment; every state change makes a new value.
 *
 * @param labels   as sent on creation (e.g. {@code owner}: the gateway that started it); never changes
 * @param port     its loopback port, known from creation like a cloud's IP address; it accepts connections
 *                 only while {@code endpoint} is set. Null only if no port could be reserved (the VM then
 *                 gets one when it boots)
 * @param endpoint "http://127.0.0.1:PORT" while its server listens (RUNNING, STOPPING), otherwise null
 * @param bootMs   the drawn boot delay
 * @param readyAt  epoch ms at which its port opened; null if it never did
 */
record Vm(String id, String resource, List<String> groups, Map<String, String> labels, VmState state, Integer port,
          String endpoint, long createdAt, long bootMs, Long readyAt) {

  Vm {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(state, "state");
    groups = List.copyOf(groups);
    labels = Collections.unmodifiableMap(new TreeMap<>(labels == null ? Map.of() : labels));
  }

  /** Whether the VM carries every one of these labels with the value given. */
  boolean hasLabels(Map<String, String> wanted) {
    for (Map.Entry<String, String> label : wanted.entrySet()) {
      if (!label.getValue().equals(labels.get(label.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Listening: {@code port} is where it really listens, which differs from the reserved one after a fallback. */
  Vm running(int port, String endpoint, long readyAt) {
    return new Vm(id, resource, groups, labels, VmState.RUNNING, port, endpoint, createdAt, bootMs, readyAt);
  }

  /** Paused or resumed ({@code to}: SUSPENDED or RUNNING); it keeps its port and endpoint. */
  Vm paused(VmState to) {
    return new Vm(id, resource, groups, labels, to, port, endpoint, createdAt, bootMs, readyAt);
  }

  Vm stopping() {
    return new Vm(id, resource, groups, labels, VmState.STOPPING, port, endpoint, createdAt, bootMs, readyAt);
  }

  /**
   * STOPPED or FAILED: the server is gone, so the endpoint goes too. The port stays as history, like
   * readyAt; it is free again and a later VM may be given it.
   */
  Vm ended(VmState finalState) {
    return new Vm(id, resource, groups, labels, finalState, port, null, createdAt, bootMs, readyAt);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("resource", resource)
        .put("groups", new JsonArray(new ArrayList<>(groups)))
        .put("labels", new JsonObject(new LinkedHashMap<>(labels)))
        .put("state", state.name())
        .put("port", port)
        .put("endpoint", endpoint)
        .put("createdAt", createdAt)
        .put("bootMs", bootMs)
        .put("readyAt", readyAt);
  }
}
