package dev.smartgateway.admin;

import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ResourceCatalog;
import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.lifecycle.LifecycleManager;
import dev.smartgateway.observe.EventFeed;
import dev.smartgateway.observe.EventHistory;
import dev.smartgateway.observe.HealthProbes;
import dev.smartgateway.observe.UsageRecorder;
import dev.smartgateway.observe.metrics.GatewayMetrics;
import dev.smartgateway.store.Store;
import dev.smartgateway.store.StoreWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The operations surface (DESIGN section 9): the observers that learn of everything through lifecycle events
 * (history, tasks, usage, last failures), the run-time registrations, and the admin listener. It stands
 * beside the data path: nothing on the proxy path calls it.
 */
public final class Admin {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.admin");
  /** SSE watchers at once, and entries kept for those that reconnect. */
  static final int MAX_WATCHERS = 64;
  static final int REPLAY = 10_000;

  private final Vertx vertx;
  private final GatewayConfig config;
  private final ResourceCatalog catalog;
  private final Store store;
  private final StoreWriter writer;
  private final EventFeed feed = new EventFeed(MAX_WATCHERS, REPLAY);
  private final EventHistory history;
  private final TaskBook tasks;
  private final UsageRecorder usage;
  private final LastFailures failures = new LastFailures();
  private final Registrations registrations;
  private String deployment;
  private volatile AdminServer server;
  private int port = -1;
  private final List<Runnable> closers = new ArrayList<>();
  private final GatewayMetrics metrics;

  public Admin(Vertx vertx, GatewayConfig config, ResourceCatalog catalog, Store store, StoreWriter writer) {
    this(vertx, config, catalog, store, writer, GatewayMetrics.off());
  }

  /** @param metrics subscribes to lifecycle events here, and serves {@code GET /metrics} on the admin listener */
  public Admin(Vertx vertx, GatewayConfig config, ResourceCatalog catalog, Store store, StoreWriter writer,
               GatewayMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.config = config;
    this.catalog = catalog;
    this.store = store;
    this.writer = writer;
    String gateway = config.gateway().id();
    this.history = new EventHistory(gateway, writer, feed);
    this.tasks = new TaskBook(gateway, writer, history);
    this.usage = new UsageRecorder(gateway, writer);
    this.registrations = new Registrations(config, catalog, store);
  }

  /** Before the lifecycle starts: run-time registrations laid over the file's, usage left open by the last run. */
  public Future<Void> restore() {
    return registrations.restore().compose(v -> store.openIntervals()).map(open -> {
      usage.inherit(open);
      return null;
    });
  }

  /** The lifecycle event subscribers, in order: each must see every event from the first (adoption included). */
  public List<Consumer<LifecycleEvent>> subscribers() {
    return List.of(history, tasks, usage, failures, metrics.lifecycleEvents());
  }

  /** Adoption is over (control context): usage of VMs that did not survive the restart ends. */
  public void adoptionDone() {
    usage.adoptionDone(System.currentTimeMillis());
  }

  /** Starts the admin listener (unless {@code admin.enabled: false}). */
  public Future<Void> listen(LifecycleManager lifecycle, PublicEndpoint gateway, HealthProbes probes) {
    if (!config.admin().enabled()) {
      return Future.succeededFuture();
    }
    AdminContext ctx = new AdminContext(vertx, config, catalog, lifecycle, store, writer::flush, tasks, feed, failures,
        registrations);
    Fanout fanout = new Fanout(vertx, config.admin(), gateway, () -> knownResources(lifecycle));
    closers.add(fanout::close);
    List<Consumer<Router>> routes = List.of(
        new ResourcesApi(ctx)::mount,
        new InstancesApi(ctx)::mount,
        new TasksApi(ctx)::mount,
        new EventsApi(ctx)::mount,
        new UsageApi(ctx)::mount,
        router -> router.post("/admin/fanout").handler(fanout::handle),
        new HealthApi(probes)::mount,
        metrics::mount,
        new ConsolePage()::mount);
    AdminServer server = new AdminServer(config.admin(), routes);
    return vertx.deployVerticle(server).map(id -> {
      deployment = id;
      this.server = server;
      port = server.actualPort();
      log.info("admin API on {}://{}:{}/admin/ ({}); described at /admin/openapi.yaml",
          config.admin().isTls() ? "https" : "http", config.admin().host(), port,
          server.isOpen() ? "no token: open to this machine only" : "bearer token required");
      return null;
    });
  }

  private Future<Collection<String>> knownResources(LifecycleManager lifecycle) {
    return lifecycle.instances().map(instances -> {
      TreeSet<String> names = new TreeSet<>(catalog.listed().keySet());
      instances.forEach(i -> names.add(i.resource()));
      return names;
    });
  }

  /**
   * The admin listener's operations as {@code METHOD path} ({@code GET /admin/resources/:name}); empty when it
   * is disabled. What {@code /admin/openapi.yaml} must describe, no more and no less.
   */
  public List<String> routes() {
    return server == null ? List.of() : server.routes();
  }

  /** The admin listener's port; -1 when it is disabled. */
  public int port() {
    return port;
  }

  public Future<Void> close() {
    closers.forEach(Runnable::run);
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }
}
