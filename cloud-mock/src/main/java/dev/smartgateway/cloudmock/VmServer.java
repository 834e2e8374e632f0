package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One VM's HTTP server on 127.0.0.1 and an ephemeral port. A verticle of its own, so each VM gets an
 * event loop from the pool instead of sharing the API's, and undeploying it is the VM's power switch.
 */
final class VmServer extends VerticleBase {

  static final String HOST = "127.0.0.1";

  private final Vm vm;
  private final long warmupMs;
  private HttpServer server;
  private volatile int port;
  private volatile long readyAt;

  VmServer(Vm vm, long warmupMs) {
    this.vm = vm;
    this.warmupMs = warmupMs;
  }

  @Override
  public Future<?> start() {
    VmApp app = new VmApp(vertx, vm, warmupMs);
    server = vertx.createHttpServer(new HttpServerOptions()
            .setHandle100ContinueAutomatically(true)
            .setMaxWebSocketMessageSize(16 * 1024 * 1024))
        .requestHandler(app);
    return server.listen(0, HOST).onSuccess(listening -> {
      readyAt = System.currentTimeMillis();
      port = listening.actualPort();
      app.opened();
    });
  }

  /** Closes the listener and every open connection at once: a stopped or crashed VM answers nothing. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  String endpoint() {
    return "http://" + HOST + ":" + port;
  }

  long readyAt() {
    return readyAt;
  }
}
