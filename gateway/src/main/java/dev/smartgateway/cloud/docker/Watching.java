package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Follows containers once they are started: watches a booting one until it serves ({@link BootWatch}: then
 * RUNNING), and acts on the daemon's events about the owner's containers (died, removed, health changed). After the
 * event stream was down, reads back what it may have missed. Runs on the provider's context.
 */
final class Watching {

  private static final Logger LOG = LoggerFactory.getLogger(DockerCloudProvider.class);
  /** For an adopted container whose resource is no longer configured: it only has to accept connections. */
  private static final ContainerSpec.Readiness UNCONFIGURED = new ContainerSpec.Readiness(null, Duration.ofSeconds(30));

  private final Fleet fleet;
  private final Endings endings;
  private final NetClient tcp;
  private final HttpClient http;

  Watching(Fleet fleet, Endings endings, NetClient tcp, HttpClient http) {
    this.fleet = fleet;
    this.endings = endings;
    this.tcp = tcp;
    this.http = http;
  }

  /** The container is BOOTING: RUNNING once it serves, FAILED (and removed) if it ends or never serves in time. */
  void watchBoot(TrackedContainer c) {
    ContainerSpec.Readiness readiness = c.spec != null ? c.spec.readiness() : UNCONFIGURED;
    BootWatch watch = BootWatch.start(fleet.vertx, fleet.api, tcp, http, c.name, fleet.settings.host(), c.port, readiness);
    c.boot = watch;
    watch.outcome().onSuccess(outcome -> {
      if (c.boot != watch || c.state != InstanceState.BOOTING) {
        return;
      }
      c.boot = null;
      if (outcome.ready()) {
        c.state = InstanceState.RUNNING;
        LOG.info("{} is ready at http://{}:{}", c.name, fleet.settings.host(), c.port);
        fleet.push(c);
      } else if (outcome.ended() != null) {
        endings.ended(c, outcome.ended().exitCode(), outcome.ended().oomKilled(), outcome.ended().error());
      } else if (outcome.gone()) {
        endings.gone(c, outcome.reason());
      } else {
        endings.fail(c, outcome.reason());
      }
    });
  }

  void onEvent(DockerEvent event) {
    TrackedContainer c = fleet.containers.get(event.name());
    if (c == null || (c.containerId != null && event.containerId() != null && !c.containerId.equals(event.containerId()))) {
      return; // not one we follow (adoption goes through list and describe), or an earlier container of that name
    }
    switch (event.action()) {
      case "start" -> poke(c);
      case "health_status" -> {
        if (c.state == InstanceState.RUNNING && "unhealthy".equals(event.detail())) {
          endings.fail(c, "its HEALTHCHECK reports unhealthy");
        } else {
          poke(c);
        }
      }
      case "oom" -> c.oomKilled = true;
      case "die" -> endings.ended(c, event.exitCode(), c.oomKilled, null);
      case "destroy" -> {
        if (!c.stopRequested && !c.ending) {
          endings.gone(c, "the container was removed by someone else");
        }
      }
      default -> {
        // other kinds are filtered out by the daemon; nothing to do if one slips through
      }
    }
  }

  /** After the event stream was down: whatever it missed is read from the daemon. */
  void reconcile() {
    for (TrackedContainer c : List.copyOf(fleet.containers.values())) {
      if ((c.state == InstanceState.RUNNING || c.state == InstanceState.SUSPENDED) && !c.stopRequested) {
        fleet.api.call(HttpMethod.GET, ApiRequests.inspectPath(c.name), null, DockerApi.CALL_TIMEOUT_MS)
            .onSuccess(resp -> {
              if (resp.status() == 404) {
                endings.gone(c, "the container was removed by someone else");
              } else if (resp.status() == 200) {
                ContainerView view = ContainerView.fromInspect(resp.json());
                if (view.ended()) {
                  endings.ended(c, view.exitCode(), view.oomKilled(), view.error());
                }
              }
            });
      } else {
        poke(c);
      }
    }
  }

  private static void poke(TrackedContainer c) {
    if (c.boot != null) {
      c.boot.poke();
    }
  }
}
