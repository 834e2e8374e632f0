package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.config.Durations;
import dev.smartgateway.error.CloudProblems;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cloud's side of an instance until it runs: the start call (one per pool, paced by the start
 * throttle), the cloud's pushed events, describe polling with backoff where nothing is pushed, and the
 * adoption of VMs the cloud already runs. Hands a RUNNING VM to {@link Readiness}. Control context only.
 */
final class Launcher {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.lifecycle");
  static final long POLL_MIN_MS = 50;
  static final long POLL_MAX_MS = 1000;
  /** With a push stream, polling is only a safety net against a lost event. */
  static final long POLL_WITH_EVENTS_MS = 1000;

  private final Lifecycle core;
  private final Set<CloudProvider> pushing = new HashSet<>();

  Launcher(Lifecycle core) {
    this.core = core;
  }

  /** Subscribes to the providers' event streams and adopts the VMs they already run. */
  Future<Void> start() {
    for (CloudProvider provider : core.providers.all()) {
      provider.events().ifPresent(stream -> {
        pushing.add(provider);
        stream.exceptionHandler(err -> log.warn("event stream error: {} (polling covers the gap)", err.toString()));
        stream.handler(instance -> core.scheduler.execute(() -> onCloudEvent(provider, instance)));
      });
    }
    return adoptAll();
  }

  /**
   * Starts an instance for the pool. Returns the problem if the {@link StartGate} refuses it (nothing was
   * started), else null: the instance is STARTING and the pool's waiters wait for it.
   */
  GatewayException launch(Pool pool, String reason, LifecycleEvent.Cause cause) {
    long[] delayMs = new long[1];
    GatewayException refused = core.gate.refusal(pool, delayMs);
    if (refused != null) {
      return refused;
    }
    long delay = delayMs[0];
    long now = core.scheduler.nanoTime();
    ManagedInstance mi = new ManagedInstance(pool, core.refs.next(), now, core.scheduler.currentTimeMillis());
    core.table.add(mi);
    if (core.cluster.on) {
      // Clustered: held here (later requests find it coming), but started only if this member wins the pool's place.
      core.cluster.claim(mi).onComplete(ar -> {
        if (ar.failed()) {
          begin(mi, reason, cause, delay);
          core.failures.fail(mi, new GatewayException(ErrorType.CLOUD_UNAVAILABLE, "the cluster did not answer a start"
              + " claim: " + ar.cause().getMessage(), mi.resource, Duration.ofSeconds(2), null), false);
        } else if (ar.result() && mi.state() == LifecycleState.STARTING) {
          begin(mi, reason, cause, delay);
        }
      });
      return null;
    }
    begin(mi, reason, cause, delay);
    return null;
  }

  /** The instance's start begins: announced, timed, and the cloud asked (after the throttle's delay). */
  private void begin(ManagedInstance mi, String reason, LifecycleEvent.Cause cause, long delay) {
    core.transitions.starting(mi, reason, cause);
    armBootTimeout(mi, "the VM did not become ready within ");
    if (delay == 0) {
      callStart(mi);
    } else {
      mi.pollTimer = core.scheduler.schedule(delay, () -> {
        mi.pollTimer = -1;
        if (mi.state() == LifecycleState.STARTING) {
          callStart(mi);
        }
      });
    }
  }

  void armBootTimeout(ManagedInstance mi, String detail) {
    Duration startTimeout = core.settings(mi.resource).startTimeout();
    mi.bootTimer = core.scheduler.schedule(startTimeout.toMillis(), () -> {
      mi.bootTimer = -1;
      if (mi.state().isComingUp()) {
        core.failures.fail(mi, new GatewayException(ErrorType.START_TIMEOUT, detail + Durations.format(startTimeout),
            mi.resource), false);
      }
    });
  }

  private void callStart(ManagedInstance mi) {
    CloudProvider provider = core.providers.forResource(mi.resource);
    provider.start(mi.resource, mi.groups.asSet())
        .onComplete(ar -> core.scheduler.execute(() -> started(mi, provider, ar)));
  }

  private void started(ManagedInstance mi, CloudProvider provider, AsyncResult<Instance> ar) {
    if (ar.failed()) {
      if (ar.cause() instanceof CloudException ce && ce.kind() == CloudException.Kind.UNKNOWN_RESOURCE) {
        core.unknown.remember(mi.resource, core.scheduler.nanoTime());
      }
      core.failures.fail(mi, CloudProblems.of(mi.resource, ar.cause()), false);
      return;
    }
    Instance instance = ar.result();
    mi.startAnsweredNanos = core.scheduler.nanoTime();
    mi.cloudView = instance;
    core.table.bind(provider, instance.id(), mi);
    core.cluster.startAnswered(mi);
    if (mi.state().isDead()) {
      // Timed out or failed while the start call was in flight: do not leave it running.
      core.stopper.stopInCloud(mi);
      return;
    }
    onCloudState(mi, instance);
    Instance early = core.table.takeEarly(provider, instance.id());
    if (early != null) {
      onCloudState(mi, early);
    }
    if (mi.state() == LifecycleState.STARTING) {
      schedulePoll(mi, provider, pushing.contains(provider) ? POLL_WITH_EVENTS_MS : POLL_MIN_MS);
    }
  }

