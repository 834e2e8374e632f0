package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceEventStream;
import dev.smartgateway.cloud.InstanceState;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One container per instance, through the Docker Engine API. {@code start} creates the container (named after the
 * resource, labelled with the owner, resource, groups and port), starts it and answers BOOTING; RUNNING follows
 * through {@link #events()} once the container runs, its HEALTHCHECK (if any) is healthy and the adapter's own
 * readiness check passes ({@link BootWatch}). {@code stop} stops and removes it. A container that exits by itself
 * is reported FAILED with its exit code and last log line, and removed.
 *
 * <p>Truth is the daemon's: {@code describe} inspects, {@code list} asks for the owner's containers by label, and
 * the daemon's event stream ({@link DockerEventFeed}) pushes deaths and health changes. The labels are the
 * adapter's only memory, so a restarted gateway adopts its running containers from {@code list} (or
 * {@code describe}) with no state file; containers of other owners are never touched.
 *
 * <p>Threading: all state lives on the context the provider was created on; public methods hop onto it and
 * answer on the caller's context. Events are emitted on the provider's context. Picking a free port (a socket
 * bind) runs on a worker; everything else is non-blocking I/O.
 */
final class DockerCloudProvider implements CloudProvider {

  private static final Logger LOG = LoggerFactory.getLogger(DockerCloudProvider.class);
  /** Log lines of a failed container shown in the gateway's log (the last one also goes into the reason). */
  private static final int LOG_LINES = 20;
  /** A container name taken by another is retried under a fresh name this many times. */
  private static final int NAME_ATTEMPTS = 3;

  private final Vertx vertx;
  private final Context context;
  private final DockerSettings settings;
  private final DockerApi api;
  private final NetClient tcp;
  private final HttpClient http;
  /** Null for a provider created without an owner. */
  private final String owner;
  private final InstanceEventStream events = new InstanceEventStream();
  private final DockerEventFeed feed;
  private final Map<String, TrackedContainer> containers = new LinkedHashMap<>();
  private boolean closed;
  private Future<Void> closeResult;

