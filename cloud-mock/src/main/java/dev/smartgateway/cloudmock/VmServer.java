package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * One VM's HTTP server on 127.0.0.1 and the port reserved for it at creation. A verticle of its own, so
 * each VM gets an event loop from the pool instead of sharing the API's, and undeploying it is the VM's
 * power switch.
 */
final class VmServer extends VerticleBase {

  static final String HOST = "127.0.0.1";
  private static final Logger LOG = LoggerFactory.getLogger(VmServer.class);

  private final Vm vm;
  private final long warmupMs;
  private final ResetKeys resets;
  /** Speaks h2c (HTTP/2 with prior knowledge) beside HTTP/1.x, and serves gRPC; else HTTP/1.x only. */
  private final boolean h2c;
  private HttpServer server;
  private VmApp app;
  /**
   * Its connections, so that a crash or stop has closed every one of them before it is reported done. Weakly
   * held: a connection upgraded to a WebSocket never reports its close here, and a closed one must not be kept.
   */
  private final java.util.Set<io.vertx.core.http.HttpConnection> connections =
      java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
  private volatile int port;
  private volatile long readyAt;

  VmServer(Vm vm, long warmupMs, ResetKeys resets, boolean h2c) {
    this.vm = vm;
    this.warmupMs = warmupMs;
    this.resets = resets;
    this.h2c = h2c;
  }

  /**
   * A loopback port that is free right now, found by binding port 0 and closing at once. Blocking: call
   * it off the event loops.
   *
   * <p>Nothing holds the port afterwards: until the VM listens (its boot delay, up to seconds), anything
   * on the machine may bind it, and the kernel may even hand it out again. The registry keeps two live
   * VMs of one cloud from sharing a reservation, and {@link #start()} falls back to an ephemeral port if
   * someone else took it. Holding a socket instead would close the race but cost a descriptor per
   * booting VM and a close to get right on every path out of BOOTING.
   */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0), 1);
      return socket.getLocalPort();
    }
  }

  @Override
  public Future<?> start() {
    app = new VmApp(vertx, vm, warmupMs, resets, h2c);
    Integer reserved = vm.port();
    Future<HttpServer> listening = reserved == null
        ? listen(app, 0)
        : listen(app, reserved).recover(taken -> {
          // A VM that boots is more useful than a VM that fails for a reason no cloud would have; the
          // registry publishes the new port with RUNNING.
          LOG.warn("{}: its reserved port {} cannot be bound ({}); listening on an ephemeral port instead",
              vm.id(), reserved, taken.toString());
          return listen(app, 0);
        });
    return listening.onSuccess(server -> {
      readyAt = System.currentTimeMillis();
      port = server.actualPort();
      app.opened();
    });
  }

  /** A fresh server per attempt: a Vert.x server whose listen failed cannot listen again. */
  private Future<HttpServer> listen(VmApp app, int wanted) {
    server = vertx.createHttpServer(new HttpServerOptions()
            .setHandle100ContinueAutomatically(true)
            // Vert.x accepts h2c by default; a VM of a plain HTTP/1.1 app must not, so a gateway that wrongly
            // spoke HTTP/2 to it would notice.
            .setHttp2ClearTextEnabled(h2c)
            .setMaxWebSocketMessageSize(16 * 1024 * 1024))
        .connectionHandler(connections::add)
        .requestHandler(app);
    return server.listen(wanted, HOST);
  }

  /**
   * Closes the listener and every open connection at once: a stopped or crashed VM answers nothing. Done once
   * every connection is closed (its FIN sent), so whoever learns of the crash cannot still reach the VM.
   */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    java.util.List<Future<Void>> closing = new java.util.ArrayList<>();
    new java.util.ArrayList<>(connections).forEach(c -> closing.add(c.close()));
    closing.add(server.close());
    return Future.join(closing);
  }

  /** Pauses (or with {@code false} resumes) the VM's app; done once it took effect on the VM's event loop. */
  Future<Void> pause(boolean pause) {
    return Future.future(done ->
        context.runOnContext(v -> {
          if (pause) {
            app.pause();
          } else {
            app.resume();
          }
          done.complete();
        }));
  }

  /** The port it listens on; only meaningful once started. */
  int port() {
    return port;
  }

  String endpoint() {
    return "http://" + HOST + ":" + port;
  }

  long readyAt() {
    return readyAt;
  }
}
