package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.cloud.ProviderRegistry;
import dev.smartgateway.config.Durations;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.LivenessConfig;
import dev.smartgateway.config.ProbeConfig;
import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns every VM the gateway knows of and every held request (DESIGN section 6).
 *
 * <p>Threading: the warm path ({@link #tryLease}) runs on any event loop and takes a lease with one CAS.
 * Everything that changes the set of instances, the waiter queues and the timers runs on one control
 * context, so single flight needs no locks: the first held request creates the STARTING instance
 * synchronously on that context and every later one finds it.
 */
public final class LifecycleManager {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.lifecycle");
  private static final long POLL_MIN_MS = 50;
  private static final long POLL_MAX_MS = 1000;
  /** With a push stream, polling is only a safety net against a lost event. */
  private static final long POLL_WITH_EVENTS_MS = 1000;
  private static final int EARLY_EVENTS_KEPT = 1024;
  private static final Duration WAITERS_FULL_RETRY = Duration.ofSeconds(5);
  private static final long STOP_RETRY_MIN_MS = 1000;
  private static final long STOP_RETRY_MAX_MS = 60_000;

  private final Vertx vertx;
  private final Context control;
  private final ProviderRegistry providers;
  private final GatewayConfig config;
  private final HttpClientAgent probeClient;
  private final ConcurrentHashMap<String, ResourceEntry> resources = new ConcurrentHashMap<>();
  private final AtomicInteger totalWaiting = new AtomicInteger();
  private final AtomicInteger pendingStops = new AtomicInteger();
  private final Set<CloudProvider> pushing = new HashSet<>();

  // Control-context state.
  private final Map<String, ManagedInstance> byInstanceId = new HashMap<>();
  /** Events that overtook the answer to our own start call (a VM that boots in 0 ms). */
  private final Map<String, Instance> earlyEvents = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instance> eldest) {
      return size() > EARLY_EVENTS_KEPT;
    }
  };
  private volatile boolean closed;

  public LifecycleManager(Vertx vertx, Context control, ProviderRegistry providers, GatewayConfig config) {
    this.vertx = vertx;
    this.control = control;
    this.providers = providers;
    this.config = config;
    this.probeClient = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(false).setTcpNoDelay(true))
        .with(new PoolOptions().setHttp1MaxSize(16))
        .build();
  }

  /** Subscribes to the providers' event streams and adopts the VMs they already run. */
  public Future<Void> start() {
    Promise<Void> started = Promise.promise();
    control.runOnContext(v -> {
      for (CloudProvider provider : providers.all()) {
        provider.events().ifPresent(stream -> {
          pushing.add(provider);
          stream.exceptionHandler(err -> log.warn("event stream error: {} (polling covers the gap)", err.toString()));
          stream.handler(instance -> control.runOnContext(x -> onCloudEvent(instance)));
        });
      }
      adoptAll().onComplete(started);
    });
    return started.future();
  }

  // ---------------------------------------------------------------- request path (any thread)

  /** The warm path: a lease on a serving VM this caller may use, or null. */
  public Lease tryLease(String resource, GroupSet groups) {
    ResourceEntry entry = resources.get(resource);
    if (entry == null) {
      return null;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      ManagedInstance best = null;
      int bestLoad = Integer.MAX_VALUE;
      for (ManagedInstance mi : entry.instances) {
        if (mi.backlog() == 0 && mi.state().isServing() && groups.containsAll(mi.groups)) {
          int load = mi.inFlight();
          if (load < bestLoad) {
            best = mi;
            bestLoad = load;
          }
        }
      }
      if (best == null) {
        return null;
      }
      if (best.tryAcquire()) {
        return new Lease(this, best, 0, false);
      }
    }
    return null;
  }

  /**
   * Holds a request until a VM for it is ready; starts one if none is coming. The request must already be
   * paused. Fails with a {@link GatewayException} (503 when the queues are full, 504 after startTimeout,
   * 502 if the VM failed to boot, ...).
   */
  public Future<Lease> hold(String resource, GroupSet groups, HttpServerRequest request) {
    if (closed) {
      return Future.failedFuture(shuttingDown(resource));
    }
    ResourceSettings settings = config.settingsFor(resource);
    ResourceEntry entry = entry(resource);
    if (entry.waiting.incrementAndGet() > settings.maxWaiting()) {
      entry.waiting.decrementAndGet();
      return Future.failedFuture(new GatewayException(ErrorType.WAITERS_FULL,
          "already " + settings.maxWaiting() + " requests waiting for this resource", resource, WAITERS_FULL_RETRY, null));
    }
    if (totalWaiting.incrementAndGet() > config.limits().maxWaitingTotal()) {
      totalWaiting.decrementAndGet();
      entry.waiting.decrementAndGet();
      return Future.failedFuture(new GatewayException(ErrorType.WAITERS_FULL,
          "the gateway already holds " + config.limits().maxWaitingTotal() + " requests", resource, WAITERS_FULL_RETRY, null));
    }
    Promise<Lease> promise = Promise.promise();
    Waiter waiter = new Waiter(resource, groups, vertx.getOrCreateContext(), promise);
    promise.future().onComplete(ar -> {
      entry.waiting.decrementAndGet();
      totalWaiting.decrementAndGet();
    });
    // A client that hangs up while held must not keep a place in the queue (nor start a VM for nobody).
    request.response().closeHandler(v -> {
      if (promise.tryFail(new GatewayException(ErrorType.BAD_REQUEST, "client closed the connection while held", resource))) {
        control.runOnContext(x -> withdraw(waiter));
      }
    });
    control.runOnContext(v -> place(entry, waiter));
    return promise.future();
  }

  /** Makes sure a VM for the caller is ready or coming, without holding anything (browsers get a waiting page). */
  public void ensureStarting(String resource, GroupSet groups) {
    if (closed) {
      return;
    }
    ResourceEntry entry = entry(resource);
    control.runOnContext(v -> {
      if (findUsable(entry, groups) == null) {
        launch(entry, new ManagedInstance(resource, groups));
      }
    });
  }

  /** Every instance with its state; read on the control context. */
  public Future<List<InstanceView>> instances() {
    Promise<List<InstanceView>> promise = Promise.promise();
    control.runOnContext(v -> {
      List<InstanceView> views = new ArrayList<>();
      resources.values().forEach(entry -> {
        for (ManagedInstance mi : entry.instances) {
          views.add(view(mi));
        }
      });
      promise.complete(views);
    });
    return promise.future();
  }

  /** Stop calls the cloud has not confirmed yet (they are retried until it does). */
  public int pendingStops() {
    return pendingStops.get();
  }

  /** Held requests right now, across all resources. */
  public int waiting() {
    return totalWaiting.get();
  }

  /** Answers every held request with 503 and forgets timers; VMs keep running (the next gateway adopts them). */
  public Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    control.runOnContext(v -> {
      closed = true;
      resources.values().forEach(entry -> {
        for (ManagedInstance mi : entry.instances) {
          cancelTimers(mi);
          for (Waiter w : mi.waiters.drainAll()) {
            vertx.cancelTimer(w.timerId);
            w.fail(shuttingDown(mi.resource));
          }
          mi.backlog(0);
        }
      });
      probeClient.close().onComplete(ar -> promise.complete());
    });
    return promise.future();
  }

  // ---------------------------------------------------------------- lease callbacks (any thread)

  void answered(ManagedInstance mi) {
    // Release pacing is reworked in the lifecycle reshape; until then a lease counts until released.
  }

  void released(ManagedInstance mi) {
    boolean lastOfDrain = mi.release();
    if (lastOfDrain || mi.backlog() > 0) {
      control.runOnContext(v -> {
        if (lastOfDrain && mi.finishDrain()) {
          stop(mi, "drained");
        } else {
          pump(mi);
        }
      });
    }
  }

  /**
   * A request could not even connect to a serving VM. The cloud said RUNNING and the probe passed, so its
   * server is gone (crashed, port closed): take it out of rotation at once, so that the retry of that
   * request and every held one go to a fresh VM instead of failing against the dead one too.
   */
  void unreachable(ManagedInstance mi) {
    released(mi);
    control.runOnContext(v -> {
      if (mi.state().isServing()) {
        fail(mi, new GatewayException(ErrorType.BACKEND_FAILED, "the VM refused connections", mi.resource), true);
      }
    });
  }

  // ---------------------------------------------------------------- placement (control context)

  private void place(ResourceEntry entry, Waiter waiter) {
    if (waiter.isDone()) {
      return;
    }
    if (closed) {
      waiter.fail(shuttingDown(waiter.resource));
      return;
    }
    ManagedInstance target = findUsable(entry, waiter.groups);
    if (target != null && target.state().isServing() && target.backlog() == 0 && target.tryAcquire()) {
      waiter.grant(new Lease(this, target, waiter.waitedMillis(), true));
      return;
    }
    if (target == null) {
      target = new ManagedInstance(waiter.resource, waiter.groups);
      launch(entry, target);
    }
    ResourceSettings settings = config.settingsFor(waiter.resource);
    waiter.instance = target;
    target.waiters.add(waiter);
    target.backlog(target.waiters.size());
    ManagedInstance held = target;
    if (waiter.timerId < 0) {
      long remaining = Math.max(1, settings.startTimeout().toMillis() - waiter.waitedMillis());
      waiter.timerId = vertx.setTimer(remaining, t -> timedOut(held, waiter, settings.startTimeout()));
    }
  }

  /** A serving instance first (it may just have a backlog), else one coming up. */
  private ManagedInstance findUsable(ResourceEntry entry, GroupSet groups) {
    ManagedInstance comingUp = null;
    for (ManagedInstance mi : entry.instances) {
      if (!groups.containsAll(mi.groups)) {
        continue;
      }
      LifecycleState s = mi.state();
      if (s.isServing()) {
        return mi;
      }
      if (s.isComingUp() && comingUp == null) {
        comingUp = mi;
      }
    }
    return comingUp;
  }

  private void timedOut(ManagedInstance mi, Waiter waiter, Duration startTimeout) {
    waiter.timerId = -1;
    if (waiter.isDone()) {
      return;
    }
    ManagedInstance current = waiter.instance != null ? waiter.instance : mi;
    current.waiters.remove(waiter);
    current.backlog(current.waiters.size());
    waiter.fail(new GatewayException(ErrorType.START_TIMEOUT,
        "no VM became ready within " + Durations.format(startTimeout), waiter.resource));
  }

  private void withdraw(Waiter waiter) {
    waiter.abandon();
    vertx.cancelTimer(waiter.timerId);
    ManagedInstance mi = waiter.instance;
    if (mi != null) {
      mi.waiters.remove(waiter);
      mi.backlog(mi.waiters.size());
    }
  }

  /** Releases held requests to a serving instance, at most {@code releaseConcurrency} in flight at a time. */
  private void pump(ManagedInstance mi) {
    if (mi.waiters.isEmpty()) {
      mi.backlog(0);
      return;
    }
    if (!mi.state().isServing()) {
      return;
    }
    int limit = config.settingsFor(mi.resource).releaseConcurrency();
    while (mi.inFlight() < limit) {
      Waiter w = mi.waiters.poll();
      if (w == null) {
        break;
      }
      if (!mi.tryAcquire()) {
        mi.waiters.add(w);
        break;
      }
      vertx.cancelTimer(w.timerId);
      w.grant(new Lease(this, mi, w.waitedMillis(), true));
    }
    mi.backlog(mi.waiters.size());
  }

  // ---------------------------------------------------------------- starting (control context)

  private void launch(ResourceEntry entry, ManagedInstance mi) {
    entry.add(mi);
    ResourceSettings settings = config.settingsFor(mi.resource);
    mi.bootTimerId = vertx.setTimer(settings.startTimeout().toMillis(), t -> {
      mi.bootTimerId = -1;
      if (mi.state().isComingUp()) {
        fail(mi, new GatewayException(ErrorType.START_TIMEOUT,
            "the VM did not become ready within " + Durations.format(settings.startTimeout()), mi.resource), false);
      }
    });
    log.info("starting resource={} groups={}", mi.resource, mi.groups);
    CloudProvider provider = providers.forResource(mi.resource);
    provider.start(mi.resource, mi.groups.asSet())
        .onComplete(ar -> control.runOnContext(v -> started(mi, provider, ar)));
  }

  private void started(ManagedInstance mi, CloudProvider provider, AsyncResult<Instance> ar) {
    if (ar.failed()) {
      fail(mi, toGatewayError(mi.resource, ar.cause()), false);
      return;
    }
    Instance instance = ar.result();
    mi.cloudView = instance;
    byInstanceId.put(instance.id(), mi);
    if (mi.state().isDead()) {
      // Timed out or shut down while the start call was in flight: do not leave it running.
      stopInCloud(mi);
      return;
    }
    log.info("started resource={} instance={} state={}", mi.resource, instance.id(), instance.state());
    onCloudState(mi, instance);
    Instance early = earlyEvents.remove(instance.id());
    if (early != null) {
      onCloudState(mi, early);
    }
    if (mi.state() == LifecycleState.STARTING) {
      schedulePoll(mi, provider, pushing.contains(provider) ? POLL_WITH_EVENTS_MS : POLL_MIN_MS);
    }
  }

  private void onCloudEvent(Instance instance) {
    ManagedInstance mi = byInstanceId.get(instance.id());
    if (mi == null) {
      if (!instance.state().isTerminal()) {
        earlyEvents.put(instance.id(), instance);
      }
      return;
    }
    onCloudState(mi, instance);
  }

  private void onCloudState(ManagedInstance mi, Instance instance) {
    mi.cloudView = instance;
    LifecycleState state = mi.state();
    InstanceState cloud = instance.state();
    if (cloud == InstanceState.RUNNING) {
      if (state == LifecycleState.STARTING && instance.endpoint() != null) {
        URI endpoint = instance.endpoint();
        mi.host = endpoint.getHost();
        mi.port = endpoint.getPort() > 0 ? endpoint.getPort() : 80;
        mi.transition(LifecycleState.STARTING, LifecycleState.WARMING);
        log.info("warming resource={} instance={} endpoint={}", mi.resource, instance.id(), endpoint);
        probe(mi);
      }
    } else if (cloud == InstanceState.FAILED || cloud == InstanceState.STOPPED || cloud == InstanceState.STOPPING) {
      if (state.isComingUp()) {
        fail(mi, new GatewayException(ErrorType.BOOT_FAILED,
            "the cloud reports the VM " + instance.id() + " " + cloud + " while starting", mi.resource), false);
      } else if (state.isServing()) {
        fail(mi, new GatewayException(ErrorType.BACKEND_FAILED,
            "the cloud reports the VM " + instance.id() + " " + cloud, mi.resource), true);
      }
    }
  }

  private void schedulePoll(ManagedInstance mi, CloudProvider provider, long delayMs) {
    mi.pollTimerId = vertx.setTimer(delayMs, t -> {
      mi.pollTimerId = -1;
      if (mi.state() != LifecycleState.STARTING) {
        return;
      }
      provider.describe(mi.instanceId()).onComplete(ar -> control.runOnContext(v -> {
        if (mi.state() != LifecycleState.STARTING) {
          return;
        }
        if (ar.succeeded()) {
          onCloudState(mi, ar.result());
        } else if (ar.cause() instanceof CloudException ce && ce.kind() == CloudException.Kind.INSTANCE_NOT_FOUND) {
          fail(mi, new GatewayException(ErrorType.BOOT_FAILED, "the cloud lost the VM " + mi.instanceId() + " while starting", mi.resource), false);
          return;
        }
        if (mi.state() == LifecycleState.STARTING) {
          long next = pushing.contains(provider) ? POLL_WITH_EVENTS_MS : Math.min(POLL_MAX_MS, delayMs * 2);
          schedulePoll(mi, provider, next);
        }
      }));
    });
  }

  /** The HTTP readiness probe, repeated every {@code readiness.interval} while WARMING. */
  private void probe(ManagedInstance mi) {
    if (mi.state() != LifecycleState.WARMING) {
      return;
    }
    ProbeConfig probe = config.settingsFor(mi.resource).readiness();
    probeOnce(mi, probe).onComplete(ar -> control.runOnContext(v -> {
      if (mi.state() != LifecycleState.WARMING) {
        return;
      }
      if (ar.succeeded() && probe.accepts(ar.result())) {
        ready(mi);
      } else {
        mi.probeTimerId = vertx.setTimer(probe.interval().toMillis(), t -> {
          mi.probeTimerId = -1;
          probe(mi);
        });
      }
    }));
  }

  private Future<Integer> probeOnce(ManagedInstance mi, ProbeConfig probe) {
    long timeout = probe.timeout().toMillis();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(mi.host)
        .setPort(mi.port)
        .setURI(probe.path())
        .setConnectTimeout(timeout)
        .setIdleTimeout(timeout)
        .putHeader("User-Agent", "smart-gateway-probe");
    return probeClient.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.end().map(v -> resp.statusCode()));
  }

  private void ready(ManagedInstance mi) {
    mi.transition(LifecycleState.WARMING, LifecycleState.READY);
    cancelTimer(mi.bootTimerId);
    mi.bootTimerId = -1;
    mi.readyAtMillis = System.currentTimeMillis();
    log.info("ready resource={} instance={} after {} ms, releasing {} held requests",
        mi.resource, mi.instanceId(), mi.readyAtMillis - mi.createdAtMillis, mi.waiters.size());
    pump(mi);
    scheduleIdleCheck(mi, config.settingsFor(mi.resource).idleTimeout().toMillis());
    mi.lastPongNanos = System.nanoTime();
    schedulePing(mi);
  }

  // ---------------------------------------------------------------- liveness (control context)

  private void schedulePing(ManagedInstance mi) {
    long ping = config.settingsFor(mi.resource).liveness().ping().toMillis();
    long jitter = ping / 5;
    long delay = Math.max(1, ping + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1)));
    mi.pingTimerId = vertx.setTimer(delay, t -> {
      mi.pingTimerId = -1;
      ping(mi);
    });
  }

  private void ping(ManagedInstance mi) {
    if (!mi.state().isServing()) {
      return;
    }
    ResourceSettings settings = config.settingsFor(mi.resource);
    probeOnce(mi, settings.readiness()).onComplete(ar -> control.runOnContext(v -> {
      if (!mi.state().isServing()) {
        return;
      }
      if (ar.succeeded() && settings.readiness().accepts(ar.result())) {
        mi.missedPings = 0;
        mi.lastPongNanos = System.nanoTime();
      } else {
        mi.missedPings++;
        LivenessConfig liveness = settings.liveness();
        long silentNanos = System.nanoTime() - mi.lastPongNanos;
        log.warn("liveness ping missed resource={} instance={} ({} in a row): {}", mi.resource, mi.instanceId(),
            mi.missedPings, ar.failed() ? ar.cause().toString() : "status " + ar.result());
        if (mi.missedPings >= liveness.misses() || silentNanos >= liveness.pongDiscardTimeout().toNanos()) {
          fail(mi, new GatewayException(ErrorType.BACKEND_FAILED, "the VM stopped answering its liveness pings ("
              + mi.missedPings + " missed)", mi.resource), true);
          return;
        }
      }
      schedulePing(mi);
    }));
  }

  // ---------------------------------------------------------------- idle stop (control context)

  private void scheduleIdleCheck(ManagedInstance mi, long delayMs) {
    mi.idleTimerId = vertx.setTimer(Math.max(1, delayMs), t -> {
      mi.idleTimerId = -1;
      checkIdle(mi);
    });
  }

  private void checkIdle(ManagedInstance mi) {
    if (mi.state() != LifecycleState.READY) {
      return;
    }
    Duration idleTimeout = config.settingsFor(mi.resource).idleTimeout();
    long idleNanos = idleTimeout.toNanos();
    long quietNanos = System.nanoTime() - mi.lastActivityNanos();
    if (mi.inFlight() > 0 || mi.backlog() > 0) {
      // Busy (a long response or stream counts as activity): look again after a full timeout.
      scheduleIdleCheck(mi, idleTimeout.toMillis());
    } else if (quietNanos >= idleNanos) {
      drain(mi, "idle for " + Durations.format(idleTimeout));
    } else {
      scheduleIdleCheck(mi, (idleNanos - quietNanos) / 1_000_000 + 1);
    }
  }

  private void drain(ManagedInstance mi, String reason) {
    if (!mi.beginDrain()) {
      return;
    }
    log.info("draining resource={} instance={} ({})", mi.resource, mi.instanceId(), reason);
    if (mi.finishDrain()) {
      stop(mi, reason);
    } else if (mi.state() == LifecycleState.DRAINING) {
      Duration drainTimeout = config.settingsFor(mi.resource).drainTimeout();
      mi.idleTimerId = vertx.setTimer(drainTimeout.toMillis(), t -> {
        mi.idleTimerId = -1;
        if (mi.state() == LifecycleState.DRAINING) {
          mi.force(LifecycleState.STOPPING);
          stop(mi, reason + "; " + mi.inFlight() + " requests still running after drainTimeout");
        }
      });
    } else {
      // A request revived it between the two steps.
      scheduleIdleCheck(mi, config.settingsFor(mi.resource).idleTimeout().toMillis());
    }
  }

  /** The instance is STOPPING: forget it for routing, then ask the cloud to stop it. */
  private void stop(ManagedInstance mi, String reason) {
    cancelTimers(mi);
    entry(mi.resource).remove(mi);
    rerouteWaiters(mi);
    log.info("stopping resource={} instance={} ({})", mi.resource, mi.instanceId(), reason);
    stopInCloud(mi);
  }

  private void stopInCloud(ManagedInstance mi) {
    if (mi.instanceId() == null) {
      return;
    }
    pendingStops.incrementAndGet();
    stopInCloud(mi, STOP_RETRY_MIN_MS);
  }

  /**
   * Asks the cloud to stop the VM until it confirms: the provider already retried, but a VM the gateway
   * forgot while the cloud kept it running would run (and cost) forever.
   */
  private void stopInCloud(ManagedInstance mi, long nextDelayMs) {
    String id = mi.instanceId();
    providers.forResource(mi.resource).stop(id).onComplete(ar -> control.runOnContext(v -> {
      if (ar.succeeded() || (ar.cause() instanceof CloudException ce && ce.kind() == CloudException.Kind.INSTANCE_NOT_FOUND)) {
        if (mi.state() == LifecycleState.STOPPING) {
          mi.force(LifecycleState.STOPPED);
        }
        byInstanceId.remove(id);
        pendingStops.decrementAndGet();
        log.info("stopped resource={} instance={}", mi.resource, id);
      } else {
        log.warn("stop failed resource={} instance={}: {}; trying again in {} ms", mi.resource, id,
            ar.cause().toString(), nextDelayMs);
        vertx.setTimer(nextDelayMs, t -> stopInCloud(mi, Math.min(STOP_RETRY_MAX_MS, nextDelayMs * 2)));
      }
    }));
  }

  // ---------------------------------------------------------------- failures (control context)

  /**
   * Marks an instance FAILED and stops it in the cloud (nothing is left running). Its held requests either
   * fail with {@code error} (a boot failure) or, for an instance that had been serving, are held again for
   * a fresh VM: they never reached the dead one.
   */
  private void fail(ManagedInstance mi, GatewayException error, boolean reroute) {
    LifecycleState previous = mi.force(LifecycleState.FAILED);
    if (previous == LifecycleState.FAILED || previous == LifecycleState.STOPPED) {
      return;
    }
    cancelTimers(mi);
    entry(mi.resource).remove(mi);
    log.warn("failed resource={} instance={}: {}", mi.resource, mi.instanceId(), error.detail());
    if (reroute) {
      rerouteWaiters(mi);
    } else {
      for (Waiter w : mi.waiters.drainAll()) {
        vertx.cancelTimer(w.timerId);
        w.fail(error);
      }
      mi.backlog(0);
    }
    if (previous != LifecycleState.STOPPING) {
      stopInCloud(mi);
    }
  }

  private void rerouteWaiters(ManagedInstance mi) {
    List<Waiter> waiters = mi.waiters.drainAll();
    mi.backlog(0);
    ResourceEntry entry = entry(mi.resource);
    for (Waiter w : waiters) {
      w.instance = null;
      place(entry, w);
    }
  }

  // ---------------------------------------------------------------- adoption (control context)

  private Future<Void> adoptAll() {
    List<Future<Void>> adopting = new ArrayList<>();
    for (CloudProvider provider : providers.all()) {
      adopting.add(provider.list()
          .onSuccess(list -> control.runOnContext(v -> list.forEach(instance -> adopt(provider, instance))))
          .recover(err -> {
            log.warn("could not list the cloud's VMs at start-up (none adopted): {}", err.toString());
            return Future.succeededFuture();
          })
          .mapEmpty());
    }
    // Adoption itself runs in the runOnContext above; one more hop makes sure it is done before we answer.
    return Future.join(adopting).compose(v -> {
      Promise<Void> done = Promise.promise();
      control.runOnContext(x -> done.complete());
      return done.future();
    });
  }

  private void adopt(CloudProvider provider, Instance instance) {
    if (byInstanceId.containsKey(instance.id()) || providers.forResource(instance.resource()) != provider) {
      return;
    }
    boolean running = instance.state() == InstanceState.RUNNING && instance.endpoint() != null;
    if (!running && !instance.state().isStarting()) {
      return;
    }
    GroupSet groups;
    try {
      groups = GroupSet.of(instance.groups());
    } catch (IllegalArgumentException e) {
      log.warn("not adopting instance={}: {}", instance.id(), e.getMessage());
      return;
    }
    ManagedInstance mi = new ManagedInstance(instance.resource(), groups);
    mi.cloudView = instance;
    byInstanceId.put(instance.id(), mi);
    ResourceEntry entry = entry(instance.resource());
    entry.add(mi);
    ResourceSettings settings = config.settingsFor(mi.resource);
    mi.bootTimerId = vertx.setTimer(settings.startTimeout().toMillis(), t -> {
      mi.bootTimerId = -1;
      if (mi.state().isComingUp()) {
        fail(mi, new GatewayException(ErrorType.START_TIMEOUT, "the adopted VM did not become ready", mi.resource), false);
      }
    });
    log.info("adopting resource={} groups={} instance={} state={}", mi.resource, mi.groups, instance.id(), instance.state());
    onCloudState(mi, instance);
    if (mi.state() == LifecycleState.STARTING) {
      schedulePoll(mi, provider, pushing.contains(provider) ? POLL_WITH_EVENTS_MS : POLL_MIN_MS);
    }
  }

  // ---------------------------------------------------------------- helpers

  private ResourceEntry entry(String resource) {
    return resources.computeIfAbsent(resource, r -> new ResourceEntry());
  }

  private void cancelTimers(ManagedInstance mi) {
    cancelTimer(mi.idleTimerId);
    cancelTimer(mi.bootTimerId);
    cancelTimer(mi.pollTimerId);
    cancelTimer(mi.probeTimerId);
    cancelTimer(mi.pingTimerId);
    mi.idleTimerId = mi.bootTimerId = mi.pollTimerId = mi.probeTimerId = mi.pingTimerId = -1;
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }

  private static InstanceView view(ManagedInstance mi) {
    String endpoint = mi.host == null ? null : mi.host + ":" + mi.port;
    return new InstanceView(mi.resource, List.copyOf(mi.groups.asSet()), mi.instanceId(), mi.state(), endpoint,
        mi.inFlight(), mi.waiters.size(), mi.createdAtMillis, mi.readyAtMillis);
  }

  static GatewayException toGatewayError(String resource, Throwable cause) {
    if (cause instanceof GatewayException ge) {
      return ge.resource() == null ? ge.withResource(resource) : ge;
    }
    if (cause instanceof CloudException ce) {
      return switch (ce.kind()) {
        case UNKNOWN_RESOURCE -> new GatewayException(ErrorType.UNKNOWN_RESOURCE, ce.getMessage(), resource);
        case REFUSED -> new GatewayException(ErrorType.FORBIDDEN, ce.getMessage(), resource);
        case CAPACITY -> new GatewayException(ErrorType.NO_CAPACITY, ce.getMessage(), resource, Duration.ofSeconds(30), ce);
        case TRANSIENT, TIMEOUT -> new GatewayException(ErrorType.CLOUD_UNAVAILABLE, ce.getMessage(), resource,
            ce.retryAfter() != null ? ce.retryAfter() : Duration.ofSeconds(5), ce);
        default -> new GatewayException(ErrorType.CLOUD_FAILED, ce.getMessage(), resource, null, ce);
      };
    }
    return new GatewayException(ErrorType.CLOUD_FAILED, "starting the VM failed: " + cause, resource, null, cause);
  }

  private static GatewayException shuttingDown(String resource) {
    return new GatewayException(ErrorType.SHUTTING_DOWN, "the gateway is shutting down; retry shortly",
        resource, Duration.ofSeconds(2), null);
  }

  /** The instances of one resource: a copy-on-write array, read lock-free by the warm path. */
  private static final class ResourceEntry {
    volatile ManagedInstance[] instances = new ManagedInstance[0];
    final AtomicInteger waiting = new AtomicInteger();

    void add(ManagedInstance mi) {
      ManagedInstance[] current = instances;
      ManagedInstance[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = mi;
      instances = next;
    }

    void remove(ManagedInstance mi) {
      ManagedInstance[] current = instances;
      List<ManagedInstance> kept = new ArrayList<>(current.length);
      for (ManagedInstance m : current) {
        if (m != mi) {
          kept.add(m);
        }
      }
      instances = kept.toArray(new ManagedInstance[0]);
    }
  }
}
