package dev.smartgateway.config;

import java.util.Map;
import java.util.Objects;

/**
 * The whole, validated configuration. Built by {@link ConfigLoader}; immutable.
 *
 * @param server    the public listener
 * @param provider  the default cloud provider
 * @param access    how groups are trusted
 * @param defaults  settings of any resource not listed in {@code resources}
 * @param resources per-resource settings, already merged over {@code defaults}
 * @param limits    gateway-wide bounds
 * @param cloud     timeouts, retries and circuit breaking of cloud API calls
 * @param gateway   who this gateway is: the owner stamped on the instances it starts
 * @param admin     the admin listener
 * @param store     where tasks, history, usage and run-time registrations are kept
 * @param metrics   what the gateway measures and exports at {@code /metrics}
 * @param cluster   whether, and how, it runs as one of several gateways ({@code cluster:})
 */
public record GatewayConfig(ServerConfig server, ProviderConfig provider, AccessConfig access,
                            ResourceSettings defaults, Map<String, ResourceSettings> resources,
                            LimitsConfig limits, CloudCallsConfig cloud, GatewayIdentity gateway,
                            AdminConfig admin, StoreConfig store, MetricsConfig metrics,
                            ClusterConfig cluster) {

  public GatewayConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(cluster, "cluster");
    resources = Map.copyOf(resources == null ? Map.of() : resources);
  }

  /** What an empty configuration file means. */
  public static GatewayConfig allDefaults() {
    return new GatewayConfig(ServerConfig.defaults(), ProviderConfig.embeddedMock(), AccessConfig.defaults(),
        ResourceSettings.defaults(), Map.of(), LimitsConfig.defaults(),
        CloudCallsConfig.defaults(), GatewayIdentity.defaultFor(ServerConfig.defaults().port()),
        AdminConfig.defaults(), StoreConfig.defaults(), MetricsConfig.defaults(), ClusterConfig.defaults());
  }

  /** A copy with another admin listener and store (tests, embedding). */
  public GatewayConfig with(AdminConfig newAdmin, StoreConfig newStore) {
    return new GatewayConfig(server, provider, access, defaults, resources, limits, cloud, gateway, newAdmin, newStore,
        metrics, cluster);
  }

  /** A copy with other metrics settings (tests, embedding). */
  public GatewayConfig with(MetricsConfig newMetrics) {
    return new GatewayConfig(server, provider, access, defaults, resources, limits, cloud, gateway, admin, store,
        newMetrics, cluster);
  }

  /** A copy with other cluster settings (tests, embedding). */
  public GatewayConfig with(ClusterConfig newCluster) {
    return new GatewayConfig(server, provider, access, defaults, resources, limits, cloud, gateway, admin, store,
        metrics, newCluster);
  }

  /**
   * Who owns the instances this gateway starts (DESIGN section 5): its {@code gateway.id}, or, clustered, the
   * cluster's name, so that every member may adopt and stop them and none is orphaned by one member's death.
   */
  public String owner() {
    return cluster.enabled() ? cluster.name() : gateway.id();
  }

  /** The effective settings of a resource: its own if configured, the defaults otherwise. */
  public ResourceSettings settingsFor(String resource) {
    ResourceSettings own = resources.get(resource);
    return own != null ? own : defaults;
  }
}
