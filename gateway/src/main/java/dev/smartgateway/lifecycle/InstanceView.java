package dev.smartgateway.lifecycle;

import java.util.List;

/**
 * A VM as operators see it (admin API, tests).
 *
 * @param resource   its resource
 * @param groups     the groups it was started for
 * @param instanceId the cloud's id (null while the start call is in flight)
 * @param ref        the gateway's own name of it (as in its lifecycle events)
 * @param state      the gateway's lifecycle state
 * @param endpoint   {@code host:port} once known
 * @param inFlight   requests being forwarded to it now
 * @param waiting    requests held for it now
 * @param createdAt  epoch ms the gateway started (or adopted) it
 * @param readyAt    epoch ms it became READY, 0 before
 * @param manager    clustered: the id of the member that manages it (starts, probes, stops it); null unclustered
 * @param mirrored   clustered: another member manages it, this one only forwards to it
 */
public record InstanceView(String resource, List<String> groups, String instanceId, String ref, LifecycleState state,
                           String endpoint, int inFlight, int waiting, long createdAt, long readyAt, String manager,
                           boolean mirrored) {
}
