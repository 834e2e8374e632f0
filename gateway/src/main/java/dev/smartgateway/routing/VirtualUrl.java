package dev.smartgateway.routing;

import dev.smartgateway.access.GroupSet;

/**
 * A parsed virtual URL {@code /{prefix}/{resource}/{groups}[/{rest}][?{query}]}.
 *
 * @param resource    the resource id
 * @param groups      the groups the URL asserts
 * @param forwardPath the raw path to send to the VM, byte for byte as received; {@code /} when none
 * @param rawQuery    the raw query without {@code ?}, or null when the URL had none
 */
public record VirtualUrl(String resource, GroupSet groups, String forwardPath, String rawQuery) {

  /** Path and query as the VM receives them. */
  public String forwardUri() {
    return rawQuery == null ? forwardPath : forwardPath + "?" + rawQuery;
  }
}
