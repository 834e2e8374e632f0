package dev.smartgateway.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of every resource as they are now: the configuration file's, with the ones registered,
 * changed or removed at run time (admin API) laid over them. Read on every request (one volatile read and
 * a map lookup, no lock); changed rarely, by swapping an immutable map.
 */
public final class ResourceCatalog {

  private final ResourceSettings defaults;
  private volatile Map<String, ResourceSettings> listed;

  public ResourceCatalog(GatewayConfig config) {
    this.defaults = config.defaults();
    this.listed = Map.copyOf(config.resources());
  }

  /** The effective settings of a resource: its own if listed, the defaults otherwise. */
  public ResourceSettings settingsFor(String resource) {
    ResourceSettings own = listed.get(resource);
    return own != null ? own : defaults;
  }

  public ResourceSettings defaults() {
    return defaults;
  }

  /** Whether the resource has settings of its own. */
  public boolean isListed(String resource) {
    return listed.containsKey(resource);
  }

  /** Resources with settings of their own, by name. */
  public Map<String, ResourceSettings> listed() {
    return Collections.unmodifiableMap(new TreeMap<>(listed));
  }

  /** Registers or replaces a resource's settings; returns the previous ones, or null. */
  public synchronized ResourceSettings put(String resource, ResourceSettings settings) {
    Map<String, ResourceSettings> next = new HashMap<>(listed);
    ResourceSettings previous = next.put(resource, settings);
    listed = Map.copyOf(next);
    return previous;
  }

  /** Removes a resource's own settings (it falls back to the defaults); returns them, or null if it had none. */
  public synchronized ResourceSettings remove(String resource) {
    if (!listed.containsKey(resource)) {
      return null;
    }
    Map<String, ResourceSettings> next = new HashMap<>(listed);
    ResourceSettings previous = next.remove(resource);
    listed = Map.copyOf(next);
    return previous;
  }
}
