package dev.smartgateway.lifecycle;

import dev.smartgateway.config.ProbeConfig;
import dev.smartgateway.config.ResourceSettings;
import io.vertx.core.Future;

/**
 * Asks a VM's application whether it answers: the readiness probe while it warms, the liveness ping while
 * it serves, and the check of a VM a request could not connect to. An interface so that the lifecycle's
 * unit tests answer probes by hand.
 */
interface Prober {

  /** The status of one {@code GET probe.path()}; fails if there is no answer within {@code probe.timeout()}. */
  Future<Integer> probe(String host, int port, ProbeConfig probe);

  /**
   * As {@link #probe(String, int, ProbeConfig)}, in the protocol the resource's VMs speak: an h2c-only server
   * (many gRPC servers) would not answer an HTTP/1.1 probe. By default the protocol makes no difference.
   */
  default Future<Integer> probe(String host, int port, ProbeConfig probe, ResourceSettings.Protocol protocol) {
    return probe(host, port, probe);
  }

  Future<Void> close();
}
