package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.Liveness;
import dev.smartgateway.config.Durations;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceEventStream;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs one local process per instance: {@code start} launches the resource's command on a free port,
 * reports BOOTING at once and RUNNING (through {@link #events()}) when its own readiness check passes.
 *
 * <p>Threading: all state lives on the context the provider was created on; public methods hop onto it and
 * answer on the caller's context. Launching, signalling and file I/O run as blocking tasks on workers.
 * Events are emitted on the provider's context.
 *
 * <p>Restarts: each live child has a pid file in {@code stateDir} that records its owner; a new provider adopts
 * the children of its own owner whose pid is alive and still runs the recorded command, and deletes the files of
 * its own that are dead. Other owners' files (gateways sharing the directory) are never touched: not adopted,
 * not stopped on close, not deleted. See {@link Recovery}.
 */
final class ProcessCloudProvider implements CloudProvider {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessCloudProvider.class);
  /** First launch plus relaunches after losing the race for a free port. */
  private static final int MAX_LAUNCHES = 3;
  private static final long GONE_POLL_MS = 50;
  /** Adopted processes are not our children: no exit notification, so we look now and then. */
  private static final long ADOPTED_POLL_MS = 500;

  private final Vertx vertx;
  private final Context context;
  private final ProcessSettings settings;
  private final PidFiles files;
  private final ProcessLauncher launcher;
  private final NetClient tcp;
  private final HttpClient http;
  private final OutputPump pump;
  private final Termination termination;
  private final InstanceEventStream events = new InstanceEventStream();
  private final Map<String, ChildProcess> children = new LinkedHashMap<>();
  private boolean closed;
  private Future<Void> closeResult;

  /** Null for a provider created without an owner. */
  private final String owner;

  private ProcessCloudProvider(Vertx vertx, Context context, ProcessSettings settings, PidFiles files, Path setsid,
                               String owner) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.files = files;
    this.owner = owner;
    this.launcher = new ProcessLauncher(settings.host(), files, setsid, owner);
    this.tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1_000));
    // No keep-alive: a pooled connection would outlive the check and hold a child's only worker thread.
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1_000).setKeepAlive(false));
    this.pump = new OutputPump(vertx, context);
    this.termination = new Termination(vertx, context);
  }

  /**
   * Checks the environment, adopts the surviving children of {@code owner}, and answers with a usable provider.
   *
   * @param owner recorded with every child it starts; null for none (it then adopts only children without one)
   */
  static Future<CloudProvider> open(Vertx vertx, ProcessSettings settings, String owner) {
    Context context = vertx.getOrCreateContext();
    PidFiles files = new PidFiles(settings.stateDir());
    Promise<CloudProvider> opened = Promise.promise();
    context.runOnContext(v -> context.executeBlocking(() -> Recovery.run(settings, files, owner), false)
        .map(recovered -> {
          if (recovered.setsid() == null) {
            LOG.warn("No setsid program on the PATH: children share the gateway's process group, and processes a"
                + " child leaves behind after it exits cannot be found");
          }
          ProcessCloudProvider provider = new ProcessCloudProvider(vertx, context, settings, files, recovered.setsid(),
              owner);
          recovered.adoptable().forEach(provider::adopt);
          return (CloudProvider) provider;
        })
        .onComplete(opened));
    return opened.future();
  }

  @Override
  public Future<Instance> start(String resource, Set<String> groups) {
    return onContext(() -> {
      if (closed) {
        return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, "the process provider is closed"));
      }
      ProcessSpec spec = settings.resources().get(resource);
      if (spec == null) {
        return Future.failedFuture(new CloudException(CloudException.Kind.UNKNOWN_RESOURCE,
            "the process provider has no resource '" + resource + "' (configured: "
                + String.join(", ", settings.resources().keySet()) + ")"));
      }
      Set<String> startGroups = Set.copyOf(groups);
      return context.executeBlocking(() -> launcher.launch(spec, startGroups, null), false)
          .recover(e -> Future.failedFuture(asCloudException(e, "cannot start " + resource)))
          .compose(launch -> register(spec, startGroups, launch));
    });
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    return onContext(() -> {
      ChildProcess child = children.get(instanceId);
      return child == null
          ? Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no process instance " + instanceId))
          : Future.succeededFuture(child.toInstance(settings.host()));
    });
  }

  @Override
  public Future<Void> stop(String instanceId) {
    return onContext(() -> {
      ChildProcess child = children.get(instanceId);
      return child == null ? Future.succeededFuture() : stop(child);
    });
  }

  @Override
  public Future<List<Instance>> list() {
    return onContext(() -> Future.succeededFuture(
        children.values().stream().map(child -> child.toInstance(settings.host())).toList()));
  }

  @Override
  public Optional<ReadStream<Instance>> events() {
    return Optional.of(events);
  }

  /**
   * With {@code onShutdown: stop}, stops every child (each bounded by its stopTimeout, then killed) before
   * answering. With {@code leave}, children keep running and keep their pid files, for the next gateway to
   * adopt. Either way the event stream ends and the clients close.
   */
  @Override
  public Future<Void> close() {
    return onContext(() -> {
      if (closed) {
        return closeResult;
      }
      closed = true;
      List<ChildProcess> live = children.values().stream().filter(c -> !c.state.isTerminal()).toList();
      Future<Void> childrenDone;
      if (settings.onShutdown() == ProcessSettings.OnShutdown.STOP) {
        LOG.info("Closing: stopping {} process instance(s)", live.size());
        childrenDone = Future.join(live.stream().map(this::stop).toList()).<Void>mapEmpty().otherwiseEmpty();
      } else {
        LOG.info("Closing: leaving {} process instance(s) running for the next gateway to adopt: {}",
            live.size(), live.stream().map(c -> c.id).toList());
        live.forEach(ChildProcess::cancelReadiness);
        childrenDone = Future.succeededFuture();
      }
      closeResult = childrenDone
          .transform(ar -> {
            children.values().forEach(c -> vertx.cancelTimer(c.forgetTimer));
            return pump.close();
          })
          .transform(ar -> {
            events.end();
            return Future.join(tcp.close(), http.close()).<Void>mapEmpty();
          });
      return closeResult;
    });
  }

  // ---- lifecycle of one child (on the provider's context) ----

  private Future<Instance> register(ProcessSpec spec, Set<String> groups, ProcessLauncher.Launch launch) {
    ChildOutput output = new ChildOutput(files.outputFile(spec.resource(), launch.id()), childLog(spec.resource()),
        launch.id(), false);
    ChildProcess child = new ChildProcess(launch.id(), spec.resource(), groups, spec, false, owner, output,
        InstanceState.BOOTING);
    child.attach(launch);
    children.put(child.id, child);
    pump.add(output);
    watch(child);
    if (closed) {
      // closed while we were launching: close() did not see this child, so it must not survive
      stop(child);
      return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, "the process provider is closed"));
    }
    LOG.info("Started {} (pid {}) on port {}: {}", child.id, child.handle.pid(), child.port, child.commandLine);
    checkReadiness(child);
    Instance instance = child.toInstance(settings.host());
    events.push(instance);
    return Future.succeededFuture(instance);
  }

  private void adopt(Recovery.Adoptable adoptable) {
    PidRecord record = adoptable.record();
    ProcessSpec spec = settings.resources().get(record.resource());
    if (spec == null) {
      LOG.warn("Adopting {} although resource '{}' is no longer configured: it can only be stopped", record.id(), record.resource());
    }
    ChildProcess child = new ChildProcess(record.id(), record.resource(), record.groups(), spec, true, record.owner(),
        adoptable.output(), InstanceState.RUNNING);
    child.attach(null, adoptable.handle(), record.port(), record.command(), record.startedAt(), record.processGroup());
    children.put(child.id, child);
    pump.add(child.output);
    watch(child);
    LOG.info("Adopted {} (pid {}, port {}) started by a previous gateway at {}", child.id, record.pid(), record.port(), record.startedAt());
  }

  /** Our own child tells us its exit (and code) at once; an adopted process is not our child and is polled. */
  private void watch(ChildProcess child) {
    ProcessHandle watched = child.handle;
    if (child.process != null) {
      Future.fromCompletionStage(child.process.onExit(), context)
          .onComplete(ar -> onExit(child, watched, ar.succeeded() ? ar.result().exitValue() : null));
    } else {
      pollExit(child, watched);
    }
  }

  private void pollExit(ChildProcess child, ProcessHandle watched) {
    if (child.handle != watched || child.state.isTerminal() || leftRunning()) {
      return;
    }
    context.executeBlocking(() -> Liveness.gone(watched), false).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        onExit(child, watched, null);
      } else {
        vertx.setTimer(child.stopRequested ? GONE_POLL_MS : ADOPTED_POLL_MS, t -> pollExit(child, watched));
      }
    });
  }

  private void onExit(ChildProcess child, ProcessHandle watched, Integer exitCode) {
    if (child.handle != watched || child.state.isTerminal()) {
      return; // a previous launch of a relaunched child, or already handled
    }
    if (leftRunning()) {
      return; // left to the next gateway, which will find the pid dead and clean up
    }
    child.cancelReadiness();
    child.exitCode = exitCode;
    if (child.termination == null && child.processGroup) {
      termination.cleanUpGroup(child.handle.pid(), child.stopSignal(), child.stopTimeout());
    }
    pump.finish(child.output).onComplete(drained -> {
      if (!child.stopRequested && child.state == InstanceState.BOOTING && child.reason == null
          && child.output.sawAddressInUse() && child.launches < MAX_LAUNCHES && !closed) {
        relaunch(child);
      } else if (child.stopRequested) {
        end(child, InstanceState.STOPPED);
      } else {
        if (child.reason == null) {
          child.reason = exitCode == null ? "exited by itself" : "exited by itself with code " + exitCode;
        }
        end(child, InstanceState.FAILED);
      }
    });
  }

  private void relaunch(ChildProcess child) {
    LOG.warn("{} could not bind port {} (taken since it was picked); relaunching on another port", child.id, child.port);
    child.launches++;
    child.relaunching = true;
    child.output.forgetAddressInUse();
    context.executeBlocking(() -> launcher.launch(child.spec, child.groups, child.id), false).onComplete(ar -> {
      child.relaunching = false;
      if (ar.failed()) {
        child.reason = "relaunch failed: " + ar.cause().getMessage();
        end(child, child.stopRequested ? InstanceState.STOPPED : InstanceState.FAILED);
        return;
      }
      child.attach(ar.result());
      pump.add(child.output);
      watch(child);
      if (child.stopRequested) {
        child.termination = terminate(child);
      } else if (!closed) {
        checkReadiness(child);
      }
    });
  }

  private void checkReadiness(ChildProcess child) {
    ReadinessCheck check = ReadinessCheck.start(vertx, tcp, http, settings.host(), child.port, child.spec.readiness());
    child.readiness = check;
    check.result().onComplete(ar -> {
      if (child.readiness != check || child.state != InstanceState.BOOTING) {
        return;
      }
      child.readiness = null;
      if (ar.succeeded()) {
        child.state = InstanceState.RUNNING;
        LOG.info("{} is ready at http://{}:{}", child.id, settings.host(), child.port);
        events.push(child.toInstance(settings.host()));
      } else {
        child.reason = ar.cause().getMessage();
        LOG.warn("{} {}; stopping it", child.id, child.reason);
        child.termination = terminate(child); // its exit then reports FAILED with this reason
      }
    });
  }

  /** Answers once the child is STOPPED (or FAILED meanwhile) and everything it started is gone too. */
  private Future<Void> stop(ChildProcess child) {
    if (child.state.isTerminal()) {
      return Future.succeededFuture();
    }
    if (!child.stopRequested) {
      child.stopRequested = true;
      child.cancelReadiness();
      child.state = InstanceState.STOPPING;
      LOG.info("Stopping {} (pid {}) with SIG{}, {} before SIGKILL", child.id, child.handle.pid(), child.stopSignal(),
          Durations.format(child.stopTimeout()));
      events.push(child.toInstance(settings.host()));
      if (!child.relaunching && child.termination == null) {
        child.termination = terminate(child);
      }
    }
    return child.ended.future().compose(v -> child.termination != null ? child.termination : Future.succeededFuture());
  }

  private Future<Void> terminate(ChildProcess child) {
    return termination.stop(child.id, child.handle, child.processGroup, child.stopSignal(), child.stopTimeout());
  }

  /** Terminal: files removed, event pushed; the instance stays visible for forgetAfter, then is forgotten. */
  private void end(ChildProcess child, InstanceState state) {
    child.state = state;
    if (state == InstanceState.FAILED) {
      LOG.warn("{} (pid {}) failed: {}", child.id, child.handle.pid(), child.reason);
    } else {
      LOG.info("{} (pid {}) stopped", child.id, child.handle.pid());
    }
    context.executeBlocking(() -> {
      files.delete(child.resource, child.id);
      files.deleteOutput(child.resource, child.id);
      return null;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("Cannot remove the files of {}: {}", child.id, ar.cause().toString());
      }
      events.push(child.toInstance(settings.host()));
      child.ended.tryComplete();
      if (!closed) {
        child.forgetTimer = vertx.setTimer(settings.forgetAfter().toMillis(), t -> children.remove(child.id, child));
      }
    });
  }

  private boolean leftRunning() {
    return closed && settings.onShutdown() == ProcessSettings.OnShutdown.LEAVE;
  }

  // ---- helpers ----

  /** Runs {@code action} on the provider's context and answers on the caller's. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    Runnable run = () -> {
      Future<T> result;
      try {
        result = action.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        if (caller == null || caller == context) {
          promise.handle(ar);
        } else {
          caller.runOnContext(v -> promise.handle(ar));
        }
      });
    };
    if (Vertx.currentContext() == context) {
      run.run();
    } else {
      context.runOnContext(v -> run.run());
    }
    return promise.future();
  }

  private static CloudException asCloudException(Throwable e, String what) {
    if (e instanceof CloudException cloud) {
      return cloud;
    }
    return new CloudException(CloudException.Kind.TRANSIENT, what + ": " + e.getMessage(), e);
  }

  /** Children's output goes to {@code process.<resource>}, so operators can tune it per resource. */
  static Logger childLog(String resource) {
    return LoggerFactory.getLogger("process." + resource);
  }
}
