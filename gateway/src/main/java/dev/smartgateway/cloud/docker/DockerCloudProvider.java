package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.OnShutdown;
import dev.smartgateway.cloud.FreePort;
import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.HomeContext;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.cloud.Refusals;
import dev.smartgateway.config.ConfigException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One container per instance, through the Docker Engine API. {@code start} creates the container (named after the
 * resource, labelled with the owner, resource, groups and port), starts it and answers BOOTING ({@link Launch});
 * RUNNING follows through {@link #events()} once the container runs, its HEALTHCHECK (if any) is healthy and the
 * adapter's own readiness check passes ({@link Watching}). {@code stop} stops and removes it. A container that exits
 * by itself is reported FAILED with its exit code and last error line, and removed ({@link Endings}).
 *
 * <p>Truth is the daemon's: {@code describe} inspects, {@code list} asks for the owner's containers by label, and
 * the daemon's event stream ({@link DockerEventFeed}) pushes deaths and health changes. The labels are the adapter's
 * only memory, so a restarted gateway adopts its running containers from {@code list} (or {@code describe}) with no
 * state file ({@link Adoption}); containers of other owners are never touched.
 *
 * <p>Threading: all state lives on the context the provider was created on ({@link Fleet}); public methods hop onto
 * it and answer on the caller's context. Events are emitted on the provider's context. Picking a free port (a socket
 * bind) runs on a worker; everything else is non-blocking I/O.
 */
final class DockerCloudProvider implements CloudProvider {

  private static final Logger LOG = LoggerFactory.getLogger(DockerCloudProvider.class);

  private final Fleet fleet;
  private final NetClient tcp;
  private final HttpClient http;
  private final Endings endings;
  private final Watching watching;
  private final Adoption adoption;
  private final Launch launch;
  private final Pausing pausing;
  private final DockerEventFeed feed;
  private final HomeContext home;
  private Future<Void> closeResult;

  private DockerCloudProvider(Vertx vertx, Context context, DockerSettings settings, String owner) {
    this.fleet = new Fleet(vertx, context, settings, new DockerApi(vertx, settings.endpoint()), owner);
    this.tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1_000));
    // No keep-alive: a probe's connection must not linger in a container that serves one connection at a time.
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1_000).setKeepAlive(false));
    this.pausing = new Pausing(fleet);
    this.endings = new Endings(fleet, pausing);
    this.watching = new Watching(fleet, endings, tcp, http);
    this.adoption = new Adoption(fleet, endings, watching);
    this.launch = new Launch(fleet, endings, watching);
    this.home = HomeContext.of(fleet.context);
    this.feed = new DockerEventFeed(vertx, fleet.api, owner, watching::onEvent, watching::reconcile);
  }

  /**
   * Checks that containers can be served on the configured host (a port can be bound there), then answers with a
   * usable provider once the daemon told its API version, or once it is clear it does not answer: a daemon that is
   * down now may be up by the first request (calls then fail TRANSIENT, and the event stream keeps trying). A daemon
   * that answers but cannot be used (too old, not Docker) fails the gateway's start.
   *
   * @param owner labelled on every container it creates; null for none (it then adopts only unowned ones)
   */
  static Future<CloudProvider> open(Vertx vertx, DockerSettings settings, String owner) {
    Context context = vertx.getOrCreateContext();
    Promise<CloudProvider> opened = Promise.promise();
    context.runOnContext(v -> context.executeBlocking(() -> FreePort.pick(settings.host()), false).onComplete(bound -> {
      if (bound.failed()) {
        Throwable why = bound.cause().getCause() != null ? bound.cause().getCause() : bound.cause();
        opened.fail(new ConfigException("provider.host", "cannot listen on " + settings.host() + ": " + why.getMessage()));
        return;
      }
      DockerCloudProvider provider = new DockerCloudProvider(vertx, context, settings, owner);
      provider.fleet.api.version().onComplete(ar -> {
        if (ar.failed() && ar.cause() instanceof CloudException ce && !ce.isCloudFault()) {
          provider.close().onComplete(closed -> opened.fail(ce));
          return;
        }
        if (ar.failed()) {
          LOG.warn("The Docker daemon does not answer yet ({}): containers start once it does", ar.cause().getMessage());
        } else {
          provider.checkImages();
        }
        provider.feed.connect();
        opened.complete(provider);
      });
    }));
    return opened.future();
  }

  @Override
  public Future<Instance> start(String resource, Set<String> groups) {
    return home.call(() -> {
      if (fleet.closed) {
        return Future.failedFuture(closed());
      }
      ContainerSpec spec = fleet.settings.resources().get(resource);
      if (spec == null) {
        return Future.failedFuture(Refusals.unknownResource(DockerCloudProviderFactory.TYPE, resource,
            fleet.settings.resources().keySet()));
      }
      return launch.start(spec, Set.copyOf(groups));
    });
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    return home.call(() -> {
      if (fleet.closed) {
        return Future.failedFuture(closed());
      }
      TrackedContainer known = fleet.containers.get(instanceId);
      if (known != null && (known.state.isTerminal() || known.state == InstanceState.PENDING)) {
        return Future.succeededFuture(fleet.instance(known));
      }
      return inspect(instanceId).compose(view -> {
        TrackedContainer c = fleet.containers.get(instanceId);
        if (view == null) {
          if (c == null) {
            return Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no container " + instanceId));
          }
          endings.gone(c, "the container was removed by someone else"); // unless we are stopping it
          return Future.succeededFuture(fleet.instance(c));
        }
        if (!Labels.managed(view.labels())) {
          return Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND,
              "container " + instanceId + " was not started by the docker adapter"));
        }
        return Future.succeededFuture(adoption.observe(c, view));
      });
    });
  }

  @Override
  public Future<Void> stop(String instanceId) {
    return home.call(() -> {
      if (fleet.closed) {
        return Future.failedFuture(closed());
      }
      TrackedContainer known = fleet.containers.get(instanceId);
      if (known != null) {
        return endings.stop(known);
      }
      return inspect(instanceId).compose(view -> {
        if (view == null) {
          return Future.<Void>succeededFuture(); // stopping what does not exist succeeds
        }
        if (!Labels.ownedBy(view.labels(), fleet.owner)) {
          LOG.warn("Not stopping container {}: it is not one of gateway {}'s (managed by: {}, owner: {})",
              instanceId, fleet.owner, view.labels().get(Labels.MANAGED_BY), view.labels().get(Labels.OWNER));
          return Future.<Void>succeededFuture();
        }
        TrackedContainer c = fleet.containers.get(instanceId);
        if (c == null) {
          c = adoption.adopt(view);
        }
        // Ours even if its labels say too little to follow it: it is stopped and removed all the same.
        return c != null ? endings.stop(c) : endings.stopAndRemove(instanceId, ApiRequests.stopSeconds(null));
      });
    });
  }

  @Override
  public Future<List<Instance>> list() {
    return home.call(() -> fleet.closed ? Future.failedFuture(closed())
        : fleet.api.call(HttpMethod.GET, ApiRequests.listPath(fleet.owner), null,
        DockerApi.CALL_TIMEOUT_MS).compose(resp -> {
          if (resp.status() != 200) {
            return Future.failedFuture(ApiErrors.unexpected("list containers", resp));
          }
          Map<String, Instance> found = new LinkedHashMap<>();
          JsonArray entries = resp.body().toJsonArray();
          for (int i = 0; i < entries.size(); i++) {
            ContainerView view = ContainerView.fromList(entries.getJsonObject(i));
            if (Labels.ownedBy(view.labels(), fleet.owner)) {
              // (a provider without an owner is sent every managed container: it keeps the unowned ones)
              found.put(view.name(), adoption.observe(fleet.containers.get(view.name()), view));
            }
          }
          // Also what the daemon no longer lists: containers being created, and ended ones not yet forgotten.
          fleet.containers.values().forEach(c -> found.putIfAbsent(c.name, fleet.instance(c)));
          return Future.succeededFuture(List.copyOf(found.values()));
        }));
  }

  /** Containers pause with the daemon's cgroup freezer ({@link Pausing}). */
  @Override
  public boolean canSuspend() {
    return true;
  }

  @Override
  public Future<Void> suspend(String instanceId) {
    return home.call(() -> followed(instanceId).compose(pausing::suspend));
  }

  @Override
  public Future<Void> resume(String instanceId) {
    return home.call(() -> followed(instanceId).compose(pausing::resume));
  }

  /** A container this provider follows (it started or adopted it); on the provider's context. */
  private Future<TrackedContainer> followed(String instanceId) {
    if (fleet.closed) {
      return Future.failedFuture(closed());
    }
    TrackedContainer c = fleet.containers.get(instanceId);
    return c != null ? Future.succeededFuture(c)
        : Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no container " + instanceId));
  }

  @Override
  public Optional<ReadStream<Instance>> events() {
    return Optional.of(fleet.events);
  }

  /**
   * Stops following the daemon and releases connections and timers. With {@code onShutdown: leave} (the default)
   * containers keep running for the next gateway to adopt; with {@code stop}, every container this provider knows is
   * stopped and removed first (each bounded by its stopTimeout).
   */
  @Override
  public Future<Void> close() {
    return home.call(() -> {
      if (closeResult != null) {
        return closeResult;
      }
      fleet.closed = true;
      feed.close();
      List<TrackedContainer> live = fleet.containers.values().stream().filter(c -> !c.state.isTerminal()).toList();
      Future<Void> containersDone;
      if (fleet.settings.onShutdown() == OnShutdown.STOP) {
        LOG.info("Closing: stopping and removing {} container(s)", live.size());
        containersDone = Future.join(live.stream().map(endings::stop).toList()).<Void>mapEmpty().otherwiseEmpty();
      } else {
        if (!live.isEmpty()) {
          LOG.info("Closing: leaving {} container(s) running for the next gateway to adopt: {}", live.size(),
              live.stream().map(c -> c.name).toList());
        }
        containersDone = Future.succeededFuture();
      }
      closeResult = containersDone.transform(ar -> {
        fleet.containers.values().forEach(c -> {
          c.cancelBoot();
          fleet.vertx.cancelTimer(c.forgetTimer);
        });
        fleet.events.end();
        return Future.join(fleet.api.close(), tcp.close(), http.close()).mapEmpty();
      });
      return closeResult;
    });
  }

  /** The container as inspected; null if the daemon does not know it. */
  private Future<ContainerView> inspect(String name) {
    return fleet.api.call(HttpMethod.GET, ApiRequests.inspectPath(name), null, DockerApi.CALL_TIMEOUT_MS)
        .compose(resp -> switch (resp.status()) {
          case 200 -> Future.succeededFuture(ContainerView.fromInspect(resp.json()));
          case 404 -> Future.succeededFuture(null);
          default -> Future.failedFuture(ApiErrors.inspect(name, resp));
        });
  }

  /** Says at start-up which configured images the daemon lacks: a start of those fails until they are built. */
  private void checkImages() {
    fleet.settings.resources().values().stream().map(ContainerSpec::image).distinct().forEach(image ->
        fleet.api.call(HttpMethod.GET, "/images/" + image + "/json", null, DockerApi.CALL_TIMEOUT_MS).onSuccess(resp -> {
          if (resp.status() == 404) {
            List<String> users = fleet.settings.resources().values().stream().filter(s -> s.image().equals(image))
                .map(ContainerSpec::resource).toList();
            LOG.warn("Image '{}' (resource(s) {}) is not on the Docker daemon at {}: starting them fails until it is"
                + " built or loaded there (the docker adapter never pulls images)", image, users, fleet.api.endpoint());
          }
        }));
  }

  /** A call after close: a typed failure, never the closed HTTP client's IllegalStateException. */
  private static CloudException closed() {
    return Refusals.closed(DockerCloudProviderFactory.TYPE);
  }
}
