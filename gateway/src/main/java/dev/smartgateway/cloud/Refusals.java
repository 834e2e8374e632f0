package dev.smartgateway.cloud;

import java.util.Set;

/**
 * The typed failures the built-in adapters give for the same two mistakes, worded alike so that an operator reads one
 * message whichever adapter runs: a call after {@code close()}, and a resource the configuration does not name.
 */
public final class Refusals {

  private Refusals() {
  }

  /** PERMANENT: a closed provider starts nothing more. */
  public static CloudException closed(String type) {
    return new CloudException(CloudException.Kind.PERMANENT, "the " + type + " provider is closed");
  }

  /** UNKNOWN_RESOURCE, naming the resources that are configured. */
  public static CloudException unknownResource(String type, String resource, Set<String> configured) {
    return new CloudException(CloudException.Kind.UNKNOWN_RESOURCE, "the " + type + " provider has no resource '"
        + resource + "' (configured: " + String.join(", ", configured) + ")");
  }
}
