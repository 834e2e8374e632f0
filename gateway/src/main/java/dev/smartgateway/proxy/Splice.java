package dev.smartgateway.proxy;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Joins an upgraded client connection and its VM connection byte for byte, each direction with
 * back-pressure. The two sockets may live on different event loops (a pooled VM connection keeps the loop
 * it was opened on), so shared state is atomic; each byte counter is written only by its source's loop and
 * read after that source closed.
 */
final class Splice {

  private final Context context;
  private final NetSocket client;
  private final NetSocket vm;
  private final Promise<ForwardOutcome> promise;
  private final AtomicInteger open = new AtomicInteger(2);
  private final AtomicBoolean clientShut = new AtomicBoolean();
  private final AtomicBoolean vmShut = new AtomicBoolean();
  private long clientToVm;
  private long vmToClient;

  /** @param context where the outcome is reported: the request's context, as for every other exchange */
  Splice(Context context, NetSocket client, NetSocket vm, Promise<ForwardOutcome> promise) {
    this.context = context;
    this.client = client;
    this.vm = vm;
    this.promise = promise;
  }

  void start() {
    client.handler(this::fromClient);
    vm.handler(this::fromVm);
    vm.drainHandler(v -> client.resume());
    client.drainHandler(v -> vm.resume());
    // When one side is done, the other gets everything already written, then is closed.
    client.endHandler(v -> shut(vm, vmShut));
    vm.endHandler(v -> shut(client, clientShut));
    client.exceptionHandler(t -> client.close());
    vm.exceptionHandler(t -> vm.close());
    client.closeHandler(v -> closed(vm, vmShut));
    vm.closeHandler(v -> closed(client, clientShut));
    vm.resume();
  }

  private void fromClient(Buffer data) {
    clientToVm += data.length();
    vm.write(data);
    if (vm.writeQueueFull()) {
      client.pause();
    }
  }

  private void fromVm(Buffer data) {
    vmToClient += data.length();
    client.write(data);
    if (client.writeQueueFull()) {
      vm.pause();
    }
  }

  private static void shut(NetSocket socket, AtomicBoolean shut) {
    if (shut.compareAndSet(false, true)) {
      socket.end();
    }
  }

  private void closed(NetSocket other, AtomicBoolean otherShut) {
    shut(other, otherShut);
    if (open.decrementAndGet() == 0) {
      ForwardOutcome outcome = new ForwardOutcome(101, clientToVm, vmToClient);
      context.runOnContext(v -> promise.tryComplete(outcome));
    }
  }
}
