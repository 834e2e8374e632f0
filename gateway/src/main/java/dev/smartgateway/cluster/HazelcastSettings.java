package dev.smartgateway.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import dev.smartgateway.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * The Hazelcast member a gateway runs, configured from {@code cluster:} alone (no hazelcast.xml to ship): Vert.x's own
 * maps as its default file declares them, the cluster's name, this member bound to {@code cluster.host:port} only,
 * joined by the TCP/IP member list (multicast and auto-detection off), heartbeats and failure detection as
 * configured, and nothing phoned home.
 */
final class HazelcastSettings {

  /** The registry of shared instances and the activity broadcast. */
  static final String INSTANCES = "smart-gateway.instances";
  static final String ACTIVITY = "smart-gateway.activity";
  /** Each member's count of held requests (limits.maxWaitingTotal over the cluster). */
  static final String WAITING = "smart-gateway.waiting";

  private HazelcastSettings() {
  }

  static Config of(ClusterConfig cluster) {
    Config config = ConfigUtil.loadConfig();
    config.addListenerConfig(new com.hazelcast.config.ListenerConfig(new MembershipLog()));
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // The gateway's own shutdown hook stops it gracefully and then leaves the cluster; Hazelcast's would leave first.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(cluster.heartbeat().toSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(cluster.failureTimeout().toSeconds()));
    // A member that finds nobody waits this long before it forms a cluster of its own (Hazelcast's default: 5 s).
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    // Members that started apart (each alone) merge soon, not after Hazelcast's default 5 minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.local.localAddress", cluster.host());

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port() == 0 ? 5701 : cluster.port());
    network.setPortAutoIncrement(cluster.port() == 0);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    if (cluster.members().isEmpty()) {
      tcp.addMember(cluster.host());
    } else {
      cluster.members().forEach(tcp::addMember);
    }
    return config;
  }
}
