package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.GatewayException;

import java.time.Duration;

/**
 * How the start of a VM for {@code (resource, groups)} is going, for a person waiting for it (the waiting page
 * and its status URL): read from the lifecycle's state, never a cause of anything.
 *
 * @param resource   the resource
 * @param groups     the caller's groups (a VM started for a subset of them counts)
 * @param phase      where the start is
 * @param elapsedMs  since the start began; for READY how long the start took (0 if the gateway did not see it,
 *                   an adopted VM); for FAILED how long the failed start ran; 0 for NONE
 * @param typicalMs  the resource's usual cold start (the median of its recent ones), null before the first
 * @param error      for FAILED: why; null otherwise
 * @param retryAfter for FAILED: how long until a new start may be tried (zero once it may), null if the failure
 *                   names no such time (an unknown resource)
 */
public record StartStatus(String resource, GroupSet groups, StartPhase phase, long elapsedMs, Long typicalMs,
                          GatewayException error, Duration retryAfter) {

  static StartStatus none(String resource, GroupSet groups, Long typicalMs) {
    return new StartStatus(resource, groups, StartPhase.NONE, 0, typicalMs, null, null);
  }
}
