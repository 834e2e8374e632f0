package dev.smartgateway.cloud.docker;

import java.util.Map;

/**
 * The labels the adapter puts on every container it creates: they are its durable memory. A gateway that
 * restarts finds its containers by them (managed-by and owner), and reads back from them what it needs to serve
 * and describe them (resource, groups, port) without any file of its own.
 */
final class Labels {

  /** Every key the adapter owns starts with this; configured {@code labels} may not. */
  static final String PREFIX = "dev.smartgateway.";
  static final String MANAGED_BY = PREFIX + "managed-by";
  static final String MANAGED_BY_VALUE = "smart-gateway";
  static final String OWNER = PREFIX + "owner";
  static final String RESOURCE = PREFIX + "resource";
  static final String GROUPS = PREFIX + "groups";
  /** The port the gateway connects to on the adapter's host. */
  static final String PORT = PREFIX + "port";

  private Labels() {
  }

  static boolean managed(Map<String, String> labels) {
    return MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY));
  }

  /** Whether a container's labels say it belongs to {@code owner} (null: to a provider without one). */
  static boolean ownedBy(Map<String, String> labels, String owner) {
    return managed(labels) && java.util.Objects.equals(labels.get(OWNER), owner);
  }
}
