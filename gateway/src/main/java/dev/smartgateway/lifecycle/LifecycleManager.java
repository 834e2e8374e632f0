package dev.smartgateway.lifecycle;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.cloud.ProviderRegistry;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ResourceCatalog;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * Every VM the gateway knows of and every held request (DESIGN section 6), behind a small facade. The warm
 * path ({@link #tryLease}) runs on any event loop and takes a lease with one CAS. Everything else runs on
 * one control context of the lifecycle's own, in the collaborators {@link Lifecycle} wires together, so
 * single flight needs no locks: the first held request creates the STARTING instance on that context and
 * every later one finds it. What happens is published on {@link #events()}.
 */
public final class LifecycleManager {

  private final Lifecycle core;

  public LifecycleManager(Vertx vertx, Context control, ProviderRegistry providers, GatewayConfig config,
                          ResourceCatalog catalog) {
    this(vertx, control, providers, config, catalog, Coordination.NONE);
  }

  /** With {@code coordination}: one of several gateways as one (DESIGN section 10). */
  public LifecycleManager(Vertx vertx, Context control, ProviderRegistry providers, GatewayConfig config,
                          ResourceCatalog catalog, Coordination coordination) {
    this(new Lifecycle(new VertxScheduler(control), new HttpProber(vertx, config.server()), providers, config, catalog,
        coordination));
  }

  LifecycleManager(Lifecycle core) {
    this.core = core;
  }

  /** Subscribes to the providers' event streams and adopts the VMs they already run. */
  public Future<Void> start() {
    Promise<Void> started = Promise.promise();
    // Clustered, the registry is mirrored first: adoption then leaves alone what other members manage.
    core.scheduler.execute(() -> core.cluster.start().compose(v -> core.launcher.start())
        .onComplete(ar -> core.scheduler.execute(() -> {
      core.scaler.wake(); // minInstances and keepWarm begin now, after adoption counted what already runs
      started.handle(ar);
    })));
    return started.future();
  }

  /** A resource's settings changed at run time (registered, replaced): its floor and scaling apply at once. */
  public void settingsChanged() {
    core.scheduler.execute(core.scaler::wake);
  }

  /** Lifecycle events: every transition of every instance, in order. */
  public LifecycleEvents events() {
    return core.events;
  }

  /** The warm path: a lease on a serving VM this caller may use, or null. */
  public Lease tryLease(String resource, GroupSet groups) {
    return core.tryLease(resource, groups);
  }

  /**
   * Holds a request until a VM for it is ready; starts one if none is coming. The request must already be
   * paused. Fails with a {@link GatewayException}: 503 when the queues are full, 504 after startTimeout, 502
   * if the VM failed to boot, 499 {@code client-closed} if the client hangs up meanwhile, ...
   */
  public Future<Lease> hold(String resource, GroupSet groups, HttpServerRequest request) {
    Context context = Vertx.currentContext();
    Waiter waiter = hold(resource, groups, context == null ? Runnable::run : task -> context.runOnContext(v -> task.run()));
    // A client that hangs up while held must not keep a place in the queue (nor start a VM for nobody).
    request.response().closeHandler(v -> withdraw(waiter));
    return waiter.future();
  }

  Waiter hold(String resource, GroupSet groups, Executor replyOn) {
    Waiter waiter = new Waiter(resource, groups, core.scheduler.nanoTime(), replyOn);
    if (core.closed) {
      waiter.fail(Failures.shuttingDown(resource));
    } else {
      core.scheduler.execute(() -> core.dispatcher.admit(waiter));
    }
    return waiter;
  }

  /** The held client went away. */
  void withdraw(Waiter waiter) {
    if (waiter.abandon(new GatewayException(ErrorType.CLIENT_CLOSED, "the client closed the connection while held",
        waiter.resource))) {
      core.scheduler.execute(() -> core.dispatcher.withdraw(waiter));
    }
  }

  /**
   * Makes sure a VM for the caller is ready or coming, without holding anything: a browser then gets the
   * waiting page, showing the status this completes with (the start's phase right after this call). Fails, on
   * the caller's context, with what the browser should see instead when nothing can come: the resource is
   * unknown, its last start failed (during the crash-loop backoff), a limit is reached.
   */
  public Future<StartStatus> ensureStarting(String resource, GroupSet groups) {
    if (core.closed) {
      return Future.failedFuture(Failures.shuttingDown(resource));
    }
    return onControl(() -> {
      GatewayException refused = ensureStartingNow(resource, groups);
      if (refused != null) {
        throw refused;
      }
      return core.statuses.status(resource, groups);
    });
  }

  private GatewayException ensureStartingNow(String resource, GroupSet groups) {
    if (core.closed) {
      return Failures.shuttingDown(resource);
    }
    if (core.unknown.isUnknown(resource, core.scheduler.nanoTime())) {
      return Failures.unknownResource(resource);
    }
    ResourceEntry entry = core.table.entry(resource);
    Pool usable = entry.usableFor(groups);
    if (usable != null) {
      core.suspender.wake(usable, LifecycleEvent.Cause.REQUEST);
      return null;
    }
    GatewayException refused = core.launcher.launch(core.table.pool(resource, groups), "a browser is waiting",
        LifecycleEvent.Cause.REQUEST);
    core.table.forgetIfIdle(entry);
    return refused;
  }

  /**
   * How the start of a VM for the caller is going (the waiting page's status URL): the phase, the time since the
   * start began, the resource's usual cold start, and the last failure, kept for a while after it. Only reads:
   * nothing is started, leased, revived or kept alive by asking, and no state is created for a resource the
   * gateway holds nothing for, so a tab polling for ever costs nothing but the answers. On the caller's context.
   */
  public Future<StartStatus> status(String resource, GroupSet groups) {
    return onControl(() -> core.statuses.status(resource, groups));
  }

  /** Every instance with its state. */
  public Future<List<InstanceView>> instances() {
    return onControl(core.table::views);
  }

  /** Pre-warm (admin): an instance for exactly this group set, ready or coming; starts one if there is none. */
  public Future<InstanceView> startByHand(String resource, GroupSet groups) {
    return onControl(() -> core.byHand.start(resource, groups));
  }

  /**
   * Stop by hand (admin), by the cloud's id or the gateway's ref: drains first unless {@code force}; a start
   * still running is cancelled. Fails with 404 not-found or 409 conflict.
   */
  public Future<InstanceView> stopByHand(String idOrRef, boolean force) {
    return onControl(() -> core.byHand.stopAnywhere(idOrRef, force)).compose(answer -> answer);
  }

  /** Cancels a running start (admin): the VM is stopped; its held requests get 503 start-cancelled with the reason. */
  public Future<InstanceView> cancelStart(String idOrRef, String reason) {
    return onControl(() -> core.byHand.cancel(idOrRef, reason));
  }

  /** A resource was unregistered: its instances drain and stop, starts are cancelled. */
  public Future<List<InstanceView>> retire(String resource, String reason) {
    return onControl(() -> core.byHand.retire(resource, reason));
  }

  /** Runs on the control context; answers on the caller's. A {@link GatewayException} thrown fails the future. */
  private <T> Future<T> onControl(java.util.function.Supplier<T> action) {
    Context context = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    core.scheduler.execute(() -> {
      T result = null;
      RuntimeException failure = null;
      try {
        result = action.get();
      } catch (RuntimeException e) {
        failure = e;
      }
      T value = result;
      RuntimeException error = failure;
      Runnable reply = () -> {
        if (error == null) {
          promise.complete(value);
        } else {
          promise.fail(error);
        }
      };
      if (context == null) {
        reply.run();
      } else {
        context.runOnContext(v -> reply.run());
      }
    });
    return promise.future();
  }

  /** Held requests per resource right now (resources with none are absent). */
  public Future<java.util.Map<String, Integer>> waitingByResource() {
    return onControl(() -> {
      java.util.Map<String, Integer> waiting = new java.util.TreeMap<>();
      for (ResourceEntry entry : core.table.entries()) {
        if (entry.waiting > 0) {
          waiting.put(entry.resource, entry.waiting);
        }
      }
      return waiting;
    });
  }

  /** Stop calls the cloud has not confirmed yet (they are retried until it does). */
  public int pendingStops() {
    return core.stopper.pending();
  }

  /** Resources the gateway holds anything for (instances, pools, held requests); read on the control context. */
  public Future<Integer> resourceCount() {
    Promise<Integer> promise = Promise.promise();
    core.scheduler.execute(() -> promise.complete(core.table.resourceCount()));
    return promise.future();
  }

  /** Held requests right now, across all resources. */
  public int waiting() {
    return core.dispatcher.totalWaiting();
  }

  /** Answers every held request with 503 and forgets timers; VMs keep running (the next gateway adopts them). */
  public Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    core.closed = true;
    core.scheduler.execute(() -> {
      core.dispatcher.failAll(Failures.shuttingDown(null));
      for (ResourceEntry entry : core.table.entries()) {
        for (ManagedInstance mi : entry.instances) {
          core.failures.cancelTimers(mi);
        }
      }
      // Clustered, its records stay: the members that remain take its instances over once it has left.
      core.prober.close().eventually(core.cluster.cluster::close).onComplete(ar -> promise.complete());
    });
    return promise.future();
  }
}
