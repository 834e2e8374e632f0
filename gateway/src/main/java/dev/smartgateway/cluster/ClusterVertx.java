package dev.smartgateway.cluster;

import dev.smartgateway.config.ClusterConfig;
import dev.smartgateway.lifecycle.Coordination;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Vert.x that is a member of the gateways' cluster (DESIGN section 10): Hazelcast as the cluster manager,
 * configured from {@code cluster:} ({@link HazelcastSettings}), the event bus on {@code cluster.host} (a free port),
 * and the {@link Coordination} the lifecycle uses on top of it.
 */
public final class ClusterVertx {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.cluster");

  /** A clustered Vert.x and the cluster as the lifecycle sees it. */
  public record Joined(Vertx vertx, Coordination coordination) {
  }

  private ClusterVertx() {
  }

  /** The options a member's Vert.x needs: its event bus on the cluster's address. */
  public static VertxOptions options(VertxOptions options, ClusterConfig cluster) {
    return options.setEventBusOptions(new EventBusOptions().setHost(cluster.host()).setPort(0)
        .setClusterPublicHost(cluster.host()));
  }

  /** Builds the Vert.x (with {@link #options} already given to the builder) and joins the cluster. */
  public static Future<Joined> join(VertxBuilder builder, ClusterConfig cluster) {
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.of(cluster));
    return builder.withClusterManager(manager).buildClustered().map(vertx -> {
      HazelcastCoordination coordination = new HazelcastCoordination(vertx, manager.getHazelcastInstance(),
          cluster.activityReport().toMillis());
      log.info("joined cluster '{}' as member {} at {}:{}; members now: {}", cluster.name(), coordination.member(),
          cluster.host(), manager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort(),
          coordination.members().size());
      return new Joined(vertx, coordination);
    });
  }
}
