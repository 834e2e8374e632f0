package dev.smartgateway.store;

/**
 * A resource registered (or unregistered) at run time through the admin API; it outlives restarts and
 * takes precedence over the configuration file's entry of the same name.
 *
 * @param resource  the resource id
 * @param settings  its settings as a JSON object's text, with the same keys as YAML; null for a tombstone
 *                  (unregistered: the file's entry, if any, no longer applies)
 * @param updatedAt epoch ms
 */
public record Registration(String resource, String settings, long updatedAt) {

  public boolean isTombstone() {
    return settings == null;
  }
}
