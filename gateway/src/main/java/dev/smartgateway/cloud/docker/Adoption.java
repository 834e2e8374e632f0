package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Merges what the daemon says about a container (an inspect, a list entry) with what the provider knows. The labels
 * are the adapter's only memory: a container of the provider's owner it does not follow yet (a previous gateway
 * started it) is adopted from them; another owner's is described but never followed or touched. Runs on the
 * provider's context.
 */
final class Adoption {

  private static final Logger LOG = LoggerFactory.getLogger(DockerCloudProvider.class);

  private final Fleet fleet;
  private final Endings endings;
  private final Watching watching;

  Adoption(Fleet fleet, Endings endings, Watching watching) {
    this.fleet = fleet;
    this.endings = endings;
    this.watching = watching;
  }

  /**
   * The instance as the SPI reports it: adopts one of the owner's containers it does not follow yet, notices that
   * a followed one exited.
   *
   * @param known the container as followed, or null
   */
  Instance observe(TrackedContainer known, ContainerView view) {
    if (known == null) {
      if (!Labels.ownedBy(view.labels(), fleet.owner)) {
        return foreign(view);
      }
      TrackedContainer adopted = adopt(view);
      return adopted == null ? foreign(view) : fleet.instance(adopted);
    }
    if (view.ended() && !known.stopRequested && !known.state.isTerminal()) {
      endings.ended(known, view.exitCode(), view.oomKilled(), view.error());
      return fleet.instance(known).withState(InstanceState.FAILED);
    }
    return fleet.instance(known);
  }

  /**
   * Takes over one of the owner's containers that this provider did not start: a running one is watched until its
   * readiness check passes; one that ended, or was created and never started (a gateway that died mid-start), is
   * removed and reported FAILED.
   *
   * @return null for a container whose labels do not say what it serves (it is then reported, not followed)
   */
  TrackedContainer adopt(ContainerView view) {
    String resource = view.labels().get(Labels.RESOURCE);
    Integer port = port(view.labels());
    if (resource == null || port == null) {
      LOG.warn("Not adopting container {}: its labels do not say which resource and port it serves ({})",
          view.name(), view.labels());
      return null;
    }
    ContainerSpec spec = fleet.settings.resources().get(resource);
    TrackedContainer c = new TrackedContainer(view.name(), resource, groups(view.labels()),
        view.labels().get(Labels.OWNER), spec, port, true, InstanceState.BOOTING);
    c.containerId = view.id();
    c.image = view.image();
    fleet.containers.put(c.name, c);
    if (view.ended()) {
      c.exitCode = view.exitCode();
      endings.fail(c, "exited while no gateway followed it"
          + (view.exitCode() == null ? "" : " (exit code " + view.exitCode() + ")"));
    } else if (view.status().equals("created")) {
      endings.fail(c, "created but never started (its gateway stopped while starting it)");
    } else if (view.status().equals("paused")) {
      // Left paused by an idle gateway (idlePolicy: suspend): the next request resumes it; a probe could not pass.
      c.state = InstanceState.SUSPENDED;
      LOG.info("Adopted paused container {} ({}) of resource '{}' on port {}", c.name, Fleet.shortId(c.containerId),
          resource, port);
    } else {
      if (spec == null) {
        LOG.warn("Adopting container {} although resource '{}' is no longer configured: it can only be stopped",
            c.name, resource);
      }
      LOG.info("Adopted container {} ({}) of resource '{}' on port {}, started by a previous gateway", c.name,
          Fleet.shortId(c.containerId), resource, port);
      watching.watchBoot(c);
    }
    return c;
  }

  /** Another owner's container (or an unreadable one of ours), described without being followed or touched. */
  private Instance foreign(ContainerView view) {
    InstanceState state = switch (view.status()) {
      case "running" -> InstanceState.RUNNING;
      case "paused" -> InstanceState.SUSPENDED;
      case "created", "restarting" -> InstanceState.BOOTING;
      case "removing" -> InstanceState.STOPPING;
      default -> view.exitCode() != null && view.exitCode() == 0 ? InstanceState.STOPPED : InstanceState.FAILED;
    };
    Integer port = port(view.labels());
    Map<String, String> metadata = new LinkedHashMap<>();
    String owner = view.labels().get(Labels.OWNER);
    if (owner != null) {
      metadata.put(Instance.OWNER, owner);
    }
    metadata.put("containerId", Fleet.shortId(view.id()));
    metadata.put("image", view.image());
    URI endpoint = state == InstanceState.RUNNING && port != null
        ? URI.create("http://" + fleet.settings.host() + ":" + port) : null;
    return new Instance(view.name(), view.labels().getOrDefault(Labels.RESOURCE, ""), groups(view.labels()), state,
        endpoint, metadata);
  }

  private static Set<String> groups(Map<String, String> labels) {
    String text = labels.getOrDefault(Labels.GROUPS, "");
    return text.isEmpty() ? Set.of() : Set.of(text.split(","));
  }

  private static Integer port(Map<String, String> labels) {
    try {
      int port = Integer.parseInt(labels.get(Labels.PORT));
      return port > 0 && port < 65536 ? port : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