  private DockerCloudProvider(Vertx vertx, Context context, DockerSettings settings, String owner) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.owner = owner;
    this.api = new DockerApi(vertx, settings.endpoint());
    this.tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1_000));
    // No keep-alive: a probe's connection must not linger in a container that serves one connection at a time.
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1_000).setKeepAlive(false));
    this.feed = new DockerEventFeed(vertx, api, owner, this::onEvent, this::reconcile);
  }

  /**
   * Checks that containers can be served on the configured host (a port can be bound there), then answers with a
   * usable provider once the daemon told its API version, or once it is clear it does not answer:
   * a daemon that is down now may be up by the first request (calls then fail TRANSIENT, and the event stream keeps
   * trying). A daemon that answers but cannot be used (too old, not Docker) fails the gateway's start.
   *
   * @param owner labelled on every container it creates; null for none (it then adopts only unowned ones)
   */
  static Future<CloudProvider> open(Vertx vertx, DockerSettings settings, String owner) {
    Context context = vertx.getOrCreateContext();
    Promise<CloudProvider> opened = Promise.promise();
    context.runOnContext(v -> context.executeBlocking(() -> FreePort.pick(settings.host()), false).onComplete(bound -> {
      if (bound.failed()) {
        opened.fail(new ConfigException("provider.host", "cannot listen on " + settings.host() + ": "
            + (bound.cause().getCause() != null ? bound.cause().getCause().getMessage() : bound.cause().getMessage())));
        return;
      }
      DockerCloudProvider provider = new DockerCloudProvider(vertx, context, settings, owner);
      provider.api.version().onComplete(ar -> {
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
    return onContext(() -> {
      if (closed) {
        return Future.failedFuture(new CloudException(CloudException.Kind.PERMANENT, "the docker provider is closed"));
      }
      ContainerSpec spec = settings.resources().get(resource);
      if (spec == null) {
        return Future.failedFuture(new CloudException(CloudException.Kind.UNKNOWN_RESOURCE,
            "the docker provider has no resource '" + resource + "' (configured: "
                + String.join(", ", settings.resources().keySet()) + ")"));
      }
      Set<String> startGroups = Set.copyOf(groups);
      return hostPort(spec)
          .compose(port -> create(spec, startGroups, port, NAME_ATTEMPTS))
          .compose(this::run);
    });
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    return onContext(() -> {
      TrackedContainer known = containers.get(instanceId);
      if (known != null && (known.state.isTerminal() || known.state == InstanceState.PENDING)) {
        return Future.succeededFuture(known.toInstance(settings.host()));
      }
      return api.call(HttpMethod.GET, ApiRequests.inspectPath(instanceId), null, DockerApi.CALL_TIMEOUT_MS)
          .compose(resp -> {
            TrackedContainer c = containers.get(instanceId);
            if (resp.status() == 404) {
              if (c == null) {
                return Future.failedFuture(ApiErrors.inspect(instanceId, resp));
              }
              if (!c.stopRequested) {
                gone(c, "the container was removed by someone else");
              }
              return Future.succeededFuture(c.toInstance(settings.host()));
            }
            if (resp.status() != 200) {
              return Future.failedFuture(ApiErrors.inspect(instanceId, resp));
            }
            ContainerView view = ContainerView.fromInspect(resp.json());
            if (!Labels.managed(view.labels())) {
              return Future.failedFuture(new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND,
                  "container " + instanceId + " was not started by the docker adapter"));
            }
            return Future.succeededFuture(observe(c, view));
          });
    });
  }

  @Override
  public Future<Void> stop(String instanceId) {
    return onContext(() -> {
      TrackedContainer known = containers.get(instanceId);
      if (known != null) {
        return stop(known);
      }
      return api.call(HttpMethod.GET, ApiRequests.inspectPath(instanceId), null, DockerApi.CALL_TIMEOUT_MS)
          .compose(resp -> {
            if (resp.status() == 404) {
              return Future.<Void>succeededFuture(); // stopping what does not exist succeeds
            }
            if (resp.status() != 200) {
              return Future.failedFuture(ApiErrors.inspect(instanceId, resp));
            }
            ContainerView view = ContainerView.fromInspect(resp.json());
            if (!Labels.ownedBy(view.labels(), owner)) {
              LOG.warn("Not stopping container {}: it is not one of gateway {}'s (managed by: {}, owner: {})",
                  instanceId, owner, view.labels().get(Labels.MANAGED_BY), view.labels().get(Labels.OWNER));
              return Future.<Void>succeededFuture();
            }
            TrackedContainer c = containers.get(instanceId);
            if (c == null) {
              c = adopt(view);
            }
            if (c == null) {
              // Ours, but its labels say too little to follow it: it is stopped and removed all the same.
              return api.call(HttpMethod.POST, ApiRequests.stopPath(instanceId, ApiRequests.stopSeconds(null)), null,
                  ApiRequests.stopSeconds(null) * 1000 + DockerApi.CALL_TIMEOUT_MS).compose(v -> remove(instanceId));
            }
            return stop(c);
          });
    });
  }

  @Override
  public Future<List<Instance>> list() {
    return onContext(() -> api.call(HttpMethod.GET, ApiRequests.listPath(owner), null, DockerApi.CALL_TIMEOUT_MS)
        .compose(resp -> {
          if (resp.status() != 200) {
            return Future.failedFuture(ApiErrors.unexpected("list containers", resp));
          }
          Map<String, Instance> found = new LinkedHashMap<>();
          JsonArray entries = resp.body().toJsonArray();
          for (int i = 0; i < entries.size(); i++) {
            ContainerView view = ContainerView.fromList(entries.getJsonObject(i));
            if (!Labels.ownedBy(view.labels(), owner)) {
              continue; // a provider without an owner was sent every managed container: it keeps the unowned
            }
            found.put(view.name(), observe(containers.get(view.name()), view));
          }
          // Also what the daemon no longer lists: containers being created, and ended ones not yet forgotten.
          containers.values().forEach(c -> found.putIfAbsent(c.name, c.toInstance(settings.host())));
          return Future.succeededFuture(List.copyOf(found.values()));
        }));
  }

  @Override
  public Optional<ReadStream<Instance>> events() {
    return Optional.of(events);
  }

  /**
   * Stops following the daemon and releases connections and timers. With {@code onShutdown: leave} (the default)
   * containers keep running for the next gateway to adopt; with {@code stop}, every container this provider knows
   * is stopped and removed first (each bounded by its stopTimeout).
   */
  @Override
  public Future<Void> close() {
    return onContext(() -> {
      if (closeResult != null) {
        return closeResult;
      }
      closed = true;
      feed.close();
      List<TrackedContainer> live = containers.values().stream().filter(c -> !c.state.isTerminal()).toList();
      Future<Void> containersDone;
      if (settings.onShutdown() == DockerSettings.OnShutdown.STOP) {
        LOG.info("Closing: stopping and removing {} container(s)", live.size());
        containersDone = Future.join(live.stream().map(this::stop).toList()).<Void>mapEmpty().otherwiseEmpty();
      } else {
        if (!live.isEmpty()) {
          LOG.info("Closing: leaving {} container(s) running for the next gateway to adopt: {}", live.size(),
              live.stream().map(c -> c.name).toList());
        }
        containersDone = Future.succeededFuture();
      }
      closeResult = containersDone.transform(ar -> {
        containers.values().forEach(c -> {
          c.cancelBoot();
          vertx.cancelTimer(c.forgetTimer);
        });
        events.end();
        return Future.join(api.close(), tcp.close(), http.close()).mapEmpty();
      });
      return closeResult;
    });
  }

  // ---- start: port, create, start (on the provider's context) ----

  /** With host networking and no fixed port, a free loopback port (a socket bind: on a worker). */
  private Future<Integer> hostPort(ContainerSpec spec) {
    if (spec.hostNetwork() && spec.port() != null) {
      return Future.succeededFuture(spec.port());
    }
    return context.executeBlocking(() -> FreePort.pick(settings.host()), false)
        .recover(err -> Future.failedFuture(new CloudException(CloudException.Kind.TRANSIENT,
            "no free port on " + settings.host() + ": " + err.getMessage(), err)));
  }

  private Future<TrackedContainer> create(ContainerSpec spec, Set<String> groups, int port, int attemptsLeft) {
    String name = "sg-" + spec.resource() + "-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    ContainerSpec.Placement placement = new ContainerSpec.Placement(name, settings.host(), port, groups);
    TrackedContainer c = new TrackedContainer(name, spec.resource(), groups, owner, spec, port, false,
        InstanceState.PENDING);
    c.image = spec.image();
    containers.put(name, c); // list() reports it while it is being created
    return api.call(HttpMethod.POST, ApiRequests.createPath(name), ApiRequests.createBody(spec, placement, owner),
        DockerApi.CALL_TIMEOUT_MS).compose(resp -> {
          if (resp.status() == 201) {
            c.containerId = resp.json().getString("Id");
            return Future.succeededFuture(c);
          }
          containers.remove(name, c);
          if (resp.status() == 409 && attemptsLeft > 1) {
            LOG.info("Container name {} is taken ({}); trying another", name, resp.message());
            return create(spec, groups, port, attemptsLeft - 1);
          }
          return Future.failedFuture(ApiErrors.create(spec, api.endpoint(), resp));
        }, err -> {
          containers.remove(name, c);
          if (err instanceof CloudException ce && ce.kind() == CloudException.Kind.TIMEOUT) {
            // The daemon may have created it after all: nobody would ever know it, so it goes.
            remove(name).onFailure(e -> LOG.warn("Could not remove {} after a create timed out: {}", name, e.getMessage()));
          }
          return Future.failedFuture(err);
        });
  }

  private Future<Instance> run(TrackedContainer c) {
    return api.call(HttpMethod.POST, ApiRequests.startPath(c.name), null, DockerApi.CALL_TIMEOUT_MS)
        .compose(resp -> resp.status() == 204 || resp.status() == 304
            ? Future.succeededFuture()
            : Future.failedFuture(ApiErrors.start(c.spec, c.name, resp)))
        .compose(started -> {
          if (c.stopRequested) {
            // A stop that came while it was being created found nothing to stop: this container is the stop's too.
            return remove(c.name).map(v -> c.toInstance(settings.host()));
          }
          c.state = InstanceState.BOOTING;
          LOG.info("Started container {} ({}) of resource '{}' from {}, serving on {}:{}", c.name, shortId(c),
              c.resource, c.image, settings.host(), c.port);
          watchBoot(c);
          Instance instance = c.toInstance(settings.host());
          events.push(instance);
          return Future.succeededFuture(instance);
        }, err -> {
          containers.remove(c.name, c);
          // A container that could not start is of no use to anyone: it goes before the failure is reported.
          return remove(c.name).transform(removed -> {
            if (removed.failed()) {
              LOG.warn("Could not remove {} after its start failed: {}", c.name, removed.cause().getMessage());
            }
            return Future.failedFuture(err);
          });
        });
  }

  // ---- following a container (on the provider's context) ----

  private void watchBoot(TrackedContainer c) {
    ContainerSpec.Readiness readiness = c.spec != null ? c.spec.readiness()
        : new ContainerSpec.Readiness(null, java.time.Duration.ofSeconds(30));
    BootWatch watch = BootWatch.start(vertx, api, tcp, http, c.name, settings.host(), c.port, readiness);
    c.boot = watch;
    watch.outcome().onSuccess(outcome -> {
      if (c.boot != watch || c.state != InstanceState.BOOTING) {
        return;
      }
      c.boot = null;
      if (outcome.ready()) {
        c.state = InstanceState.RUNNING;
        LOG.info("{} is ready at http://{}:{}", c.name, settings.host(), c.port);
        events.push(c.toInstance(settings.host()));
      } else if (outcome.ended() != null) {
        ended(c, outcome.ended().exitCode(), outcome.ended().oomKilled(), outcome.ended().error());
      } else if (outcome.gone()) {
        gone(c, outcome.reason());
      } else {
        fail(c, outcome.reason());
      }
    });
  }

  private void onEvent(DockerEvent event) {
    TrackedContainer c = containers.get(event.name());
    if (c == null || (c.containerId != null && event.containerId() != null && !c.containerId.equals(event.containerId()))) {
      return; // not one we follow (adoption goes through list and describe), or an earlier container of that name
    }
    switch (event.action()) {
      case "start" -> poke(c);
      case "health_status" -> {
        if (c.state == InstanceState.RUNNING && "unhealthy".equals(event.detail())) {
          fail(c, "its HEALTHCHECK reports unhealthy");
        } else {
          poke(c);
        }
      }
      case "oom" -> c.oomKilled = true;
      case "die" -> {
        if (!c.stopRequested) {
          ended(c, event.exitCode(), c.oomKilled, null);
        }
      }
      case "destroy" -> {
        if (!c.stopRequested && !c.ending) {
          gone(c, "the container was removed by someone else");
        }
      }
      default -> {
        // other kinds are filtered out by the daemon; nothing to do if one slips through
      }
    }
  }

  private static void poke(TrackedContainer c) {
    if (c.boot != null) {
      c.boot.poke();
    }
  }

  /** After the event stream was down: whatever it missed is read from the daemon. */
  private void reconcile() {
    for (TrackedContainer c : List.copyOf(containers.values())) {
      if (c.state == InstanceState.RUNNING && !c.stopRequested) {
        api.call(HttpMethod.GET, ApiRequests.inspectPath(c.name), null, DockerApi.CALL_TIMEOUT_MS).onSuccess(resp -> {
          if (resp.status() == 404 && !c.stopRequested) {
            gone(c, "the container was removed by someone else");
          } else if (resp.status() == 200) {
            observe(c, ContainerView.fromInspect(resp.json()));
          }
        });
      } else {
        poke(c);
      }
    }
  }

  /**
   * Merges what the daemon says about a container with what the provider knows: adopts one of its owner's it does
   * not follow yet, notices one that exited. Answers the instance as the SPI reports it.
   */
  private Instance observe(TrackedContainer known, ContainerView view) {
    if (known == null) {
      if (!Labels.ownedBy(view.labels(), owner)) {
        return foreign(view);
      }
      TrackedContainer adopted = adopt(view);
      return adopted == null ? foreign(view) : adopted.toInstance(settings.host());
    }
    if (view.ended() && !known.stopRequested && !known.state.isTerminal()) {
      ended(known, view.exitCode(), view.oomKilled(), view.error());
      return known.toInstance(settings.host()).withState(InstanceState.FAILED);
    }
    return known.toInstance(settings.host());
  }

  /**
   * Takes over one of its owner's containers that this provider did not start (a previous gateway did): a running
   * one is watched until its readiness check passes; one that ended, or was created and never started (a gateway
   * that died mid-start), is removed and reported FAILED.
   *
   * @return null for a container whose labels are not the adapter's (it is then reported, never touched)
   */
  private TrackedContainer adopt(ContainerView view) {
    String resource = view.labels().get(Labels.RESOURCE);
    Integer port = parsePort(view.labels().get(Labels.PORT));
    if (resource == null || port == null) {
      LOG.warn("Not adopting container {}: its labels do not say which resource and port it serves ({})",
          view.name(), view.labels());
      return null;
    }
    ContainerSpec spec = settings.resources().get(resource);
    TrackedContainer c = new TrackedContainer(view.name(), resource, groups(view.labels()),
        view.labels().get(Labels.OWNER), spec, port, true, InstanceState.BOOTING);
    c.containerId = view.id();
    c.image = view.image();
    containers.put(c.name, c);
    if (view.ended()) {
      c.exitCode = view.exitCode();
      fail(c, "exited while no gateway followed it" + (view.exitCode() == null ? "" : " (exit code " + view.exitCode() + ")"));
    } else if (view.status().equals("created")) {
      fail(c, "created but never started (its gateway stopped while starting it)");
    } else {
      if (spec == null) {
        LOG.warn("Adopting container {} although resource '{}' is no longer configured: it can only be stopped",
            c.name, resource);
      }
      LOG.info("Adopted container {} ({}) of resource '{}' on port {}, started by a previous gateway", c.name,
          shortId(c), resource, port);
      watchBoot(c);
    }
    return c;
  }

  /** Another owner's container, described without being followed or touched. */
  private Instance foreign(ContainerView view) {
    InstanceState state = switch (view.status()) {
      case "running" -> InstanceState.RUNNING;
      case "created", "restarting", "paused" -> InstanceState.BOOTING;
      case "removing" -> InstanceState.STOPPING;
      default -> view.exitCode() != null && view.exitCode() == 0 ? InstanceState.STOPPED : InstanceState.FAILED;
    };
    Integer port = parsePort(view.labels().get(Labels.PORT));
    Map<String, String> metadata = new LinkedHashMap<>();
    String viewOwner = view.labels().get(Labels.OWNER);
    if (viewOwner != null) {
      metadata.put(Instance.OWNER, viewOwner);
    }
    metadata.put("containerId", view.id() == null ? "" : view.id().substring(0, Math.min(12, view.id().length())));
    metadata.put("image", view.image());
    return new Instance(view.name(), view.labels().getOrDefault(Labels.RESOURCE, ""), groups(view.labels()), state,
        state == InstanceState.RUNNING && port != null ? java.net.URI.create("http://" + settings.host() + ":" + port) : null,
        metadata);
  }

  // ---- ending (on the provider's context) ----

  private Future<Void> stop(TrackedContainer c) {
    if (c.stopping != null) {
      return c.stopping;
    }
    if (c.state.isTerminal()) {
      return c.cleanup == null ? Future.succeededFuture() : c.cleanup.otherwiseEmpty();
    }
    c.stopRequested = true;
    c.cancelBoot();
    c.state = InstanceState.STOPPING;
    long seconds = ApiRequests.stopSeconds(c.spec);
    LOG.info("Stopping container {} (SIGTERM, then SIGKILL after {} s) and removing it", c.name, seconds);
    events.push(c.toInstance(settings.host()));
    Future<Void> stopping = api.call(HttpMethod.POST, ApiRequests.stopPath(c.name, seconds), null,
            seconds * 1000 + DockerApi.CALL_TIMEOUT_MS)
        .compose(resp -> resp.status() == 204 || resp.status() == 304 || resp.status() == 404
            ? remove(c.name)
            : Future.failedFuture(ApiErrors.unexpected("stop container " + c.name, resp)))
        .onSuccess(v -> {
          c.state = InstanceState.STOPPED;
          LOG.info("Container {} stopped and removed", c.name);
          events.push(c.toInstance(settings.host()));
          forgetLater(c);
        })
        .onFailure(err -> {
          LOG.warn("Stopping container {} failed: {}", c.name, err.getMessage());
          c.stopping = null; // the next stop call tries again
        });
    c.stopping = stopping;
    return stopping;
  }

  /**
   * A container that exited without being asked to: its last log lines are fetched (into the log, the last one into
   * the reason), then it is reported FAILED and removed.
   */
  private void ended(TrackedContainer c, Integer exitCode, boolean oomKilled, String error) {
    if (c.ending || c.state.isTerminal() || c.stopRequested) {
      return;
    }
    c.ending = true;
    c.cancelBoot();
    c.exitCode = exitCode;
    String exit = exitReason(exitCode, oomKilled || c.oomKilled, error);
    api.call(HttpMethod.GET, ApiRequests.logsPath(c.name, LOG_LINES), null, 2_000).onComplete(ar -> {
      List<LogTail.Line> lines = ar.succeeded() && ar.result().status() == 200
          ? LogTail.lines(ar.result().body()) : List.of();
      if (!lines.isEmpty()) {
        LOG.warn("Last output of container {}:\n  {}", c.name,
            String.join("\n  ", lines.stream().map(LogTail.Line::text).toList()));
      }
      String words = LogTail.lastWords(lines);
      fail(c, words == null ? exit : exit + ": " + words);
    });
  }

  static String exitReason(Integer exitCode, boolean oomKilled, String error) {
    String what;
    if (oomKilled) {
      what = "killed for want of memory (exit code " + exitCode + ")";
    } else if (exitCode == null) {
      what = "exited by itself";
    } else if (exitCode == 137) {
      what = "was killed (SIGKILL, exit code 137)";
    } else if (exitCode == 143) {
      what = "was terminated (SIGTERM, exit code 143)";
    } else {
      what = "exited by itself with code " + exitCode;
    }
    return error == null || error.isBlank() ? what : what + " (" + error + ")";
  }

  /** FAILED, then removed: nothing of a failed container is left behind (its last words are in the log). */
  private void fail(TrackedContainer c, String reason) {
    if (c.state.isTerminal() || c.stopRequested) {
      return;
    }
    c.cancelBoot();
    c.reason = reason;
    c.state = InstanceState.FAILED;
    LOG.warn("Container {} of resource '{}' failed: {}", c.name, c.resource, reason);
    events.push(c.toInstance(settings.host()));
    c.cleanup = remove(c.name).onFailure(err ->
        LOG.warn("Could not remove failed container {}: {} (remove it by hand: docker rm -f {})", c.name,
            err.getMessage(), c.name));
    forgetLater(c);
  }

  /** Removed by someone else: FAILED, nothing left to clean up. */
  private void gone(TrackedContainer c, String reason) {
    if (c.state.isTerminal() || c.stopRequested) {
      return;
    }
    c.cancelBoot();
    c.reason = reason;
    c.state = InstanceState.FAILED;
    LOG.warn("Container {} of resource '{}' failed: {}", c.name, c.resource, reason);
    events.push(c.toInstance(settings.host()));
    forgetLater(c);
  }

  /** Removes a container, force and all; one that is already gone, or going, counts as removed. */
  private Future<Void> remove(String name) {
    return api.call(HttpMethod.DELETE, ApiRequests.removePath(name), null, DockerApi.CALL_TIMEOUT_MS)
        .compose(resp -> resp.status() == 204 || resp.status() == 404 || resp.status() == 409
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(ApiErrors.unexpected("remove container " + name, resp)));
  }

  /** An ended container stays visible to describe and list for forgetAfter, then is forgotten. */
  private void forgetLater(TrackedContainer c) {
    if (!closed) {
      vertx.cancelTimer(c.forgetTimer);
      c.forgetTimer = vertx.setTimer(settings.forgetAfter().toMillis(), t -> containers.remove(c.name, c));
    }
  }

  /** Says at start-up which configured images the daemon lacks: a start of those fails until they are built. */
  private void checkImages() {
    settings.resources().values().stream().map(ContainerSpec::image).distinct().forEach(image ->
        api.call(HttpMethod.GET, "/images/" + image + "/json", null, DockerApi.CALL_TIMEOUT_MS).onSuccess(resp -> {
          if (resp.status() == 404) {
            List<String> users = settings.resources().values().stream().filter(s -> s.image().equals(image))
                .map(ContainerSpec::resource).toList();
            LOG.warn("Image '{}' (resource(s) {}) is not on the Docker daemon at {}: starting them fails until it is"
                + " built or loaded there (the docker adapter never pulls images)", image, users, api.endpoint());
          }
        }));
  }

  // ---- helpers ----

  private static Set<String> groups(Map<String, String> labels) {
    String text = labels.getOrDefault(Labels.GROUPS, "");
    return text.isEmpty() ? Set.of() : Set.of(text.split(","));
  }

  private static Integer parsePort(String text) {
    try {
      int port = Integer.parseInt(text);
      return port > 0 && port < 65536 ? port : null;
    } catch (NumberFormatException | NullPointerException e) {
      return null;
    }
  }

  private static String shortId(TrackedContainer c) {
    return c.containerId == null ? "?" : c.containerId.substring(0, Math.min(12, c.containerId.length()));
  }

  /** Runs {@code action} on the provider's context and answers on the caller's. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    Runnable run = () -> {
      Future<T> result;
      try {
        result = action.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        if (caller == null || caller == context) {
          promise.handle(ar);
        } else {
          caller.runOnContext(v -> promise.handle(ar));
        }
      });
    };
    if (Vertx.currentContext() == context) {
      run.run();
    } else {
      context.runOnContext(v -> run.run());
    }
    return promise.future();
  }
}
