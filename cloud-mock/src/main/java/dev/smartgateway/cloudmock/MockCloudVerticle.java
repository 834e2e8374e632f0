package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cloud itself: its context is the one context all VM state lives on (API handlers, timers and
 * event pushes all run there), which is what makes the state machine free of races.
 */
final class MockCloudVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MockCloudVerticle.class);

  private final MockCloudOptions options;
  private EventBroadcaster events;
  private VmRegistry registry;
  private HttpServer server;
  private volatile int port;

  MockCloudVerticle(MockCloudOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    long seed = options.seed() != null ? options.seed() : ThreadLocalRandom.current().nextLong();
    Dice dice = new Dice(seed, options.bootMinMs(), options.bootMaxMs());
    AtomicReference<FaultSettings> faults = new AtomicReference<>(FaultSettings.NONE);
    events = new EventBroadcaster(vertx);
    registry = new VmRegistry(vertx, context, dice, faults::get, events::publish, options::speaksH2c);
    MockApi api = new MockApi(vertx, options, registry, events, faults, dice);
    server = vertx.createHttpServer().requestHandler(api.router());
    return server.listen(options.port(), options.host()).onSuccess(listening -> {
      port = listening.actualPort();
      // The seed is logged so that a surprising run can be repeated exactly.
      LOG.info("mock cloud on {}:{} (boot {}..{} ms, seed {}, resources {}, h2c {})", options.host(), port,
          options.bootMinMs(), options.bootMaxMs(), seed,
          options.resources().isEmpty() ? "any" : options.resources(),
          options.h2cResources().isEmpty() ? "none" : options.h2cResources());
    });
  }

  @Override
  public Future<?> stop() {
    if (registry == null) {
      return Future.succeededFuture();
    }
    return registry.closeAll()
        .onComplete(closed -> events.close())
        .transform(closed -> server.close());
  }

  int port() {
    return port;
  }

  /**
   * Powers every VM off, on the cloud's context. Called before the cloud is undeployed: Vert.x undeploys a
   * deployment's children (the VM servers) before its {@link #stop()}, and one a stop call is already undeploying
   * makes that throw "Already undeployed" — so the VMs go first, each through its one closing future.
   */
  Future<Void> powerOff() {
    Promise<Void> off = Promise.promise();
    context.runOnContext(v -> {
      if (registry == null) {
        off.complete();
      } else {
        registry.closeAll().onComplete(off);
      }
    });
    return off.future();
  }
}
