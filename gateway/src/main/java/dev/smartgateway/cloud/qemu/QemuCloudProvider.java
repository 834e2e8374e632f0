package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceEventStream;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.config.Durations;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A QEMU process per instance ({@code provider.type: qemu}). {@code start} launches QEMU (see {@link VmLauncher}),
 * connects to its QMP socket and answers RUNNING once QMP says the guest runs; the gateway's own HTTP probe then
 * decides when the guest serves. The QMP connection stays open: its events track pauses and resumes, and its end
 * tells at once that QEMU exited (FAILED unless a stop was asked for). Stop is the ACPI power button, then quit, then
 * SIGKILL ({@link PowerOff}); suspend and resume are QMP {@code stop} and {@code cont}.
 *
 * <p>Threading: all state lives on the context the provider was created on; public methods hop onto it and answer
 * on the caller's context. Processes and files are handled in blocking tasks on workers. Events are pushed on the
 * provider's context.
 *
 * <p>Restarts: each VM has a record in {@code stateDir} naming its owner; a new provider adopts the live VMs of its
 * own owner (see {@link Recovery}), reconnecting to their QMP sockets, and leaves other owners' alone.
 */
final class QemuCloudProvider implements CloudProvider {

  private static final Logger LOG = LoggerFactory.getLogger(QemuCloudProvider.class);
  private static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);
  /** QEMU may take a moment to accept a new QMP client after the previous gateway's connection closed. */
  private static final int QMP_CONNECT_TRIES = 10;
  private static final long QMP_RETRY_MS = 200;
  /** After its QMP connection ends, a QEMU that is exiting is gone well within this. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Context context;
  private final QemuSettings settings;
  private final StateDir dir;
  private final VmLauncher launcher;
  private final NetClient unix;
  private final ConsolePump pump;
  private final PowerOff powerOff;
  private final InstanceEventStream events = new InstanceEventStream();
  private final Map<String, Vm> vms = new LinkedHashMap<>();
  private boolean closed;
  private Future<Void> closeResult;

  private QemuCloudProvider(Vertx vertx, Context context, QemuSettings settings, StateDir dir, Accel accel,
                            String owner) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.dir = dir;
    this.launcher = new VmLauncher(settings, dir, accel, owner);
    this.unix = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) QMP_TIMEOUT.toMillis()));
    this.pump = new ConsolePump(vertx, context);
    this.powerOff = new PowerOff(vertx, context);
  }

  /** What opening finds on the machine: the accelerator to use, and the VMs to adopt. */
  private record Found(Accel accel, List<Recovery.Adoptable> adoptable) {
  }

  /**
   * Chooses the accelerator, adopts the live VMs of {@code owner} (connected to their QMP sockets, so that
   * {@code list} reports their true state at once) and answers with a usable provider.
   *
   * @param owner recorded with every VM it starts; null for none (it then adopts only VMs without one)
   */
  static Future<CloudProvider> open(Vertx vertx, QemuSettings settings, String owner) {
    Context context = vertx.getOrCreateContext();
    StateDir dir = new StateDir(settings.stateDir());
    Promise<CloudProvider> opened = Promise.promise();
    context.runOnContext(v -> context.executeBlocking(() -> {
          Accel accel = HostProbe.accel(settings.accel());
          Preflight.warn(settings);
          return new Found(accel, Recovery.run(dir, owner));
        }, false)
        .compose(found -> {
          LOG.info("QEMU VMs run with {} (accel: {}); state in {}", found.accel().qemuName(), settings.accel().qemuName(),
              dir.dir());
          QemuCloudProvider provider = new QemuCloudProvider(vertx, context, settings, dir, found.accel(), owner);
          return Future.join(found.adoptable().stream().map(provider::adopt).toList())
              .transform(ar -> Future.succeededFuture((CloudProvider) provider));
        })
        .onComplete(opened));
    return opened.future();
  }

  @Override
  public Future<Instance> start(String resource, Set<String> groups) {
    return onContext(() -> {
      if (closed) {
        return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, "the qemu provider is closed"));
      }
      VmSpec spec = settings.resources().get(resource);
      if (spec == null) {
        return Future.failedFuture(new CloudException(CloudException.Kind.UNKNOWN_RESOURCE,
            "the qemu provider has no resource '" + resource + "' (configured: "
                + String.join(", ", settings.resources().keySet()) + ")"));
      }
      Set<String> startGroups = Set.copyOf(groups);
      return context.executeBlocking(() -> launcher.launch(spec, startGroups), false)
          .recover(e -> Future.failedFuture(e instanceof CloudException ? e
              : new CloudException(CloudException.Kind.TRANSIENT, "cannot start " + resource + ": " + e.getMessage(), e)))
          .compose(launch -> register(spec, launch));
    });
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    return onContext(() -> {
      Vm vm = vms.get(instanceId);
      return vm == null
          ? Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no qemu instance " + instanceId))
          : Future.succeededFuture(vm.toInstance(settings.host()));
    });
  }

  @Override
  public Future<Void> stop(String instanceId) {
    return onContext(() -> {
      Vm vm = vms.get(instanceId);
      return vm == null ? Future.succeededFuture() : stop(vm);
    });
  }

  @Override
  public Future<List<Instance>> list() {
    return onContext(() -> Future.succeededFuture(vms.values().stream().map(vm -> vm.toInstance(settings.host())).toList()));
  }

  @Override
  public Optional<ReadStream<Instance>> events() {
    return Optional.of(events);
  }

  @Override
  public boolean canSuspend() {
    return true;
  }

  /** QMP {@code stop}: the vCPUs halt, memory and devices stay; answers once QEMU confirmed it. */
  @Override
  public Future<Void> suspend(String instanceId) {
    return onContext(() -> switchTo(instanceId, InstanceState.SUSPENDED, "stop"));
  }

  /** QMP {@code cont}: the guest runs on where it stopped, at the same address. */
  @Override
  public Future<Void> resume(String instanceId) {
    return onContext(() -> switchTo(instanceId, InstanceState.RUNNING, "cont"));
  }

  /**
   * With {@code onShutdown: leave} (the default) VMs keep running and keep their records for the next gateway, whose
   * QMP connection can begin once ours is closed here. With {@code stop}, every VM is powered off first.
   */
  @Override
  public Future<Void> close() {
    return onContext(() -> {
      if (closed) {
        return closeResult;
      }
      closed = true;
      List<Vm> live = vms.values().stream().filter(vm -> !vm.state.isTerminal()).toList();
      Future<Void> vmsDone;
      if (settings.onShutdown() == QemuSettings.OnShutdown.STOP) {
        LOG.info("Closing: powering off {} QEMU VM(s)", live.size());
        vmsDone = Future.join(live.stream().map(this::stop).toList()).<Void>mapEmpty().otherwiseEmpty();
      } else {
        LOG.info("Closing: leaving {} QEMU VM(s) running for the next gateway to adopt: {}", live.size(),
            live.stream().map(Vm::id).toList());
        vmsDone = Future.join(live.stream().filter(vm -> vm.qmp != null).map(vm -> vm.qmp.close()).toList())
            .<Void>mapEmpty().otherwiseEmpty();
      }
      closeResult = vmsDone
          .transform(ar -> {
            vms.values().forEach(vm -> vertx.cancelTimer(vm.forgetTimer));
            return pump.close();
          })
          .transform(ar -> {
            events.end();
            return unix.close();
          });
      return closeResult;
    });
  }

  // ---- one VM's life (on the provider's context) ----

  private Future<Instance> register(VmSpec spec, VmLauncher.Launch launch) {
    VmRecord record = launch.record();
    ProcessHandle process = ProcessHandle.of(record.pid()).orElse(null);
    if (process == null) {
      context.executeBlocking(() -> { dir.deleteAll(record.id()); return null; }, false);
      return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT,
          "QEMU of " + record.id() + " exited right after it started; see its console log"));
    }
    ConsoleLog console = new ConsoleLog(launch.paths().console(), consoleLog(spec.resource()), record.id(), false);
    Vm vm = new Vm(record, launch.paths(), spec, false, process, console, InstanceState.BOOTING);
    vms.put(vm.id(), vm);
    pump.add(console);
    LOG.info("Started {} (pid {}, {}) forwarding {}:{} to guest port {}", vm.id(), record.pid(), record.accel(),
        settings.host(), record.port(), spec.guestPort());
    if (closed) {
      stop(vm); // closed while QEMU was launching: close() did not see this VM, so it must not survive
      return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, "the qemu provider is closed"));
    }
    return attach(vm).transform(ar -> {
      if (ar.failed() || vm.state != InstanceState.RUNNING) {
        String why = ar.failed() ? ar.cause().getMessage() : vm.reason != null ? vm.reason : "QEMU reports it " + vm.state;
        fail(vm, "cannot run: " + why);
        return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT,
            "QEMU started " + vm.id() + " but " + why + lastConsoleLine(vm)));
      }
      return Future.succeededFuture(vm.toInstance(settings.host()));
    });
  }

  private Future<Void> adopt(Recovery.Adoptable found) {
    VmRecord record = found.record();
    VmSpec spec = settings.resources().get(record.resource());
    if (spec == null) {
      LOG.warn("Adopting {} although resource '{}' is no longer configured: it can only be stopped", record.id(), record.resource());
    }
    ConsoleLog console = new ConsoleLog(found.paths().console(), consoleLog(record.resource()), record.id(), true);
    Vm vm = new Vm(record, found.paths(), spec, true, found.process(), console, InstanceState.BOOTING);
    vms.put(vm.id(), vm);
    pump.add(console);
    return attach(vm).transform(ar -> {
      if (ar.succeeded() && vm.reason != null) {
        LOG.warn("{} (pid {}) left by a previous gateway cannot run: {}", vm.id(), record.pid(), vm.reason);
        fail(vm, vm.reason);
      } else if (ar.succeeded()) {
        LOG.info("Adopted {} (pid {}, port {}, {}) started at {}", vm.id(), record.pid(), record.port(), vm.state,
            record.startedAt());
      } else {
        LOG.warn("Adopted {} (pid {}) but cannot reach its QMP socket: {}; listed as BOOTING until it answers",
            vm.id(), record.pid(), ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }

  /**
   * Connects to the VM's QMP socket (a few tries: QEMU accepts one client at a time, and the previous gateway's may
   * still be closing), asks for the run state, and from then on follows the events and the end of the connection.
   * A state the guest cannot run from again (panicked, an internal error) is left in {@code vm.reason} for the
   * caller to end the VM with.
   */
  private Future<Void> attach(Vm vm) {
    return connect(vm, 1).compose(qmp -> {
      vm.qmp = qmp;
      qmp.eventHandler(event -> onQmpEvent(vm, event));
      qmp.closeHandler(v -> onQmpClosed(vm, qmp));
      return qmp.execute("query-status");
    }).map(status -> {
      InstanceState now = QmpStatus.state(status.getString("status"));
      if (now == InstanceState.FAILED) {
        vm.reason = "QEMU reports the guest " + status.getString("status")
            + ("internal-error".equals(status.getString("status")) ? " (with accel: kvm on a CPU without vmx/svm"
                + " support? try accel: tcg or auto)" : "");
      } else {
        move(vm, now);
      }
      return null;
    });
  }

  private Future<QmpClient> connect(Vm vm, int attempt) {
    return QmpClient.connect(vertx, unix, vm.paths.qmp(), QMP_TIMEOUT).recover(e -> {
      if (attempt >= QMP_CONNECT_TRIES || vm.state.isTerminal() || closed) {
        return Future.failedFuture(new CloudException(CloudException.Kind.TRANSIENT,
            "cannot connect to the QMP socket " + vm.paths.qmp() + ": " + e.getMessage(), e));
      }
      Promise<QmpClient> later = Promise.promise();
      vertx.setTimer(QMP_RETRY_MS * attempt, t -> connect(vm, attempt + 1).onComplete(later));
      return later.future();
    });
  }

  private void onQmpEvent(Vm vm, QmpClient.QmpEvent event) {
    switch (event.name()) {
      case "STOP" -> move(vm, InstanceState.SUSPENDED);
      case "RESUME" -> move(vm, InstanceState.RUNNING);
      case "SHUTDOWN" -> {
        if (!vm.stopRequested && vm.reason == null) {
          vm.reason = "the guest shut down (" + event.data().getString("reason", "unknown reason") + ")";
        }
      }
      default -> { }
    }
  }

  /** QEMU exited (or, rarely, dropped the connection): find out which, and end the VM or reconnect. */
  private void onQmpClosed(Vm vm, QmpClient qmp) {
    if (vm.qmp == qmp) {
      vm.qmp = null;
    }
    if (closed || vm.exited || vm.stopRequested) {
      return; // left to the next gateway, already ending, or the stop sequence watches the process itself
    }
    powerOff.awaitGone(vm, EXIT_GRACE).onComplete(gone -> {
      if (gone.succeeded()) {
        if (vm.reason == null) {
          vm.reason = "QEMU exited by itself" + lastConsoleLine(vm);
        }
        exited(vm);
      } else if (!vm.stopRequested && !closed) {
        LOG.warn("{}: QMP connection lost while QEMU still runs; reconnecting", vm.id());
        attach(vm).onFailure(e -> fail(vm, "QMP connection lost: " + e.getMessage()));
      }
    });
  }

  private Future<Void> switchTo(String instanceId, InstanceState target, String command) {
    Vm vm = vms.get(instanceId);
    if (vm == null) {
      return Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no qemu instance " + instanceId));
    }
    if (vm.state == target) {
      return Future.succeededFuture();
    }
    if (vm.stopRequested || vm.state.isTerminal() || vm.qmp == null) {
      return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, "cannot " + command + " " + instanceId
          + ": it is " + vm.state + (vm.qmp == null && !vm.state.isTerminal() ? " without a QMP connection" : "")));
    }
    return vm.qmp.execute(command)
        .recover(e -> Future.failedFuture(e instanceof CloudException ? e
            : new CloudException(CloudException.Kind.PERMANENT, e.getMessage(), e)))
        .map(done -> {
          move(vm, target);
          LOG.info("{} {}", instanceId, target == InstanceState.SUSPENDED ? "paused (QMP stop)" : "resumed (QMP cont)");
          return null;
        });
  }

  /** A state change while the VM lives, pushed once; no way back from stopping or an end. */
  private void move(Vm vm, InstanceState state) {
    if (vm.state == state || vm.state.isTerminal() || vm.stopRequested) {
      return;
    }
    vm.state = state;
    events.push(vm.toInstance(settings.host()));
  }

  /** Ends a VM that cannot serve: powered off like on a stop, but reported FAILED with the reason. */
  private void fail(Vm vm, String reason) {
    if (!vm.stopRequested) {
      vm.failing = true;
      vm.reason = reason;
    }
    stop(vm);
  }

  /** Answers once the VM is STOPPED (or FAILED meanwhile) and its files are gone. */
  private Future<Void> stop(Vm vm) {
    if (vm.state.isTerminal()) {
      return Future.succeededFuture();
    }
    if (!vm.stopRequested) {
      vm.stopRequested = true;
      vm.state = InstanceState.STOPPING;
      LOG.info("Stopping {} (pid {}): ACPI power button, {} before it is ended", vm.id(), vm.record.pid(),
          Durations.format(vm.stopTimeout()));
      events.push(vm.toInstance(settings.host()));
      powerOff.run(vm).onComplete(ar -> {
        if (ar.failed()) {
          LOG.error("{}", ar.cause().getMessage());
          vm.failing = true;
          vm.reason = ar.cause().getMessage();
        }
        exited(vm);
      });
    }
    return vm.ended.future();
  }

  /** The QEMU process is gone: last console lines, files removed, terminal event; forgotten after forgetAfter. */
  private void exited(Vm vm) {
    if (vm.exited) {
      return;
    }
    vm.exited = true;
    if (vm.qmp != null) {
      vm.qmp.close();
    }
    InstanceState end = vm.stopRequested && !vm.failing ? InstanceState.STOPPED : InstanceState.FAILED;
    pump.finish(vm.console)
        .transform(ar -> context.executeBlocking(() -> {
          dir.deleteAll(vm.id());
          return null;
        }, false))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("Cannot remove the files of {}: {}", vm.id(), ar.cause().toString());
          }
          vm.state = end;
          if (end == InstanceState.FAILED) {
            LOG.warn("{} (pid {}) failed: {}", vm.id(), vm.record.pid(), vm.reason);
          } else {
            LOG.info("{} (pid {}) stopped", vm.id(), vm.record.pid());
          }
          events.push(vm.toInstance(settings.host()));
          vm.ended.tryComplete();
          if (!closed) {
            vm.forgetTimer = vertx.setTimer(settings.forgetAfter().toMillis(), t -> vms.remove(vm.id(), vm));
          }
        });
  }

  private static String lastConsoleLine(Vm vm) {
    List<String> lines = vm.console.lastLines();
    return lines.isEmpty() ? "" : " (console: " + lines.get(lines.size() - 1) + ")";
  }

  /** Runs {@code action} on the provider's context and answers on the caller's. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    Runnable run = () -> {
      Future<T> result;
      try {
        result = action.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e instanceof CloudException ? e
            : new CloudException(CloudException.Kind.PERMANENT, String.valueOf(e.getMessage()), e));
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

  /** Guests' consoles go to {@code qemu.<resource>}, so operators can tune them per resource. */
  static Logger consoleLog(String resource) {
    return LoggerFactory.getLogger("qemu." + resource);
  }
}
