package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.CloudProvider;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle's side of the cluster (DESIGN section 10). Starts: a new instance first claims a place of its pool
 * in the registry, so however a burst is spread over the members one of them starts it and the others wait for its
 * record. Own instances: every change of one this member manages is written to its record (learned from the
 * lifecycle events, in order). Mirrors: others' records become {@link Mirrors}. Activity: what this member sends to
 * a mirror is reported to every member ({@link ActivityReports}), and what others report keeps an own instance from
 * idling (and revives it while it drains). Members that leave: their records are taken over, one member winning each
 * by compare-and-set; a serving instance is then managed here (stopped when idle, never orphaned), one still starting
 * is forgotten and the cloud's list is swept for VMs nobody manages. Not clustered, none of this runs. Control
 * context only (the listener's calls hop onto it).
 */
final class ClusterSync implements Coordination.Listener {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.cluster");
  /** A lost claim whose holder is leaving: its waiters look again after this. */
  static final long RECLAIM_MS = 250;

  final boolean on;
  final Coordination cluster;
  private final Lifecycle core;
  final Mirrors mirrors;
  final ActivityReports activity;
  final WaitingShares waiting;
  private final java.util.Random jitter = new java.util.Random();
  /** Own instances with a record, by key and by ref (events name the ref). */
  private final Map<String, ManagedInstance> managed = new HashMap<>();
  private final Map<String, ManagedInstance> managedByRef = new HashMap<>();

  ClusterSync(Lifecycle core, Coordination cluster) {
    this.core = core;
    this.cluster = cluster;
    this.on = cluster.clustered();
    this.mirrors = new Mirrors(core);
    this.activity = new ActivityReports(core, this);
    this.waiting = on ? new WaitingShares(core, cluster) : null;
  }

  /** Listens, then mirrors the registry as it is (and takes over what members already gone left behind). */
  Future<Void> start() {
    if (!on) {
      return Future.succeededFuture();
    }
    core.events.subscribe(this::onEvent);
    Promise<Void> loaded = Promise.promise();
    cluster.listen(this).compose(v -> cluster.serveStops(this::stopAsked)).compose(v -> cluster.all()).onComplete(ar -> core.scheduler.execute(() -> {
      if (ar.succeeded()) {
        Set<String> members = cluster.members();
        for (SharedInstance record : ar.result()) {
          if (!members.contains(record.member())) {
            takeOver(record);
          } else {
            changed(record);
          }
        }
      } else {
        log.warn("could not read the cluster's instances at start-up: {}", ar.cause().toString());
      }
      activity.start();
      loaded.complete();
    }));
    return loaded.future();
  }

  // ---------------------------------------------------------------- claims

  /** Claims a place of the instance's pool: true (on the control context) if this member starts it. */
  Future<Boolean> claim(ManagedInstance mi) {
    SharedInstance wanted = new SharedInstance(SharedInstance.key(mi.resource, sorted(mi), freeSlot(mi.pool)),
        mi.resource, List.copyOf(mi.groups.asSet()), cluster.member(), mi.ref, null, LifecycleState.STARTING.name(),
        null, 0, 1);
    return claimed(mi, wanted, cluster.claim(wanted));
  }

  /** Claims an instance the cloud runs that no member manages (adoption): true if this member adopts it. */
  Future<SharedInstance> claimAdoption(dev.smartgateway.cloud.Instance instance) {
    List<String> groups = instance.groups().stream().sorted().toList();
    SharedInstance wanted = new SharedInstance(SharedInstance.key(instance.resource(), groups, "vm:" + instance.id()),
        instance.resource(), groups, cluster.member(), null, instance.id(), LifecycleState.STARTING.name(), null, 0, 1);
    Promise<SharedInstance> promise = Promise.promise();
    cluster.claim(wanted).onComplete(ar -> core.scheduler.execute(() ->
        promise.complete(ar.succeeded() && ar.result() == null ? wanted : null)));
    return promise.future();
  }

  private Future<Boolean> claimed(ManagedInstance mi, SharedInstance wanted, Future<SharedInstance> claim) {
    Promise<Boolean> promise = Promise.promise();
    claim.onComplete(ar -> core.scheduler.execute(() -> {
      if (ar.failed()) {
        promise.fail(ar.cause());
      } else if (ar.result() == null) {
        withinLimit(mi, wanted, promise);
      } else {
        lost(mi, ar.result());
        promise.complete(false);
      }
    }));
    return promise.future();
  }

  /**
   * The place is this member's; limits.maxInstances holds over the cluster only if the records, counted after the
   * claim, are not more than it. Two members that claimed at once for different pools cannot both miss the other's
   * claim (each counts after its own write), so the limit is never overshot; both may give up, and their held requests
   * look again after a random short while, when one wins and the other finds the limit reached.
   */
  private void withinLimit(ManagedInstance mi, SharedInstance wanted, Promise<Boolean> promise) {
    int max = core.config.limits().maxInstances();
    cluster.count().onComplete(ar -> core.scheduler.execute(() -> {
      if (ar.succeeded() && ar.result() > max) {
        cluster.remove(wanted).onComplete(x -> core.scheduler.execute(() -> {
          core.table.remove(mi);
          reclaimLater(mi.pool);
          promise.complete(false);
        }));
        return;
      }
      manage(mi, wanted);
      promise.complete(true);
    }));
  }

  private void reclaimLater(Pool pool) {
    if (pool.usable() == null && !pool.waiters.isEmpty()) {
      core.scheduler.schedule(RECLAIM_MS + jitter.nextInt((int) RECLAIM_MS), () -> core.dispatcher.reroute(pool));
    }
  }

  /** From now on the instance's changes go to its record. */
  void manage(ManagedInstance mi, SharedInstance record) {
    mi.shared = record;
    mi.manager = null;
    managed.put(record.key(), mi);
    managedByRef.put(mi.ref, mi);
  }

  /**
   * Another member holds the place: the instance never was (it leaves without an event), the holder's record is
   * mirrored at once, and the pool's held requests wait for it — or, if it is leaving, look again shortly.
   */
  private void lost(ManagedInstance mi, SharedInstance holder) {
    core.table.remove(mi);
    if (!holder.member().equals(cluster.member())) {
      mirrors.apply(holder);
    }
    reclaimLater(mi.pool);
  }

  private static String freeSlot(Pool pool) {
    Set<String> used = new HashSet<>();
    for (ManagedInstance other : pool.instances) {
      SharedInstance record = other.shared;
      if (record != null) {
        used.add(record.key().substring(record.key().lastIndexOf('#') + 1));
      }
    }
    int slot = 0;
    while (used.contains(String.valueOf(slot))) {
      slot++;
    }
    return String.valueOf(slot);
  }

  private static List<String> sorted(ManagedInstance mi) {
    return mi.groups.asSet().stream().sorted().toList();
  }

  // ---------------------------------------------------------------- own instances

  /** Every change of an own instance reaches its record, in order; a stopped or failed one's record goes. */
  private void onEvent(LifecycleEvent event) {
    ManagedInstance mi = managedByRef.get(event.ref());
    if (mi == null || mi.shared == null || event.type() == LifecycleEvent.Type.FAILED) {
      return; // a failure's record is written by failed(), with the pool's backoff if it was a start
    }
    if (event.to().isDead() || event.type() == LifecycleEvent.Type.STOPPED) {
      forget(mi);
      return;
    }
    written(mi);
  }

  /** The start call answered: the record carries the cloud's id from now on (a sweep must not adopt it). */
  void startAnswered(ManagedInstance mi) {
    if (on && mi.shared != null && !mi.isMirror()) {
      written(mi);
    }
  }

  /**
   * An own instance failed. A failed start's last record carries the pool's backoff ({@code backingOff}: its pool),
   * so that no other member starts it again meanwhile; then the record goes.
   */
  void failed(ManagedInstance mi, Pool backingOff) {
    if (!on || mi.shared == null || managedByRef.get(mi.ref) != mi) {
      return;
    }
    SharedInstance.Backoff backoff = backingOff == null ? null : core.gate.shared(backingOff);
    if (backoff != null) {
      SharedInstance last = mi.shared.failed(backoff);
      mi.shared = last;
      mi.sharedWrites = mi.sharedWrites.transform(x -> cluster.put(last));
    }
    forget(mi);
  }

  /** This member holds another count of requests. */
  void waitingChanged(int count) {
    if (on) {
      waiting.changed(count);
    }
  }

  /** Requests the other members hold; 0 unclustered. */
  int waitingElsewhere() {
    return on ? waiting.elsewhere() : 0;
  }

  private void written(ManagedInstance mi) {
    SharedInstance next = mi.shared.next(cluster.member(), mi.instanceId(), mi.state(), mi.host, mi.port);
    mi.shared = next;
    mi.sharedWrites = mi.sharedWrites.transform(x -> cluster.put(next));
  }

  private void forget(ManagedInstance mi) {
    SharedInstance last = mi.shared;
    managed.remove(last.key(), mi);
    managedByRef.remove(mi.ref, mi);
    mi.sharedWrites = mi.sharedWrites.transform(x -> cluster.remove(last));
  }

  // ---------------------------------------------------------------- news from the cluster

  @Override
  public void changed(SharedInstance record) {
    core.scheduler.execute(() -> {
      if (!record.member().equals(cluster.member()) && !managed.containsKey(record.key())) {
        if (record.backoff() != null) {
          learnBackoff(record);
        }
        mirrors.apply(record);
      }
    });
  }

  /** Another member's start failed: the pool backs off here too (before its held requests look again). */
  private void learnBackoff(SharedInstance record) {
    try {
      core.gate.learned(core.table.pool(record.resource(), dev.smartgateway.access.GroupSet.of(record.groups())),
          record.backoff());
    } catch (IllegalArgumentException e) {
      // not a group set this gateway could have been asked for
    }
  }

  @Override
  public void waiting(String member, int count) {
    core.scheduler.execute(() -> waiting.told(member, count));
  }

  @Override
  public void removed(String key) {
    core.scheduler.execute(() -> mirrors.removed(key));
  }

  @Override
  public void activity(String key, String member) {
    core.scheduler.execute(() -> {
      if (member.equals(cluster.member())) {
        return;
      }
      ManagedInstance own = managed.get(key);
      ManagedInstance mi = own != null ? own : mirrors.get(key);
      if (mi == null) {
        return;
      }
      mi.remoteActivityNanos = core.scheduler.nanoTime();
      if (own != null && own.state() == LifecycleState.SUSPENDED) {
        core.suspender.resume(own, LifecycleEvent.Cause.REQUEST, "a request is waiting at another member");
        return;
      }
      // Another member forwards to it while it drains: it serves on, as it would for a request here.
      if (own != null && own.compareAndSet(LifecycleState.DRAINING, LifecycleState.READY)) {
        own.drainGrace = false;
        core.idle.revived(own);
      }
    });
  }

  @Override
  public void memberLeft(String member) {
    core.scheduler.execute(() -> {
      log.info("cluster member {} left: taking over its instances", member);
      waiting.left(member);
      cluster.all().onComplete(ar -> core.scheduler.execute(() -> {
        if (ar.failed()) {
          log.warn("could not read the cluster's instances after member {} left: {}", member, ar.cause().toString());
          return;
        }
        ar.result().stream().filter(r -> r.member().equals(member)).forEach(this::takeOver);
        // A VM its member had asked for but not yet recorded: adopted by whoever finds it first, once it runs —
        // now, and again when one still booting must have come up (or failed) by the start timeout.
        core.launcher.sweep();
        core.scheduler.schedule(core.config.defaults().startTimeout().toMillis(), core.launcher::sweep);
      }));
    });
  }

  // ---------------------------------------------------------------- takeover

  private void takeOver(SharedInstance record) {
    SharedInstance mine = record.next(cluster.member(), record.instanceId(), record.lifecycleState(), record.host(),
        record.port());
    cluster.replace(record, mine).onComplete(ar -> core.scheduler.execute(() -> {
      if (ar.succeeded() && ar.result()) {
        tookOver(record, mine);
      }
    }));
  }

  /** This member won the record of a member that left. */
  private void tookOver(SharedInstance record, SharedInstance mine) {
    ManagedInstance mi = mirrors.take(record.key());
    LifecycleState state = record.lifecycleState();
    boolean serving = (state == LifecycleState.READY || state == LifecycleState.DRAINING)
        && record.instanceId() != null && record.host() != null;
    if (!serving && state.isComingUp() && record.instanceId() != null) {
      carryOnStart(record, mine, mi);
      return;
    }
    if (!serving) {
      // Still starting before the cloud named the VM (or already leaving) at the member that left: nothing to follow
      // or forward to. The record goes (its pool's held requests start afresh); a VM the cloud did start is adopted
      // by the sweep once it runs.
      ManagedInstance mirror = mi;
      cluster.remove(mine).onComplete(ar -> core.scheduler.execute(() -> {
        if (mirror != null) { // once the place is free again, so that a fresh start can claim it
          mirror.force(LifecycleState.STOPPING);
          core.table.remove(mirror);
          core.dispatcher.reroute(mirror.pool);
        }
      }));
      return;
    }
    if (mi == null) {
      Pool pool = core.table.pool(record.resource(), dev.smartgateway.access.GroupSet.of(record.groups()));
      mi = new ManagedInstance(pool, core.refs.next(), core.scheduler.nanoTime(), core.scheduler.currentTimeMillis());
      core.table.add(mi);
    }
    mi.host = record.host();
    mi.port = record.port();
    manage(mi, mine);
    CloudProvider provider = core.providers.forResource(mi.resource);
    core.table.bind(provider, record.instanceId(), mi);
    mi.compareAndSet(LifecycleState.STARTING, LifecycleState.READY);
    mi.compareAndSet(LifecycleState.DRAINING, LifecycleState.READY);
    long now = core.scheduler.nanoTime();
    mi.touch(now); // its idle clock starts afresh: who used it last died with the member
    mi.remoteActivityNanos = now;
    log.info("took over instance={} resource={} from member {}", record.instanceId(), record.resource(),
        record.member());
    written(mi);
    core.idle.arm(mi);
    core.liveness.arm(mi);
    core.dispatcher.pump(mi.pool);
  }

  /**
   * The member that left was starting a VM the cloud had already named: the start is carried on here — the VM
   * followed in the cloud until it runs, probed, READY — so every member's held requests wait for that VM and none
   * starts a second one for the same place.
   */
  private void carryOnStart(SharedInstance record, SharedInstance mine, ManagedInstance mirror) {
    ManagedInstance mi = mirror;
    if (mi == null) {
      Pool pool = core.table.pool(record.resource(), dev.smartgateway.access.GroupSet.of(record.groups()));
      mi = new ManagedInstance(pool, core.refs.next(), core.scheduler.nanoTime(), core.scheduler.currentTimeMillis());
      core.table.add(mi);
    }
    mi.force(LifecycleState.STARTING); // a WARMING record is probed again from here
    mi.startAnsweredNanos = core.scheduler.nanoTime();
    manage(mi, mine);
    CloudProvider provider = core.providers.forResource(mi.resource);
    core.table.bind(provider, record.instanceId(), mi);
    log.info("took over the start of instance={} resource={} from member {}", record.instanceId(), record.resource(),
        record.member());
    written(mi);
    core.launcher.follow(mi, provider);
  }

  /**
   * A request here waits for a mirror its manager paused: the manager is asked to resume it (an activity report,
   * which it answers by resuming) — at most once per report interval, however many requests wait meanwhile.
   */
  void wake(ManagedInstance mirror) {
    long now = core.scheduler.nanoTime();
    if (mirror.shared != null && (mirror.wakeSentNanos == 0
        || now - mirror.wakeSentNanos >= cluster.activityReportMillis() * 1_000_000)) {
      mirror.wakeSentNanos = now;
      cluster.reportActivity(mirror.shared.key());
    }
  }

  /** Another member's admin API asks this one to stop an instance it manages. */
  private Future<InstanceView> stopAsked(String key, boolean force) {
    Promise<InstanceView> answer = Promise.promise();
    core.scheduler.execute(() -> {
      ManagedInstance mi = managed.get(key);
      try {
        if (mi == null) {
          throw new dev.smartgateway.error.GatewayException(dev.smartgateway.error.ErrorType.NOT_FOUND,
              "no instance under " + key + " at the member asked (it has just stopped, or changed hands)");
        }
        answer.complete(core.byHand.stop(mi.ref, force));
      } catch (RuntimeException e) {
        answer.fail(e);
      }
    });
    return answer.future();
  }

  /** A request revived a draining mirror here: its manager hears of it at once, not at the next report. */
  void revivedMirror(ManagedInstance mi) {
    if (mi.shared != null) {
      mi.reportedActivityNanos = mi.lastActivityNanos();
      cluster.reportActivity(mi.shared.key());
    }
  }

  /** Whether another member registered the cloud's instance (it manages or mirrors it). */
  static boolean registered(List<SharedInstance> records, String instanceId) {
    return records.stream().anyMatch(r -> instanceId.equals(r.instanceId()));
  }
}
