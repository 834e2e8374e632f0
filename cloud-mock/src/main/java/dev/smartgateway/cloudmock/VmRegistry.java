package dev.smartgateway.cloudmock;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every VM the cloud ever created and the state machine that moves them:
 * BOOTING → RUNNING → STOPPING → STOPPED, with FAILED on a boot failure or a crash.
 *
 * <p>All of it runs on one Vert.x context (the API's), so transitions never race: callers, timers and
 * the completions of VM servers all land there. A VM is announced RUNNING only after its server listens,
 * and announced STOPPED or FAILED only after its server has closed, so an observer of an event can rely
 * on the port being in the state the event says.
 *
 * <p>Like a cloud that assigns an address before the machine boots, every VM gets its loopback port at
 * creation; the port refuses connections until the boot is over and the server listens on it.
 */
final class VmRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(VmRegistry.class);
  private static final long NO_TIMER = -1;
  /** Tries at a port no other live VM of this cloud holds before giving up on reserving one. */
  private static final int RESERVE_ATTEMPTS = 5;
  /** Holder in {@link #heldPorts} of a port reserved for a VM that has no id yet. */
  private static final String NEW_VM = "";

  private final Vertx vertx;
  private final Context context;
  private final Thread owner;
  private final Dice dice;
  private final Supplier<FaultSettings> faults;
  private final Consumer<Vm> listener;
  /** Whether a resource's VMs speak h2c (MockCloudOptions.h2cResources). */
  private final java.util.function.Predicate<String> speaksH2c;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  /** Port → id of the VM that holds it, for VMs not yet STOPPED or FAILED. */
  private final Map<Integer, String> heldPorts = new HashMap<>();
  /** The VM app's {@code /reset} counts, shared by every VM of this cloud. */
  private final ResetKeys resets = new ResetKeys();
  private long lastId;
  private boolean closed;

  /** One VM's current value plus what is in flight for it; touched on the registry's context only. */
  private static final class Entry {
    Vm vm;
    long timer = NO_TIMER;
    /** Its boot delay is over but {@code holdBoots} keeps it BOOTING. */
    boolean held;
    Future<VmServer> server;
    Future<Void> closing;

    Entry(Vm vm) {
      this.vm = vm;
    }
  }

  VmRegistry(Vertx vertx, Context context, Dice dice, Supplier<FaultSettings> faults,
             Consumer<Vm> listener, java.util.function.Predicate<String> speaksH2c) {
    this.vertx = vertx;
    this.context = context;
    // Requests run on duplicates of the cloud's context, so confinement is checked by thread: every
    // duplicate of an event-loop context runs on that one thread. Built on that thread by the verticle.
    this.owner = Thread.currentThread();
    this.dice = dice;
    this.faults = faults;
    this.listener = listener;
    this.speaksH2c = speaksH2c;
  }

  /**
   * Creates a VM in BOOTING with its port reserved; its server opens on that port after the drawn boot
   * delay. Fails with a 503 problem if the cloud closed meanwhile.
   */
  Future<Vm> create(String resource, List<String> groups, Map<String, String> labels) {
    checkContext();
    return reservePort().map(port -> {
      if (closed) {
        release(port, NEW_VM);
        throw new Problem(503, "shutting-down", "Cloud shutting down", "the mock cloud is closing");
      }
      // Id, boot delay and list position are all taken here, after the reservation, so that they agree
      // with each other even when concurrent creations finish reserving out of order.
      String id = "vm-" + (++lastId);
      if (port != null) {
        heldPorts.put(port, id);  // from NEW_VM to its owner
      }
      Entry entry = new Entry(new Vm(id, resource, groups, labels, VmState.BOOTING, port, null,
          System.currentTimeMillis(), dice.nextBootMs(), null));
      entries.put(id, entry);
      announce(entry);
      // Vert.x timers need at least 1 ms.
      entry.timer = vertx.setTimer(Math.max(1, entry.vm.bootMs()), t -> finishBoot(entry));
      return entry.vm;
    });
  }

  Vm get(String id) {
    checkContext();
    return entry(id).vm;
  }

  /** Every VM in creation order, optionally only those of one resource and with all of some labels. */
  List<Vm> list(String resource, Map<String, String> labels) {
    checkContext();
    List<Vm> vms = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if ((resource == null || resource.equals(entry.vm.resource())) && entry.vm.hasLabels(labels)) {
        vms.add(entry.vm);
      }
    }
    return vms;
  }

  /**
   * Begins stopping a VM and answers its state right after (STOPPING, or its final state if it has
   * already ended: stopping is idempotent). A VM still booting never opens its port.
   */
  Vm stop(String id) {
    checkContext();
    Entry entry = entry(id);
    VmState state = entry.vm.state();
    if (state == VmState.STOPPING || state == VmState.STOPPED || state == VmState.FAILED) {
      return entry.vm;
    }
    cancelTimer(entry);
    entry.vm = entry.vm.stopping();
    announce(entry);
    entry.timer = vertx.setTimer(Math.max(1, faults.get().stopDelayMs()), t -> finishStop(entry));
    return entry.vm;
  }

  /**
   * Pauses a RUNNING VM ({@code to} SUSPENDED) or resumes a SUSPENDED one ({@code to} RUNNING); asking for the
   * state it is in changes nothing. Answers once the VM's server took the change: a resumed VM answers at once.
   * Any other state: 409.
   */
  Future<Vm> pause(String id, VmState to) {
    checkContext();
    Entry entry = entry(id);
    VmState from = to == VmState.SUSPENDED ? VmState.RUNNING : VmState.SUSPENDED;
    if (entry.vm.state() == to) {
      return Future.succeededFuture(entry.vm);
    }
    if (entry.vm.state() != from || entry.server == null) {
      throw new Problem(409, "vm-not-" + from.name().toLowerCase(java.util.Locale.ROOT), "VM not " + from,
          "VM '" + id + "' is " + entry.vm.state() + "; only a " + from + " VM can be "
              + (to == VmState.SUSPENDED ? "suspended" : "resumed"));
    }
    entry.vm = entry.vm.paused(to);
    return onContext(entry.server.compose(server -> server.pause(to == VmState.SUSPENDED))).map(v -> {
      announce(entry);
      return entry.vm;
    });
  }

  /**
   * Kills a VM at once: its server and connections close, it ends FAILED. Completes once the port is
   * closed. Crashing a FAILED VM changes nothing; a STOPPED one cannot crash (409).
   */
  Future<Vm> crash(String id) {
    checkContext();
    Entry entry = entry(id);
    switch (entry.vm.state()) {
      case FAILED -> {
        return Future.succeededFuture(entry.vm);
      }
      case STOPPED -> throw new Problem(409, "vm-stopped", "VM already stopped",
          "VM '" + id + "' is STOPPED and cannot crash");
      default -> {
        cancelTimer(entry);
        // Recorded at once so nothing else moves this VM while its server closes.
        entry.vm = entry.vm.ended(VmState.FAILED);
        return closeServer(entry).map(v -> {
          release(entry);
          announce(entry);
          return entry.vm;
        });
      }
    }
  }

  /** The VM counters of {@code /api/stats}; the API adds its call counters. */
  JsonObject stats() {
    checkContext();
    int running = 0;
    int suspended = 0;
    int stopped = 0;
    int failed = 0;
    for (Entry entry : entries.values()) {
      switch (entry.vm.state()) {
        case RUNNING -> running++;
        case SUSPENDED -> suspended++;
        case STOPPED -> stopped++;
        case FAILED -> failed++;
        default -> { }
      }
    }
    return new JsonObject()
        .put("started", entries.size())
        .put("running", running)
        .put("suspended", suspended)
        .put("stopped", stopped)
        .put("failed", failed);
  }

  /** Powers everything off without further events: the cloud itself is going away. */
  Future<Void> closeAll() {
    checkContext();
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (Entry entry : entries.values()) {
      cancelTimer(entry);
      closing.add(closeServer(entry));
    }
    return Future.join(closing).mapEmpty();
  }

  /** {@code holdBoots} was switched off: every VM it held finishes its boot now. */
  void releaseHeldBoots() {
    checkContext();
    for (Entry entry : new ArrayList<>(entries.values())) {
      if (entry.held) {
        entry.held = false;
        finishBoot(entry);
      }
    }
  }

  private void finishBoot(Entry entry) {
    entry.timer = NO_TIMER;
    if (entry.vm.state() != VmState.BOOTING) {
      return;
    }
    FaultSettings now = faults.get();
    if (now.holdBoots()) {
      entry.held = true;
      LOG.info("{} {} boot over, held BOOTING (holdBoots)", entry.vm.id(), entry.vm.resource());
      return;
    }
    if (dice.nextBootFails(now.bootFailureRate())) {
      entry.vm = entry.vm.ended(VmState.FAILED);
      release(entry);
      announce(entry);
      return;
    }
    VmServer server = new VmServer(entry.vm, now.warmupMs(), resets,
        speaksH2c.test(entry.vm.resource()));
    entry.server = onContext(vertx.deployVerticle(server).map(deploymentId -> server));
    entry.server.onComplete(opened -> {
      // A stop or crash may have come while the server was opening; it closes the server itself.
      if (entry.vm.state() != VmState.BOOTING) {
        return;
      }
      if (opened.succeeded()) {
        if (!Integer.valueOf(server.port()).equals(entry.vm.port())) {
          // Its reserved port was taken (VmServer logged why): the one it listens on is now its own.
          release(entry);
          heldPorts.putIfAbsent(server.port(), entry.vm.id());
        }
        entry.vm = entry.vm.running(server.port(), server.endpoint(), server.readyAt());
      } else {
        LOG.warn("{} could not open its port", entry.vm.id(), opened.cause());
        entry.vm = entry.vm.ended(VmState.FAILED);
        release(entry);
      }
      announce(entry);
    });
  }

  private void finishStop(Entry entry) {
    entry.timer = NO_TIMER;
    closeServer(entry).onComplete(closed -> {
      if (entry.vm.state() == VmState.STOPPING) {
        entry.vm = entry.vm.ended(VmState.STOPPED);
        release(entry);
        announce(entry);
      }
    });
  }

  /**
   * Closes the VM's server, waiting for it first if it is still opening. Every caller gets the same
   * future, so whoever announces the end does so only once the port is really closed.
   */
  private Future<Void> closeServer(Entry entry) {
    if (entry.closing == null) {
      Future<VmServer> server = entry.server;
      entry.closing = server == null
          ? Future.succeededFuture()
          // A failed undeploy means the server is already gone (for instance the cloud is closing).
          : onContext(server.transform(opened -> opened.succeeded()
              ? vertx.undeploy(opened.result().deploymentID())
              : Future.<Void>succeededFuture()).otherwiseEmpty());
    }
    return entry.closing;
  }

  /**
   * A port for a new VM, or null if none could be reserved (the VM then takes an ephemeral one when it
   * boots). The kernel may hand out again a port that a booting VM of ours reserved, since nothing
   * listens there yet, so such a port is drawn anew.
   */
  private Future<Integer> reservePort() {
    return reservePort(RESERVE_ATTEMPTS).otherwise(err -> {
      LOG.warn("could not reserve a port for a new VM ({}); it will take one when it boots", err.toString());
      return null;
    });
  }

  private Future<Integer> reservePort(int attemptsLeft) {
    // The bind is a system call: off the event loop, and unordered since reservations are independent.
    return onContext(context.executeBlocking(VmServer::freePort, false)).compose(port -> {
      if (heldPorts.putIfAbsent(port, NEW_VM) == null) {
        return Future.succeededFuture(port);
      }
      return attemptsLeft > 1
          ? reservePort(attemptsLeft - 1)
          : Future.failedFuture(new IllegalStateException("every port drawn is held by another VM"));
    });
  }

  /** Frees the VM's port for later VMs: it has ended, or it listens elsewhere. */
  private void release(Entry entry) {
    release(entry.vm.port(), entry.vm.id());
  }

  private void release(Integer port, String holder) {
    if (port != null) {
      heldPorts.remove(port, holder);
    }
  }

  private void cancelTimer(Entry entry) {
    if (entry.timer != NO_TIMER) {
      vertx.cancelTimer(entry.timer);
      entry.timer = NO_TIMER;
    }
  }

  private void announce(Entry entry) {
    Vm vm = entry.vm;
    LOG.info("{} {} {}{}", vm.id(), vm.resource(), vm.state(),
        vm.endpoint() == null ? "" : " at " + vm.endpoint());
    listener.accept(vm);
  }

  private Entry entry(String id) {
    Entry entry = id == null ? null : entries.get(id);
    if (entry == null) {
      throw Problem.unknownVm(id);
    }
    return entry;
  }

  /** Completes on the registry's context whatever thread completes {@code future}. */
  private <T> Future<T> onContext(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> {
      if (Thread.currentThread() == owner) {
        promise.handle(result);
      } else {
        context.runOnContext(v -> promise.handle(result));
      }
    });
    return promise.future();
  }

  private void checkContext() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("the VM registry must be used on its own event loop");
    }
  }
}
