package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.ProviderRegistry;
import dev.smartgateway.config.ConfigLoader;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.lifecycle.LifecycleEvent.Type;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A lifecycle on a fake clock, a fake cloud and fake probes: no network, no threads, time by hand. */
final class Rig {

  final FakeScheduler clock = new FakeScheduler();
  final FakeCloud cloud;
  final FakeProber prober = new FakeProber();
  final List<LifecycleEvent> events = new ArrayList<>();
  final Lifecycle core;
  final LifecycleManager manager;

  /** @param yaml the gateway's {@code defaults:} / {@code resources:} / {@code limits:} sections */
  Rig(String yaml) {
    this(yaml, new FakeCloud());
  }

  /** @param pushes whether the cloud pushes events (else the lifecycle polls describe) */
  Rig(String yaml, boolean pushes) {
    this(yaml, cloud(pushes));
  }

  private static FakeCloud cloud(boolean pushes) {
    FakeCloud cloud = new FakeCloud();
    cloud.pushes = pushes;
    return cloud;
  }

  /** Another gateway on the same cloud. */
  Rig(String yaml, FakeCloud cloud) {
    this(yaml, cloud, java.util.Map.of());
  }

  /** A gateway whose {@code perResource} resources use clouds of their own. */
  Rig(String yaml, FakeCloud cloud, java.util.Map<String, dev.smartgateway.cloud.CloudProvider> perResource) {
    this(yaml, cloud, perResource, Coordination.NONE);
  }

  /** A member of a cluster ({@link FakeCluster}) on the same cloud as the others. */
  Rig(String yaml, FakeCloud cloud, Coordination coordination) {
    this(yaml, cloud, java.util.Map.of(), coordination);
  }

  private Rig(String yaml, FakeCloud cloud, java.util.Map<String, dev.smartgateway.cloud.CloudProvider> perResource,
              Coordination coordination) {
    this.cloud = cloud;
    GatewayConfig config = ConfigLoader.parse(yaml, "test");
    if (cloud.owner == null) {
      cloud.owner = config.owner();
    }
    core = new Lifecycle(clock, prober, ProviderRegistry.of(cloud, perResource), config,
        new dev.smartgateway.config.ResourceCatalog(config), coordination);
    core.events.subscribe(events::add);
    manager = new LifecycleManager(core);
    manager.start();
    clock.settle();
  }

  Waiter hold(String resource, String... groups) {
    Waiter w = manager.hold(resource, GroupSet.of(groups), Runnable::run);
    clock.settle();
    return w;
  }

  Lease tryLease(String resource, String... groups) {
    return manager.tryLease(resource, GroupSet.of(groups));
  }

  /** The id of the n-th VM the cloud was asked to start (1-based). */
  String started(int n) {
    return "vm-" + n;
  }

  /** The VM reports RUNNING and its probe passes (unless the prober says otherwise). */
  void boot(String id) {
    cloud.run(id);
    clock.settle();
  }

  int port(String id) {
    return cloud.vms.get(id).endpoint().getPort();
  }

  /** A cold request answered by a freshly booted VM: returns its lease. */
  Lease warmUp(String resource, String... groups) {
    Waiter w = hold(resource, groups);
    boot("vm-" + cloud.count("start"));
    return granted(w);
  }

  static Lease granted(Waiter w) {
    assertThat(w.future().isComplete()).as("the held request was answered").isTrue();
    assertThat(w.future().succeeded()).as("granted, not failed: %s", w.future().cause()).isTrue();
    return w.future().result();
  }

  static GatewayException refused(Waiter w) {
    assertThat(w.future().failed()).as("the held request failed").isTrue();
    assertThat(w.future().cause()).isInstanceOf(GatewayException.class);
    return (GatewayException) w.future().cause();
  }

  ManagedInstance instance(String id) {
    ManagedInstance mi = core.table.byId(id);
    assertThat(mi).as("instance %s is tracked", id).isNotNull();
    return mi;
  }

  List<Type> types(String instanceId) {
    return events.stream().filter(e -> instanceId.equals(e.instanceId())).map(LifecycleEvent::type).toList();
  }

  List<Type> types() {
    return events.stream().map(LifecycleEvent::type).toList();
  }
}
