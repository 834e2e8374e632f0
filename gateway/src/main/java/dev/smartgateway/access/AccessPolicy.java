package dev.smartgateway.access;

import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a caller may use a resource at all, before anything is started for it. Trust mode
 * {@code url} (the only one today): the caller's groups are the URL's, as asserted.
 */
public final class AccessPolicy {

  /**
   * @throws GatewayException {@link ErrorType#FORBIDDEN} when the resource restricts access
   *                          ({@code allowedGroups} not empty) and the caller holds none of those groups
   */
  public void check(String resource, GroupSet callerGroups, ResourceSettings settings) {
    Set<String> allowed = settings.allowedGroups();
    if (allowed.isEmpty() || callerGroups.containsAny(allowed)) {
      return;
    }
    throw new GatewayException(ErrorType.FORBIDDEN, "resource " + resource + " requires one of the groups "
        + String.join(",", new TreeSet<>(allowed)) + "; the request holds " + callerGroups, resource);
  }
}
