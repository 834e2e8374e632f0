package dev.smartgateway.observe;

import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.store.HistoryEvent;
import dev.smartgateway.store.TaskRecord;
import dev.smartgateway.store.TaskState;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** How lifecycle events and task transitions become entries of the history, and how entries read as JSON. */
public final class HistoryEvents {

  private HistoryEvents() {
  }

  public static HistoryEvent of(LifecycleEvent e, String gateway) {
    LifecycleEvent.Phases p = e.phases();
    JsonObject detail = new JsonObject();
    if (p.cloudCallMs() >= 0) {
      detail.put("cloudCallMs", p.cloudCallMs());
    }
    if (p.bootMs() >= 0) {
      detail.put("bootMs", p.bootMs());
    }
    if (p.probeMs() >= 0) {
      detail.put("probeMs", p.probeMs());
    }
    return new HistoryEvent(0, e.at(), HistoryEvent.LIFECYCLE, e.type().name(), e.resource(), sorted(e.groups()),
        e.instanceId(), e.ref(), null, e.from() == null ? null : e.from().name(), e.to().name(), e.reason(), gateway,
        detail.isEmpty() ? null : detail.encode());
  }

  /** A task reached {@code task.state()} from {@code from} (null when it was created). */
  public static HistoryEvent of(TaskRecord task, TaskState from, String reason) {
    JsonObject detail = new JsonObject().put("kind", task.kind()).put("origin", task.origin());
    return new HistoryEvent(0, task.updatedAt(), HistoryEvent.TASK, task.state().label(), task.resource(),
        task.groups(), task.instanceId(), task.ref(), task.id(), from == null ? null : from.label(),
        task.state().label(), reason, task.gateway(), detail.encode());
  }

  public static JsonObject toJson(HistoryEvent e) {
    JsonObject json = new JsonObject()
        .put("id", e.id())
        .put("at", e.at())
        .put("category", e.category())
        .put("type", e.type())
        .put("resource", e.resource())
        .put("groups", e.groups())
        .put("instanceId", e.instanceId())
        .put("ref", e.ref());
    if (e.taskId() != null) {
      json.put("taskId", e.taskId());
    }
    json.put("from", e.from()).put("to", e.to()).put("reason", e.reason()).put("gateway", e.gateway());
    if (e.detail() != null) {
      json.put("detail", new JsonObject(e.detail()));
    }
    return json;
  }

  static List<String> sorted(List<String> groups) {
    return groups.stream().sorted().toList();
  }
}
