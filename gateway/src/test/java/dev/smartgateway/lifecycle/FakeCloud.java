package dev.smartgateway.lifecycle;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceEventStream;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A cloud the test answers by hand: every call is recorded with its promise. By default starts are
 * answered at once with a BOOTING VM, stops succeed at once, describes answer from {@link #vms}; a test
 * switches any of them to manual or to a failure.
 */
final class FakeCloud implements CloudProvider {

  record Call(String what, String arg, Promise<?> promise) {
  }

  final List<Call> calls = new ArrayList<>();
  final List<Promise<Instance>> pendingStarts = new ArrayList<>();
  final List<Promise<Void>> pendingStops = new ArrayList<>();
  final Map<String, Instance> vms = new java.util.LinkedHashMap<>();
  final InstanceEventStream stream = new InstanceEventStream();
  boolean pushes = true;
  boolean manualStarts;
  boolean manualStops;
  /** Every VM fails while booting, right after the start call answered. */
  boolean bootFails;
  /** Stamped on every VM started ({@link Instance#OWNER}); null: none. A {@link Rig} sets its gateway's id if unset. */
  String owner;
  /** If set, start answers with this failure instead. */
  Function<String, CloudException> startFailure;
  private int nextId = 1;
  private int nextPort = 20000;

  @Override
  public Future<Instance> start(String resource, Set<String> groups) {
    Promise<Instance> promise = Promise.promise();
    calls.add(new Call("start", resource, promise));
    if (startFailure != null) {
      promise.fail(startFailure.apply(resource));
    } else if (manualStarts) {
      pendingStarts.add(promise);
    } else {
      Instance vm = create(resource, groups);
      promise.complete(vm);
      if (bootFails) {
        report(vm.id(), InstanceState.FAILED);
      }
    }
    return promise.future();
  }

  Instance create(String resource, Set<String> groups) {
    Instance vm = new Instance("vm-" + nextId++, resource, groups, InstanceState.BOOTING, null,
        owner == null ? Map.of() : Map.of(Instance.OWNER, owner));
    vms.put(vm.id(), vm);
    return vm;
  }

  /** The VM boots: RUNNING on a port of its own, pushed as an event. */
  Instance run(String id) {
    Instance vm = vms.get(id);
    Instance running = new Instance(id, vm.resource(), vm.groups(), InstanceState.RUNNING,
        URI.create("http://127.0.0.1:" + nextPort++), vm.metadata());
    vms.put(id, running);
    if (pushes) {
      stream.push(running);
    }
    return running;
  }

  /** The cloud reports the VM in {@code state} (crashed: FAILED). */
  void report(String id, InstanceState state) {
    Instance vm = vms.get(id).withState(state);
    vms.put(id, vm);
    if (pushes) {
      stream.push(vm);
    }
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    Promise<Instance> promise = Promise.promise();
    calls.add(new Call("describe", instanceId, promise));
    Instance vm = vms.get(instanceId);
    if (vm == null) {
      promise.fail(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no " + instanceId));
    } else {
      promise.complete(vm);
    }
    return promise.future();
  }

  @Override
  public Future<Void> stop(String instanceId) {
    Promise<Void> promise = Promise.promise();
    calls.add(new Call("stop", instanceId, promise));
    if (manualStops) {
      pendingStops.add(promise);
    } else {
      Instance vm = vms.get(instanceId);
      if (vm != null) {
        vms.put(instanceId, vm.withState(InstanceState.STOPPED));
      }
      promise.complete();
    }
    return promise.future();
  }

  /** Whether it can pause VMs ({@link #canSuspend()}). */
  boolean suspends = true;
  /** Suspend and resume calls stay unanswered until the test completes them from {@link #pendingPauses}. */
  boolean manualPauses;
  final List<Promise<Void>> pendingPauses = new ArrayList<>();
  /** If set, suspend (and resume) fail with this. */
  CloudException pauseFailure;

  @Override
  public boolean canSuspend() {
    return suspends;
  }

  @Override
  public Future<Void> suspend(String instanceId) {
    return pause("suspend", instanceId, InstanceState.SUSPENDED);
  }

  @Override
  public Future<Void> resume(String instanceId) {
    return pause("resume", instanceId, InstanceState.RUNNING);
  }

  private Future<Void> pause(String what, String instanceId, InstanceState to) {
    Promise<Void> promise = Promise.promise();
    calls.add(new Call(what, instanceId, promise));
    if (!suspends) {
      return CloudProvider.super.suspend(instanceId);
    }
    if (pauseFailure != null) {
      promise.fail(pauseFailure);
      return promise.future();
    }
    Instance vm = vms.get(instanceId);
    if (vm != null) {
      vms.put(instanceId, vm.withState(to));
    }
    if (manualPauses) {
      pendingPauses.add(promise);
    } else {
      promise.complete();
    }
    return promise.future();
  }

  @Override
  public Future<List<Instance>> list() {
    calls.add(new Call("list", null, null));
    return Future.succeededFuture(new ArrayList<>(vms.values()));
  }

  @Override
  public Optional<ReadStream<Instance>> events() {
    return pushes ? Optional.of(stream) : Optional.empty();
  }

  long count(String what) {
    return calls.stream().filter(c -> c.what.equals(what)).count();
  }

  List<String> stopped() {
    return calls.stream().filter(c -> c.what.equals("stop")).map(Call::arg).toList();
  }
}
