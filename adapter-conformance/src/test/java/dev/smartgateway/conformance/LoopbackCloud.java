package dev.smartgateway.conformance;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceEventStream;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A small but real cloud inside the test's JVM, the kit's reference: each VM is an HTTP server on its own loopback
 * port that starts listening a moment after its start (BOOTING, then RUNNING), and that holds requests while the VM
 * is suspended. Its providers follow the SPI to the letter (events, owners, idempotent stop, suspend and resume), so
 * that the contract can be shown to pass on it, and each deliberate breakage of it (see {@link BrokenProviders}) to
 * be caught. Only the resource {@link #RESOURCE} exists.
 *
 * <p>All of the cloud's state lives on one context; every provider pushes its events on the context it was created
 * on.
 */
final class LoopbackCloud {

  static final String RESOURCE = "app";
  private static final long BOOT_MS = 30;

  private final Vertx vertx;
  private final Context context;
  private final Map<String, Vm> vms = new ConcurrentHashMap<>();
  private final List<Provider> subscribers = new ArrayList<>();
  private int nextId;

  LoopbackCloud(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  CloudProvider provider(String owner) {
    return new Provider(owner, vertx.getOrCreateContext());
  }

  /** The ids of the VMs that have not ended: a test that cleaned up after itself leaves none. */
  List<String> live() {
    return vms.values().stream().filter(vm -> !vm.state.isTerminal()).map(vm -> vm.id + " " + vm.state).toList();
  }

  private final class Vm {
    final String id;
    final Set<String> groups;
    final String owner;
    volatile InstanceState state = InstanceState.BOOTING;
    HttpServer server;
    URI endpoint;
    final List<HttpServerRequest> held = new ArrayList<>();

    Vm(String id, Set<String> groups, String owner) {
      this.id = id;
      this.groups = Set.copyOf(groups);
      this.owner = owner;
    }

    Instance report() {
      return new Instance(id, RESOURCE, groups, state, state == InstanceState.RUNNING
          || state == InstanceState.SUSPENDED ? endpoint : null, Map.of(Instance.OWNER, owner));
    }

    void serve(HttpServerRequest request) {
      if (state == InstanceState.SUSPENDED) {
        held.add(request); // a paused VM answers nothing until it is resumed
      } else {
        request.response().end("vm " + id);
      }
    }
  }

  private Future<Instance> start(String resource, Set<String> groups, String owner) {
    if (!RESOURCE.equals(resource)) {
      return Future.failedFuture(new CloudException(CloudException.Kind.UNKNOWN_RESOURCE, "no resource " + resource));
    }
    Vm vm = new Vm("vm-" + ++nextId, groups, owner);
    vms.put(vm.id, vm);
    publish(vm);
    vertx.setTimer(BOOT_MS, t -> {
      HttpServer server = vertx.createHttpServer().requestHandler(vm::serve);
      server.listen(0, "127.0.0.1").onComplete(ar -> context.runOnContext(v -> {
        if (ar.failed()) {
          vm.state = InstanceState.FAILED;
          publish(vm);
        } else if (vm.state != InstanceState.BOOTING) {
          server.close(); // stopped while booting
        } else {
          vm.server = server;
          vm.endpoint = URI.create("http://127.0.0.1:" + server.actualPort());
          vm.state = InstanceState.RUNNING;
          publish(vm);
        }
      }));
    });
    return Future.succeededFuture(vm.report());
  }

  private Future<Void> stop(String id) {
    Vm vm = vms.get(id);
    if (vm == null || vm.state.isTerminal()) {
      return Future.succeededFuture();
    }
    vm.state = InstanceState.STOPPING;
    publish(vm);
    Future<Void> closed = vm.server == null ? Future.succeededFuture() : vm.server.close();
    return closed.transform(ar -> {
      Promise<Void> ended = Promise.promise();
      context.runOnContext(v -> {
        vm.held.clear();
        vm.state = InstanceState.STOPPED;
        publish(vm);
        ended.complete();
      });
      return ended.future();
    });
  }

  private Future<Void> suspend(String id) {
    Vm vm = vms.get(id);
    if (vm == null) {
      return Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no VM " + id));
    }
    if (vm.state == InstanceState.SUSPENDED) {
      return Future.succeededFuture();
    }
    if (vm.state != InstanceState.RUNNING) {
      return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, id + " is " + vm.state));
    }
    vm.state = InstanceState.SUSPENDED;
    publish(vm);
    return Future.succeededFuture();
  }

  private Future<Void> resume(String id) {
    Vm vm = vms.get(id);
    if (vm == null) {
      return Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no VM " + id));
    }
    if (vm.state == InstanceState.RUNNING) {
      return Future.succeededFuture();
    }
    if (vm.state != InstanceState.SUSPENDED) {
      return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, id + " is " + vm.state));
    }
    vm.state = InstanceState.RUNNING;
    publish(vm);
    List<HttpServerRequest> waiting = new ArrayList<>(vm.held);
    vm.held.clear();
    waiting.forEach(vm::serve);
    return Future.succeededFuture();
  }

  /** Every provider on the cloud hears of every VM, as a cloud's event feed tells every client. */
  private void publish(Vm vm) {
    Instance report = vm.report();
    for (Provider provider : subscribers) {
      provider.context.runOnContext(v -> provider.events.push(report));
    }
  }

  /** Runs {@code action} on the cloud's context. */
  private <T> Future<T> onCloud(Supplier<Future<T>> action) {
    Promise<T> answer = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(answer));
    return answer.future();
  }

  private final class Provider implements CloudProvider {
    final String owner;
    final Context context;
    final InstanceEventStream events = new InstanceEventStream();
    volatile boolean closed;

    Provider(String owner, Context context) {
      this.owner = owner;
      this.context = context;
      LoopbackCloud.this.context.runOnContext(v -> subscribers.add(this));
    }

    @Override
    public Future<Instance> start(String resource, Set<String> groups) {
      if (closed) {
        return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, "the provider is closed"));
      }
      return onCloud(() -> LoopbackCloud.this.start(resource, groups, owner));
    }

    @Override
    public Future<Instance> describe(String instanceId) {
      return onCloud(() -> {
        Vm vm = vms.get(instanceId);
        return vm == null
            ? Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no VM " + instanceId))
            : Future.succeededFuture(vm.report());
      });
    }

    @Override
    public Future<Void> stop(String instanceId) {
      return onCloud(() -> LoopbackCloud.this.stop(instanceId));
    }

    @Override
    public Future<List<Instance>> list() {
      return onCloud(() -> Future.succeededFuture(vms.values().stream().map(Vm::report).toList()));
    }

    @Override
    public Optional<ReadStream<Instance>> events() {
      return Optional.of(events);
    }

    @Override
    public boolean canSuspend() {
      return true;
    }

    @Override
    public Future<Void> suspend(String instanceId) {
      return onCloud(() -> LoopbackCloud.this.suspend(instanceId));
    }

    @Override
    public Future<Void> resume(String instanceId) {
      return onCloud(() -> LoopbackCloud.this.resume(instanceId));
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return onCloud(() -> {
        subscribers.remove(this);
        context.runOnContext(v -> events.end());
        return Future.succeededFuture();
      });
    }
  }
}
