package dev.smartgateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Scaling out (DESIGN section 10, {@code cluster:}): several gateways run as one Vert.x cluster on Hazelcast, joined by
 * a fixed TCP/IP member list (multicast is never used). Off by default: a single gateway then pays nothing for it.
 *
 * @param enabled        {@code cluster.enabled} (default false)
 * @param name           {@code cluster.name}: the Hazelcast cluster's name, and the owner every member stamps on the
 *                       instances it starts (the cluster owns them, not one member: any member adopts and stops them);
 *                       label-safe like {@code gateway.id}; default {@code smart-gateway}
 * @param host           {@code cluster.host}: the address this member binds and is reached at (default 127.0.0.1)
 * @param port           {@code cluster.port}: its Hazelcast port (default 5701; 0 picks a free one, for tests)
 * @param members        {@code cluster.members}: {@code host:port} of the members to join (may include this one)
 * @param heartbeat      {@code cluster.heartbeat}: how often members tell each other they live (whole seconds, default 5s)
 * @param failureTimeout {@code cluster.failureTimeout}: a member silent this long is dead; its instances are taken over
 *                       (whole seconds, default 30s)
 * @param activityReport {@code cluster.activityReport}: at most this often a member reports that it uses an instance
 *                       another member manages (default 1s); the manager's idle clock counts it
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members,
                            Duration heartbeat, Duration failureTimeout, Duration activityReport) {

  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    members = List.copyOf(members);
  }

  public static ClusterConfig defaults() {
    return new ClusterConfig(false, "smart-gateway", "127.0.0.1", 5701, List.of(), Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofSeconds(1));
  }
}
