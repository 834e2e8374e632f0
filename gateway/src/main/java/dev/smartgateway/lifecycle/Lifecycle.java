package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.ProviderRegistry;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ResourceCatalog;
import dev.smartgateway.config.ResourceSettings;

/**
 * The lifecycle's core: it declares its collaborators, one idea each, and wires them together. Requests
 * come in through {@link #tryLease} (warm, any thread) and the {@link Dispatcher} (held, control context);
 * the cloud's side runs through the {@link Launcher}; time through the {@link Scheduler}; every change of
 * state through {@link Transitions}, which publishes it on {@link #events}.
 */
final class Lifecycle {

  final Scheduler scheduler;
  final GatewayConfig config;
  final ResourceCatalog catalog;
  final InstanceRefs refs = new InstanceRefs();
  final ProviderRegistry providers;
  final Prober prober;
  final LifecycleEvents events = new LifecycleEvents();
  final InstanceTable table = new InstanceTable();
  final Transitions transitions;
  final UnknownResources unknown;
  final StartGate gate;
  final Dispatcher dispatcher;
  final Launcher launcher;
  final Readiness readiness;
  final Liveness liveness;
  final IdleReaper idle;
  final Stopper stopper;
  final Suspender suspender;
  final Scaler scaler;
  final Failures failures;
  final ByHand byHand;
  final StartStatuses statuses;
  /** The cluster's side (DESIGN section 10); inert unless clustered. */
  final ClusterSync cluster;
  volatile boolean closed;

  Lifecycle(Scheduler scheduler, Prober prober, ProviderRegistry providers, GatewayConfig config) {
    this(scheduler, prober, providers, config, new ResourceCatalog(config));
  }

  Lifecycle(Scheduler scheduler, Prober prober, ProviderRegistry providers, GatewayConfig config,
            ResourceCatalog catalog) {
    this(scheduler, prober, providers, config, catalog, Coordination.NONE);
  }

  Lifecycle(Scheduler scheduler, Prober prober, ProviderRegistry providers, GatewayConfig config,
            ResourceCatalog catalog, Coordination coordination) {
    this.scheduler = scheduler;
    this.config = config;
    this.catalog = catalog;
    this.providers = providers;
    this.prober = prober;
    this.transitions = new Transitions(scheduler, events);
    this.unknown = new UnknownResources(config.limits().unknownResourceTtl().toNanos(), UNKNOWN_KEPT);
    this.gate = new StartGate(this);
    this.dispatcher = new Dispatcher(this);
    this.launcher = new Launcher(this);
    this.readiness = new Readiness(this);
    this.liveness = new Liveness(this);
    this.idle = new IdleReaper(this);
    this.stopper = new Stopper(this);
    this.suspender = new Suspender(this);
    this.scaler = new Scaler(this);
    this.failures = new Failures(this);
    this.byHand = new ByHand(this);
    this.statuses = new StartStatuses(this, StartStatuses.RESOURCES_KEPT);
    this.cluster = new ClusterSync(this, coordination);
    events.subscribe(new LifecycleLog());
    events.subscribe(statuses.coldStarts);
  }

  /** Unknown names kept at most (each about 100 bytes). */
  static final int UNKNOWN_KEPT = 10_000;

  ResourceSettings settings(String resource) {
    return catalog.settingsFor(resource);
  }

  /** The warm path: a lease on a serving instance this caller may use, or null. Any thread, lock-free. */
  Lease tryLease(String resource, GroupSet groups) {
    ResourceEntry entry = table.existing(resource);
    if (entry == null) {
      return null;
    }
    dev.smartgateway.config.ResourceSettings.Balancing balancing = settings(resource).balancing();
    for (int attempt = 0; attempt < 2; attempt++) {
      ManagedInstance best = Balancer.pick(entry, groups, balancing);
      if (best == null) {
        return null;
      }
      LifecycleState was = best.tryAcquire();
      if (was != null) {
        if (was == LifecycleState.DRAINING) {
          ManagedInstance revived = best;
          scheduler.execute(() -> idle.revived(revived));
        }
        return new Lease(this, best, 0, false, false, scheduler.nanoTime());
      }
    }
    return null;
  }

  /** A lease ended (any thread). */
  void released(Lease lease, boolean reached) {
    ManagedInstance mi = lease.instance;
    if (reached && mi.connectFailures.get() != 0) {
      mi.connectFailures.set(0);
    }
    boolean lastOfDrain = mi.release(scheduler.nanoTime());
    if (!reached) {
      scheduler.execute(() -> liveness.connectFailed(mi));
    }
    if (lastOfDrain) {
      scheduler.execute(() -> idle.drained(mi));
    }
  }

  /** A paced release was answered by its VM (any thread): the next held request may go. */
  void answered(Lease lease) {
    if (lease.instance.pool.backlog() > 0) {
      scheduler.execute(() -> dispatcher.pump(lease.instance.pool));
    }
  }
}
