package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.FreePort;
import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Starting one container: a port (with host networking, a free one on the adapter's host), a create named
 * {@code sg-<resource>-<8 hex digits>} (another name if that one is taken), a start; then it is BOOTING and
 * {@link Watching} takes over. A container that could not start is removed before the failure is reported. Runs on
 * the provider's context; only the port's socket bind runs on a worker.
 */
final class Launch {

  private static final Logger LOG = LoggerFactory.getLogger(DockerCloudProvider.class);
  /** A container name taken by another is retried under a fresh name this many times. */
  private static final int NAME_ATTEMPTS = 3;

  private final Fleet fleet;
  private final Endings endings;
  private final Watching watching;

  Launch(Fleet fleet, Endings endings, Watching watching) {
    this.fleet = fleet;
    this.endings = endings;
    this.watching = watching;
  }

  /** Answers the BOOTING instance once the daemon started the container. */
  Future<Instance> start(ContainerSpec spec, Set<String> groups) {
    return hostPort(spec)
        .compose(port -> create(spec, groups, port, NAME_ATTEMPTS))
        .compose(this::run);
  }

  private Future<Integer> hostPort(ContainerSpec spec) {
    if (spec.hostNetwork() && spec.port() != null) {
      return Future.succeededFuture(spec.port());
    }
    String host = fleet.settings.host();
    return fleet.context.executeBlocking(() -> FreePort.pick(host), false)
        .recover(err -> Future.failedFuture(new CloudException(CloudException.Kind.TRANSIENT,
            "no free port on " + host + ": " + err.getMessage(), err)));
  }

  private Future<TrackedContainer> create(ContainerSpec spec, Set<String> groups, int port, int attemptsLeft) {
    String name = "sg-" + spec.resource() + "-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    ContainerSpec.Placement placement = new ContainerSpec.Placement(name, fleet.settings.host(), port, groups);
    TrackedContainer c = new TrackedContainer(name, spec.resource(), groups, fleet.owner, spec, port, false,
        InstanceState.PENDING);
    c.image = spec.image();
    fleet.containers.put(name, c); // list() reports it while it is being created
    return fleet.api.call(HttpMethod.POST, ApiRequests.createPath(name),
        ApiRequests.createBody(spec, placement, fleet.owner), DockerApi.CALL_TIMEOUT_MS).compose(resp -> {
          if (resp.status() == 201) {
            c.containerId = resp.json().getString("Id");
            return Future.succeededFuture(c);
          }
          fleet.containers.remove(name, c);
          if (resp.status() == 409 && attemptsLeft > 1) {
            LOG.info("Container name {} is taken ({}); trying another", name, resp.message());
            return create(spec, groups, port, attemptsLeft - 1);
          }
          return Future.failedFuture(ApiErrors.create(spec, fleet.api.endpoint(), resp));
        }, err -> {
          fleet.containers.remove(name, c);
          if (err instanceof CloudException ce && ce.kind() == CloudException.Kind.TIMEOUT) {
            // The daemon may have created it after all: nobody would ever know it, so it goes.
            endings.remove(name).onFailure(e ->
                LOG.warn("Could not remove {} after its create timed out: {}", name, e.getMessage()));
          }
          return Future.failedFuture(err);
        });
  }

  private Future<Instance> run(TrackedContainer c) {
    return fleet.api.call(HttpMethod.POST, ApiRequests.startPath(c.name), null, DockerApi.CALL_TIMEOUT_MS)
        .compose(resp -> resp.status() == 204 || resp.status() == 304
            ? Future.succeededFuture()
            : Future.failedFuture(ApiErrors.start(c.spec, c.name, resp)))
        .compose(started -> {
          if (c.stopRequested) {
            // A stop that came while it was being created found nothing to stop: this container is the stop's too.
            return endings.remove(c.name).map(v -> fleet.instance(c));
          }
          c.state = InstanceState.BOOTING;
          LOG.info("Started container {} ({}) of resource '{}' from {}, serving on {}:{}", c.name,
              Fleet.shortId(c.containerId), c.resource, c.image, fleet.settings.host(), c.port);
          watching.watchBoot(c);
          Instance instance = fleet.instance(c);
          fleet.events.push(instance);
          return Future.succeededFuture(instance);
        }, err -> {
          fleet.containers.remove(c.name, c);
          // A container that could not start is of no use to anyone: it goes before the failure is reported.
          return endings.remove(c.name).transform(removed -> {
            if (removed.failed()) {
              LOG.warn("Could not remove {} after its start failed: {}", c.name, removed.cause().getMessage());
            }
            return Future.failedFuture(err);
          });
        });
  }
}
