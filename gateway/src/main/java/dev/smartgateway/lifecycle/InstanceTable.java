package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every resource, pool and instance the gateway holds, and the read model operators see. Memory follows
 * what is live: a resource with nothing running, starting or waiting is forgotten (DESIGN section 6). The
 * warm path reads {@link #existing}; everything else runs on the control context.
 */
final class InstanceTable {

  private static final int EARLY_EVENTS_KEPT = 1024;

  private final ConcurrentHashMap<String, ResourceEntry> resources = new ConcurrentHashMap<>();
  /**
   * Instances by provider and the cloud's id: two providers (per-resource overrides) may both issue {@code vm-3},
   * and one cloud's event must never reach the other cloud's VM.
   */
  private final Map<CloudKey, ManagedInstance> byInstanceId = new HashMap<>();
  /** Instances in routing (starting to draining), all resources: limits.maxInstances. */
  private int live;
  /** Cloud events that overtook the answer to our own start call (a VM that boots in 0 ms). */
  private final Map<CloudKey, Instance> earlyEvents = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<CloudKey, Instance> eldest) {
      return size() > EARLY_EVENTS_KEPT;
    }
  };

  /** The resource's entry if it has one; any thread. */
  ResourceEntry existing(String resource) {
    return resources.get(resource);
  }

  ResourceEntry entry(String resource) {
    return resources.computeIfAbsent(resource, ResourceEntry::new);
  }

  Pool pool(String resource, GroupSet groups) {
    return entry(resource).pools.computeIfAbsent(groups, g -> new Pool(resource, g));
  }

  void add(ManagedInstance mi) {
    mi.pool.instances.add(mi);
    entry(mi.resource).add(mi);
    live++;
  }

  /** Takes the instance out of routing (it may still be stopping in the cloud). */
  void remove(ManagedInstance mi) {
    mi.pool.instances.remove(mi);
    ResourceEntry entry = resources.get(mi.resource);
    if (entry != null) {
      if (entry.remove(mi)) {
        live--;
      }
      forgetIfIdle(entry);
    }
  }

  void forgetIfIdle(ResourceEntry entry) {
    entry.pools.values().removeIf(Pool::isEmpty);
    if (entry.isIdle()) {
      resources.remove(entry.resource, entry);
    }
  }

  record CloudKey(CloudProvider provider, String id) {
  }

  void bind(CloudProvider provider, String instanceId, ManagedInstance mi) {
    byInstanceId.put(new CloudKey(provider, instanceId), mi);
  }

  void unbind(CloudProvider provider, String instanceId) {
    byInstanceId.remove(new CloudKey(provider, instanceId));
  }

  ManagedInstance byId(CloudProvider provider, String instanceId) {
    return byInstanceId.get(new CloudKey(provider, instanceId));
  }

  /** An instance with this id at any provider (operators name instances by id alone): the first found, or null. */
  ManagedInstance byId(String instanceId) {
    for (Map.Entry<CloudKey, ManagedInstance> e : byInstanceId.entrySet()) {
      if (e.getKey().id().equals(instanceId)) {
        return e.getValue();
      }
    }
    return null;
  }

  void early(CloudProvider provider, Instance event) {
    earlyEvents.put(new CloudKey(provider, event.id()), event);
  }

  Instance takeEarly(CloudProvider provider, String instanceId) {
    return earlyEvents.remove(new CloudKey(provider, instanceId));
  }

  /** Instances in routing, all resources. */
  int liveCount() {
    return live;
  }

  /** Resources the gateway holds something for. */
  int resourceCount() {
    return resources.size();
  }

  /** Instances the cloud knows and the gateway still tracks (including ones being stopped). */
  int trackedCount() {
    return byInstanceId.size();
  }

  Iterable<ResourceEntry> entries() {
    return resources.values();
  }

  List<InstanceView> views() {
    List<InstanceView> views = new ArrayList<>();
    for (ResourceEntry entry : resources.values()) {
      for (ManagedInstance mi : entry.instances) {
        String endpoint = mi.host == null ? null : mi.host + ":" + mi.port;
        views.add(mi.view());
      }
    }
    return views;
  }
}
