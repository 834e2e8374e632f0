package dev.smartgateway;

import dev.smartgateway.access.AccessPolicy;
import dev.smartgateway.cloud.ProviderRegistry;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ServerConfig;
import dev.smartgateway.lifecycle.LifecycleManager;
import dev.smartgateway.proxy.Forwarder;
import dev.smartgateway.proxy.ForwarderOptions;
import dev.smartgateway.proxy.ProxyHandler;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A running gateway: providers, lifecycle, forwarder and the public listener on one event loop per core.
 * {@link GatewayMain} runs one from a config file; tests and embedders call {@link #start} directly.
 */
public final class Gateway {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final GatewayConfig config;
  private final ProviderRegistry providers;
  private final LifecycleManager lifecycle;
  private final List<String> deployments;
  private final int port;

  private Gateway(Vertx vertx, GatewayConfig config, ProviderRegistry providers, LifecycleManager lifecycle,
                  List<String> deployments, int port) {
    this.vertx = vertx;
    this.config = config;
    this.providers = providers;
    this.lifecycle = lifecycle;
    this.deployments = deployments;
    this.port = port;
  }

  public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
    Context control = vertx.getOrCreateContext();
    return ProviderRegistry.create(vertx, config).compose(providers -> {
      LifecycleManager lifecycle = new LifecycleManager(vertx, control, providers, config);
      AccessPolicy access = new AccessPolicy();
      return lifecycle.start()
          .compose(v -> listen(vertx, config.server(), forwarder -> new ProxyHandler(config, access, lifecycle, forwarder)))
          .map(listening -> {
            log.info("gateway listening on http://{}:{}/{}/{resource}/{groups}/",
                config.server().host(), listening.port, config.server().prefix());
            return new Gateway(vertx, config, providers, lifecycle, listening.deployments, listening.port);
          })
          .recover(err -> lifecycle.close()
              .eventually(() -> providers.close())
              .transform(x -> Future.failedFuture(err)));
    });
  }

  /** The port the public listener is bound to (useful with {@code server.port: 0}). */
  public int port() {
    return port;
  }

  public GatewayConfig config() {
    return config;
  }

  public LifecycleManager lifecycle() {
    return lifecycle;
  }

  /**
   * Graceful stop: held requests are answered at once with 503 + Retry-After (their VM may take minutes),
   * the listener stops accepting, in-flight requests get up to {@code server.shutdownGrace} to finish, then
   * clients and providers are closed. VMs keep running: the next gateway adopts them.
   */
  public Future<Void> close() {
    log.info("shutting down: answering held requests, letting in-flight ones finish (up to {})",
        config.server().shutdownGrace());
    return lifecycle.close()
        .eventually(() -> {
          List<Future<Void>> undeploying = new ArrayList<>();
          deployments.forEach(id -> undeploying.add(vertx.undeploy(id)));
          return Future.join(undeploying);
        })
        .eventually(providers::close)
        .mapEmpty();
  }

  private record Listening(int port, List<String> deployments) {
  }

  /**
   * One server per event loop on the same port; Vert.x balances connections between them. Port 0 becomes
   * -1: Vert.x then binds one random port and shares it, where 0 would give every instance its own.
   */
  private static Future<Listening> listen(Vertx vertx, ServerConfig server, Function<Forwarder, ProxyHandler> handlers) {
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    HttpServerOptions options = options(server, server.port() == 0 ? -1 : server.port());
    List<ServerVerticle> verticles = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      ServerVerticle verticle = new ServerVerticle(options, handlers, server.shutdownGrace());
      verticles.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances))
        .map(id -> new Listening(verticles.get(0).actualPort(), List.of(id)));
  }

  private static HttpServerOptions options(ServerConfig server, int port) {
    return new HttpServerOptions()
        .setHost(server.host())
        .setPort(port)
        .setMaxInitialLineLength(server.maxInitialLineLength())
        .setMaxHeaderSize(server.maxHeaderBytes())
        .setIdleTimeout((int) Math.max(1, server.idleTimeout().toSeconds()))
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        // The VM decides about 100 Continue (it may refuse the body); the forwarder relays its answer.
        .setHandle100ContinueAutomatically(false);
  }

  /**
   * One public server and its own forwarder on one event loop. The forwarder's pool is created here, on
   * this verticle's context, so a request and the VM connection it is forwarded on share a thread: a pool
   * shared by all event loops hands connections across threads, two hops per request (measured: about a
   * quarter of the warm path's CPU).
   */
  private static final class ServerVerticle extends VerticleBase {
    private final HttpServerOptions options;
    private final Function<Forwarder, ProxyHandler> handlers;
    private final java.time.Duration grace;
    private HttpServer server;
    private Forwarder forwarder;

    ServerVerticle(HttpServerOptions options, Function<Forwarder, ProxyHandler> handlers, java.time.Duration grace) {
      this.options = options;
      this.handlers = handlers;
      this.grace = grace;
    }

    @Override
    public Future<?> start() {
      forwarder = Forwarder.create(vertx, ForwarderOptions.defaults());
      server = vertx.createHttpServer(options).requestHandler(handlers.apply(forwarder));
      return server.listen();
    }

    /** Stops accepting and lets open exchanges finish, for at most the grace period; then closes the pool. */
    @Override
    public Future<?> stop() {
      return server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS).eventually(forwarder::close);
    }

    int actualPort() {
      return server.actualPort();
    }
  }
}
