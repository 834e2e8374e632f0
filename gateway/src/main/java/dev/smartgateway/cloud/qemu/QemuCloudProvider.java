package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.HomeContext;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.cloud.OnShutdown;
import dev.smartgateway.cloud.Refusals;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A QEMU process per instance ({@code provider.type: qemu}). {@code start} launches QEMU (see {@link VmLauncher}),
 * connects to its QMP socket and answers RUNNING once QMP says the guest runs; the gateway's own HTTP probe then
 * decides when the guest serves. The QMP connection stays open ({@link QmpLink}): its events track pauses and
 * resumes, and its end tells at once that QEMU exited (FAILED unless a stop was asked for). Stop is the ACPI power
 * button, then quit, then SIGKILL ({@link PowerOff}, through {@link VmEnding}); suspend and resume are QMP
 * {@code stop} and {@code cont}.
 *
 * <p>Threading: all state lives on the context the provider was created on ({@link VmFleet}); public methods hop onto
 * it and answer on the caller's context. Processes and files are handled in blocking tasks on workers. Events are
 * pushed on the provider's context.
 *
 * <p>Restarts: each VM has a record in {@code stateDir} naming its owner; a new provider adopts the live VMs of its
 * own owner (see {@link Recovery}), reconnecting to their QMP sockets, and leaves other owners' alone.
 */
final class QemuCloudProvider implements CloudProvider {

  private static final Logger LOG = LoggerFactory.getLogger(QemuCloudProvider.class);
  private static final String TYPE = QemuCloudProviderFactory.TYPE;

  private final VmFleet fleet;
  private final VmLauncher launcher;
  private final VmEnding ending;
  private final QmpLink qmp;
  /** Whatever goes wrong inside, callers get a typed failure. */
  private final HomeContext home;
  private Future<Void> closeResult;

  private QemuCloudProvider(Vertx vertx, Context context, QemuSettings settings, StateDir dir, Accel accel,
                            String owner) {
    this.fleet = new VmFleet(vertx, context, settings, dir);
    this.launcher = new VmLauncher(settings, dir, accel, owner);
    this.ending = new VmEnding(fleet);
    this.qmp = new QmpLink(fleet, ending);
    this.home = HomeContext.of(context).typingThrown();
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
    return home.call(() -> {
      if (fleet.closed) {
        return Future.failedFuture(Refusals.closed(TYPE));
      }
      VmSpec spec = fleet.settings.resources().get(resource);
      if (spec == null) {
        return Future.failedFuture(Refusals.unknownResource(TYPE, resource, fleet.settings.resources().keySet()));
      }
      Set<String> startGroups = Set.copyOf(groups);
      return fleet.context.executeBlocking(() -> launcher.launch(spec, startGroups), false)
          .recover(e -> Future.failedFuture(e instanceof CloudException ? e
              : new CloudException(CloudException.Kind.TRANSIENT, "cannot start " + resource + ": " + e.getMessage(), e)))
          .compose(launch -> register(spec, launch));
    });
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    return home.call(() -> fleet.vms.describe(instanceId));
  }

  @Override
  public Future<Void> stop(String instanceId) {
    return home.call(() -> {
      Vm vm = fleet.vms.get(instanceId);
      return vm == null ? Future.succeededFuture() : ending.stop(vm);
    });
  }

  @Override
  public Future<List<Instance>> list() {
    return home.call(() -> Future.succeededFuture(fleet.vms.list()));
  }

  @Override
  public Optional<ReadStream<Instance>> events() {
    return Optional.of(fleet.events);
  }

  @Override
  public boolean canSuspend() {
    return true;
  }

  /** QMP {@code stop}: the vCPUs halt, memory and devices stay; answers once QEMU confirmed it. */
  @Override
  public Future<Void> suspend(String instanceId) {
    return home.call(() -> qmp.switchTo(instanceId, InstanceState.SUSPENDED, "stop"));
  }

  /** QMP {@code cont}: the guest runs on where it stopped, at the same address. */
  @Override
  public Future<Void> resume(String instanceId) {
    return home.call(() -> qmp.switchTo(instanceId, InstanceState.RUNNING, "cont"));
  }

