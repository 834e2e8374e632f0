package dev.smartgateway.store;

import java.util.List;

/**
 * One instance's life as the cloud bills it: from the start call until the cloud confirmed its stop.
 *
 * @param ref        the gateway's own name of the instance (the key)
 * @param resource   its resource
 * @param groups     its group set, sorted
 * @param instanceId the cloud's id once known
 * @param startedAt  epoch ms the start was asked (or the VM adopted)
 * @param endedAt    epoch ms the cloud confirmed it gone; 0 while it runs
 * @param gateway    the gateway that recorded it
 */
public record UsageInterval(String ref, String resource, List<String> groups, String instanceId, long startedAt,
                            long endedAt, String gateway) {

  public UsageInterval {
    groups = List.copyOf(groups == null ? List.of() : groups);
  }

  public boolean isOpen() {
    return endedAt == 0;
  }
}
