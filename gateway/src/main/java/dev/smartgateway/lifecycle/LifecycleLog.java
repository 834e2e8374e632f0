package dev.smartgateway.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/** The operational log (README "Logs"): the first subscriber of the lifecycle's events. */
final class LifecycleLog implements Consumer<LifecycleEvent> {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.lifecycle");

  @Override
  public void accept(LifecycleEvent e) {
    String id = e.instanceId() == null ? "-" : e.instanceId();
    String groups = String.join(",", e.groups());
    switch (e.type()) {
      case READY -> log.info("ready resource={} groups={} instance={} after {} ms (cloud call {} ms, boot {} ms, probe {} ms)",
          e.resource(), groups, id, total(e.phases()), e.phases().cloudCallMs(), e.phases().bootMs(), e.phases().probeMs());
      case FAILED -> log.warn("failed resource={} groups={} instance={}: {}", e.resource(), groups, id, e.reason());
      default -> log.info("{} resource={} groups={} instance={} ({})", e.type().name().toLowerCase(java.util.Locale.ROOT),
          e.resource(), groups, id, e.reason());
    }
  }

  private static long total(LifecycleEvent.Phases p) {
    return Math.max(0, p.cloudCallMs()) + Math.max(0, p.bootMs()) + Math.max(0, p.probeMs());
  }
}
