package dev.smartgateway.admin;

import dev.smartgateway.lifecycle.LifecycleEvent;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The last failure of each resource (a VM that failed to start, crashed or stopped answering), for the
 * resources API: what an operator looks at first. Bounded: the resources that failed most recently are kept.
 */
final class LastFailures implements Consumer<LifecycleEvent> {

  private static final int KEPT = 10_000;

  private final Map<String, JsonObject> byResource = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
      return size() > KEPT;
    }
  };

  @Override
  public void accept(LifecycleEvent e) {
    if (e.type() == LifecycleEvent.Type.FAILED) {
      JsonObject failure = new JsonObject().put("at", e.at()).put("instanceId", e.instanceId()).put("ref", e.ref())
          .put("groups", e.groups()).put("from", e.from() == null ? null : e.from().name()).put("reason", e.reason());
      synchronized (byResource) {
        byResource.put(e.resource(), failure);
      }
    }
  }

  JsonObject of(String resource) {
    synchronized (byResource) {
      JsonObject failure = byResource.get(resource);
      return failure == null ? null : failure.copy();
    }
  }
}
