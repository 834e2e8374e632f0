package dev.smartgateway.conformance;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The contract against the {@link LoopbackCloud}, a fresh one per test; {@link #wrap} lets {@link BrokenProviders}
 * break its providers one way each.
 */
abstract class LoopbackContract extends CloudProviderContract {

  /** Every cloud created, so that a test of the kit can see whether a contract test left a VM running. */
  static final List<LoopbackCloud> CLOUDS = new CopyOnWriteArrayList<>();

  LoopbackCloud cloud;

  @BeforeEach
  void startLoopbackCloud(Vertx vertx) {
    cloud = new LoopbackCloud(vertx);
    CLOUDS.add(cloud);
  }

  @Override
  protected Future<CloudProvider> createProvider(Vertx vertx, ProviderContext context) {
    return Future.succeededFuture(wrap(cloud.provider(context.owner()), context.owner()));
  }

  /** The provider the contract gets: this one as it is, unless a subclass breaks it. */
  CloudProvider wrap(CloudProvider provider, String owner) {
    return provider;
  }

  @Override
  protected String startableResource() {
    return LoopbackCloud.RESOURCE;
  }

  /** Its VMs boot in milliseconds: ten seconds are ample even on a loaded machine. */
  @Override
  protected ContractTimeouts timeouts() {
    return new ContractTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
  }
}
