package dev.smartgateway.cloudmock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One VM as the API shows it at one moment; every state change makes a new value.
 *
 * @param endpoint "http://127.0.0.1:PORT" while its server listens (RUNNING, STOPPING), otherwise null
 * @param bootMs   the drawn boot delay
 * @param readyAt  epoch ms at which its port opened; null if it never did
 */
record Vm(String id, String resource, List<String> groups, VmState state, String endpoint,
          long createdAt, long bootMs, Long readyAt) {

  Vm {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(state, "state");
    groups = List.copyOf(groups);
  }

  Vm running(String endpoint, long readyAt) {
    return new Vm(id, resource, groups, VmState.RUNNING, endpoint, createdAt, bootMs, readyAt);
  }

  Vm stopping() {
    return new Vm(id, resource, groups, VmState.STOPPING, endpoint, createdAt, bootMs, readyAt);
  }

  /** STOPPED or FAILED: the server is gone, so the endpoint goes too (readyAt stays as history). */
  Vm ended(VmState finalState) {
    return new Vm(id, resource, groups, finalState, null, createdAt, bootMs, readyAt);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("resource", resource)
        .put("groups", new JsonArray(new ArrayList<>(groups)))
        .put("state", state.name())
        .put("endpoint", endpoint)
        .put("createdAt", createdAt)
        .put("bootMs", bootMs)
        .put("readyAt", readyAt);
  }
}