  /**
   * With {@code onShutdown: leave} (the default) VMs keep running and keep their records for the next gateway, whose
   * QMP connection can begin once ours is closed here. With {@code stop}, every VM is powered off first.
   */
  @Override
  public Future<Void> close() {
    return home.call(() -> {
      if (fleet.closed) {
        return closeResult;
      }
      fleet.closed = true;
      List<Vm> live = fleet.vms.all().stream().filter(vm -> !vm.state.isTerminal()).toList();
      Future<Void> vmsDone;
      if (fleet.settings.onShutdown() == OnShutdown.STOP) {
        LOG.info("Closing: powering off {} QEMU VM(s)", live.size());
        vmsDone = Future.join(live.stream().map(ending::stop).toList()).<Void>mapEmpty().otherwiseEmpty();
      } else {
        LOG.info("Closing: leaving {} QEMU VM(s) running for the next gateway to adopt: {}", live.size(),
            live.stream().map(Vm::id).toList());
        vmsDone = Future.join(live.stream().filter(vm -> vm.qmp != null).map(vm -> vm.qmp.close()).toList())
            .<Void>mapEmpty().otherwiseEmpty();
      }
      closeResult = vmsDone
          .transform(ar -> {
            fleet.vms.cancelForgetting();
            return fleet.pump.close();
          })
          .transform(ar -> {
            fleet.events.end();
            return qmp.close();
          });
      return closeResult;
    });
  }

  // ---- bringing a VM under this provider (on the provider's context) ----

  private Future<Instance> register(VmSpec spec, VmLauncher.Launch launch) {
    VmRecord record = launch.record();
    ProcessHandle process = ProcessHandle.of(record.pid()).orElse(null);
    if (process == null) {
      fleet.context.executeBlocking(() -> { fleet.dir.deleteAll(record.id()); return null; }, false);
      return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT,
          "QEMU of " + record.id() + " exited right after it started; see its console log"));
    }
    ConsoleLog console = new ConsoleLog(launch.paths().console(), VmFleet.consoleLog(spec.resource()), record.id(), false);
    Vm vm = new Vm(record, launch.paths(), spec, false, process, console, InstanceState.BOOTING);
    fleet.vms.put(vm.id(), vm);
    fleet.pump.add(console);
    LOG.info("Started {} (pid {}, {}) forwarding {}:{} to guest port {}", vm.id(), record.pid(), record.accel(),
        fleet.settings.host(), record.port(), spec.guestPort());
    if (fleet.closed) {
      ending.stop(vm); // closed while QEMU was launching: close() did not see this VM, so it must not survive
      return Future.failedFuture(Refusals.closed(TYPE));
    }
    return qmp.attach(vm).transform(ar -> {
      if (ar.failed() || vm.state != InstanceState.RUNNING) {
        String why = ar.failed() ? ar.cause().getMessage() : vm.reason != null ? vm.reason : "QEMU reports it " + vm.state;
        ending.fail(vm, "cannot run: " + why);
        return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT,
            "QEMU started " + vm.id() + " but " + why + VmFleet.lastConsoleLine(vm)));
      }
      return Future.succeededFuture(fleet.view(vm));
    });
  }

  private Future<Void> adopt(Recovery.Adoptable found) {
    VmRecord record = found.record();
    VmSpec spec = fleet.settings.resources().get(record.resource());
    if (spec == null) {
      LOG.warn("Adopting {} although resource '{}' is no longer configured: it can only be stopped", record.id(), record.resource());
    }
    ConsoleLog console = new ConsoleLog(found.paths().console(), VmFleet.consoleLog(record.resource()), record.id(), true);
    Vm vm = new Vm(record, found.paths(), spec, true, found.process(), console, InstanceState.BOOTING);
    fleet.vms.put(vm.id(), vm);
    fleet.pump.add(console);
    return qmp.attach(vm).transform(ar -> {
      if (ar.succeeded() && vm.reason != null) {
        LOG.warn("{} (pid {}) left by a previous gateway cannot run: {}", vm.id(), record.pid(), vm.reason);
        ending.fail(vm, vm.reason);
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
}
