package dev.smartgateway.admin;

import dev.smartgateway.lifecycle.InstanceView;
import dev.smartgateway.store.TaskRecord;
import dev.smartgateway.store.UsageTotal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The admin API's JSON shapes (described in {@code admin/openapi.yaml}). */
final class AdminJson {

  private AdminJson() {
  }

  static JsonObject instance(InstanceView v, long now) {
    return new JsonObject()
        .put("resource", v.resource())
        .put("groups", new JsonArray(v.groups().stream().sorted().toList()))
        .put("instanceId", v.instanceId())
        .put("ref", v.ref())
        .put("state", v.state().name())
        .put("endpoint", v.endpoint())
        .put("inFlight", v.inFlight())
        .put("waiting", v.waiting())
        .put("createdAt", v.createdAt())
        .put("readyAt", v.readyAt() == 0 ? null : v.readyAt())
        .put("ageMs", Math.max(0, now - v.createdAt()))
        .put("manager", v.manager())
        .put("mirrored", v.mirrored());
  }

  static JsonObject task(TaskRecord t) {
    JsonArray steps = new JsonArray();
    t.steps().forEach(s -> steps.add(new JsonObject().put("name", s.name()).put("at", s.at()).put("detail", s.detail())));
    return new JsonObject()
        .put("id", t.id())
        .put("kind", t.kind())
        .put("origin", t.origin())
        .put("resource", t.resource())
        .put("groups", new JsonArray(t.groups()))
        .put("instanceId", t.instanceId())
        .put("ref", t.ref())
        .put("state", t.state().label())
        .put("createdAt", t.createdAt())
        .put("updatedAt", t.updatedAt())
        .put("steps", steps)
        .put("result", t.result())
        .put("error", t.error())
        .put("gateway", t.gateway());
  }

  static JsonObject usage(UsageTotal u) {
    return new JsonObject()
        .put("resource", u.resource())
        .put("groups", new JsonArray(u.groups()))
        .put("instanceSeconds", u.instanceSeconds())
        .put("instances", u.instances());
  }
}
