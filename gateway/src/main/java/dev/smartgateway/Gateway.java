package dev.smartgateway;

import dev.smartgateway.access.AccessPolicy;
import dev.smartgateway.cache.ResponseCaches;
import dev.smartgateway.admin.Admin;
import dev.smartgateway.admin.PublicEndpoint;
import dev.smartgateway.access.ListenerExposure;
import dev.smartgateway.cloud.ProviderRegistry;
import dev.smartgateway.config.Durations;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ResourceCatalog;
import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.config.ServerConfig;
import dev.smartgateway.config.LimitsConfig;
import dev.smartgateway.lifecycle.Coordination;
import dev.smartgateway.lifecycle.LifecycleManager;
import dev.smartgateway.observe.HealthProbes;
import dev.smartgateway.observe.metrics.GatewayMetrics;
import dev.smartgateway.proxy.AccessLog;
import dev.smartgateway.proxy.FinishStage;
import dev.smartgateway.proxy.Forwarder;
import dev.smartgateway.proxy.ForwarderOptions;
import dev.smartgateway.proxy.InvalidRequestHandler;
import dev.smartgateway.proxy.ProxyHandler;
import dev.smartgateway.proxy.RequestHook;
import dev.smartgateway.proxy.WaitingPage;
import dev.smartgateway.server.ClientConnections;
import dev.smartgateway.server.PublicListener;
import dev.smartgateway.store.SqlStore;
import dev.smartgateway.store.Store;
import dev.smartgateway.store.StoreWriter;
import dev.smartgateway.tls.CertificateReloader;
import dev.smartgateway.tls.PemKeyPair;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
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
  /** How long a closing gateway waits for its last access log lines to reach stdout. */
  private static final Duration ACCESS_LOG_DRAIN = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final GatewayConfig config;
  private final ProviderRegistry providers;
  private final LifecycleManager lifecycle;
  private final List<String> deployments;
  private final int port;
  private final ClientConnections connections;
  private final Admin admin;
  /** Set when the gateway starts to close: /ready fails from then on. */
  private final java.util.concurrent.atomic.AtomicBoolean closing;
  private final StoreWriter writer;
  private final Store store;
  private final GatewayMetrics metrics;
  /** The response caches (set once, as the gateway starts). */
  private ResponseCaches caches;
  /** Who may use a resource (set once, as the gateway starts): its JWKS refresh stops with the gateway. */
  private AccessPolicy access;
  /** Keeps the public listener's certificate current; null in cleartext. */
  private CertificateReloader certificates;

  private Gateway(Vertx vertx, GatewayConfig config, ProviderRegistry providers, LifecycleManager lifecycle,
                  List<String> deployments, int port, ClientConnections connections, Admin admin, StoreWriter writer,
                  Store store, java.util.concurrent.atomic.AtomicBoolean closing, GatewayMetrics metrics) {
    this.metrics = metrics;
    this.admin = admin;
    this.closing = closing;
    this.writer = writer;
    this.store = store;
    this.vertx = vertx;
    this.config = config;
    this.providers = providers;
    this.lifecycle = lifecycle;
    this.deployments = deployments;
    this.port = port;
    this.connections = connections;
  }

  /** A gateway on this Vert.x; its metrics, unless off, go to a registry of its own (the gateway's series only). */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
    return start(vertx, config, null);
  }

  /**
   * A gateway on this Vert.x.
   *
   * @param metricsRegistry where Vert.x's own metrics go ({@code MetricsVertx}): the gateway's join them there and
   *                        {@code /metrics} shows both; null for a registry of the gateway's own
   */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry metricsRegistry) {
    return start(vertx, config, metricsRegistry, System::getenv, Coordination.NONE);
  }

  /**
   * As {@link #start(Vertx, GatewayConfig, PrometheusMeterRegistry)}, reading environment variables named by the
   * configuration (such as {@code access.jwt.secretEnv}) through {@code env}.
   */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry metricsRegistry,
                                      Function<String, String> env) {
    return start(vertx, config, metricsRegistry, env, Coordination.NONE);
  }

  /**
   * As {@link #start(Vertx, GatewayConfig, PrometheusMeterRegistry, Function)}, as one of a cluster's members if
   * {@code coordination} is clustered (DESIGN section 10): {@code ClusterVertx} makes both.
   */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry metricsRegistry,
                                      Function<String, String> env, Coordination coordination) {
    ListenerExposure.warning(config.access(), config.server().host(), config.server().port()).ifPresent(log::warn);
    WaitingPage waitingPage;
    PemKeyPair certificate;
    try {
      waitingPage = WaitingPage.load(config.server()); // read once; a missing template is a ConfigException
      // Checked before anything starts: a missing file, bad PEM or a key of another certificate names its key.
      certificate = config.server().isTls() ? PemKeyPair.load(vertx, config.server().tls()) : null;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // The keys first: a jwt section whose keys cannot be had stops the start before anything else is opened.
    return AccessPolicy.start(vertx, config.access(), env, Clock.systemUTC())
        .compose(access -> start(vertx, config, metricsRegistry, waitingPage, certificate, access, coordination)
            .recover(err -> access.close().transform(x -> Future.<Gateway>failedFuture(err))));
  }

  private static Future<Gateway> start(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry metricsRegistry,
                                       WaitingPage waitingPage, PemKeyPair certificate, AccessPolicy access,
                                       Coordination coordination) {
    GatewayMetrics metrics = GatewayMetrics.create(config, metricsRegistry);
    return ProviderRegistry.create(vertx, config, metrics.cloudCalls()).compose(providers -> SqlStore.open(vertx, config.store())
        // The store holds the run-time registrations: serving without them could serve resources wrongly.
        .recover(err -> providers.close().transform(x -> Future.failedFuture(err)))
        .compose(store -> {
          StoreWriter writer = StoreWriter.start(vertx, store, config.store());
          metrics.watch(providers, writer);
          ResourceCatalog catalog = new ResourceCatalog(config);
          Admin admin = new Admin(vertx, config, catalog, store, writer, metrics);
          java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
          LifecycleVerticle control = new LifecycleVerticle(providers, config, catalog, admin, coordination);
          // The end-of-request hook's subscribers: the access log, then the metrics (unless they are off).
          AccessLog.queueSize(config.server().accessLogQueue());
          List<RequestHook> hooks = new ArrayList<>(List.of(new AccessLog()));
          hooks.addAll(metrics.hooks());
          FinishStage finish = new FinishStage(hooks);
          ResponseCaches caches = new ResponseCaches();
          metrics.watchCache(caches::storedBytes);
          return admin.restore()
              .compose(v -> vertx.deployVerticle(control))
              .onSuccess(controlId -> metrics.watchHeld(control.lifecycle()::waiting))
              .compose(controlId -> listen(vertx, config, certificate, finish,
                  forwarder -> new ProxyHandler(config, catalog, access, control.lifecycle(), forwarder, finish,
                      waitingPage, caches))
                  .compose(listening -> admin.listen(control.lifecycle(),
                          new PublicEndpoint(config.server().host(), listening.port, config.server().prefix(),
                              config.server().isTls()),
                          new HealthProbes(vertx, () -> !closing.get(), providers.all(), store, writer))
                      .onFailure(err -> {
                        if (listening.certificates != null) {
                          listening.certificates.close();
                        }
                      })
                      .map(v -> {
                        log.info("gateway listening on {}://{}:{}/{}/{resource}/{groups}/{}", config.server().scheme(),
                            config.server().host(), listening.port, config.server().prefix(),
                            config.server().isTls() ? " (HTTP/2 and HTTP/1.1; certificate " + certificate.subject()
                                + ", serial " + certificate.serial() + ")" : " (HTTP/1.x)");
                        // Servers first, then the lifecycle: in-flight requests still release their leases while
                        // they finish.
                        List<String> deployments = new ArrayList<>(listening.deployments);
                        deployments.add(controlId);
                        Gateway gateway = new Gateway(vertx, config, providers, control.lifecycle(), deployments,
                            listening.port, listening.connections, admin, writer, store, closing, metrics);
                        gateway.caches = caches;
                        gateway.access = access;
                        gateway.certificates = listening.certificates;
                        return gateway;
                      })))
              .recover(err -> admin.close()
                  .eventually(() -> control.lifecycle() == null ? Future.succeededFuture() : control.lifecycle().close())
                  .eventually(writer::close)
                  .eventually(store::close)
                  .eventually(providers::close)
                  .onComplete(x -> metrics.close())
                  .transform(x -> Future.failedFuture(err)));
        }));
  }

  /** The port the public listener is bound to (useful with {@code server.port: 0}). */
  public int port() {
    return port;
  }

  /** The admin listener's port; -1 if it is disabled. */
  public int adminPort() {
    return admin.port();
  }

  /** The admin listener's operations, {@code METHOD path} ({@link Admin#routes()}); empty if it is disabled. */
  public List<String> adminRoutes() {
    return admin.routes();
  }

  public GatewayConfig config() {
    return config;
  }

  public LifecycleManager lifecycle() {
    return lifecycle;
  }

  /** The response caches of its resources (README "Response cache"). */
  public ResponseCaches caches() {
    return caches;
  }

  /** What the gateway measures ({@code /metrics} on the admin listener). */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The public listener's certificate reloader ({@code server.tls}); null when it speaks cleartext. */
  public CertificateReloader certificates() {
    return certificates;
  }

  /** The public listener's client connections: open now, refused over the limit, closed for a slow head. */
  public ClientConnections connections() {
    return connections;
  }

  /**
   * Graceful stop: held requests are answered at once with 503 + Retry-After (their VM may take minutes),
   * the listener stops accepting, in-flight requests get up to {@code server.shutdownGrace} to finish (open
   * WebSockets get a close frame 1001 at once), then clients and providers are closed, and the access log's last
   * lines are written out (for at most 5 s). VMs keep running: the next gateway adopts them.
   */
  public Future<Void> close() {
    log.info("shutting down: answering held requests, letting in-flight ones finish (up to {})",
        config.server().shutdownGrace());
    closing.set(true);
    if (certificates != null) {
      certificates.close();
    }
    return lifecycle.close()
        .eventually(() -> {
          // The listeners first (in-flight requests finish and release their leases), the lifecycle last.
          List<Future<Void>> undeploying = new ArrayList<>();
          deployments.subList(0, deployments.size() - 1).forEach(id -> undeploying.add(vertx.undeploy(id)));
          return Future.join(undeploying);
        })
        .eventually(() -> vertx.undeploy(deployments.get(deployments.size() - 1)))
        .eventually(providers::close)
        .eventually(access::close)
        // The admin listener stays up until here: /ready says "shutting down" while the rest closes.
        .eventually(admin::close)
        // Tasks, history and usage of the last moments (the stops above) reach the store, then it closes.
        .eventually(writer::close)
        .eventually(store::close)
        // The last access log lines reach stdout before the process exits; stderr says so if some could not.
        .eventually(() -> vertx.executeBlocking(() -> {
          AccessLog.drain(ACCESS_LOG_DRAIN);
          return null;
        }))
        .onComplete(x -> metrics.close())
        .mapEmpty();
  }

  /**
   * The lifecycle's own control context (DESIGN section 6): every start, stop, timer and held request is
   * decided there, apart from the event loops that carry traffic.
   */
  private static final class LifecycleVerticle extends VerticleBase {
    private final ProviderRegistry providers;
    private final GatewayConfig config;
    private final ResourceCatalog catalog;
    private final Admin admin;
    private final Coordination coordination;
    private volatile LifecycleManager lifecycle;

    LifecycleVerticle(ProviderRegistry providers, GatewayConfig config, ResourceCatalog catalog, Admin admin,
                      Coordination coordination) {
      this.coordination = coordination;
      this.providers = providers;
      this.config = config;
      this.catalog = catalog;
      this.admin = admin;
    }

    /** The observers subscribe before the first event: adoption's events are history, tasks and usage too. */
    @Override
    public Future<?> start() {
      lifecycle = new LifecycleManager(vertx, context, providers, config, catalog, coordination);
      admin.subscribers().forEach(lifecycle.events()::subscribe);
      return lifecycle.start().onSuccess(v -> admin.adoptionDone());
    }

    LifecycleManager lifecycle() {
      return lifecycle;
    }
  }

  private record Listening(int port, List<String> deployments, ClientConnections connections,
                           CertificateReloader certificates) {
  }

  /**
   * One server per event loop on the same port; Vert.x balances connections between them. Port 0 becomes
   * -1: Vert.x then binds one random port and shares it, where 0 would give every instance its own.
   */
  private static Future<Listening> listen(Vertx vertx, GatewayConfig config, PemKeyPair certificate,
                                          FinishStage finish, Function<Forwarder, ProxyHandler> handlers) {
    ServerConfig server = config.server();
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    HttpServerOptions options = PublicListener.options(server, server.port() == 0 ? -1 : server.port(),
        effectiveIdleTimeout(config), certificate);
    ClientConnections connections = new ClientConnections(server.maxConnections(), server.requestHeaderTimeout());
    InvalidRequestHandler invalid = new InvalidRequestHandler(server, finish);
    ForwarderOptions forwarding = ForwarderOptions.from(config.limits(), server);
    logLimits(config.limits(), instances);
    List<ServerVerticle> verticles = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      ServerVerticle verticle = new ServerVerticle(options, forwarding, handlers, invalid, connections,
          server.shutdownGrace());
      verticles.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances))
        .map(id -> new Listening(verticles.get(0).actualPort(), List.of(id), connections, certificate == null ? null
            // Instances sharing a port share one TLS context: updating one server updates them all.
            : new CertificateReloader(vertx, server.tls(), verticles.get(0).server, certificate).start()));
  }

  /** The bounds the gateway runs with, once at start-up: what a saturated gateway hits is then known in advance. */
  private static void logLimits(LimitsConfig limits, int eventLoops) {
    log.info("limits: {} held requests in all; per VM on each of {} event loops: {} pooled connections, then {} "
            + "requests may wait up to {} (at least connectTimeout + {}ms) for one, then 503 gateway-busy; "
            + "WebSockets use connections of their own",
        limits.maxWaitingTotal(), eventLoops, limits.connectionsPerVm(), limits.connectionQueuePerVm(),
        Durations.format(limits.connectionWait()), ForwarderOptions.CONNECT_MARGIN_MS);
  }

  /**
   * Vert.x closes a connection after {@code server.idleTimeout} without a byte either way, but a request held
   * while its VM boots is silent for up to its startTimeout, and then for up to its responseTimeout while
   * the VM thinks. Those have their own answers (504), so the idle timeout never undercuts them: it is raised
   * to the longest such silence of any resource. Idle keep-alive connections are bounded by
   * requestHeaderTimeout instead. A connection upgraded to a WebSocket is exempt (Splice removes the timeout;
   * {@code server.webSocketIdleTimeout} is its own).
   */
  static Duration effectiveIdleTimeout(GatewayConfig config) {
    Duration longest = silence(config.defaults());
    for (ResourceSettings settings : config.resources().values()) {
      Duration own = silence(settings);
      if (own.compareTo(longest) > 0) {
        longest = own;
      }
    }
    Duration configured = config.server().idleTimeout();
    if (longest.compareTo(configured) > 0) {
      log.debug("server.idleTimeout {} raised to {}: a held request may be silent for startTimeout + responseTimeout",
          configured, longest);
      return longest;
    }
    return configured;
  }

  private static Duration silence(ResourceSettings settings) {
    return settings.startTimeout().plus(settings.responseTimeout());
  }

  /**
   * One public server and its own forwarder on one event loop. The forwarder's pool is created here, on
   * this verticle's context, so a request and the VM connection it is forwarded on share a thread: a pool
   * shared by all event loops hands connections across threads, two hops per request (measured: about a
   * quarter of the warm path's CPU).
   */
  private static final class ServerVerticle extends VerticleBase {
    private final HttpServerOptions options;
    private final ForwarderOptions forwarding;
    private final Function<Forwarder, ProxyHandler> handlers;
    private final InvalidRequestHandler invalid;
    private final ClientConnections connections;
    private final java.time.Duration grace;
    private HttpServer server;
    private Forwarder forwarder;

    ServerVerticle(HttpServerOptions options, ForwarderOptions forwarding, Function<Forwarder, ProxyHandler> handlers,
                   InvalidRequestHandler invalid, ClientConnections connections, java.time.Duration grace) {
      this.options = options;
      this.forwarding = forwarding;
      this.handlers = handlers;
      this.invalid = invalid;
      this.connections = connections;
      this.grace = grace;
    }

    @Override
    public Future<?> start() {
      forwarder = Forwarder.create(vertx, forwarding);
      ClientConnections.Listener listener = connections.listener(vertx, options, invalid::refuse);
      server = vertx.createHttpServer(options)
          .connectionHandler(listener::connected)
          .invalidRequestHandler(listener.wrap(invalid))
          .requestHandler(listener.wrap(handlers.apply(forwarder)));
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