  /**
   * A start another member began (and left the cluster during) is carried on here: timed afresh, the cloud asked at
   * once where the VM is (an event that came before this member knew the VM is applied first), then followed as an
   * own start is.
   */
  void follow(ManagedInstance mi, CloudProvider provider) {
    armBootTimeout(mi, "the VM (its start taken over from a member that left) did not become ready within ");
    Instance early = core.table.takeEarly(provider, mi.instanceId());
    if (early != null) {
      onCloudState(mi, early);
    }
    if (mi.state() == LifecycleState.STARTING) {
      schedulePoll(mi, provider, 0);
    }
  }

  private void onCloudEvent(CloudProvider provider, Instance instance) {
    ManagedInstance mi = core.table.byId(provider, instance.id());
    if (mi == null) {
      // Kept in case it overtook our own start's answer (a VM can boot, or fail, in 0 ms); another owner's VM
      // never becomes ours: dropped.
      if (!isForeign(instance)) {
        core.table.early(provider, instance);
      }
      return;
    }
    onCloudState(mi, instance);
  }

  /** What the cloud says of the VM, by event, poll or start answer. */
  void onCloudState(ManagedInstance mi, Instance instance) {
    mi.cloudView = instance;
    LifecycleState state = mi.state();
    InstanceState cloud = instance.state();
    if (cloud == InstanceState.RUNNING) {
      if (state == LifecycleState.STARTING && instance.endpoint() != null) {
        URI endpoint = instance.endpoint();
        mi.host = endpoint.getHost();
        mi.port = endpoint.getPort() > 0 ? endpoint.getPort() : 80;
        if (core.transitions.warming(mi)) {
          core.readiness.begin(mi);
        }
      }
    } else if (cloud == InstanceState.FAILED || cloud == InstanceState.STOPPED || cloud == InstanceState.STOPPING) {
      if (state.isComingUp()) {
        core.failures.fail(mi, new GatewayException(ErrorType.BOOT_FAILED,
            "the cloud reports the VM " + instance.id() + " " + cloud + " while starting", mi.resource), false);
      } else if (state.isServing() || state == LifecycleState.SUSPENDED) {
        core.failures.fail(mi, new GatewayException(ErrorType.BACKEND_FAILED,
            "the cloud reports the VM " + instance.id() + " " + cloud, mi.resource), true);
      }
    }
  }

  private void schedulePoll(ManagedInstance mi, CloudProvider provider, long delayMs) {
    mi.pollTimer = core.scheduler.schedule(delayMs, () -> {
      mi.pollTimer = -1;
      if (mi.state() != LifecycleState.STARTING) {
        return;
      }
      provider.describe(mi.instanceId()).onComplete(ar -> core.scheduler.execute(() -> {
        if (mi.state() != LifecycleState.STARTING) {
          return;
        }
        if (ar.succeeded()) {
          onCloudState(mi, ar.result());
        } else if (ar.cause() instanceof CloudException ce && ce.kind() == CloudException.Kind.INSTANCE_NOT_FOUND) {
          core.failures.fail(mi, new GatewayException(ErrorType.BOOT_FAILED,
              "the cloud lost the VM " + mi.instanceId() + " while starting", mi.resource), false);
          return;
        }
        if (mi.state() == LifecycleState.STARTING) {
          long next = pushing.contains(provider) ? POLL_WITH_EVENTS_MS : Math.min(POLL_MAX_MS, delayMs * 2);
          schedulePoll(mi, provider, next);
        }
      }));
    });
  }

  // ---------------------------------------------------------------- adoption

  private Future<Void> adoptAll() {
    if (core.cluster.on) {
      // Clustered: what another member manages is mirrored, not adopted.
      return core.cluster.cluster.all().transform(ar -> {
        List<SharedInstance> records = ar.succeeded() ? ar.result() : List.of();
        Promise<Void> done = Promise.promise();
        core.scheduler.execute(() -> adoptAll(records, false).onComplete(done));
        return done.future();
      });
    }
    return adoptAll(List.of(), false);
  }

  /**
   * Clustered, after a member left: VMs of the cluster that no member manages (the member that left had asked the
   * cloud for them, but not yet recorded their id) are adopted, once running, by whoever claims them first.
   */
  void sweep() {
    core.cluster.cluster.all().onComplete(ar -> core.scheduler.execute(() -> {
      if (ar.succeeded()) {
        adoptAll(ar.result(), true);
      }
    }));
  }

  private Future<Void> adoptAll(List<SharedInstance> registered, boolean sweeping) {
    List<Future<Void>> adopting = new ArrayList<>();
    for (CloudProvider provider : core.providers.all()) {
      Promise<Void> adopted = Promise.promise();
      provider.list().onComplete(ar -> core.scheduler.execute(() -> {
        if (ar.succeeded()) {
          Ownership found = new Ownership();
          ar.result().forEach(instance -> {
            if (owned(instance, found) && !ClusterSync.registered(registered, instance.id())
                && (!sweeping || instance.state() == InstanceState.RUNNING || instance.state() == InstanceState.SUSPENDED)) {
              adoptClaimed(provider, instance);
            }
          });
          if (!sweeping) {
            found.report(core.config.owner());
          }
        } else {
          log.warn("could not list the cloud's VMs{} (none adopted): {}", sweeping ? "" : " at start-up",
              ar.cause().toString());
        }
        adopted.complete();
      }));
      adopting.add(adopted.future());
    }
    return Future.join(adopting).mapEmpty();
  }

  /** Clustered, an instance is adopted only by the member that claims it. */
  private void adoptClaimed(CloudProvider provider, Instance instance) {
    if (!core.cluster.on) {
      adopt(provider, instance);
      return;
    }
    if (core.table.byId(provider, instance.id()) != null) {
      return;
    }
    core.cluster.claimAdoption(instance).onSuccess(record -> {
      if (record == null) {
        return; // another member adopts it
      }
      ManagedInstance mi = adopt(provider, instance);
      if (mi != null) {
        core.cluster.manage(mi, record);
        core.cluster.startAnswered(mi);
      } else {
        core.cluster.cluster.remove(record);
      }
    });
  }

  private ManagedInstance adopt(CloudProvider provider, Instance instance) {
    if (core.table.byId(provider, instance.id()) != null || core.providers.forResource(instance.resource()) != provider) {
      return null;
    }
    boolean running = instance.state() == InstanceState.RUNNING && instance.endpoint() != null;
    boolean suspended = instance.state() == InstanceState.SUSPENDED;
    if (!running && !suspended && !instance.state().isStarting()) {
      return null;
    }
    Pool pool;
    try {
      pool = core.table.pool(instance.resource(), dev.smartgateway.access.GroupSet.of(instance.groups()));
    } catch (IllegalArgumentException e) {
      log.warn("not adopting instance={}: {}", instance.id(), e.getMessage());
      return null;
    }
    ManagedInstance mi = new ManagedInstance(pool, core.refs.next(), core.scheduler.nanoTime(), core.scheduler.currentTimeMillis());
    mi.cloudView = instance;
    core.table.bind(provider, instance.id(), mi);
    core.table.add(mi);
    core.transitions.starting(mi, "adopted: the cloud runs it (" + instance.state() + ")", LifecycleEvent.Cause.ADOPTED);
    if (suspended) {
      // Paused by an earlier life of this gateway: kept paused until a request needs it.
      if (instance.endpoint() != null) {
        mi.host = instance.endpoint().getHost();
        mi.port = instance.endpoint().getPort() > 0 ? instance.endpoint().getPort() : 80;
      }
      core.transitions.suspendedAtAdoption(mi);
      return mi;
    }
    armBootTimeout(mi, "the adopted VM did not become ready within ");
    onCloudState(mi, instance);
    if (mi.state() == LifecycleState.STARTING) {
      schedulePoll(mi, provider, pushing.contains(provider) ? POLL_WITH_EVENTS_MS : POLL_MIN_MS);
    }
    return mi;
  }

  /** Another gateway's instance: it carries an owner, and not ours. */
  private boolean isForeign(Instance instance) {
    String owner = instance.owner();
    return owner != null && !owner.equals(core.config.owner());
  }

  /**
   * Whether a listed instance is ours to adopt (DESIGN section 5): it carries our owner. Another owner's is
   * left alone; one without an owner (started before gateway ids, or by an adapter that records none) is not
   * adopted either, since any gateway may have started it. Only live instances are counted.
   */
  private boolean owned(Instance instance, Ownership found) {
    String owner = instance.owner();
    if (owner != null && owner.equals(core.config.owner())) {
      return true;
    }
    if (!instance.state().isTerminal() && instance.state() != InstanceState.STOPPING) {
      if (owner == null) {
        found.unowned.add(instance);
      } else {
        found.foreign.merge(owner, 1, Integer::sum);
      }
    }
    return false;
  }

  /** What one provider's list held that is not ours, logged once per list. */
  private static final class Ownership {
    private static final int NAMED = 20;
    final java.util.Map<String, Integer> foreign = new java.util.TreeMap<>();
    final List<Instance> unowned = new ArrayList<>();

    void report(String self) {
      if (!foreign.isEmpty()) {
        log.info("left {} instance(s) of other gateways alone (not adopted, never stopped by gateway {}); by owner: {}",
            foreign.values().stream().mapToInt(Integer::intValue).sum(), self, foreign);
      }
      if (!unowned.isEmpty()) {
        List<String> names = unowned.stream().limit(NAMED)
            .map(i -> i.id() + " (" + i.resource() + ", " + i.state() + ")").toList();
        log.warn("not adopting {} instance(s) that carry no owner (started before gateway ids, or by an adapter"
                + " that records none; any gateway may have started them): {}{}; stop them by hand if no gateway uses them",
            unowned.size(), String.join(", ", names), unowned.size() > NAMED ? ", ..." : "");
      }
    }
  }
}
